// CloudWatch's behaviour: metrics on the virtual clock and alarms evaluated at every period boundary.
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { evaluateAlarm } from './evaluate.js';
import { addSample, buckets, compact, findSeries, lastPeriods, matchesFilter, type PointsChange } from './metrics.js';
import {
  type Alarm,
  type AlarmConfig,
  type AlarmStateValue,
  type CloudWatchState,
  type Dimension,
  type RegionState,
  type Series,
  seriesKey,
} from './model.js';
import { statistic } from './statistics.js';
import { validateAlarm } from './validate.js';
import { dict, keyedState } from '../keyed.js';
import { KeyedTimers } from '../clock.js';

export interface MetricDatum {
  MetricName: string;
  Dimensions?: Dimension[];
  /** Epoch ms; default now. */
  Timestamp?: number;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
}

export interface MetricStatQuery {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] }; Period: number; Stat: string; Unit?: string };
  Expression?: string;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete';
}

export interface StatisticsDatapoint {
  Timestamp: number;
  SampleCount?: number;
  Average?: number;
  Sum?: number;
  Minimum?: number;
  Maximum?: number;
  ExtendedStatistics?: Record<string, number>;
  Unit?: string;
}

export type AlarmStateListener = (region: string, alarmName: string, state: AlarmStateValue, previous: AlarmStateValue) => void;

const STATES: AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const HISTORY_LIMIT = 100;
/** How often (cloud time) every series is compacted, so series nobody writes to any more age out too. */
const SWEEP_EVERY_MS = 10 * 60_000;

export class CloudWatch {
  /** Route 53 CLOUDWATCH_METRIC health checks subscribe here. */
  onAlarmStateChange?: AlarmStateListener;
  private readonly timers: KeyedTimers;
  private lastSweep = -Infinity;

  constructor(private readonly ctx: CloudContext) {
    this.timers = new KeyedTimers(ctx.clock);
  }

  /** Points stored across every series of every region (resource tests). */
  storedPoints(): { series: number; points: number } {
    let series = 0;
    let points = 0;
    for (const r of Object.values(this.state.regions)) {
      for (const s of Object.values(r.series)) {
        series++;
        points += s.points.length;
      }
    }
    return { series, points };
  }

