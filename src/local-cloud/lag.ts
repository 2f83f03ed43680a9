// How late the daemon's event loop runs: the signal that the machine is not keeping up with the
// cloud's compressed time (rest.ts slows the clock on it). A timer due every `resolutionMs` notes
// how late each tick came; take() returns the mean lateness since the previous call. One long
// synchronous task barely moves the mean; a starved process (every tick late) does.

export interface EventLoopLag {
  /** Mean real milliseconds each tick came late since the previous call, then start over. */
  take(): number;
  close(): void;
}

export interface LagTimers {
  /** Real time in ms (default performance.now). */
  now?: () => number;
  /** Runs fn every ms real milliseconds until the returned function is called (default an unref'd setInterval). */
  every?: (ms: number, fn: () => void) => () => void;
}

export function eventLoopLag(resolutionMs = 20, timers: LagTimers = {}): EventLoopLag {
  const now = timers.now ?? (() => performance.now());
  const every =
    timers.every ??
    ((ms, fn) => {
      const handle = setInterval(fn, ms);
      handle.unref();
      return () => clearInterval(handle);
    });
  let last = now();
  let sum = 0;
  let ticks = 0;
  const stop = every(resolutionMs, () => {
    const t = now();
    sum += Math.max(0, t - last - resolutionMs);
    ticks++;
    last = t;
  });
  return {
    take() {
      // A loop so starved that no tick ran since the last take is as late as the time since.
      const mean = ticks > 0 ? sum / ticks : Math.max(0, now() - last - resolutionMs);
      sum = 0;
      ticks = 0;
      return mean;
    },
    close: stop,
  };
}
