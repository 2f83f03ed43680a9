import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../../src/local-cloud/clock.js';

// The daemon's clock across kill -9: before it returns a time beyond its saved mark it saves a
// new one, so a clock restarted from the last saved mark never shows an earlier time.
describe('ScaledClock high-water mark', () => {
  it('never returns a time beyond the last saved mark', () => {
    const saved: number[] = [];
    const clock = new ScaledClock(1000, Date.UTC(2026, 0, 1), { save: (ms) => saved.push(ms), leaseMs: 1 });
    let seen = 0;
    const until = performance.now() + 50;
    while (performance.now() < until) {
      const now = clock.now();
      expect(now).toBeGreaterThanOrEqual(seen);
      expect(now).toBeLessThanOrEqual(saved[saved.length - 1]!);
      seen = now;
    }
    expect(saved.length).toBeGreaterThan(1); // the lease (1 ms real = 1 s cloud) was renewed
    // Restarting from the last mark ("kill -9" now) starts at or after every time seen.
    const restarted = new ScaledClock(1000, Math.max(Date.now(), saved[saved.length - 1]!));
    expect(restarted.now()).toBeGreaterThanOrEqual(seen);
  });

  it('saves a mark once per lease, not on every call', () => {
    let saves = 0;
    const clock = new ScaledClock(1, Date.UTC(2026, 0, 1), { save: () => saves++, leaseMs: 60_000 });
    for (let i = 0; i < 1000; i++) clock.now();
    expect(saves).toBe(1);
  });
});
