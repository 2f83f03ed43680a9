// A local cloud at rest runs its clock at real time. The time scale exists to compress waiting
// while someone waits (a deploy, a drill, a test); with nobody talking to the daemon, compressing
// time only multiplies the scheduled work (each region's canary, health checks and alarms run once
// per cloud minute, so 60 times a real minute at 60x) and the idle daemon would burn a core for
// nobody. Any client request or DNS query wakes it back to its configured scale before it is
// answered, so every client sees the configured speed; requests from the cloud's own functions
// (which reach it on a separate listener) do not count.
//
// A local cloud that is behind slows down. Compressed time is only honest while the machine keeps
// up with it: a canary that takes 2 real seconds on a starved 2-core machine takes 2 cloud minutes
// at 60x, so a drill would measure the machine's load as failover time. When the cloud's own work
// runs late (its event loop is delayed, or a scheduled event had to be skipped because the
// function's earlier invocations still waited for a worker), the active scale halves, down to a
// floor; after a few calm checks it doubles again, up to the configured scale. Clients re-read the
// scale from /_localcloud/health (src/aws/cloud-clock.ts), so what they measure stays in cloud time.

export interface RestingClock {
  readonly timeScale: number;
  setScale(timeScale: number): void;
}

/** How far behind the cloud's own work ran since the last sample. */
export interface LagSample {
  /** Real milliseconds the event loop was late (mean over the period). */
  lagMs: number;
  /** Scheduled events skipped so far because the cloud was behind (a running count). */
  skipped: number;
}

export interface PaceOptions {
  /** Called every `everyMs`; the lag since the previous call. */
  sample: () => LagSample;
  /** Real milliseconds between samples (default 500). */
  everyMs?: number;
  /** Lag at or above which the cloud is behind (default 100 ms). */
  behindMs?: number;
  /** Lag below which a sample is calm (default 20 ms). */
  calmMs?: number;
  /** Calm samples in a row before the scale doubles again (default 2). */
  calmSamples?: number;
  /** The lowest active scale (default an eighth of the configured scale, at least 1). */
  floor?: number;
}

export interface RestOptions {
  /** Real milliseconds without a client before the clock rests (Infinity: never). */
  afterMs: number;
  /** The scale at rest (default 1: real time). Never above the configured scale. */
  scale?: number;
  /** Real time, for tests (default performance.now). */
  now?: () => number;
  /** Told when the clock rests or wakes (the daemon's log). */
  log?: (line: string) => void;
  /** Runs `fn` every `ms` real milliseconds until the returned function is called (tests drive it by hand). */
  every?: (ms: number, fn: () => void) => () => void;
  /** Slow down while the cloud's own work runs late (omitted: always the configured scale). */
  pace?: PaceOptions;
}

export interface PaceState {
  /** The scale the daemon was started with. */
  configuredScale: number;
  /** The scale it runs at while clients are active (lower while the machine is behind). */
  activeScale: number;
  behind: boolean;
  /** Real milliseconds of lag in the last sample. */
  lagMs: number;
}

export interface RestState {
  resting: boolean;
  /** Cloud seconds per real second while clients are active. */
  activeScale: number;
  restScale: number;
  restAfterSeconds: number;
}

export class Rest {
  private readonly configuredScale: number;
  private activeScale: number;
  private readonly restScale: number;
  private readonly now: () => number;
  private lastActivity: number;
  private resting = false;
  private readonly stops: Array<() => void> = [];
  private lastSkipped = 0;
  private lastLagMs = 0;
  private calm = 0;

  constructor(
    private readonly clock: RestingClock,
    private readonly opts: RestOptions,
  ) {
    if (!(opts.afterMs > 0)) throw new Error(`rest-after must be a positive number of milliseconds, got ${opts.afterMs}`);
    this.configuredScale = clock.timeScale;
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
    if (Number.isFinite(opts.afterMs)) this.stops.push(every(Math.max(50, Math.round(opts.afterMs / 4)), () => this.check()));
    if (opts.pace) {
      const pace = opts.pace;
      this.lastSkipped = pace.sample().skipped;
      this.stops.push(every(pace.everyMs ?? 500, () => this.paceCheck(pace)));
    }
  }

  /** One sample of the cloud's lag: halve the active scale when behind, double it back after calm samples. */
  paceCheck(pace: PaceOptions): void {
    const { lagMs, skipped } = pace.sample();
    const skippedNow = skipped > this.lastSkipped;
    this.lastSkipped = skipped;
    this.lastLagMs = lagMs;
    const floor = Math.min(pace.floor ?? Math.max(1, this.configuredScale / 8), this.configuredScale);
    if (lagMs >= (pace.behindMs ?? 100) || skippedNow) {
      this.calm = 0;
      if (this.activeScale > floor) {
        this.setActive(Math.max(floor, this.activeScale / 2));
        this.opts.log?.(`clock: the cloud is behind (${skippedNow ? 'a scheduled event was skipped' : `its event loop ran ${Math.round(lagMs)} ms late`}); running at ${round(this.activeScale)}x (configured ${this.configuredScale}x)`);
      }
      return;
    }
    if (lagMs >= (pace.calmMs ?? 20)) {
      this.calm = 0;
      return;
    }
    this.calm++;
    if (this.activeScale < this.configuredScale && this.calm >= (pace.calmSamples ?? 2)) {
      this.calm = 0;
      this.setActive(Math.min(this.configuredScale, this.activeScale * 2));
      this.opts.log?.(`clock: the cloud has caught up; running at ${round(this.activeScale)}x${this.activeScale < this.configuredScale ? ` (configured ${this.configuredScale}x)` : ''}`);
    }
  }

  private setActive(scale: number): void {
    this.activeScale = scale;
    if (!this.resting) this.clock.setScale(scale);
  }

  pace(): PaceState {
    return { configuredScale: this.configuredScale, activeScale: this.activeScale, behind: this.activeScale < this.configuredScale, lagMs: Math.round(this.lastLagMs) };
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
    for (const stop of this.stops) stop();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