  // Piggybacks on puts and alarm evaluations rather than a timer of its own: without either,
  // nothing is added and nothing needs compacting.
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [region, r] of Object.entries(this.state.regions)) {
      for (const [key, series] of Object.entries(r.series)) {
        const points = compact(series, now);
        if (series.points.length === 0) delete r.series[key];
        this.seriesChanged(region, key, points);
      }
    }
  }

  private get state(): CloudWatchState {
    return keyedState<CloudWatchState>(this.ctx.state, 'cloudwatch', () => ({ regions: dict() }));
  }

  /** Declare a change under a region (e.g. 'series', key or 'alarms', name) for the state's write barrier. */
  private changed(region: string, ...path: string[]): void {
    this.ctx.state.changed('cloudwatch', 'regions', region, ...path);
  }

  // A series' points are logged point by point while they are only appended or merged into; as a
  // whole when some were dropped, rolled up or inserted before the end (once a minute at most).
  private seriesChanged(region: string, key: string, points: PointsChange): void {
    if (points === 'all' || !this.state.regions[region]?.series[key]) {
      this.changed(region, 'series', key);
      return;
    }
    for (const i of points) this.changed(region, 'series', key, 'points', String(i));
    this.changed(region, 'series', key, 'unit');
    this.changed(region, 'series', key, 'rolledUntil');
  }

  private region(region: string): RegionState {
    return (this.state.regions[region] ??= { series: dict(), alarms: dict() });
  }

  alarmArn(region: string, name: string): string {
    return `arn:aws:cloudwatch:${region}:${this.ctx.accountId}:alarm:${name}`;
  }

  /** Convenience for other services' built-in metrics. */
  putMetric(region: string, namespace: string, metricName: string, dimensions: Record<string, string>, value: number, unit?: string): void {
    const dims = Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
    this.putMetricData(region, namespace, [{ MetricName: metricName, Dimensions: dims, Value: value, Unit: unit }]);
  }

  putMetricData(region: string, namespace: string, data: MetricDatum[]): void {
    if (!namespace) throw new AwsError('MissingParameter', 'The parameter Namespace is required.', 400);
    const now = this.ctx.clock.now();
    const r = this.region(region);
    this.sweep(now);
    data.forEach((d, i) => {
      if (!d.MetricName) throw new AwsError('MissingParameter', `The parameter MetricData.member.${i + 1}.MetricName is required.`, 400);
      const timestamp = d.Timestamp ?? now;
      const key = seriesKey(namespace, d.MetricName, d.Dimensions ?? []);
      const add = (count: number, sum: number, min: number, max: number): void =>
        this.seriesChanged(region, key, addSample(r, namespace, d.MetricName, d.Dimensions ?? [], d.Unit, { timestamp, count, sum, min, max }, now));
      if (d.StatisticValues) {
        const s = d.StatisticValues;
        add(s.SampleCount, s.Sum, s.Minimum, s.Maximum);
      } else if (d.Values && d.Values.length > 0) {
        d.Values.forEach((v, k) => {
          const c = d.Counts?.[k] ?? 1;
          add(c, v * c, v, v);
        });
      } else {
        const v = d.Value;
        if (v === undefined || !Number.isFinite(v)) {
          throw new AwsError('InvalidParameterValue', `The value ${String(v)} for parameter MetricData.member.${i + 1}.Value is invalid.`, 400);
        }
        add(1, v, v, v);
      }
    });
  }

  listMetrics(region: string, filter: { Namespace?: string; MetricName?: string; Dimensions?: { Name: string; Value?: string }[] } = {}): Series[] {
    return Object.values(this.state.regions[region]?.series ?? {}).filter(
      (s) => s.points.length > 0 && matchesFilter(s, filter.Namespace, filter.MetricName, filter.Dimensions),
    );
  }

  getMetricStatistics(
    region: string,
    q: { Namespace: string; MetricName: string; Dimensions?: Dimension[]; StartTime: number; EndTime: number; Period: number; Statistics?: string[]; ExtendedStatistics?: string[] },
  ): StatisticsDatapoint[] {
    if ((q.Statistics?.length ?? 0) === 0 && (q.ExtendedStatistics?.length ?? 0) === 0) {
      throw new AwsError('InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics, but not both.', 400);
    }
    const series = findSeries(this.state.regions[region], q.Namespace, q.MetricName, q.Dimensions ?? []);
    const grouped = buckets(series, q.StartTime, q.EndTime, q.Period * 1000);
    return [...grouped.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, points]) => {
        const dp: StatisticsDatapoint = { Timestamp: t, Unit: series?.unit ?? 'None' };
        for (const s of q.Statistics ?? []) (dp as unknown as Record<string, number | undefined>)[s] = statistic(points, s);
        if (q.ExtendedStatistics?.length) dp.ExtendedStatistics = Object.fromEntries(q.ExtendedStatistics.map((s) => [s, statistic(points, s) ?? 0]));
        return dp;
      });
  }

  getMetricData(region: string, queries: MetricStatQuery[], start: number, end: number, scanBy = 'TimestampDescending'): MetricDataResult[] {
    const out: MetricDataResult[] = [];
    for (const q of queries) {
      if (!q.MetricStat) {
        throw new AwsError('ValidationError', `The local cloud does not implement metric math (query ${q.Id}): use MetricStat.`, 400);
      }
      const m = q.MetricStat.Metric;
      const series = findSeries(this.state.regions[region], m.Namespace, m.MetricName, m.Dimensions ?? []);
      const grouped = [...buckets(series, start, end, q.MetricStat.Period * 1000).entries()].sort((a, b) => b[0] - a[0]);
      if (scanBy === 'TimestampAscending') grouped.reverse();
      if (q.ReturnData === false) continue;
      out.push({
        Id: q.Id,
        Label: q.Label ?? m.MetricName,
        Timestamps: grouped.map(([t]) => t),
        Values: grouped.map(([, points]) => statistic(points, q.MetricStat!.Stat) ?? 0),
        StatusCode: 'Complete',
      });
    }
    return out;
  }

  putMetricAlarm(region: string, config: AlarmConfig): void {
    validateAlarm(config);
    const r = this.region(region);
    const now = this.ctx.clock.now();
    const existing = r.alarms[config.AlarmName];
    if (existing) {
      Object.assign(existing, config, { ConfigurationUpdatedAt: now });
      this.record(existing, { at: now, type: 'ConfigurationUpdate', summary: `Alarm "${config.AlarmName}" updated` });
    } else {
      r.alarms[config.AlarmName] = {
        ...config,
        AlarmArn: this.alarmArn(region, config.AlarmName),
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        StateUpdatedAt: now,
        ConfigurationUpdatedAt: now,
        history: [{ at: now, type: 'ConfigurationUpdate', summary: `Alarm "${config.AlarmName}" created` }],
      };
    }
    this.changed(region, 'alarms', config.AlarmName);
    this.arm(region, config.AlarmName);
  }

  describeAlarms(region: string, filter: { AlarmNames?: string[]; AlarmNamePrefix?: string; StateValue?: string; ActionPrefix?: string } = {}): Alarm[] {
    if (filter.AlarmNames?.length && filter.AlarmNamePrefix) {
      throw new AwsError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.', 400);
    }
    if (filter.StateValue && !STATES.includes(filter.StateValue as AlarmStateValue)) throw invalidState(filter.StateValue, 'stateValue');
    return Object.values(this.state.regions[region]?.alarms ?? {})
      .filter((a) => !filter.AlarmNames?.length || filter.AlarmNames.includes(a.AlarmName))
      .filter((a) => !filter.AlarmNamePrefix || a.AlarmName.startsWith(filter.AlarmNamePrefix))
      .filter((a) => !filter.StateValue || a.StateValue === filter.StateValue)
      .filter((a) => !filter.ActionPrefix || a.AlarmActions.some((x) => x.startsWith(filter.ActionPrefix!)))
      .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : 1));
  }

  /** AWS deletes the alarms that exist and ignores names that do not. */
  deleteAlarms(region: string, names: string[]): void {
    const r = this.state.regions[region];
    for (const name of names) {
      if (!r?.alarms[name]) continue;
      delete r.alarms[name];
      this.changed(region, 'alarms', name);
      this.disarm(region, name);
    }
  }

  setAlarmState(region: string, name: string, state: string, reason: string, reasonData?: string): void {
    const alarm = this.alarm(region, name);
    if (!STATES.includes(state as AlarmStateValue)) throw invalidState(state, 'stateValue');
    this.transition(region, alarm, state as AlarmStateValue, reason, reasonData);
  }

  setActionsEnabled(region: string, names: string[], enabled: boolean): void {
    for (const name of names) {
      const alarm = this.state.regions[region]?.alarms[name];
      if (alarm) {
        alarm.ActionsEnabled = enabled;
        this.changed(region, 'alarms', name, 'ActionsEnabled');
      }
    }
  }

  alarmHistory(region: string, name?: string): { alarmName: string; at: number; type: string; summary: string }[] {
    return Object.values(this.state.regions[region]?.alarms ?? {})
      .filter((a) => !name || a.AlarmName === name)
      .flatMap((a) => a.history.map((h) => ({ alarmName: a.AlarmName, ...h })))
      .sort((a, b) => b.at - a.at);
  }

  alarmState(region: string, alarmName: string): { state: AlarmStateValue; updatedAt: number } | undefined {
    const alarm = this.state.regions[region]?.alarms[alarmName];
    return alarm ? { state: alarm.StateValue, updatedAt: alarm.StateUpdatedAt } : undefined;
  }

  /** Re-arm every alarm's evaluation timer (after a restart timers are gone; state is not). */
  start(): void {
    for (const [region, r] of Object.entries(this.state.regions)) {
      for (const name of Object.keys(r.alarms)) this.arm(region, name);
    }
  }

  stop(): void {
    this.timers.cancelAll();
  }

  /** Evaluate the periods that ended at `boundary` (the evaluation that runs at that instant). */
  evaluate(region: string, name: string, boundary = this.ctx.clock.now()): void {
    const alarm = this.state.regions[region]?.alarms[name];
    if (!alarm) return;
    this.sweep(this.ctx.clock.now());
    const periodMs = alarm.Period * 1000;
    const series = findSeries(this.state.regions[region], alarm.Namespace, alarm.MetricName, alarm.Dimensions);
    const stat = alarm.Statistic ?? alarm.ExtendedStatistic ?? 'Average';
    // Realism aws: AWS-published metrics arrive a while after their minute ends, so the evaluation
    // at a boundary looks at the periods whose data has had time to arrive (whole periods back).
    const lagMs = this.ctx.realism?.metricPeriodMs ? Math.ceil((this.ctx.realism.metricPeriodMs + this.ctx.realism.metricIngestionDelayMs) / periodMs) * periodMs - periodMs : 0;
    const periods = lastPeriods(series, boundary - lagMs, periodMs, alarm.EvaluationPeriods, stat);
    const verdict = evaluateAlarm(alarm, periods, boundary);
    if (verdict && verdict.state !== alarm.StateValue) this.transition(region, alarm, verdict.state, verdict.reason, verdict.reasonData);
  }

  private alarm(region: string, name: string): Alarm {
    const alarm = this.state.regions[region]?.alarms[name];
    if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);
    return alarm;
  }

  private transition(region: string, alarm: Alarm, state: AlarmStateValue, reason: string, reasonData?: string): void {
    const previous = alarm.StateValue;
    const now = this.ctx.clock.now();
    alarm.StateValue = state;
    alarm.StateReason = reason;
    alarm.StateReasonData = reasonData;
    alarm.StateUpdatedAt = now;
    this.record(alarm, { at: now, type: 'StateUpdate', summary: `Alarm updated from ${previous} to ${state}` });
    this.changed(region, 'alarms', alarm.AlarmName);
    if (previous !== state) this.onAlarmStateChange?.(region, alarm.AlarmName, state, previous);
  }

  private record(alarm: Alarm, item: Alarm['history'][number]): void {
    alarm.history.push(item);
    if (alarm.history.length > HISTORY_LIMIT) alarm.history.splice(0, alarm.history.length - HISTORY_LIMIT);
  }

  // One timer per alarm, at the next multiple of its period; each firing re-arms the next.
  private arm(region: string, name: string): void {
    this.disarm(region, name);
    const alarm = this.state.regions[region]?.alarms[name];
    if (!alarm) return;
    this.sweep(this.ctx.clock.now());
    const periodMs = alarm.Period * 1000;
    const boundary = (Math.floor(this.ctx.clock.now() / periodMs) + 1) * periodMs;
    this.timers.at(`${region}/${name}`, boundary, () => {
      this.evaluate(region, name, boundary);
      this.arm(region, name);
    });
  }

  private disarm(region: string, name: string): void {
    this.timers.cancel(`${region}/${name}`);
  }
}

function invalidState(value: string, field: string): AwsError {
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]`,
    400,
  );
}
