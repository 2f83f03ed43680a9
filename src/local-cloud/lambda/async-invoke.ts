// Lambda's asynchronous invocation queue (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html,
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html): an Event invoke is
// accepted (202) and its event kept until it runs. Throttled (429) or failed by the service (5xx),
// the event goes back to the queue and is tried again, the interval growing exponentially from
// 1 second to at most 5 minutes, until the maximum event age (6 hours). A function error is retried
// twice (MaximumRetryAttempts 2): one minute after the first attempt, two minutes after the second.
// Every wait is on the cloud clock. An event that runs out of retries or age is dropped with a
// line in the daemon's log (destinations and dead-letter queues are not implemented).
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import type { InvokeResult } from './invoke.js';

export const ASYNC_RETRY = {
  maximumRetryAttempts: 2,
  maximumEventAgeMs: 6 * 3600_000,
  functionErrorDelaysMs: [60_000, 120_000],
  throttleFirstMs: 1000,
  throttleMaxMs: 5 * 60_000,
} as const;

interface QueuedEvent {
  label: string;
  enqueuedAt: number;
  functionErrors: number;
  throttles: number;
}

/** Runs Event invocations with Lambda's retries; `track` lets the domain's settled() wait for running attempts. */
export class AsyncInvoker {
  private readonly timers = new Set<() => void>();
  private readonly counts = { retried: 0, dropped: 0 };

  constructor(
    private readonly ctx: CloudContext,
    private readonly track: (attempt: Promise<unknown>) => void,
  ) {}

  /** Queue one event; `run` makes one attempt (it may reject with TooManyRequestsException). */
  submit(label: string, run: () => Promise<InvokeResult>): void {
    this.attempt({ label, enqueuedAt: this.ctx.clock.now(), functionErrors: 0, throttles: 0 }, run);
  }

  private attempt(event: QueuedEvent, run: () => Promise<InvokeResult>): void {
    this.track(
      run().then(
        (result) => {
          if (!result.functionError) return;
          if (event.functionErrors >= ASYNC_RETRY.maximumRetryAttempts) return this.drop(event, `function error after ${event.functionErrors + 1} attempts`);
          const delay = ASYNC_RETRY.functionErrorDelaysMs[event.functionErrors]!;
          event.functionErrors++;
          this.retry(event, run, delay);
        },
        (error: unknown) => {
          const retryable = error instanceof AwsError && (error.code === 'TooManyRequestsException' || error.status >= 500) && error.code !== 'ServiceException';
          if (!retryable) return this.drop(event, (error as Error).message);
          const delay = Math.min(ASYNC_RETRY.throttleFirstMs * 2 ** event.throttles, ASYNC_RETRY.throttleMaxMs);
          event.throttles++;
          this.retry(event, run, delay);
        },
      ),
    );
  }

  private retry(event: QueuedEvent, run: () => Promise<InvokeResult>, delayMs: number): void {
    if (this.ctx.clock.now() + delayMs - event.enqueuedAt > ASYNC_RETRY.maximumEventAgeMs) return this.drop(event, 'maximum event age reached');
    this.counts.retried++;
    const cancel = this.ctx.clock.after(delayMs, () => {
      this.timers.delete(cancel);
      this.attempt(event, run);
    });
    this.timers.add(cancel);
  }

  private drop(event: QueuedEvent, why: string): void {
    this.counts.dropped++;
    this.ctx.log(`lambda: asynchronous event for ${event.label} dropped: ${why}`);
  }

  /** Events waiting for a retry, retries scheduled so far, events dropped (tests, status). */
  stats(): { waiting: number; retried: number; dropped: number } {
    return { waiting: this.timers.size, ...this.counts };
  }

  stop(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }
}
