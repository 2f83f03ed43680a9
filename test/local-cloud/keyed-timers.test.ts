import { describe, expect, it } from 'vitest';
import { KeyedTimers, ManualClock } from '../../src/local-cloud/clock.js';

describe('KeyedTimers', () => {
  it('keeps one timer per key: arming a key again replaces its timer', async () => {
    const clock = new ManualClock(0);
    const timers = new KeyedTimers(clock);
    const fired: string[] = [];
    timers.at('a', 100, () => fired.push('a@100'));
    timers.at('a', 200, () => fired.push('a@200'));
    timers.after('b', 150, () => fired.push('b'));
    expect(timers.size).toBe(2);
    await clock.advance(300);
    expect(fired).toEqual(['b', 'a@200']);
    expect(timers.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets a callback re-arm its own key (a periodic timer) and cancels by key, prefix or all', async () => {
    const clock = new ManualClock(0);
    const timers = new KeyedTimers(clock);
    const ticks: number[] = [];
    const tick = () => {
      ticks.push(clock.now());
      timers.after('tick', 10, tick);
    };
    timers.after('tick', 10, tick);
    timers.at('hc-1/us-east-1', 1000, () => ticks.push(-1));
    timers.at('hc-1/eu-west-1', 1000, () => ticks.push(-1));
    timers.at('hc-2/us-east-1', 1000, () => ticks.push(-2));
    await clock.advance(35);
    expect(ticks).toEqual([10, 20, 30]);
    timers.cancelPrefix('hc-1/');
    expect(timers.size).toBe(2);
    timers.cancel('tick');
    await clock.advance(1000);
    expect(ticks).toEqual([10, 20, 30, -2]);
    timers.after('x', 5, () => ticks.push(99));
    timers.cancelAll();
    await clock.advance(10);
    expect(ticks).toEqual([10, 20, 30, -2]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
