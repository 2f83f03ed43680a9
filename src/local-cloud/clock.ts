// The local cloud's one clock. Every timer in the emulator (alarm periods, health-check
// intervals, schedules, async status transitions) runs on it, so tests advance virtual time
// instead of sleeping, and the daemon can run faster than real time (--time-scale).

export interface Clock {
  /** Milliseconds since the epoch, in cloud time. */
  now(): number;
  /** Run fn once cloud time reaches atMs. Returns a cancel function. */
  at(atMs: number, fn: () => void): () => void;
  /** Run fn after delayMs of cloud time. */
  after(delayMs: number, fn: () => void): () => void;
  /** Cloud seconds per real second (1 for real time; manual clocks report 0). */
  readonly timeScale: number;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told to: for tests. */
export class ManualClock implements Clock {
  readonly timeScale = 0;
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(startMs = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  at(atMs: number, fn: () => void): () => void {
    const timer: Timer = { at: atMs, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  after(delayMs: number, fn: () => void): () => void {
    return this.at(this.current + delayMs, fn);
  }

  /**
   * Move time forward by ms, firing due timers in time order. Between timers it yields to the
   * event loop so work the timers start (HTTP calls, promise chains) can run.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Advance in steps of stepMs, yielding between steps (lets pollers observe intermediate states). */
  async advanceBy(totalMs: number, stepMs: number): Promise<void> {
    for (let done = 0; done < totalMs; done += stepMs) {
      await this.advance(Math.min(stepMs, totalMs - done));
    }
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

/**
 * Where a clock records, durably, how far its time may have got. The clock calls save(ms)
 * before it returns any time beyond the last mark, so after a crash a restart can resume from
 * the mark and never show a time earlier than one already seen.
 */
export interface ClockHighWaterMark {
  save(ms: number): void;
  /** How far ahead of the current time each mark reaches, in real milliseconds (default 5000). */
  leaseMs?: number;
}

/**
 * Real time multiplied by timeScale, anchored at construction. It never runs backwards: elapsed
 * time comes from the monotonic clock (a wall-clock step does not move it), and with a
 * high-water mark not across a crash either. The mark is leased ahead (the daemon writes a file
 * every few seconds, not on every now()); the price is that time jumps forward by up to one lease
 * after a crash, which alarms and timeouts tolerate, while a backwards step would break them.
 *
 * The scale can change while it runs (setScale: the daemon rests at real time when no client is
 * talking to it): time is re-anchored at the change, so it stays continuous, and every pending
 * timer is re-armed so it still fires at its cloud time.
 */
export class ScaledClock implements Clock {
  private realAnchor = performance.now();
  private cloudAnchor: number;
  private scale: number;
  private last = -Infinity;
  private reserved = -Infinity;
  private readonly pending = new Set<{ at: number; fn: () => void; handle: NodeJS.Timeout }>();

  constructor(
    timeScale = 1,
    cloudStartMs = Date.now(),
    private readonly highWater?: ClockHighWaterMark,
  ) {
    this.scale = checkScale(timeScale);
    this.cloudAnchor = cloudStartMs;
  }

  /** Cloud seconds per real second, as the clock runs now. */
  get timeScale(): number {
    return this.scale;
  }

  now(): number {
    const t = Math.max(this.last, this.cloudAnchor + (performance.now() - this.realAnchor) * this.scale);
    this.last = t;
    if (this.highWater && t >= this.reserved) {
      const reserved = t + (this.highWater.leaseMs ?? 5000) * this.scale;
      this.highWater.save(reserved);
      this.reserved = reserved;
    }
    return t;
  }

  /** Run at another speed from now on; pending timers keep their cloud times. */
  setScale(timeScale: number): void {
    checkScale(timeScale);
    if (timeScale === this.scale) return;
    this.cloudAnchor = this.now();
    this.realAnchor = performance.now();
    this.scale = timeScale;
    // A lease taken at the old speed may reach less far in real time at a faster one: take a new one.
    this.reserved = -Infinity;
    for (const timer of this.pending) {
      clearTimeout(timer.handle);
      timer.handle = this.arm(timer);
    }
  }

  at(atMs: number, fn: () => void): () => void {
    const timer = { at: atMs, fn, handle: undefined as unknown as NodeJS.Timeout };
    timer.handle = this.arm(timer);
    this.pending.add(timer);
    return () => {
      clearTimeout(timer.handle);
      this.pending.delete(timer);
    };
  }

  after(delayMs: number, fn: () => void): () => void {
    return this.at(this.now() + delayMs, fn);
  }

  /** Timers waiting to fire (tests; each holds no event-loop reference). */
  pendingTimers(): number {
    return this.pending.size;
  }

  private arm(timer: { at: number; fn: () => void }): NodeJS.Timeout {
    const handle = setTimeout(
      () => {
        this.pending.delete(timer as { at: number; fn: () => void; handle: NodeJS.Timeout });
        timer.fn();
      },
      Math.max(0, (timer.at - this.now()) / this.scale),
    );
    handle.unref?.();
    return handle;
  }
}

function checkScale(timeScale: number): number {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`time scale must be a positive number, got ${timeScale}`);
  return timeScale;
}

async function settle(): Promise<void> {
  // A few macrotask turns so that chained async work (including loopback HTTP) can progress.
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Timers on the cloud clock by key (an alarm, a schedule rule, a health checker): at most one
 * pending timer per key, so arming a key again replaces its timer, and a service stops by
 * cancelling them all. A timer is forgotten just before it fires, so its callback may re-arm
 * the same key (the periodic timers of CloudWatch alarms, EventBridge schedules, health checks).
 */
export class KeyedTimers {
  private readonly cancels = new Map<string, () => void>();

  constructor(private readonly clock: Clock) {}

  /** Run fn once cloud time reaches atMs, replacing the timer pending under key. */
  at(key: string, atMs: number, fn: () => void): void {
    this.cancel(key);
    const cancel = this.clock.at(atMs, () => {
      if (this.cancels.get(key) === cancel) this.cancels.delete(key);
      fn();
    });
    this.cancels.set(key, cancel);
  }

  /** Run fn after delayMs of cloud time, replacing the timer pending under key. */
  after(key: string, delayMs: number, fn: () => void): void {
    this.at(key, this.clock.now() + delayMs, fn);
  }

  cancel(key: string): void {
    this.cancels.get(key)?.();
    this.cancels.delete(key);
  }

  /** Cancel every timer whose key starts with prefix (e.g. all checkers of one health check). */
  cancelPrefix(prefix: string): void {
    for (const key of [...this.cancels.keys()]) if (key.startsWith(prefix)) this.cancel(key);
  }

  cancelAll(): void {
    for (const cancel of this.cancels.values()) cancel();
    this.cancels.clear();
  }

  /** Pending timers (tests of idle resources). */
  get size(): number {
    return this.cancels.size;
  }
}
