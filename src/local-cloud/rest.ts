// A local cloud at rest runs its clock at real time. The time scale exists to compress waiting
// while someone waits (a deploy, a drill, a test); with nobody talking to the daemon, compressing
// time only multiplies the scheduled work (each region's canary, health checks and alarms run once
// per cloud minute, so 60 times a real minute at 60x) and the idle daemon would burn a core for
// nobody. Any client request or DNS query wakes it back to its configured scale before it is
// answered, so every client sees the configured speed; requests from the cloud's own functions
// (which reach it on a separate listener) do not count.

export interface RestingClock {
  readonly timeScale: number;
  setScale(timeScale: number): void;
}

export interface RestOptions {
  /** Real milliseconds without a client before the clock rests. */
  afterMs: number;
  /** The scale at rest (default 1: real time). Never above the configured scale. */
  scale?: number;
  /** Real time, for tests (default performance.now). */
  now?: () => number;
  /** Told when the clock rests or wakes (the daemon's log). */
  log?: (line: string) => void;
  /** Runs `fn` every `ms` real milliseconds until the returned function is called (tests drive it by hand). */
  every?: (ms: number, fn: () => void) => () => void;
}

export interface RestState {
  resting: boolean;
  /** Cloud seconds per real second while clients are active. */
  activeScale: number;
  restScale: number;
  restAfterSeconds: number;
}

export class Rest {
  private readonly activeScale: number;
  private readonly restScale: number;
  private readonly now: () => number;
  private lastActivity: number;
  private resting = false;
  private readonly stop: () => void;

  constructor(
    private readonly clock: RestingClock,
    private readonly opts: RestOptions,
  ) {
    if (!(opts.afterMs > 0)) throw new Error(`rest-after must be a positive number of milliseconds, got ${opts.afterMs}`);
    this.activeScale = clock.timeScale;
    this.restScale = Math.min(opts.scale ?? 1, this.activeScale);
    this.now = opts.now ?? (() => performance.now());
    this.lastActivity = this.now();
    const every =
      opts.every ??
      ((ms, fn) => {
        const handle = setInterval(fn, ms);
        handle.unref();
        return () => clearInterval(handle);
      });
    // Checked a few times per rest period: one cheap timer instead of re-arming one per request.
    this.stop = every(Math.max(50, Math.round(opts.afterMs / 4)), () => this.check());
  }

  /** A client talked to the cloud: run at the configured scale again, at once. */
  activity(): void {
    this.lastActivity = this.now();
    if (this.resting) {
      this.resting = false;
      this.clock.setScale(this.activeScale);
      this.opts.log?.(`clock: a client arrived; running at ${this.activeScale}x again`);
    }
  }

  /** Rest if no client has been seen for afterMs. */
  check(): void {
    if (!this.resting && this.restScale < this.activeScale && this.now() - this.lastActivity >= this.opts.afterMs) {
      this.resting = true;
      this.clock.setScale(this.restScale);
      this.opts.log?.(`clock: no client for ${this.opts.afterMs / 1000} s; resting at ${this.restScale}x until the next one`);
    }
  }

  state(): RestState {
    return { resting: this.resting, activeScale: this.activeScale, restScale: this.restScale, restAfterSeconds: this.opts.afterMs / 1000 };
  }

  close(): void {
    this.stop();
  }
}
