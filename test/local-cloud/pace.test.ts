// A local cloud that falls behind its compressed time slows down, and speeds up again once it
// keeps up (src/local-cloud/rest.ts): otherwise a canary that takes 2 real seconds on a starved
// machine takes 2 cloud minutes at 60x, and a drill measures the machine's load as failover time.
import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../src/local-cloud/clock.js';
import { eventLoopLag } from '../../src/local-cloud/lag.js';
import { Rest, type LagSample } from '../../src/local-cloud/rest.js';
import { startLocalCloud } from '../../src/local-cloud/server.js';

/** A clock whose scale Rest sets, and the timers Rest arms, driven by hand. */
function harness(opts: { restAfterMs?: number; scale?: number } = {}) {
  const clock = { timeScale: opts.scale ?? 60, setScale(s: number) { this.timeScale = s; } };
  const timers = new Map<number, () => void>();
  let wall = 0;
  let next: LagSample = { lagMs: 0, skipped: 0 };
  const log: string[] = [];
  const rest = new Rest(clock, {
    afterMs: opts.restAfterMs ?? Infinity,
    now: () => wall,
    every: (ms, fn) => (timers.set(ms, fn), () => timers.delete(ms)),
    log: (line) => log.push(line),
    pace: { sample: () => next, everyMs: 500 },
  });
  const sample = (s: Partial<LagSample>) => {
    next = { ...next, ...s };
    wall += 500;
    timers.get(500)!();
  };
  return { clock, rest, sample, log, timers, pass: (ms: number) => ((wall += ms), timers.get(Math.round((opts.restAfterMs ?? 0) / 4))?.()) };
}

describe('pacing the local cloud to the machine', () => {
  it('halves the scale on each late sample down to real time, and says why in the log', () => {
    const h = harness();
    h.sample({ lagMs: 5 });
    expect(h.clock.timeScale).toBe(60);
    h.sample({ lagMs: 120 });
    expect(h.clock.timeScale).toBe(30);
    expect(h.log.at(-1)).toBe('clock: the cloud is behind (its event loop ran 120 ms late); running at 30x (configured 60x)');
    for (let i = 0; i < 10; i++) h.sample({ lagMs: 80 });
    expect(h.clock.timeScale).toBe(1);
    expect(h.rest.pace()).toEqual({ configuredScale: 60, activeScale: 1, behind: true, lagMs: 80 });
  });

  it('counts a skipped scheduled event as behind even when the loop is on time', () => {
    const h = harness();
    h.sample({ lagMs: 0, skipped: 3 });
    expect(h.clock.timeScale).toBe(30);
    expect(h.log.at(-1)).toContain('a scheduled event was skipped');
    h.sample({ lagMs: 0, skipped: 3 });
    expect(h.clock.timeScale).toBe(30);
  });

  it('doubles back only after four calm samples in a row, never past the configured scale', () => {
    const h = harness();
    h.sample({ lagMs: 100 });
    h.sample({ lagMs: 100 });
    expect(h.clock.timeScale).toBe(15);
    for (let i = 0; i < 3; i++) h.sample({ lagMs: 2 });
    h.sample({ lagMs: 15 }); // neither behind nor calm: the count starts over
    for (let i = 0; i < 3; i++) h.sample({ lagMs: 2 });
    expect(h.clock.timeScale).toBe(15);
    h.sample({ lagMs: 2 });
    expect(h.clock.timeScale).toBe(30);
    for (let i = 0; i < 20; i++) h.sample({ lagMs: 2 });
    expect(h.clock.timeScale).toBe(60);
    expect(h.rest.pace()?.behind).toBe(false);
    expect(h.log.at(-1)).toBe('clock: the cloud has caught up; running at 60x');
  });

  it('wakes from rest to the paced scale, and a rest is not undone by pacing', () => {
    const h = harness({ restAfterMs: 30_000 });
    h.sample({ lagMs: 100 });
    expect(h.clock.timeScale).toBe(30);
    h.pass(30_000);
    expect(h.rest.state().resting).toBe(true);
    expect(h.clock.timeScale).toBe(1);
    for (let i = 0; i < 4; i++) h.sample({ lagMs: 0 });
    expect(h.clock.timeScale).toBe(1); // still resting: the clock stays at real time
    h.rest.activity();
    expect(h.clock.timeScale).toBe(60);
  });
});

describe('the event-loop lag sampler', () => {
  it('is the mean lateness of its ticks since the last take', () => {
    let now = 0;
    let tick: () => void = () => {};
    const lag = eventLoopLag(20, { now: () => now, every: (_ms, fn) => ((tick = fn), () => {}) });
    for (const late of [0, 0, 60, 0]) {
      now += 20 + late;
      tick();
    }
    expect(lag.take()).toBe(15);
    expect(lag.take()).toBe(0); // no tick since: nothing late unless time passed
    now += 520;
    expect(lag.take()).toBe(500); // a loop so starved that no tick ran is as late as the time since
  });
});

describe('a local cloud started with pace', () => {
  it('reports its configured and current scale at /_localcloud/health', async () => {
    let next: LagSample = { lagMs: 0, skipped: 0 };
    let tick: () => void = () => {};
    const cloud = await startLocalCloud({ port: 0, clock: new ScaledClock(60), services: [], pace: { sample: () => next, everyMs: 500 }, rest: { afterMs: 60_000, every: (ms, fn) => (ms === 500 && (tick = fn), () => {}) } });
    try {
      const health = async () => (await (await fetch(`${cloud.url}/_localcloud/health`)).json()) as { timeScale: number; pace: unknown; rest: unknown };
      expect(await health()).toMatchObject({ timeScale: 60, pace: { configuredScale: 60, activeScale: 60, behind: false }, rest: { restAfterSeconds: 60 } });
      next = { lagMs: 200, skipped: 0 };
      tick();
      tick();
      expect(await health()).toMatchObject({ timeScale: 15, pace: { configuredScale: 60, activeScale: 15, behind: true, lagMs: 200 } });
      expect(cloud.pace()).toMatchObject({ activeScale: 15 });
    } finally {
      await cloud.close();
    }
  });

  it('does not pace a manual clock or a cloud started without it', async () => {
    const manual = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [], pace: {} });
    const fixed = await startLocalCloud({ port: 0, clock: new ScaledClock(60), services: [] });
    try {
      for (const cloud of [manual, fixed]) {
        expect(cloud.pace()).toBeUndefined();
        expect(((await (await fetch(`${cloud.url}/_localcloud/health`)).json()) as { pace: unknown }).pace).toBeNull();
      }
    } finally {
      await manual.close();
      await fixed.close();
    }
  });
});
