import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommand } from '../../src/commands/deploy.js';
import type { CloudWatch } from '../../src/local-cloud/cloudwatch/domain.js';
import { MAX_POINTS_PER_SERIES } from '../../src/local-cloud/cloudwatch/metrics.js';
import type { Events } from '../../src/local-cloud/events/domain.js';
import type { LambdaDomain } from '../../src/local-cloud/lambda/domain.js';
import type { Logs } from '../../src/local-cloud/logs/domain.js';
import { MAX_LINES_PER_GROUP } from '../../src/local-cloud/logs/domain.js';
import { startHarness, type Harness } from '../integration/harness.js';

// A deployed stage left alone on the virtual clock for days: its canary calls /check every minute,
// the alarm evaluates, the health check re-reads the alarm. What the cloud holds (workers, timers,
// metric points, log lines, delivery history) must come back to the same level, not grow with time.
const R = 'us-east-1';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let h: Harness;
let lambda: LambdaDomain;
let cw: CloudWatch;
let logs: Logs;
let events: Events;

beforeAll(async () => {
  h = await startHarness(`service: idle\nstage: test\nregions: [${R}]\nprimaryRegion: ${R}\ndns:\n  zone: idle.example\n  createZone: true\n`);
  await deployCommand(h.context());
  lambda = h.cloud.service('lambda');
  cw = h.cloud.service('monitoring');
  logs = h.cloud.service('logs');
  events = h.cloud.service('events');
}, 60_000);
afterAll(async () => h?.close());

/** Let `minutes` of cloud time pass one minute at a time, each minute's canary run finishing. */
async function run(minutes: number): Promise<void> {
  for (let m = 0; m < minutes; m++) {
    await h.clock.advance(MINUTE);
    await lambda.settled();
  }
}

const canaryRule = () => events.listRules(R).find((r) => r.ScheduleExpression === 'rate(1 minute)')!;

// Only long-standing domain methods, so the same test runs against older code too.
function snapshot() {
  const groups = logs.describeLogGroups(R, '/aws/lambda/');
  const series = cw.listMetrics(R);
  return {
    workers: ['idle-test-canary', 'idle-test-check'].reduce((n, fn) => n + lambda.workerCount(R, fn), 0),
    timers: h.clock.pendingTimers(),
    series: series.length,
    points: series.reduce((n, s) => n + s.points.length, 0),
    logLines: groups.map((g) => g.lines.length),
    deliveries: events.invocations(R, canaryRule().Name).length,
  };
}

describe('an idle deployed stage', () => {
  it('holds flat resources over days of cloud time', async () => {
    await run(30);
    const warm = snapshot();
    expect(warm.workers).toBe(2); // canary + check, one warm worker each
    expect(warm.deliveries).toBe(30);

    // A burst (overlapping calls, as when many checkers and canaries coincide) spawns extra workers…
    await Promise.all([0, 1, 2, 3, 4, 5].flatMap(() => [lambda.invoke(R, 'idle-test-canary', '{}'), lambda.invoke(R, 'idle-test-check', '{}')]));
    expect(lambda.workerCount(R, 'idle-test-check')).toBeGreaterThan(1);
    // …which are reclaimed once idle, while the canary keeps one of each warm.
    await run(60);
    const steady = snapshot();
    expect(steady).toMatchObject({ workers: 2, timers: warm.timers, series: warm.series, deliveries: 50 });
    expect(steady.points).toBeLessThanOrEqual(steady.series * MAX_POINTS_PER_SERIES);
    expect(Math.max(...steady.logLines)).toBeLessThanOrEqual(MAX_LINES_PER_GROUP);

    // With the schedule off nothing runs: every worker goes, and metric points age out after a day.
    events.setState(R, canaryRule().Name, 'DISABLED');
    for (let hour = 0; hour < 25; hour++) await h.clock.advance(HOUR);
    const quiet = snapshot();
    expect(quiet.workers).toBe(0);
    expect(quiet.points).toBe(0);
    expect(quiet.timers).toBeLessThan(warm.timers); // no schedule, no reaper: nothing left to wake up for

    // Back on: the same stage in the same state as the first half hour, not a day's worth more.
    events.setState(R, canaryRule().Name, 'ENABLED');
    await run(30);
    const again = snapshot();
    expect(again).toMatchObject({ workers: warm.workers, timers: warm.timers, series: warm.series, points: warm.points, deliveries: 50 });
    expect(Math.max(...again.logLines)).toBeLessThanOrEqual(MAX_LINES_PER_GROUP);
  }, 120_000);
});
