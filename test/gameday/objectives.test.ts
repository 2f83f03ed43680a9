import { describe, expect, it } from 'vitest';
import type { ReplicationReport } from '../../src/drill/replication.js';
import { parseGameday } from '../../src/gameday/load.js';
import { judge, measurements } from '../../src/gameday/objectives.js';

// The objectives and the headline measurements read the same figures: the pair a replication
// drill pauses on purpose is judged by maxMissingItems, and its lag is given apart.

const pair = (from: string, to: string, p99Ms: number | null, missing = 0) => ({ from, to, samples: 10, p50Ms: p99Ms, p95Ms: p99Ms, p99Ms, maxMs: p99Ms, missing });

function replication(pairs: ReturnType<typeof pair>[], pause?: { from: string; to: string }): ReplicationReport {
  return {
    table: 't',
    consistency: 'eventual',
    samples: 10,
    pairs,
    events: { writes: 30, published: 30, duplicates: 0 },
    rpoSeconds: 1,
    result: 'passed',
    failures: [],
    refused: 0,
    ...(pause ? { pause: { ...pause, heldMs: 5000, catchUpMs: 900 } } : {}),
    seconds: 30,
  };
}

const gameday = parseGameday('name: lag\nobjectives:\n  replicationLagP99Below: 2s\n  maxMissingItems: 0\nsteps:\n  - status: {}\n', 'lag.yml').gameday;

describe('replication lag: objective and measurement on one basis', () => {
  it('leaves the paused pair out of both, and gives its figure apart', () => {
    const r = replication([pair('us-east-1', 'eu-west-1', 26_000), pair('us-east-1', 'us-west-2', 1000), pair('eu-west-1', 'us-east-1', 800)], { from: 'us-east-1', to: 'eu-west-1' });
    const [lag, missing] = judge(gameday, [], [r]);
    expect(lag).toMatchObject({ name: 'replicationLagP99Below', met: true, measured: 1000 });
    expect(missing).toMatchObject({ name: 'maxMissingItems', met: true, measured: 0 });
    const m = measurements([], [r]);
    expect(m.replicationLagP99Ms).toBe(lag!.measured);
    expect(m.replicationLagP99InclPausedMs).toBe(26_000);
  });

  it('without a paused pair the measurement is the worst pair, and there is no second figure', () => {
    const r = replication([pair('us-east-1', 'eu-west-1', 2500), pair('us-east-1', 'us-west-2', 1000)]);
    const [lag] = judge(gameday, [], [r]);
    expect(lag).toMatchObject({ met: false, measured: 2500, message: 'p99 lag us-east-1 → eu-west-1 was 2500 ms, 500 ms over 2s' });
    const m = measurements([], [r]);
    expect(m.replicationLagP99Ms).toBe(2500);
    expect('replicationLagP99InclPausedMs' in m).toBe(false);
  });

  it('a paused pair still counts for missing items', () => {
    const r = replication([pair('us-east-1', 'eu-west-1', 26_000, 3), pair('us-east-1', 'us-west-2', 1000)], { from: 'us-east-1', to: 'eu-west-1' });
    expect(judge(gameday, [], [r])[1]).toMatchObject({ met: false, measured: 3 });
    expect(measurements([], [r]).missingItems).toBe(3);
  });
});
