// Faults injected into the local cloud (DESIGN.md §4): a whole region out, latency added, and
// global-table replication paused per region pair (with its lag configured here too). A region
// in an outage answers 503 to every signed request and from its API Gateway endpoints; added
// latency delays every request to a region (or to all, under '*') by that many wall-clock
// milliseconds, as a far-away or slow API endpoint would. Replication faults are read by
// dynamodb/global-tables (cloud-clock milliseconds). A fault can carry an end time on the cloud
// clock (`until`, set by `expiresInMs` on the request): a timer lifts it then, as an outage of
// a given length ends on its own.
import type { Clock } from './clock.js';

/** The key of one fault in `until` / `expiresInMs`: "outage:us-west-2", "pause:us-east-1>us-west-2", "latency:eu-west-1". */
export type FaultKey = `outage:${string}` | `pause:${string}` | `latency:${string}`;

export interface FaultState {
  regionOutages: string[];
  latencyMs: Record<string, number>;
  /** Global-table replication paused from one region to another: "us-east-1>us-west-2". */
  replicationPaused?: string[];
  /** Global-table replication lag in cloud ms per pair ("from>to") or for all ('*'); default 1000. */
  replicationLagMs?: Record<string, number>;
  /** When a fault ends by itself (cloud time, ISO 8601), by fault key; absent: until lifted. */
  until?: Record<string, string>;
}

/** What POST /_localcloud/faults takes: the whole state, plus durations relative to the cloud's now. */
export interface FaultRequest extends Partial<FaultState> {
  /** Cloud milliseconds from now after which a fault ends, by fault key (turned into `until`). */
  expiresInMs?: Record<string, number>;
}

const FAULT_KEY = /^(outage|latency):[a-z0-9*-]+$|^pause:[a-z0-9-]+>[a-z0-9-]+$/;

/** Replication lag when none is configured: AWS says replicas typically converge within a second. */
export const DEFAULT_REPLICATION_LAG_MS = 1000;

export class Faults {
  readonly regionOutages = new Set<string>();
  readonly latencyMs = new Map<string, number>();
  readonly replicationPaused = new Set<string>();
  readonly replicationLagMs = new Map<string, number>();
  /** Cloud ms at which a fault ends by itself, by fault key. */
  readonly until = new Map<string, number>();
  /** Told after every change of the faults (replication resumes when a pause is lifted). */
  onChange?: () => void;
  private cancelExpiry?: () => void;

  /** clock: the cloud's clock, for faults that end by themselves (without one, `until` is refused). */
  constructor(private readonly clock?: Clock) {}

  isRegionDown(region: string): boolean {
    return this.regionOutages.has(region);
  }

  /** Added latency for a region: its own setting, else the '*' one, else none. */
  latencyFor(region: string | undefined): number {
    return (region !== undefined ? this.latencyMs.get(region) : undefined) ?? this.latencyMs.get('*') ?? 0;
  }

  isReplicationPaused(from: string, to: string): boolean {
    return this.replicationPaused.has(`${from}>${to}`);
  }

  replicationLag(from: string, to: string): number {
    return this.replicationLagMs.get(`${from}>${to}`) ?? this.replicationLagMs.get('*') ?? DEFAULT_REPLICATION_LAG_MS;
  }

