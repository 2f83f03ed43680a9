// Faults injected into the local cloud (DESIGN.md §4): a whole region out, replication paused,
// latency added. Only region outages are wired so far: every signed request to that region
// answers 503, and its API Gateway endpoints answer 503 too.
export class Faults {
  readonly regionOutages = new Set<string>();

  isRegionDown(region: string): boolean {
    return this.regionOutages.has(region);
  }
}
