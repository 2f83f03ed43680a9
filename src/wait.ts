import { Interrupted, RegionctlError } from './errors.js';

/** What a waiter needs from time: the local cloud's virtual clock in tests, the wall clock otherwise. */
export interface Sleeper {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const wallClock: Sleeper = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new Interrupted());
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Interrupted());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class WaitTimeout extends RegionctlError {
  constructor(what: string, deadlineMs: number) {
    super('WaitTimeout', `gave up waiting for ${what} after ${Math.round(deadlineMs / 1000)} s`, 1);
  }
}

/**
 * Poll `check` until it returns a value (not undefined), for at most `deadline` ms. The interval
 * is a tenth of the time waited so far, clamped to [poll, maxPoll]: a fast endpoint (the local
 * cloud) is seen finishing within ~10% of its real duration, while a slow one (CloudFormation on
 * AWS) is not hammered. Every wait in regionctl goes through here so that nothing polls forever.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  opts: { poll: number; maxPoll?: number; deadline: number; what: string; clock?: Sleeper; signal?: AbortSignal },
): Promise<T> {
  const clock = opts.clock ?? wallClock;
  const start = clock.now();
  const end = start + opts.deadline;
  const maxPoll = Math.max(opts.maxPoll ?? opts.poll, opts.poll);
  for (;;) {
    if (opts.signal?.aborted) throw new Interrupted();
    const value = await check();
    if (value !== undefined) return value;
    const now = clock.now();
    if (now >= end) throw new WaitTimeout(opts.what, opts.deadline);
    const interval = Math.min(maxPoll, Math.max(opts.poll, (now - start) / 10));
    await clock.sleep(Math.min(interval, end - now), opts.signal);
  }
}

/** How a command waits on CloudFormation stacks: what its options say, else these defaults. */
export interface StackWaitOptions {
  poll?: number;
  maxPoll?: number;
  deadline?: number;
  signal?: AbortSignal;
}

/** Polls from 20 ms backing off to 5 s, and gives up after 30 minutes (cloud time), unless the options say otherwise. */
export function stackWait(opts: StackWaitOptions): Required<Omit<StackWaitOptions, 'signal'>> & { signal?: AbortSignal } {
  return { poll: opts.poll ?? 20, maxPoll: opts.maxPoll ?? 5000, deadline: opts.deadline ?? 30 * 60_000, signal: opts.signal };
}
