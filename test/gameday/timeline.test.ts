import { describe, expect, it } from 'vitest';
import { spansOf, timelineModel } from '../../src/gameday/timeline/lanes.js';
import { offsetLabel, ticks } from '../../src/gameday/timeline/svg-parts.js';
import { abortedRun, passedFailover, START } from './journal-fixtures.js';

const s = (n: number) => START + n * 1000;
const plain = <T>(spans: Array<{ from: number; to: number; state: T }>) => spans.map((x) => [(x.from - START) / 1000, (x.to - START) / 1000, x.state]);

describe('spansOf', () => {
  it('holds each state until the next transition; unknown before the first', () => {
    const spans = spansOf([{ at: s(10), state: 'a' }, { at: s(30), state: 'b' }], s(0), s(60), 'unknown');
    expect(plain(spans)).toEqual([[0, 10, 'unknown'], [10, 30, 'a'], [30, 60, 'b']]);
  });

  it('sorts transitions, merges repeats, and lets the later of two at one instant win', () => {
    const spans = spansOf(
      [{ at: s(30), state: 'b' }, { at: s(0), state: 'a' }, { at: s(20), state: 'a' }, { at: s(30), state: 'c' }, { at: s(40), state: 'c' }],
      s(0),
      s(60),
      'unknown',
    );
    expect(plain(spans)).toEqual([[0, 30, 'a'], [30, 60, 'c']]);
  });

  it('clamps transitions outside the range and drops bad timestamps', () => {
    const spans = spansOf([{ at: s(-10), state: 'a' }, { at: NaN, state: 'x' }, { at: s(100), state: 'b' }], s(0), s(60), 'unknown');
    expect(plain(spans)).toEqual([[0, 60, 'a']]);
  });
});

describe('timelineModel', () => {
  it('turns a failover of us-west-2 into lanes: health, routing, faults, steps, lag', () => {
    const m = timelineModel(passedFailover());
    expect(m.t0).toBe(START);
    expect(m.t1).toBe(s(600));
    expect(m.regions.map((r) => r.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(plain(m.regions[1].spans)).toEqual([[0, 62, 'healthy'], [62, 330, 'unhealthy'], [330, 600, 'healthy']]);
    expect(plain(m.regions[0].spans)).toEqual([[0, 600, 'healthy']]);
    expect(m.regions[1].alarms.map((a) => a.state)).toEqual(['ALARM', 'OK']);
    const west = m.routing.find((r) => r.subnet === '10.2.0.0/24')!;
    expect(west.label).toBe('clients near us-west-2');
    expect(plain(west.spans)).toEqual([[0, 70, 'us-west-2'], [70, 155, null], [155, 410, 'us-east-1'], [410, 600, 'us-west-2']]);
    expect(m.faults).toEqual([expect.objectContaining({ kind: 'region-outage', where: 'us-west-2', from: s(60), to: s(300), open: false, row: 0 })]);
    expect(m.steps.filter((x) => x.rollback)).toHaveLength(1);
    expect(m.lag.map((l) => l.pair)).toEqual(['us-east-1 → eu-west-1', 'us-east-1 → us-west-2']);
    expect(m.maxLagMs).toBe(1310);
    expect(m.palette).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(m.stoppedAt).toBeUndefined();
  });

  it('stacks overlapping faults in rows, runs a fault still in place to the end, and marks the stop', () => {
    const m = timelineModel(abortedRun());
    expect(m.faultRows).toBe(2);
    expect(m.faults.map((f) => [f.where, f.row, f.open])).toEqual([
      ['us-west-2', 0, false],
      ['eu-west-1', 1, true],
    ]);
    expect(m.faults[1].to).toBe(m.t1);
    expect(m.stoppedAt).toBe(s(250));
  });

  it('survives an empty timeline and an instant run', () => {
    const j = passedFailover({ run: [], rollbacks: [], end: passedFailover().start });
    j.timeline = { regionHealth: [], routing: [], alarms: [], healthChecks: [], faults: [], replicationLag: [] };
    const m = timelineModel(j);
    expect(m.t1).toBeGreaterThan(m.t0);
    expect(m.regions.every((r) => r.spans.length === 1 && r.spans[0].state === 'unknown')).toBe(true);
  });
});

describe('axis', () => {
  it('picks round ticks, about ten at most, labelled as offsets from the start', () => {
    expect(ticks(600_000)).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600].map((n) => n * 1000));
    expect(ticks(45_000).length).toBeLessThanOrEqual(11);
    expect(ticks(3 * 3600_000).length).toBeLessThanOrEqual(11);
    expect(offsetLabel(150_000)).toBe('+2:30');
    expect(offsetLabel(3_900_000)).toBe('+1:05:00');
  });
});
