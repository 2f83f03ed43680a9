// Pure alarm evaluation: the statistic of each of the last N periods in, the next state out.
import type { AlarmConfig, AlarmStateValue, ComparisonOperator } from './model.js';

export interface PeriodValue {
  /** Start of the period (epoch ms). */
  start: number;
  value: number | undefined;
}

export interface Verdict {
  state: AlarmStateValue;
  reason: string;
  reasonData: string;
}

const phrases: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * Decide the alarm's state from its last EvaluationPeriods periods (oldest first).
 * Returns undefined when the alarm keeps its current state (TreatMissingData ignore with no data).
 * Missing periods become breaching/not breaching per TreatMissingData; with missing/ignore they
 * are left out, and ALARM needs DatapointsToAlarm breaching periods among those present.
 */
export function evaluateAlarm(alarm: AlarmConfig, periods: PeriodValue[], now: number): Verdict | undefined {
  const treat = alarm.TreatMissingData ?? 'missing';
  const m = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  const n = periods.length;
  const present = periods.filter((p) => p.value !== undefined);
  const missing = n - present.length;
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: new Date(now).toISOString().replace('Z', '+0000'),
    startDate: new Date(periods[0]?.start ?? now).toISOString().replace('Z', '+0000'),
    statistic: alarm.Statistic ?? alarm.ExtendedStatistic,
    period: alarm.Period,
    recentDatapoints: [...present].reverse().map((p) => p.value),
    threshold: alarm.Threshold,
  });
  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore') return undefined;
    return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`, reasonData };
  }
  const breaching =
    present.filter((p) => breaches(alarm.ComparisonOperator, p.value!, alarm.Threshold)).length + (treat === 'breaching' ? missing : 0);
  const state: AlarmStateValue = breaching >= m ? 'ALARM' : 'OK';
  return { state, reason: thresholdReason(alarm, present, missing, treat, state, m, n), reasonData };
}

function thresholdReason(
  alarm: AlarmConfig,
  present: PeriodValue[],
  missing: number,
  treat: string,
  state: AlarmStateValue,
  m: number,
  n: number,
): string {
  const phrase = phrases[alarm.ComparisonOperator];
  if (present.length === 0) {
    const as = treat === 'breaching' ? 'Breaching' : 'NonBreaching';
    return `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(missing, 'missing datapoint')} ${missing === 1 ? 'was' : 'were'} treated as [${as}].`;
  }
  const shown = [...present].reverse().map((p) => `${formatNumber(p.value!)} (${formatDate(p.start)})`).join(', ');
  const not = state === 'ALARM' ? '' : 'not ';
  const head =
    n === 1 ? `1 datapoint [${shown}] was ${not}${phrase}` : `${present.length} out of the last ${n} datapoints [${shown}] were ${not}${phrase}`;
  const minimum = n === 1 ? '' : state === 'ALARM' ? ` (minimum ${m} datapoints for OK -> ALARM transition)` : ` (minimum ${n - m + 1} datapoints for ALARM -> OK transition)`;
  return `Threshold Crossed: ${head} the threshold (${formatNumber(alarm.Threshold)})${minimum}.`;
}

// CloudWatch prints datapoint values as Java doubles (5.0, 0.25).
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

// dd/MM/yy HH:mm:ss in UTC, as CloudWatch state reasons show datapoint times.
function formatDate(ms: number): string {
  const d = new Date(ms);
  const two = (x: number): string => String(x).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}
