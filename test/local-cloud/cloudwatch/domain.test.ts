import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatch } from '../../../src/local-cloud/cloudwatch/domain.js';
import type { AlarmConfig } from '../../../src/local-cloud/cloudwatch/model.js';
import { fakeCloud, type FakeCloud } from '../lambda/fake-cloud.js';

const R = 'us-east-1';
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
let cloud: FakeCloud;

function setup(): { cw: CloudWatch; cloud: FakeCloud } {
  cloud = fakeCloud();
  const cw = new CloudWatch(cloud.ctx);
  cw.start();
  return { cw, cloud };
}
afterEach(() => cloud?.cleanup());

const alarm = (over: Partial<AlarmConfig> = {}): AlarmConfig => ({
  AlarmName: 'five-xx', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [],
  Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'api' }], Statistic: 'Sum',
  Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', ...over,
});

describe('CloudWatch metrics', () => {
  it('aggregates statistics per period and returns GetMetricData newest first', () => {
    const { cw, cloud } = setup();
    for (const v of [1, 3, 8]) cw.putMetric(R, 'App', 'Latency', { Api: 'a' }, v);
    cw.putMetricData(R, 'App', [{ MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], Timestamp: T0 + 61_000, Values: [10, 20], Counts: [1, 3] }]);
    const stats = cw.getMetricStatistics(R, { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], StartTime: T0, EndTime: T0 + 120_000, Period: 60, Statistics: ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'] });
    expect(stats).toEqual([
      expect.objectContaining({ Timestamp: T0, Sum: 12, Average: 4, Minimum: 1, Maximum: 8, SampleCount: 3 }),
      expect.objectContaining({ Timestamp: T0 + 60_000, Sum: 70, Average: 17.5, Minimum: 10, Maximum: 20, SampleCount: 4 }),
    ]);
    const [result] = cw.getMetricData(R, [{ Id: 'm', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }] }, Period: 60, Stat: 'Maximum' } }], T0, T0 + 120_000);
    expect(result.Timestamps).toEqual([T0 + 60_000, T0]);
    expect(result.Values).toEqual([20, 8]);
    // A metric is identified by its exact dimension set.
    expect(cw.getMetricStatistics(R, { Namespace: 'App', MetricName: 'Latency', StartTime: T0, EndTime: T0 + 120_000, Period: 60, Statistics: ['Sum'] })).toEqual([]);
    expect(cw.listMetrics(R, { Dimensions: [{ Name: 'Api' }] }).map((s) => s.metricName)).toEqual(['Latency']);
    expect(cloud.clock.now()).toBe(T0);
  });

  it('forgets datapoints older than a day', async () => {
    const { cw, cloud } = setup();
    cw.putMetric(R, 'App', 'Hits', {}, 1);
    await cloud.clock.advance(25 * 3600_000);
    cw.putMetric(R, 'App', 'Hits', {}, 2);
    expect(cw.listMetrics(R)[0].points.map((p) => p[2])).toEqual([2]);
  });
});

describe('CloudWatch alarms on the virtual clock', () => {
  it('evaluates the period that just ended at each boundary', async () => {
    const { cw, cloud } = setup();
    cw.putMetricAlarm(R, alarm());
    expect(cw.alarmState(R, 'five-xx')).toEqual({ state: 'INSUFFICIENT_DATA', updatedAt: T0 });
    await cloud.clock.advance(30_000);
    cw.putMetric(R, 'AWS/ApiGateway', '5XXError', { ApiName: 'api' }, 1); // 00:00:30
    await cloud.clock.advance(29_999);
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('INSUFFICIENT_DATA');
    await cloud.clock.advance(1); // 00:01:00 evaluates [00:00, 00:01)
    expect(cw.alarmState(R, 'five-xx')).toEqual({ state: 'ALARM', updatedAt: T0 + 60_000 });
    cw.putMetric(R, 'AWS/ApiGateway', '5XXError', { ApiName: 'api' }, 0);
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')).toEqual({ state: 'OK', updatedAt: T0 + 120_000 });
    await cloud.clock.advance(60_000); // no data in [00:02, 00:03): missing → INSUFFICIENT_DATA
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('INSUFFICIENT_DATA');
  });

  it('goes to ALARM only when M of the last N periods breach', async () => {
    const { cw, cloud } = setup();
    cw.putMetricAlarm(R, alarm({ EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' }));
    const seen: string[] = [];
    cw.onAlarmStateChange = (_r, name, state, previous) => seen.push(`${name}:${previous}->${state}`);
    cw.putMetric(R, 'AWS/ApiGateway', '5XXError', { ApiName: 'api' }, 1);
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('OK'); // 1 of 3
    cw.putMetric(R, 'AWS/ApiGateway', '5XXError', { ApiName: 'api' }, 1);
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('ALARM'); // 2 of 3
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('ALARM'); // still 2 of 3 in window
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('OK'); // first breach left the window
    expect(seen).toEqual(['five-xx:INSUFFICIENT_DATA->OK', 'five-xx:OK->ALARM', 'five-xx:ALARM->OK']);
    const [described] = cw.describeAlarms(R, { StateValue: 'OK' });
    expect(described.StateReason).toMatch(/^Threshold Crossed: 1 out of the last 3 datapoints \[1\.0 \(01\/01\/26 00:01:00\)\] were not greater than the threshold \(0\.0\)/);
  });

  it('keeps the state with ignore, and SetAlarmState lasts until the next evaluation', async () => {
    const { cw, cloud } = setup();
    cw.putMetricAlarm(R, alarm({ TreatMissingData: 'ignore' }));
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')!.state).toBe('INSUFFICIENT_DATA');
    cw.setAlarmState(R, 'five-xx', 'ALARM', 'testing');
    await cloud.clock.advance(60_000);
    expect(cw.describeAlarms(R)[0]).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing' }); // ignore keeps it
    cw.putMetricAlarm(R, alarm({ TreatMissingData: 'notBreaching' }));
    cw.setAlarmState(R, 'five-xx', 'ALARM', 'testing again');
    await cloud.clock.advance(60_000);
    expect(cw.alarmState(R, 'five-xx')).toEqual({ state: 'OK', updatedAt: T0 + 180_000 });
    expect(() => cw.setAlarmState(R, 'nope', 'OK', 'x')).toThrow('Alarm nope not found');
    expect(() => cw.setAlarmState(R, 'five-xx', 'BROKEN', 'x')).toThrow(/enum value set: \[INSUFFICIENT_DATA, ALARM, OK\]/);
  });

  it('stops evaluating deleted alarms and validates the period', async () => {
    const { cw, cloud } = setup();
    cw.putMetricAlarm(R, alarm());
    cw.deleteAlarms(R, ['five-xx', 'never-existed']);
    expect(cloud.clock.pendingTimers()).toBe(0);
    expect(() => cw.putMetricAlarm(R, alarm({ Period: 45 }))).toThrow('Period must be 10, 30 or a multiple of 60.');
    expect(() => cw.putMetricAlarm(R, alarm({ DatapointsToAlarm: 2 }))).toThrow('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  });
});
