import type { CloudTarget } from '../aws/target.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { StageLock } from '../deploy/lock.js';
import type { DeployClients } from '../deploy/deploy.js';
import type { DrillClients } from '../drill/failover.js';
import type { Journal } from '../drill/journal.js';
import type { FaultControl } from '../drill/local-faults.js';
import type { ReplicationClients } from '../drill/replication.js';
import type { Io } from '../io/types.js';
import type { LoadedGameday } from './load.js';
import type { ObserveClients } from './observe.js';
import type { RunClock } from './watch.js';

// What the game-day runner is given: the file, the stage, its clients and clock, and the features
// (deploy, local faults) it calls. The steps receive the same.

export type GamedayClients = DrillClients & ReplicationClients & ObserveClients & DeployClients;

export interface GamedayRunOptions {
  loaded: LoadedGameday;
  /** regionctl.yml with the game day's regions applied. */
  config: ResolvedConfig;
  clients: GamedayClients;
  journal: Journal;
  target: CloudTarget;
  /** The stage lock, held by the caller for the whole run. */
  lock: StageLock;
  io: Io;
  /** The target's clock: the local cloud's virtual clock, or the wall clock on AWS. */
  clock: RunClock;
  /** The local cloud's fault switches; absent on AWS (fault steps then fail with a clear message). */
  faults?: FaultControl;
  /** The deploy feature (synth + deploy), given by the caller. */
  deploy: (signal: AbortSignal) => Promise<{ ok: boolean; summary: string }>;
  /** SIGINT. */
  signal: AbortSignal;
  regionctlVersion: string;
  /** 'local' or the AWS account / endpoint. */
  targetLabel: string;
  /** Failover drills' probe cadence (cloud seconds); tests shorten it. */
  probeSeconds?: number;
  /** Replication drills: cloud ms to wait for arrivals (default 60 s) and real ms without new events before counting them final. */
  replicationDeadlineMs?: number;
  eventsIdleMs?: number;
}
