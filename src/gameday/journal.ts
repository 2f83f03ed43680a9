// The record of one game-day run: the contract between the runner (which writes journal.json)
// and the reports (report.md, report.html, junit.xml, history), which only ever read it.
// Field names follow Chaos Toolkit journals where the idea is the same (status, deviated,
// steady_states, run, rollbacks, start, end, duration) so people who know that tool can read it.
//
// Times: every `at`, `start` and `end` is an ISO 8601 instant on the target's clock (the local
// cloud's virtual clock with --local, the wall clock on AWS); objectives are judged on that clock.
// `wallSeconds` fields say how long it took in real time.

export const GAMEDAY_JOURNAL_VERSION = 1;

/** An instant on the target's clock, as the journal writes it. */
export const isoAt = (ms: number): string => new Date(ms).toISOString();
/** Seconds with one decimal, as the journal writes durations. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** passed: every objective met, steady state held. failed: an objective missed or a step failed.
 * deviated: steady state did not hold after the run. aborted: a stop condition or deadline.
 * interrupted: SIGINT. */
export type GamedayStatus = 'passed' | 'failed' | 'deviated' | 'aborted' | 'interrupted';

export type ActivityStatus = 'succeeded' | 'failed' | 'skipped' | 'aborted';

export interface ActivityRecord {
  /** The step's (or rollback's, or probe's) name as the file gives it, else a generated one. */
  name: string;
  /** The step type: deploy, status, wait, drill, fault, assert, probe, rollback. */
  type: string;
  /** One-line description of what it did, e.g. "fault region-outage us-west-2 for 5m". */
  detail: string;
  /** 1-based line of the step in the game-day file, when it came from one. */
  line?: number;
  status: ActivityStatus;
  start: string;
  end: string;
  /** Seconds on the target's clock. */
  duration: number;
  wallSeconds: number;
  /** What the step produced (a drill's JSON report, a probe's value); JSON-serialisable. */
  output?: unknown;
  /** Why it failed or was skipped. */
  error?: string;
}

export interface ProbeRecord extends ActivityRecord {
  /** Whether the probe's expectation held. */
  tolerance_met: boolean;
}

export interface SteadyStateRecord {
  steady_state_met: boolean;
  probes: ProbeRecord[];
}

export interface ObjectiveRecord {
  /** The objective's key in the file, e.g. failoverWithin, replicationLagP99Below. */
  name: string;
  /** The goal as written, e.g. "3m", "2s", 0. */
  goal: string | number;
  /** The measured value in the objective's unit (seconds for durations, ms for lag, a count for items); null: never measured. */
  measured: number | null;
  unit: 's' | 'ms' | 'items';
  met: boolean;
  /** How far off, in words, when not met: "failover took 4m12s, 1m12s over 3m". */
  message: string;
}

export interface StopRecord {
  /** Which stop condition (minHealthyRegions, alarm, deadline) or 'SIGINT'. */
  condition: string;
  reason: string;
  at: string;
}

/** Transitions only: a lane's state holds until its next entry. */
export interface Timeline {
  /** Each region's health as the runner observed it (health check + endpoint probe). */
  regionHealth: Array<{ at: string; region: string; healthy: boolean }>;
  /** Which region answered each client subnet (null: nobody / NXDOMAIN). */
  routing: Array<{ at: string; subnet: string; label?: string; region: string | null }>;
  /** CloudWatch alarm state changes. */
  alarms: Array<{ at: string; region: string; name: string; state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' }>;
  /** Route 53 health-check status changes. */
  healthChecks: Array<{ at: string; region: string; healthy: boolean }>;
  /** Faults injected by the game day: start, and end once removed (null: still in place at the end). */
  faults: Array<{ kind: string; region?: string; from?: string; to?: string; detail: string; start: string; end: string | null }>;
  /** Replication lag samples per pair. */
  replicationLag: Array<{ at: string; from: string; to: string; ms: number }>;
}

export interface GamedayJournal {
  version: typeof GAMEDAY_JOURNAL_VERSION;
  /** regionctl version that ran it. */
  regionctl: string;
  name: string;
  description?: string;
  /** The game-day file, as given on the command line. */
  file: string;
  service: string;
  stage: string;
  regions: string[];
  /** Where it ran: 'local' or the AWS account id / endpoint label. */
  target: string;
  status: GamedayStatus;
  deviated: boolean;
  start: string;
  end: string;
  duration: number;
  wallSeconds: number;
  steady_states: { before: SteadyStateRecord | null; after: SteadyStateRecord | null };
  run: ActivityRecord[];
  rollbacks: ActivityRecord[];
  objectives: ObjectiveRecord[];
  /** Set when a stop condition, the deadline or SIGINT ended the run early. */
  stopped?: StopRecord;
  /** Headline measurements, for history and trends (null: not measured in this run). */
  measurements: {
    rtoSeconds: number | null;
    failbackSeconds: number | null;
    rpoSeconds: number | null;
    /** Worst per-pair p99 on the objective's basis: a pair a drill paused on purpose is left out. */
    replicationLagP99Ms: number | null;
    /** The same with the paused pairs included; set when a replication drill paused a pair. */
    replicationLagP99InclPausedMs?: number | null;
    missingItems: number | null;
  };
  timeline: Timeline;
}
