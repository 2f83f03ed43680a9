// Faults injected into the local cloud (DESIGN.md §4): a whole region out, latency added, and
// global-table replication paused per region pair (with its lag configured here too). A region
// in an outage answers 503 to every signed request and from its API Gateway endpoints; added
// latency delays every request to a region (or to all, under '*') by that many wall-clock
// milliseconds, as a far-away or slow API endpoint would. Replication faults are read by
// dynamodb/global-tables (cloud-clock milliseconds).
export interface FaultState {
  regionOutages: string[];
  latencyMs: Record<string, number>;
  /** Global-table replication paused from one region to another: "us-east-1>us-west-2". */
  replicationPaused?: string[];
  /** Global-table replication lag in cloud ms per pair ("from>to") or for all ('*'); default 1000. */
  replicationLagMs?: Record<string, number>;
}

/** Replication lag when none is configured: AWS says replicas typically converge within a second. */
export const DEFAULT_REPLICATION_LAG_MS = 1000;

export class Faults {
  readonly regionOutages = new Set<string>();
  readonly latencyMs = new Map<string, number>();
  readonly replicationPaused = new Set<string>();
  readonly replicationLagMs = new Map<string, number>();
  /** Told after every change of the faults (replication resumes when a pause is lifted). */
  onChange?: () => void;

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
    return state;
  }

  /** Replace every fault with the given ones (validated: this arrives over HTTP). */
  replace(next: Partial<FaultState>): void {
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
    this.regionOutages.clear();
    for (const r of outages) this.regionOutages.add(r);
    this.latencyMs.clear();
    for (const [region, ms] of Object.entries(latency)) if (ms > 0) this.latencyMs.set(region, ms);
    this.replicationPaused.clear();
    for (const p of paused) this.replicationPaused.add(p);
    this.replicationLagMs.clear();
    for (const [pair, ms] of Object.entries(lag)) this.replicationLagMs.set(pair, ms);
    this.onChange?.();
  }
}

export const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
