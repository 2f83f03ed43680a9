// Persistent CloudWatch state: JSON only (epoch ms, no Maps), one document under the 'cloudwatch' key.

export interface Dimension {
  Name: string;
  Value: string;
}

/** [timestampMs, sampleCount, sum, minimum, maximum]: one aggregated second (recent) or minute (older) of a metric. */
export type Point = [number, number, number, number, number];

export interface Series {
  namespace: string;
  metricName: string;
  /** Sorted by Name: the identity of a metric is its exact dimension set. */
  dimensions: Dimension[];
  unit?: string;
  /** Sorted by time: per-minute points before `rolledUntil`, per-second after. */
  points: Point[];
  /** Points before this time have been rolled up into minutes (see metrics.ts). */
  rolledUntil?: number;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export interface AlarmConfig {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
}

export interface AlarmHistoryItem {
  at: number;
  type: 'ConfigurationUpdate' | 'StateUpdate';
  summary: string;
}

export interface Alarm extends AlarmConfig {
  AlarmArn: string;
  StateValue: AlarmStateValue;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedAt: number;
  ConfigurationUpdatedAt: number;
  history: AlarmHistoryItem[];
}

export interface RegionState {
  series: Record<string, Series>;
  alarms: Record<string, Alarm>;
}

export interface CloudWatchState {
  regions: Record<string, RegionState>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function sortDimensions(dims: Dimension[] | undefined): Dimension[] {
  return [...(dims ?? [])].map((d) => ({ Name: d.Name, Value: d.Value })).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function seriesKey(namespace: string, metricName: string, dims: Dimension[]): string {
  return JSON.stringify([namespace, metricName, sortDimensions(dims).map((d) => [d.Name, d.Value])]);
}
