import { Worker } from 'node:worker_threads';
import { AwsError } from '../aws-error.js';
import type { Clock } from '../clock.js';
import { WORKER_SOURCE } from './worker-source.js';

/** What a warm worker is built from; a different key means a cold start. */
export interface WorkerSpec {
  key: string;
  dir: string;
  handler: string;
  /** The environment, or how to build it: only a cold start (a new worker) needs it. */
  env: Record<string, string> | (() => Record<string, string>);
  /** The function's MemorySize: the worker's heap is limited as Lambda's Node.js runtime limits it. */
  memoryMb?: number;
}

/**
 * V8 heap limits for a function of `memoryMb`, as Lambda's Node.js bootstrap sets them: a tenth of
 * the memory for the young generation (--max-semi-space-size is half of it; V8's young generation
 * is three semi-spaces), the rest for the old generation. A function that outgrows them dies as on
 * Lambda, and an idle worker holds no more than a real environment would.
 */
export function heapLimits(memoryMb: number): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  const newSpace = Math.floor(memoryMb / 10);
  const semiSpace = Math.max(1, Math.floor(newSpace / 2));
  return { maxYoungGenerationSizeMb: 3 * semiSpace, maxOldGenerationSizeMb: memoryMb - newSpace };
}

export interface InvokeJob {
  /** The event as JSON text. */
  event: string;
  context: Record<string, unknown> & { awsRequestId: string };
  /** Cloud time minus wall time, so log lines carry cloud timestamps. */
  clockOffset: number;
  /** The configured Timeout, for the error message. */
  timeoutSeconds: number;
  /** The wall-clock budget actually enforced (tests may shrink it). */
  timeoutMs: number;
}

/**
 * The resolver a function's DNS queries go to (worker-source.ts routes node:dns calls here):
 * the answer for `name`/`rrtype` as the function's region sees it, or undefined when the local
 * cloud does not serve that name (the host's resolver answers then).
 */
export type FunctionResolver = (functionId: string, name: string, rrtype: string) => { rcode: 'NOERROR' | 'NXDOMAIN'; records: string[] } | undefined;

export interface RuntimeError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type WorkerOutcome =
  | { ok: true; payload: string; logs: string }
  | { ok: false; error: RuntimeError; timedOut: boolean; logs: string };

interface Warm {
  worker: Worker;
  key: string;
  busy: boolean;
  dead: boolean;
  /** Counted out of the pool's live total (terminated or terminating). */
  gone: boolean;
  functionId: string;
  /** Cloud time the worker last finished an invocation (or was spawned). */
  idleSince: number;
  /** Its handler is loaded (it said 'start' once): later invocations are timed from dispatch, without a message for it. */
  loaded: boolean;
}

interface Pending {
  spec: WorkerSpec;
  job: InvokeJob;
  resolve: (outcome: WorkerOutcome) => void;
}

interface Slot {
  warm: Warm[];
  queue: Pending[];
}

let nextJobId = 1;

/** Lambda's init phase limit (10 s), on top of the function timeout. */
const INIT_BUDGET_MS = 10_000;

export interface WorkerPoolOptions {
  /** Live workers (warm execution environments) per function. */
  maxPerFunction?: number;
  /**
   * Workers kept warm across every function and region (each is a thread with its own V8 heap,
   * ~10-20 MB). Busy workers may exceed it, never idle ones: blocking a spawn on it would deadlock
   * nested calls (a canary holding a worker while it waits for the check function it calls).
   */
  maxTotal?: number;
  /**
   * Cloud time after which an idle worker is terminated, as Lambda reclaims an execution
   * environment that has not been invoked for a while (the next invocation is a cold start).
   */
  idleMs?: number;
  /**
   * Cloud time after which a function's other idle workers (all but its most recently used one)
   * are terminated: Lambda scales a function's environments back down once a burst is over, and
   * each is a thread with its own heap (10-20 MB) held for nothing.
   */
  spareIdleMs?: number;
  /**
   * Invocations running or waiting for a worker, across the pool, before new ones are throttled
   * with TooManyRequestsException: AWS's default account concurrency (ConcurrentExecutions, 1000).
   */
  maxInFlight?: number;
}

