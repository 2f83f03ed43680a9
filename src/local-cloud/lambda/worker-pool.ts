import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './worker-source.js';

/** What a warm worker is built from; a different key means a cold start. */
export interface WorkerSpec {
  key: string;
  dir: string;
  handler: string;
  env: Record<string, string>;
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

/**
 * Warm workers per function, like Lambda's warm containers: one invocation at a time per
 * worker, up to `maxPerFunction` concurrent workers, further invocations queue.
 */
export class WorkerPool {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly maxPerFunction = 4) {}

  run(functionId: string, spec: WorkerSpec, job: InvokeJob): Promise<WorkerOutcome> {
    return new Promise((resolve) => {
      const slot = this.slot(functionId);
      slot.queue.push({ spec, job, resolve });
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
    await Promise.all(idle.map((w) => this.kill(w)));
  }

  async close(): Promise<void> {
    const all = [...this.slots.values()].flatMap((s) => s.warm);
    this.slots.clear();
    await Promise.all(all.map((w) => this.kill(w)));
  }

  /** Number of live workers for a function (tests use it to observe warm reuse). */
  size(functionId: string): number {
    return this.slots.get(functionId)?.warm.length ?? 0;
  }

  private slot(functionId: string): Slot {
    let slot = this.slots.get(functionId);
    if (!slot) {
      slot = { warm: [], queue: [] };
      this.slots.set(functionId, slot);
    }
    return slot;
  }

  private pump(functionId: string): void {
    const slot = this.slots.get(functionId);
    if (!slot) return;
    while (slot.queue.length > 0) {
      const next = slot.queue[0];
      for (const stale of slot.warm.filter((w) => !w.busy && w.key !== next.spec.key)) {
        slot.warm = slot.warm.filter((w) => w !== stale);
        void this.kill(stale);
      }
      let warm = slot.warm.find((w) => !w.busy && w.key === next.spec.key);
      if (!warm) {
        if (slot.warm.length >= this.maxPerFunction) return;
        warm = this.spawn(next.spec);
        slot.warm.push(warm);
      }
      slot.queue.shift();
      this.execute(functionId, warm, next);
    }
  }

  private spawn(spec: WorkerSpec): Warm {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: spec.env,
      workerData: { dir: spec.dir, handler: spec.handler },
      stdout: true,
      stderr: true,
    });
    // Drain the worker's own stdio so nothing reaches the host's terminal.
    worker.stdout.resume();
    worker.stderr.resume();
    return { worker, key: spec.key, busy: false, dead: false };
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
      if (recycle || warm.dead || warm.key === '') this.drop(functionId, warm);
      pending.resolve(outcome);
      this.pump(functionId);
    };
    const onMessage = (msg: { type: string; id: number; line?: string; ok?: boolean; payload?: string; error?: RuntimeError; fatal?: boolean }): void => {
      if (msg.id !== id) return;
      if (msg.type === 'start') arm(pending.job.timeoutMs);
      else if (msg.type === 'log') logs.push(msg.line ?? '');
      else if (msg.ok) finish({ ok: true, payload: msg.payload ?? 'null', logs: logs.join('') }, false);
      else finish({ ok: false, error: msg.error!, timedOut: false, logs: logs.join('') }, Boolean(msg.fatal));
    };
    const onError = (err: Error): void => {
      warm.dead = true;
      finish(
        { ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.job.context.awsRequestId} Error: Runtime exited with error: ${err.message}` }, timedOut: false, logs: logs.join('') },
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
    arm(INIT_BUDGET_MS + pending.job.timeoutMs);
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
    warm.dead = true;
    await warm.worker.terminate().catch(() => undefined);
  }
}
