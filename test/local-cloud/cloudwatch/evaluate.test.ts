import { describe, expect, it } from 'vitest';
import { evaluateAlarm, type PeriodValue } from '../../../src/local-cloud/cloudwatch/evaluate.js';
import type { AlarmConfig, TreatMissingData } from '../../../src/local-cloud/cloudwatch/model.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

function alarm(over: Partial<AlarmConfig> = {}): AlarmConfig {
  return {
    AlarmName: 'a', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [],
    Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [], Statistic: 'Sum', Period: 60,
    EvaluationPeriods: 3, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', ...over,
  };
}

// 'X' breaching (5), '0' not breaching (0), '-' missing; oldest first.
function periods(pattern: string): PeriodValue[] {
  return [...pattern].map((c, i) => ({ start: T0 + i * 60_000, value: c === '-' ? undefined : c === 'X' ? 5 : 0 }));
}

const state = (a: AlarmConfig, p: string) => evaluateAlarm(a, periods(p), T0 + p.length * 60_000)?.state ?? 'KEEP';

describe('alarm evaluation', () => {
  it('needs DatapointsToAlarm breaching periods out of EvaluationPeriods (M of N)', () => {
    const twoOfThree = alarm({ DatapointsToAlarm: 2 });
    expect(state(twoOfThree, '0X0')).toBe('OK');
    expect(state(twoOfThree, 'X0X')).toBe('ALARM');
    expect(state(twoOfThree, 'XX0')).toBe('ALARM');
    expect(state(alarm(), 'XX0')).toBe('OK'); // default M = N
    expect(state(alarm(), 'XXX')).toBe('ALARM');
  });

  it.each<[TreatMissingData | undefined, string, string]>([
    [undefined, '---', 'INSUFFICIENT_DATA'],
    ['missing', '---', 'INSUFFICIENT_DATA'],
    ['missing', '0--', 'OK'],
    ['ignore', '---', 'KEEP'],
    ['ignore', 'X--', 'OK'],
    ['breaching', '---', 'ALARM'],
    ['breaching', '0--', 'OK'],
    ['breaching', 'X--', 'ALARM'],
    ['notBreaching', '---', 'OK'],
    ['notBreaching', 'XX-', 'OK'],
  ])('TreatMissingData %s with %s → %s', (treat, pattern, expected) => {
    expect(state(alarm({ TreatMissingData: treat }), pattern)).toBe(expected);
  });

  it('explains the transition the way CloudWatch words it', () => {
    const one = evaluateAlarm(alarm({ EvaluationPeriods: 1 }), periods('X'), T0 + 60_000)!;
    expect(one.reason).toBe('Threshold Crossed: 1 datapoint [5.0 (01/01/26 00:00:00)] was greater than the threshold (0.0).');
    const ok = evaluateAlarm(alarm({ EvaluationPeriods: 1 }), periods('0'), T0 + 60_000)!;
    expect(ok.reason).toBe('Threshold Crossed: 1 datapoint [0.0 (01/01/26 00:00:00)] was not greater than the threshold (0.0).');
    const m = evaluateAlarm(alarm({ DatapointsToAlarm: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1 }), periods('XX0'), T0)!;
    expect(m.reason).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [0.0 (01/01/26 00:02:00), 5.0 (01/01/26 00:01:00), 5.0 (01/01/26 00:00:00)] were greater than or equal to the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(evaluateAlarm(alarm(), periods('---'), T0)!.reason).toBe('Insufficient Data: 3 datapoints were unknown.');
    expect(evaluateAlarm(alarm({ EvaluationPeriods: 1, TreatMissingData: 'notBreaching' }), periods('-'), T0)!.reason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    );
  });
});