export const WORKER_DEFAULTS = {
  maxPerFunction: 4,
  maxTotal: 64,
  idleMs: 10 * 60_000,
  spareIdleMs: 60_000,
  maxInFlight: 1000,
} as const;

/**
 * Warm workers per function, like Lambda's execution environments: one invocation at a time per
 * worker, up to `maxPerFunction` per function (further invocations queue), at most `maxTotal` kept
 * warm in all (the least recently used idle ones go first), and beyond `maxInFlight` running or
 * queued invocations new ones are throttled. A worker idle for `idleMs` of cloud time is
 * terminated (one clock timer for the whole pool), so an idle cloud holds no threads it does not use.
 */
export class WorkerPool {
  private readonly slots = new Map<string, Slot>();
  private readonly opts: Required<WorkerPoolOptions>;
  /** Set by the Lambda domain: answers the functions' DNS queries as their region's clients. */
  resolver?: FunctionResolver;
  private live = 0;
  private inFlight = 0;
  private reaper: { at: number; cancel: () => void } | undefined;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    opts: WorkerPoolOptions = {},
  ) {
    this.opts = { ...WORKER_DEFAULTS, ...stripUndefined(opts) };
  }

  run(functionId: string, spec: WorkerSpec, job: InvokeJob): Promise<WorkerOutcome> {
    // A call that reaches Lambda while the cloud shuts down must not start a thread that keeps the process alive.
    if (this.closed) return Promise.reject(new AwsError('ServiceException', 'The local cloud is shutting down.', 500, false, { Type: 'Service' }));
    if (this.inFlight >= this.opts.maxInFlight) {
      // What Lambda answers when an invocation would exceed the account's concurrency.
      return Promise.reject(
        new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429, true, { Type: 'User', Reason: 'ConcurrentInvocationLimitExceeded' }),
      );
    }
    this.inFlight++;
    return new Promise((resolve) => {
      const slot = this.slot(functionId);
      slot.queue.push({
        spec,
        job,
        resolve: (outcome) => {
          this.inFlight--;
          resolve(outcome);
        },
      });
      this.pump(functionId);
    });
  }

  /** Terminate every worker of a function (code or configuration changed, function deleted). */
  async retire(functionId: string): Promise<void> {
    const slot = this.slots.get(functionId);
    if (!slot) return;
    const idle = slot.warm.filter((w) => !w.busy);
    slot.warm = slot.warm.filter((w) => w.busy);
    for (const w of slot.warm) w.key = ''; // busy ones finish, then get recycled as stale
    const killed = Promise.all(idle.map((w) => this.kill(w)));
    this.released(functionId);
    await killed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reaper?.cancel();
    this.reaper = undefined;
    const all = [...this.slots.values()].flatMap((s) => s.warm);
    const queued = [...this.slots.values()].flatMap((s) => s.queue);
    this.slots.clear();
    for (const p of queued) {
      const errorMessage = `RequestId: ${p.job.context.awsRequestId} Error: the local cloud is shutting down`;
      p.resolve({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage }, timedOut: false, logs: '' });
    }
    await Promise.all(all.map((w) => this.kill(w)));
  }

  /** Number of live workers for a function (tests use it to observe warm reuse). */
  size(functionId: string): number {
    return this.slots.get(functionId)?.warm.length ?? 0;
  }

  /** Invocations of a function waiting for a worker (all of its workers busy). */
  queued(functionId: string): number {
    return this.slots.get(functionId)?.queue.length ?? 0;
  }

  /** Live workers in the whole pool, and invocations running or queued. */
  stats(): { workers: number; inFlight: number; functions: number } {
    return { workers: this.live, inFlight: this.inFlight, functions: this.slots.size };
  }

  private slot(functionId: string): Slot {
    let slot = this.slots.get(functionId);
    if (!slot) {
      slot = { warm: [], queue: [] };
      this.slots.set(functionId, slot);
    }
    return slot;
  }

  /** Drop a function's slot once it has neither workers nor queued work (bounded by live functions). */
  private forget(functionId: string): void {
    const slot = this.slots.get(functionId);
    if (slot && slot.warm.length === 0 && slot.queue.length === 0) {
      this.slots.delete(functionId);
    }
  }

  private pump(functionId: string): void {
    const slot = this.slots.get(functionId);
    if (!slot) return;
    while (slot.queue.length > 0) {
      const next = slot.queue[0];
      for (const stale of slot.warm.filter((w) => !w.busy && w.key !== next.spec.key)) this.drop(functionId, stale);
      // The most recently used idle worker: the others stay idle and are reclaimed, as on Lambda.
      let warm = slot.warm.filter((w) => !w.busy && w.key === next.spec.key).sort((a, b) => b.idleSince - a.idleSince)[0];
      if (!warm) {
        if (slot.warm.length >= this.opts.maxPerFunction) return;
        if (this.live >= this.opts.maxTotal) this.evictIdle(functionId);
        warm = this.spawn(functionId, next.spec);
        slot.warm.push(warm);
      }
      slot.queue.shift();
      this.execute(functionId, warm, next);
    }
  }

  /** A worker became free or went away: serve the function's queue, then keep at most maxTotal warm. */
  private released(functionId: string): void {
    this.pump(functionId);
    while (this.live > this.opts.maxTotal && this.evictIdle()) {
      // evictIdle terminated one; repeat while still above the cap
    }
    this.forget(functionId);
    this.armReaper();
  }

  /** Terminate the least recently used idle worker (of another function than `except`). */
  private evictIdle(except?: string): boolean {
    let victim: Warm | undefined;
    for (const [id, slot] of this.slots) {
      if (id === except) continue;
      for (const w of slot.warm) if (!w.busy && (!victim || w.idleSince < victim.idleSince)) victim = w;
    }
    if (!victim) return false;
    this.drop(victim.functionId, victim);
    this.forget(victim.functionId);
    return true;
  }

  // One timer for the whole pool, at the earliest moment an idle worker expires.
  private armReaper(): void {
    if (this.closed) return;
    let earliest = Infinity;
    for (const slot of this.slots.values()) for (const [w, expires] of this.expiries(slot)) if (!w.busy) earliest = Math.min(earliest, expires);
    if (earliest === Infinity) {
      this.reaper?.cancel();
      this.reaper = undefined;
      return;
    }
    if (this.reaper && this.reaper.at <= earliest) return;
    this.reaper?.cancel();
    const at = earliest;
    this.reaper = {
      at,
      cancel: this.clock.at(at, () => {
        this.reaper = undefined;
        this.reap();
      }),
    };
  }

  private reap(): void {
    const now = this.clock.now();
    for (const [id, slot] of [...this.slots]) {
      for (const [w, expires] of this.expiries(slot)) if (expires <= now) this.drop(id, w);
      this.forget(id);
    }
    this.armReaper();
  }

  /** When each idle worker of a function expires: its most recently used after idleMs, the spares sooner. */
  private expiries(slot: Slot): Array<[Warm, number]> {
    const idle = slot.warm.filter((w) => !w.busy).sort((a, b) => b.idleSince - a.idleSince);
    return idle.map((w, i) => [w, w.idleSince + (i === 0 ? this.opts.idleMs : Math.min(this.opts.spareIdleMs, this.opts.idleMs))]);
  }

  private spawn(functionId: string, spec: WorkerSpec): Warm {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: typeof spec.env === 'function' ? spec.env() : spec.env,
      workerData: { dir: spec.dir, handler: spec.handler },
      ...(spec.memoryMb ? { resourceLimits: heapLimits(spec.memoryMb) } : {}),
      stdout: true,
      stderr: true,
    });
    // Drain the worker's own stdio so nothing reaches the host's terminal.
    worker.stdout.resume();
    worker.stderr.resume();
    this.live++;
    return { worker, key: spec.key, busy: false, dead: false, gone: false, functionId, idleSince: this.clock.now(), loaded: false };
  }

  private execute(functionId: string, warm: Warm, pending: Pending): void {
    const id = nextJobId++;
    const logs: string[] = [];
    warm.busy = true;
    const finish = (outcome: WorkerOutcome, recycle: boolean): void => {
      clearTimeout(timer);
      warm.worker.off('message', onMessage);
      warm.worker.off('error', onError);
      warm.worker.off('exit', onExit);
      warm.busy = false;
      warm.idleSince = this.clock.now();
      if (recycle || warm.dead || warm.key === '') this.drop(functionId, warm);
      pending.resolve(outcome);
      this.released(functionId);
    };
    const onMessage = (msg: { type: string; id: number; line?: string; ok?: boolean; payload?: string; error?: RuntimeError; fatal?: boolean; dnsId?: number; name?: string; rrtype?: string }): void => {
      if (msg.id !== id) return;
      if (msg.type === 'dns') {
        let answer: ReturnType<FunctionResolver>;
        try {
          answer = this.resolver?.(functionId, msg.name ?? '', msg.rrtype ?? 'A');
        } catch {
          answer = undefined;
        }
        warm.worker.postMessage({ type: 'dns-answer', dnsId: msg.dnsId, answer: answer ?? null });
      } else if (msg.type === 'start') {
        warm.loaded = true;
        arm(pending.job.timeoutMs);
      }
      else if (msg.type === 'log') logs.push(msg.line ?? '');
      else if (msg.ok) finish({ ok: true, payload: msg.payload ?? 'null', logs: logs.join('') }, false);
      else finish({ ok: false, error: msg.error!, timedOut: false, logs: logs.join('') }, Boolean(msg.fatal));
    };
    const onError = (err: Error): void => {
      warm.dead = true;
      // Out of memory: Lambda kills the runtime, and says so in these words.
      const why = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'signal: killed' : err.message;
      finish(
        { ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.job.context.awsRequestId} Error: Runtime exited with error: ${why}` }, timedOut: false, logs: logs.join('') },
        true,
      );
    };
    const onExit = (code: number): void => {
      warm.dead = true;
      finish(
        { ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.job.context.awsRequestId} Error: Runtime exited with error: exit status ${code}` }, timedOut: false, logs: logs.join('') },
        true,
      );
    };
    // Wall-clock on purpose: the timeout bounds real compute in the worker, which virtual time cannot stop.
    // Like Lambda, it starts once the handler is loaded; a cold start gets INIT_BUDGET_MS more before it.
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(expire, ms);
    };
    const expire = (): void => {
      warm.dead = true;
      const seconds = pending.job.timeoutSeconds.toFixed(2);
      finish(
        { ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${pending.job.context.awsRequestId} Error: Task timed out after ${seconds} seconds` }, timedOut: true, logs: logs.join('') },
        true,
      );
    };
    // A warm worker's handler is loaded: its timeout runs from here (a little stricter than from the
    // handler's start, never kinder), which spares a message per invocation.
    arm(warm.loaded ? pending.job.timeoutMs : INIT_BUDGET_MS + pending.job.timeoutMs);
    warm.worker.on('message', onMessage);
    warm.worker.on('error', onError);
    warm.worker.on('exit', onExit);
    warm.worker.postMessage({ id, event: pending.job.event, context: pending.job.context, clockOffset: pending.job.clockOffset });
  }

  private drop(functionId: string, warm: Warm): void {
    const slot = this.slots.get(functionId);
    if (slot) slot.warm = slot.warm.filter((w) => w !== warm);
    void this.kill(warm);
  }

  private async kill(warm: Warm): Promise<void> {
    if (!warm.gone) this.live--;
    warm.gone = true;
    warm.dead = true;
    await warm.worker.terminate().catch(() => undefined);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
