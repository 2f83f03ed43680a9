import type { ResolvedConfig } from '../config/schema.js';
import type { Journal } from '../drill/journal.js';
import { describeLocalFault } from '../drill/local-faults.js';
import { Interrupted } from '../errors.js';
import type { Io } from '../io/types.js';
import type { Sleeper } from '../wait.js';
import { isoAt, type GamedayJournal, type StopRecord } from './journal.js';
import { alarmStates, replicationLag, stageStatus, type Observer, type TimelineRecorder } from './observe.js';
import { durationMs, type GamedayFile } from './schema.js';

// The clock every step of a game day sleeps on. Before each slice of a sleep (and between steps)
// it samples the timeline when a sample is due, follows the journaled faults, checks the stop
// conditions when due, and enforces the overall and the current step's deadline by aborting.

/** The target's clock: the local cloud's virtual clock, or the wall clock on AWS. */
export type RunClock = Sleeper & { timeScale?: number; dnsPort?: number; realism?: 'fast' | 'aws' };

/** Why a run stopped early; thrown inside steps through the abort signal. */
export class Stopped extends Error {
  constructor(readonly record: StopRecord) {
    super(record.reason);
  }
}

/** A step ran past its own deadline. */
export class StepDeadline extends Error {}

type FaultEntry = GamedayJournal['timeline']['faults'][number];
type StageStatus = Awaited<ReturnType<typeof stageStatus>>;

export interface RunWatchOptions {
  g: GamedayFile;
  config: ResolvedConfig;
  journal: Journal;
  observer: Observer;
  recorder: TimelineRecorder;
  io: Io;
  /** The target's clock (the watch's own `clock` sleeps on it in slices). */
  clock: RunClock;
  /** SIGINT: once aborted, stop conditions are no longer reported. */
  signal: AbortSignal;
  /** When the run started, on the target's clock. */
  start: number;
}

export class RunWatch {
  /** Aborted (with a Stopped) when a stop condition or the overall deadline is breached. */
  readonly stopper = new AbortController();
  stopped: StopRecord | undefined;
  /** Whether stop conditions are still checked (not during rollbacks and the restore). */
  checking = true;
  /** The running step: aborted by a tick once its deadline has passed. */
  step: { abort: AbortController; deadlineAt: number | undefined } | undefined;
  /** When a fault injected with a duration expires on its own, by journal id. */
  readonly faultEnds = new Map<string, number>();
  /** The clock steps sleep on: sleeps in slices, ticking before each. */
  readonly clock: RunClock;

  private readonly sampleMs: number;
  private readonly checkMs: number;
  private readonly deadlineAt: number | undefined;
  private nextSample: number;
  private nextCheck: number;
  private busy = false;
  private readonly faultEntries = new Map<string, FaultEntry>();
  /** What the watch could not read, by what it was reading: said once per new reason, never silently dropped. */
  private readonly unreadable = new Map<string, string>();

  constructor(private readonly o: RunWatchOptions) {
    this.sampleMs = durationMs(o.g.sampleEvery);
    this.checkMs = durationMs(o.g.stopConditions.every);
    this.deadlineAt = o.g.stopConditions.deadline ? o.start + durationMs(o.g.stopConditions.deadline) : undefined;
    this.nextSample = o.start;
    this.nextCheck = o.start;
    // Sleeps in slices no longer than the sample/check cadence, so both happen during long steps.
    const slice = Math.max(1000, Math.min(this.sampleMs, this.checkMs));
    const clock = o.clock;
    this.clock = {
      timeScale: clock.timeScale,
      dnsPort: clock.dnsPort,
      realism: clock.realism,
      now: () => clock.now(),
      // A sleep ends at its cloud time however long the samples and checks between slices take
      // (they take cloud time too: at 60x a second of sampling is a cloud minute).
      sleep: async (ms, signal) => {
        const end = clock.now() + ms;
        for (let left = ms; left > 0; left = end - clock.now()) {
          await this.tick();
          if (signal?.aborted) throw new Interrupted();
          const part = Math.min(end - clock.now(), slice);
          if (part > 0) await clock.sleep(part, signal);
        }
        await this.tick();
      },
    };
  }

