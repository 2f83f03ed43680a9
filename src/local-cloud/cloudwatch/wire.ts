// CloudWatch operations shared by both wire forms: awsJson1_0 (SDK v3) and awsQuery (CLI v1, boto3).
// The same op reads either input shape (JSON numbers/epoch seconds, or query strings/ISO dates);
// only timestamps differ on the way out.
import { AwsError } from '../aws-error.js';
import { record, text } from '../protocols/narrow.js';
import type { CloudRequest } from '../types.js';
import type { CloudWatch, MetricDatum, MetricStatQuery } from './domain.js';
import { checkInput } from './validations.js';
import type { Alarm, AlarmConfig, ComparisonOperator, Dimension, TreatMissingData } from './model.js';

export type WireOp = (input: Record<string, unknown>, req: CloudRequest) => Promise<Record<string, unknown>>;
type Stamp = (ms: number) => number | string;

export const epochSeconds: Stamp = (ms) => ms / 1000;
export const isoDate: Stamp = (ms) => new Date(ms).toISOString();

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const records = (v: unknown): Array<Record<string, unknown>> => list(v).map(record);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
const bool = (v: unknown, dflt: boolean): boolean => (v === undefined ? dflt : v === true || v === 'true');
const dims = (v: unknown): Dimension[] => records(v).map((d) => ({ Name: String(d.Name), Value: String(d.Value) }));

// JSON timestamps are epoch seconds; query timestamps are ISO 8601 (or epoch seconds).
function time(v: unknown, field: string): number {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new AwsError('MissingParameter', `The parameter ${field} is required.`, 400);
  return ms;
}

function required(input: Record<string, unknown>, field: string): string {
  const v = input[field];
  if (v === undefined || v === '') throw new AwsError('MissingParameter', `The parameter ${field} is required.`, 400);
  return String(v);
}

export function alarmConfig(i: Record<string, unknown>): AlarmConfig {
  return {
    AlarmName: required(i, 'AlarmName'),
    AlarmDescription: text(i.AlarmDescription),
    ActionsEnabled: bool(i.ActionsEnabled, true),
    OKActions: list(i.OKActions).map(String),
    AlarmActions: list(i.AlarmActions).map(String),
    InsufficientDataActions: list(i.InsufficientDataActions).map(String),
    Namespace: text(i.Namespace) ?? '',
    MetricName: text(i.MetricName) ?? '',
    Dimensions: dims(i.Dimensions),
    Statistic: text(i.Statistic) || undefined,
    ExtendedStatistic: text(i.ExtendedStatistic) || undefined,
    Period: num(i.Period) ?? NaN,
    Unit: text(i.Unit),
    EvaluationPeriods: num(i.EvaluationPeriods) ?? NaN,
    DatapointsToAlarm: num(i.DatapointsToAlarm),
    Threshold: num(i.Threshold) ?? NaN,
    ComparisonOperator: text(i.ComparisonOperator) as ComparisonOperator,
    TreatMissingData: (text(i.TreatMissingData) || undefined) as TreatMissingData | undefined,
  };
}

export function alarmView(a: Alarm, stamp: Stamp): Record<string, unknown> {
  return {
    AlarmName: a.AlarmName,
    AlarmArn: a.AlarmArn,
    AlarmDescription: a.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: stamp(a.ConfigurationUpdatedAt),
    ActionsEnabled: a.ActionsEnabled,
    OKActions: a.OKActions,
    AlarmActions: a.AlarmActions,
    InsufficientDataActions: a.InsufficientDataActions,
    StateValue: a.StateValue,
    StateReason: a.StateReason,
    StateReasonData: a.StateReasonData,
    StateUpdatedTimestamp: stamp(a.StateUpdatedAt),
    StateTransitionedTimestamp: stamp(a.StateUpdatedAt),
    MetricName: a.MetricName,
    Namespace: a.Namespace,
    Statistic: a.Statistic,
    ExtendedStatistic: a.ExtendedStatistic,
    Dimensions: a.Dimensions,
    Period: a.Period,
    Unit: a.Unit,
    EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm,
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    TreatMissingData: a.TreatMissingData,
  };
}

function metricDatum(d: Record<string, unknown>): MetricDatum {
  const sv = d.StatisticValues === undefined ? undefined : record(d.StatisticValues);
  return {
    MetricName: text(d.MetricName) ?? '',
    Dimensions: dims(d.Dimensions),
    Timestamp: d.Timestamp === undefined ? undefined : time(d.Timestamp, 'Timestamp'),
    Value: num(d.Value),
    Values: list(d.Values).map(Number),
    Counts: list(d.Counts).map(Number),
    StatisticValues: sv ? { SampleCount: Number(sv.SampleCount), Sum: Number(sv.Sum), Minimum: Number(sv.Minimum), Maximum: Number(sv.Maximum) } : undefined,
    Unit: text(d.Unit),
  };
}

