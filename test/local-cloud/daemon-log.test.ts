import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bufferedLog } from '../../src/local-cloud/daemon-log.js';

// The daemon logs every request; its log file gets one write per 200 ms, not one per line.
describe('bufferedLog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the lines of 200 ms in one write, in order, each timestamped', () => {
    const writes: string[] = [];
    const log = bufferedLog((text) => writes.push(text));
    log.line('first');
    log.line('second');
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(199);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z first\n\S+ second\n$/);
    log.line('third');
    vi.advanceTimersByTime(200);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatch(/ third\n$/);
  });

  it('flush writes what is pending at once (the daemon flushes on stop), and nothing twice', () => {
    const writes: string[] = [];
    const log = bufferedLog((text) => writes.push(text));
    log.line('stopping');
    log.flush();
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    log.flush();
    expect(writes).toHaveLength(1);
  });
});