  private stop(condition: string, reason: string): void {
    if (this.stopped || this.o.signal.aborted) return;
    this.stopped = { condition, reason, at: isoAt(this.o.clock.now()) };
    this.o.io.emit({ kind: 'warn', message: `stop condition ${condition}: ${reason}; aborting` });
    this.stopper.abort(new Stopped(this.stopped));
  }

  /** Faults: the journal says what is in place (appliedAt is exact); an entry that is gone has ended. */
  trackFaults(): void {
    const { config, journal, recorder } = this.o;
    const now = this.o.clock.now();
    const live = new Map(journal.list().filter(({ fault }) => fault.service === config.service && fault.stage === config.stage).map((e) => [e.id, e.fault]));
    for (const [id, fault] of live) {
      // The same fault injected again later (a second drill of one region) is a new entry.
      if (this.faultEntries.get(id)?.start === fault.appliedAt) continue;
      const local = fault.kind === 'local-fault' ? fault : undefined;
      const entry: FaultEntry = {
        kind: local ? local.fault : 'unhealthy',
        region: fault.region,
        ...(local?.to ? { from: fault.region, to: local.to } : {}),
        detail: local ? describeLocalFault(local) : `UNHEALTHY=true on ${fault.functionName}`,
        start: fault.appliedAt,
        end: null,
      };
      this.faultEntries.set(id, entry);
      recorder.timeline.faults.push(entry);
    }
    for (const [id, f] of this.faultEntries) {
      if (f.end !== null) continue;
      const endsAt = this.faultEnds.get(id);
      if (!live.has(id)) f.end = isoAt(endsAt !== undefined ? Math.min(endsAt, now) : now);
      else if (endsAt !== undefined && endsAt <= now) f.end = isoAt(endsAt);
    }
  }

  /** One timeline sample: every region's status, the replication lag (with a table), the faults. */
  async sample(): Promise<StageStatus | undefined> {
    const { observer, recorder, config } = this.o;
    const now = this.o.clock.now();
    const status = await this.read('the stage status (timeline sample)', () => stageStatus(observer));
    if (status) recorder.status(now, status);
    if (config.table) recorder.lag(now, (await this.read('replication lag', () => replicationLag(observer, Math.max(this.sampleMs, 60_000)))) ?? []);
    this.trackFaults();
    return status;
  }

  // A denied, throttled or failed read leaves a gap in the timeline or an unchecked stop condition:
  // the operator is told why (once per new reason), and the run goes on.
  private async read<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await fn();
      this.unreadable.delete(what);
      return value;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (this.unreadable.get(what) !== reason) this.o.io.emit({ kind: 'warn', message: `could not read ${what}: ${reason}` });
      this.unreadable.set(what, reason);
      return undefined;
    }
  }

  private async checkStops(status?: StageStatus): Promise<void> {
    const sc = this.o.g.stopConditions;
    if (sc.minHealthyRegions !== undefined) {
      const s = status ?? (await this.read(`the stage status (stop condition minHealthyRegions)`, () => stageStatus(this.o.observer)));
      if (s && s.healthyRegions < sc.minHealthyRegions) {
        this.stop('minHealthyRegions', `${s.healthyRegions} healthy region(s), fewer than ${sc.minHealthyRegions} (${s.regions.filter((r) => !r.healthy).map((r) => r.region).join(', ')} not healthy)`);
      }
    }
    for (const name of sc.alarm ? [sc.alarm].flat() : []) {
      const firing = (await alarmStates(this.o.observer, name)).filter((a) => a.state === 'ALARM');
      if (firing.length > 0) this.stop('alarm', `${name} is in ALARM in ${firing.map((a) => a.region).join(', ')}`);
    }
  }

  /** Called before every sleep of a step and between steps. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = this.o.clock.now();
      if (this.deadlineAt !== undefined && now >= this.deadlineAt && this.checking) this.stop('deadline', `the game day ran longer than its deadline of ${this.o.g.stopConditions.deadline}`);
      const step = this.step;
      if (step?.deadlineAt !== undefined && now >= step.deadlineAt && !step.abort.signal.aborted) step.abort.abort(new StepDeadline());
      let status: StageStatus | undefined;
      if (now >= this.nextSample) {
        this.nextSample = now + this.sampleMs;
        status = await this.sample();
      } else this.trackFaults();
      if (this.checking && now >= this.nextCheck) {
        this.nextCheck = now + this.checkMs;
        await this.checkStops(status);
      }
    } finally {
      this.busy = false;
    }
  }
}