function metricQuery(q: Record<string, unknown>): MetricStatQuery {
  const ms = q.MetricStat === undefined ? undefined : record(q.MetricStat);
  const metric = record(ms?.Metric);
  return {
    Id: String(q.Id),
    Label: text(q.Label),
    ReturnData: q.ReturnData === undefined ? undefined : bool(q.ReturnData, true),
    Expression: text(q.Expression),
    MetricStat: ms
      ? {
          Metric: { Namespace: text(metric.Namespace) ?? '', MetricName: text(metric.MetricName) ?? '', Dimensions: dims(metric.Dimensions) },
          Period: Number(ms.Period),
          Stat: String(ms.Stat),
          Unit: text(ms.Unit),
        }
      : undefined,
  };
}

function page<T>(items: T[], max: unknown, token: unknown): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const size = num(max) ?? 50;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export function cloudWatchOps(cw: CloudWatch, stamp: Stamp): Record<string, WireOp> {
  const ops = operations(cw, stamp);
  return Object.fromEntries(Object.entries(ops).map(([name, op]) => [name, ((input, req) => op(checkInput(name, input), req)) satisfies WireOp]));
}

function operations(cw: CloudWatch, stamp: Stamp): Record<string, WireOp> {
  return {
    PutMetricData: async (i, req) => {
      cw.putMetricData(req.region, required(i, 'Namespace'), records(i.MetricData).map(metricDatum));
      return {};
    },
    GetMetricData: async (i, req) => {
      const results = cw.getMetricData(req.region, records(i.MetricDataQueries).map(metricQuery), time(i.StartTime, 'StartTime'), time(i.EndTime, 'EndTime'), text(i.ScanBy));
      return { MetricDataResults: results.map((r) => ({ ...r, Timestamps: r.Timestamps.map(stamp) })), Messages: [] };
    },
    GetMetricStatistics: async (i, req) => {
      const datapoints = cw.getMetricStatistics(req.region, {
        Namespace: required(i, 'Namespace'),
        MetricName: required(i, 'MetricName'),
        Dimensions: dims(i.Dimensions),
        StartTime: time(i.StartTime, 'StartTime'),
        EndTime: time(i.EndTime, 'EndTime'),
        Period: Number(required(i, 'Period')),
        Statistics: list(i.Statistics).map(String),
        ExtendedStatistics: list(i.ExtendedStatistics).map(String),
      });
      return { Label: i.MetricName, Datapoints: datapoints.map((d) => ({ ...d, Timestamp: stamp(d.Timestamp) })) };
    },
    ListMetrics: async (i, req) => {
      const filter = records(i.Dimensions).map((d) => ({ Name: String(d.Name), Value: d.Value === undefined ? undefined : String(d.Value) }));
      const metrics = cw.listMetrics(req.region, { Namespace: text(i.Namespace), MetricName: text(i.MetricName), Dimensions: filter });
      const { items, next } = page(metrics, 500, i.NextToken);
      return { Metrics: items.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions })), NextToken: next };
    },
    PutMetricAlarm: async (i, req) => {
      cw.putMetricAlarm(req.region, alarmConfig(i));
      return {};
    },
    DescribeAlarms: async (i, req) => {
      const alarms = cw.describeAlarms(req.region, {
        AlarmNames: list(i.AlarmNames).map(String),
        AlarmNamePrefix: text(i.AlarmNamePrefix),
        StateValue: text(i.StateValue),
        ActionPrefix: text(i.ActionPrefix),
      });
      const { items, next } = page(alarms, i.MaxRecords, i.NextToken);
      return { MetricAlarms: items.map((a) => alarmView(a, stamp)), CompositeAlarms: [], NextToken: next };
    },
    DescribeAlarmHistory: async (i, req) => {
      const items = cw
        .alarmHistory(req.region, text(i.AlarmName))
        .filter((h) => !i.HistoryItemType || h.type === i.HistoryItemType)
        .map((h) => ({ AlarmName: h.alarmName, AlarmType: 'MetricAlarm', Timestamp: stamp(h.at), HistoryItemType: h.type, HistorySummary: h.summary }));
      const { items: pageItems, next } = page(items, i.MaxRecords ?? 100, i.NextToken);
      return { AlarmHistoryItems: pageItems, NextToken: next };
    },
    SetAlarmState: async (i, req) => {
      cw.setAlarmState(req.region, required(i, 'AlarmName'), required(i, 'StateValue'), required(i, 'StateReason'), text(i.StateReasonData));
      return {};
    },
    DeleteAlarms: async (i, req) => {
      cw.deleteAlarms(req.region, list(i.AlarmNames).map(String));
      return {};
    },
    EnableAlarmActions: async (i, req) => {
      cw.setActionsEnabled(req.region, list(i.AlarmNames).map(String), true);
      return {};
    },
    DisableAlarmActions: async (i, req) => {
      cw.setActionsEnabled(req.region, list(i.AlarmNames).map(String), false);
      return {};
    },
  };
}
