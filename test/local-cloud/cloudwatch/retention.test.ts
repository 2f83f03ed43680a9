import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatch, type MetricDatum } from '../../../src/local-cloud/cloudwatch/domain.js';
import { MAX_POINTS_PER_SERIES } from '../../../src/local-cloud/cloudwatch/metrics.js';
import { fakeCloud, type FakeCloud } from '../lambda/fake-cloud.js';

// Metric retention is bounded: per-second points for 3 hours, per-minute points before that, for
// a day. However many samples arrive, a series holds at most MAX_POINTS_PER_SERIES points.
const R = 'us-east-1';
const HOUR = 3_600_000;
const DIMS = [{ Name: 'ApiName', Value: 'api' }];
let cloud: FakeCloud;

function setup(): CloudWatch {
  cloud = fakeCloud();
  const cw = new CloudWatch(cloud.ctx);
  cw.start();
  return cw;
}
afterEach(() => cloud?.cleanup());

/** One sample of value 1 every `everyMs` in [from, to). */
function putEvery(cw: CloudWatch, from: number, to: number, everyMs: number): void {
  let batch: MetricDatum[] = [];
  for (let t = from; t < to; t += everyMs) {
    batch.push({ MetricName: 'Count', Dimensions: DIMS, Timestamp: t, Value: 1 });
    if (batch.length === 1000) {
      cw.putMetricData(R, 'App', batch);
      batch = [];
    }
  }
  if (batch.length > 0) cw.putMetricData(R, 'App', batch);
}

const sums = (cw: CloudWatch, start: number, end: number, period: number) =>
  cw.getMetricStatistics(R, { Namespace: 'App', MetricName: 'Count', Dimensions: DIMS, StartTime: start, EndTime: end, Period: period, Statistics: ['Sum', 'SampleCount'] });

describe('CloudWatch metric retention', () => {
  it('keeps a bounded number of points per series however many samples arrive', async () => {
    const cw = setup();
    await cloud.clock.advance(48 * HOUR);
    const now = cloud.clock.now();
    putEvery(cw, now - 48 * HOUR, now, 1000); // 172,800 per-second samples
    const stored = cw.storedPoints();
    expect(stored.series).toBe(1);
    expect(stored.points).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    expect(MAX_POINTS_PER_SERIES).toBeLessThan(12_300);

    // Older than 3 hours: one point per minute, with every sample counted in it.
    const old = sums(cw, now - 10 * HOUR, now - 10 * HOUR + 5 * 60_000, 60);
    expect(old.map((d) => d.Sum)).toEqual([60, 60, 60, 60, 60]);
    expect(sums(cw, now - 20 * HOUR, now - 4 * HOUR, 3600).every((d) => d.SampleCount === 3600)).toBe(true);
    // Recent: still per second.
    expect(sums(cw, now - 60_000, now, 1).length).toBe(60);
    // Older than a day: gone.
    expect(sums(cw, now - 48 * HOUR, now - 24 * HOUR - 60_000, 3600)).toEqual([]);
  });

  it('rolls points up as the clock moves on, keeping the totals', async () => {
    const cw = setup();
    const start = cloud.clock.now();
    for (let hour = 0; hour < 30; hour++) {
      const from = cloud.clock.now();
      await cloud.clock.advance(HOUR);
      putEvery(cw, from, cloud.clock.now(), 5_000); // 720 samples an hour, sent once an hour
      expect(cw.storedPoints().points).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    }
    const now = cloud.clock.now();
    expect(now - start).toBe(30 * HOUR);
    // 3 h of per-5-second points and 21 h of per-minute points at most.
    expect(cw.storedPoints().points).toBeLessThanOrEqual(3 * 720 + 21 * 60);
    const hourly = sums(cw, now - 23 * HOUR, now, 3600);
    expect(hourly).toHaveLength(23);
    expect(hourly.every((d) => d.Sum === 720)).toBe(true);
  });

  it('drops a series nobody writes to once its points are older than the retention', async () => {
    const cw = setup();
    cw.putMetric(R, 'App', 'Gone', { Fn: 'deleted' }, 1);
    await cloud.clock.advance(24 * HOUR + 11 * 60_000);
    cw.putMetric(R, 'App', 'Kept', { Fn: 'live' }, 1);
    expect(cw.listMetrics(R).map((s) => s.metricName)).toEqual(['Kept']);
    expect(cw.storedPoints()).toEqual({ series: 1, points: 1 });
  });
});
