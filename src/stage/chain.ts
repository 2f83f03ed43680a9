// The replication chain between a stage's regions, computed from the configured order: one fact
// that deploy (stack parameters), status (the chain line) and replication heal all read.

/** ring and fanout: the replicator Lambda copies; s3: S3 Cross-Region Replication rules from every bucket to every other (a full mesh, like fanout). */
export type Topology = 'ring' | 'fanout' | 's3';

/**
 * Where a region's replicator writes. Ring: the next region in the configured order (the last
 * wraps to the first), skipping regions left out (unhealthy ones while healed); fan-out: every
 * other region not left out. A region left out itself, or alone, writes nowhere.
 */
export function targetRegions(regions: readonly string[], region: string, topology: Topology, leftOut: readonly string[] = []): string[] {
  const live = regions.filter((r) => !leftOut.includes(r));
  if (!live.includes(region) || live.length < 2) return [];
  if (topology === 'fanout' || topology === 's3') return live.filter((r) => r !== region);
  const at = live.indexOf(region);
  return [live[(at + 1) % live.length]!];
}

/** Every region's targets, in the configured order. */
export function chainOf(regions: readonly string[], topology: Topology, leftOut: readonly string[] = []): Array<{ region: string; targets: string[] }> {
  return regions.map((region) => ({ region, targets: targetRegions(regions, region, topology, leftOut) }));
}

/**
 * The ring as one line, following each region's deployed targets from the first region:
 * `us-east-1 → us-west-2 → eu-west-1 → us-east-1`. Regions the walk never reaches are appended
 * as `(x: off the chain)`.
 */
export function ringLine(links: ReadonlyArray<{ region: string; targets: string[] }>): string {
  if (links.length === 0) return '';
  const next = new Map(links.map((l) => [l.region, l.targets[0]]));
  const seen: string[] = [];
  let at: string | undefined = links[0]!.region;
  while (at !== undefined && !seen.includes(at)) {
    seen.push(at);
    at = next.get(at);
  }
  const line = [...seen, ...(at !== undefined ? [at] : ['(end)'])].join(' → ');
  const off = links.map((l) => l.region).filter((r) => !seen.includes(r));
  return off.length ? `${line}; ${off.map((r) => `${r}: off the chain`).join(', ')}` : line;
}
