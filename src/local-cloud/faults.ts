// Faults injected into the local cloud (DESIGN.md §4): a whole region out, latency added
// (replication pauses come with global tables). A region in an outage answers 503 to every
// signed request and from its API Gateway endpoints; added latency delays every request to a
// region (or to all, under '*') by that many wall-clock milliseconds, as a far-away or slow API
// endpoint would.
export interface FaultState {
  regionOutages: string[];
  latencyMs: Record<string, number>;
}

export class Faults {
  readonly regionOutages = new Set<string>();
  readonly latencyMs = new Map<string, number>();

  isRegionDown(region: string): boolean {
    return this.regionOutages.has(region);
  }

  /** Added latency for a region: its own setting, else the '*' one, else none. */
  latencyFor(region: string | undefined): number {
    return (region !== undefined ? this.latencyMs.get(region) : undefined) ?? this.latencyMs.get('*') ?? 0;
  }

  state(): FaultState {
    return { regionOutages: [...this.regionOutages].sort(), latencyMs: Object.fromEntries(this.latencyMs) };
  }

  /** Replace every fault with the given ones (validated: this arrives over HTTP). */
  replace(next: Partial<FaultState>): void {
    const outages = next.regionOutages ?? [];
    const latency = next.latencyMs ?? {};
    if (!Array.isArray(outages) || outages.some((r) => typeof r !== 'string')) throw new Error('regionOutages must be a list of region names');
    for (const [region, ms] of Object.entries(latency)) {
      if (typeof ms !== 'number' || !(ms >= 0) || ms > 60_000) throw new Error(`latencyMs.${region} must be a number of milliseconds from 0 to 60000`);
    }
    this.regionOutages.clear();
    for (const r of outages) this.regionOutages.add(r);
    this.latencyMs.clear();
    for (const [region, ms] of Object.entries(latency)) if (ms > 0) this.latencyMs.set(region, ms);
  }
}

export const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