  state(): FaultState {
    const state: FaultState = { regionOutages: [...this.regionOutages].sort(), latencyMs: Object.fromEntries(this.latencyMs) };
    if (this.replicationPaused.size > 0) state.replicationPaused = [...this.replicationPaused].sort();
    if (this.replicationLagMs.size > 0) state.replicationLagMs = Object.fromEntries(this.replicationLagMs);
    if (this.until.size > 0) state.until = Object.fromEntries([...this.until].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, ms]) => [k, new Date(ms).toISOString()]));
    return state;
  }

  /** Replace every fault with the given ones (validated: this arrives over HTTP). */
  replace(next: FaultRequest): void {
    const outages = next.regionOutages ?? [];
    const latency = next.latencyMs ?? {};
    if (!Array.isArray(outages) || outages.some((r) => typeof r !== 'string')) throw new Error('regionOutages must be a list of region names');
    for (const [region, ms] of Object.entries(latency)) {
      if (typeof ms !== 'number' || !(ms >= 0) || ms > 60_000) throw new Error(`latencyMs.${region} must be a number of milliseconds from 0 to 60000`);
    }
    const paused = next.replicationPaused ?? [];
    if (!Array.isArray(paused) || paused.some((p) => typeof p !== 'string' || !/^[a-z0-9-]+>[a-z0-9-]+$/.test(p)))
      throw new Error('replicationPaused must be a list of "from>to" region pairs, e.g. "us-east-1>us-west-2"');
    const lag = next.replicationLagMs ?? {};
    for (const [pair, ms] of Object.entries(lag)) {
      if (pair !== '*' && !/^[a-z0-9-]+>[a-z0-9-]+$/.test(pair)) throw new Error(`replicationLagMs keys must be "from>to" region pairs or "*", not ${JSON.stringify(pair)}`);
      if (typeof ms !== 'number' || !(ms >= 0) || ms > 3_600_000) throw new Error(`replicationLagMs.${pair} must be a number of milliseconds from 0 to 3600000`);
    }
    const until = new Map<string, number>();
    const ends = [...Object.entries(next.until ?? {}).map(([k, v]) => [k, typeof v === 'string' ? Date.parse(v) : NaN] as const), ...Object.entries(next.expiresInMs ?? {}).map(([k, v]) => [k, typeof v === 'number' && v > 0 && v <= 7 * 86_400_000 ? (this.clock?.now() ?? NaN) + v : NaN] as const)];
    for (const [key, at] of ends) {
      if (!FAULT_KEY.test(key)) throw new Error(`until / expiresInMs keys must be "outage:REGION", "pause:FROM>TO" or "latency:REGION", not ${JSON.stringify(key)}`);
      if (!this.clock) throw new Error('this local cloud has no clock to end faults by');
      if (!Number.isFinite(at)) throw new Error(`${key}: until must be an ISO 8601 time and expiresInMs a number of milliseconds from 1 to 604800000`);
      const [kind, what] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      const present = kind === 'outage' ? outages.includes(what) : kind === 'pause' ? paused.includes(what) : (latency[what] ?? 0) > 0;
      if (!present) throw new Error(`${key}: no such fault in this request to end`);
      until.set(key, at);
    }
    this.regionOutages.clear();
    for (const r of outages) this.regionOutages.add(r);
    this.latencyMs.clear();
    for (const [region, ms] of Object.entries(latency)) if (ms > 0) this.latencyMs.set(region, ms);
    this.replicationPaused.clear();
    for (const p of paused) this.replicationPaused.add(p);
    this.replicationLagMs.clear();
    for (const [pair, ms] of Object.entries(lag)) this.replicationLagMs.set(pair, ms);
    this.until.clear();
    for (const [k, at] of until) this.until.set(k, at);
    this.armExpiry();
    this.onChange?.();
  }

  /** Lift the faults whose time is up, then wait for the next one (one timer on the cloud clock). */
  private armExpiry(): void {
    this.cancelExpiry?.();
    this.cancelExpiry = undefined;
    if (!this.clock || this.until.size === 0) return;
    const next = Math.min(...this.until.values());
    this.cancelExpiry = this.clock.at(next, () => {
      this.cancelExpiry = undefined;
      const now = this.clock!.now();
      let changed = false;
      for (const [key, at] of [...this.until]) {
        if (at > now) continue;
        this.until.delete(key);
        const what = key.slice(key.indexOf(':') + 1);
        if (key.startsWith('outage:')) this.regionOutages.delete(what);
        else if (key.startsWith('pause:')) this.replicationPaused.delete(what);
        else this.latencyMs.delete(what);
        changed = true;
      }
      this.armExpiry();
      if (changed) this.onChange?.();
    });
  }

  /** Stop the expiry timer (the cloud is closing). */
  close(): void {
    this.cancelExpiry?.();
    this.cancelExpiry = undefined;
  }
}

export const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
