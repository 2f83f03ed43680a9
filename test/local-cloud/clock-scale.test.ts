import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScaledClock } from '../../src/local-cloud/clock.js';
import { Rest } from '../../src/local-cloud/rest.js';

// The daemon's clock changes speed when it rests (no client for a while) and when a client wakes
// it: time must stay continuous and every pending timer must still fire at its cloud time.
const T0 = Date.UTC(2026, 0, 1);

describe('ScaledClock.setScale', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps time continuous across a change of speed', () => {
    const clock = new ScaledClock(60, T0);
    vi.advanceTimersByTime(1000); // 1 real second at 60x
    expect(clock.now()).toBe(T0 + 60_000);
    clock.setScale(1);
    expect(clock.now()).toBe(T0 + 60_000);
    vi.advanceTimersByTime(1000); // 1 real second at 1x
    expect(clock.now()).toBe(T0 + 61_000);
    clock.setScale(60);
    vi.advanceTimersByTime(500);
    expect(clock.now()).toBe(T0 + 91_000);
    expect(clock.timeScale).toBe(60);
  });

  it('re-arms pending timers so they fire at their cloud time, not at the old speed', () => {
    const clock = new ScaledClock(60, T0);
    const fired: Array<[string, number]> = [];
    clock.at(T0 + 60_000, () => fired.push(['minute', clock.now()]));
    clock.after(120_000, () => fired.push(['two minutes', clock.now()]));
    clock.setScale(1);
    // At 60x the first would fire after 1 real second; at real time it needs a real minute.
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(59_000);
    expect(fired).toEqual([['minute', T0 + 60_000]]);
    clock.setScale(60);
    vi.advanceTimersByTime(999); // 59.94 cloud seconds: not yet
    expect(fired).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([
      ['minute', T0 + 60_000],
      ['two minutes', T0 + 120_000],
    ]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a cancelled timer stays cancelled after a change of speed', () => {
    const clock = new ScaledClock(60, T0);
    const fn = vi.fn();
    const cancel = clock.after(60_000, fn);
    cancel();
    clock.setScale(1);
    vi.advanceTimersByTime(120_000);
    expect(fn).not.toHaveBeenCalled();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('takes a new high-water lease when it speeds up, so a crash never shows time going back', () => {
    const saved: number[] = [];
    const clock = new ScaledClock(1, T0, { save: (ms) => saved.push(ms), leaseMs: 5000 });
    clock.now();
    expect(saved).toEqual([T0 + 5000]);
    clock.setScale(60);
    vi.advanceTimersByTime(1000); // 60 cloud seconds: far past the lease taken at 1x
    const now = clock.now();
    expect(saved[saved.length - 1]).toBeGreaterThanOrEqual(now);
  });

  it('refuses a speed that is not a positive number', () => {
    const clock = new ScaledClock(60, T0);
    expect(() => clock.setScale(0)).toThrow(/positive/);
    expect(() => clock.setScale(Number.NaN)).toThrow(/positive/);
    expect(clock.timeScale).toBe(60);
  });
});

describe('Rest', () => {
  function setup(afterMs = 30_000) {
    let wall = 0;
    let tick: () => void = () => {};
    const clock = { timeScale: 60, setScale: vi.fn((s: number) => (clock.timeScale = s)) };
    const rest = new Rest(clock, { afterMs, now: () => wall, every: (_ms, fn) => ((tick = fn), () => {}) });
    return { clock, rest, pass: (ms: number) => ((wall += ms), tick()) };
  }

  it('rests at real time once no client has been seen for the rest period, and wakes on the next one', () => {
    const { clock, rest, pass } = setup();
    pass(29_999);
    expect(rest.state().resting).toBe(false);
    pass(1);
    expect(rest.state()).toEqual({ resting: true, activeScale: 60, restScale: 1, restAfterSeconds: 30 });
    expect(clock.timeScale).toBe(1);
    rest.activity();
    expect(rest.state().resting).toBe(false);
    expect(clock.timeScale).toBe(60);
    expect(clock.setScale).toHaveBeenCalledTimes(2);
  });

  it('a client seen within the period keeps it awake', () => {
    const { clock, rest, pass } = setup();
    for (let i = 0; i < 10; i++) {
      pass(20_000);
      rest.activity();
    }
    expect(rest.state().resting).toBe(false);
    expect(clock.setScale).not.toHaveBeenCalled();
  });

  it('never speeds a clock up: one at or below real time has nothing to rest from', () => {
    let tick: () => void = () => {};
    const clock = { timeScale: 0.5, setScale: vi.fn() };
    const rest = new Rest(clock, { afterMs: 1000, now: () => 10_000, every: (_ms, fn) => ((tick = fn), () => {}) });
    tick();
    expect(rest.state().resting).toBe(false);
    expect(clock.setScale).not.toHaveBeenCalled();
  });
});
