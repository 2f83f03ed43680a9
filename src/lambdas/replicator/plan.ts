// What the replicator does with one new object: the seed recipe's semantics (origin stamped once,
// never copied back into its origin), for the ring (one next region) and fan-out (every other region).

export type Topology = 'ring' | 'fanout';

/** The user metadata key (x-amz-meta-origin) naming the bucket an object was first written to. */
export const ORIGIN_KEY = 'origin';

export interface ReplicationPlan {
  /** The bucket the object was first written to. */
  origin: string;
  /** Buckets to copy it to, in order. */
  targets: string[];
  /** The metadata every copy carries: the object's own, plus origin when it had none. */
  metadata: Record<string, string>;
}

/**
 * Ring: copy to the next bucket unless that is the origin (so the object goes round once).
 * Fan-out: only the origin's replicator copies, to every other bucket; a copy arriving elsewhere
 * goes no further. Neither ever writes into the bucket it reads from.
 */
export function planReplication(opts: { ownBucket: string; targets: string[]; metadata: Record<string, string>; topology: Topology }): ReplicationPlan {
  const stamped = opts.metadata[ORIGIN_KEY];
  const origin = stamped && stamped.length > 0 ? stamped : opts.ownBucket;
  const metadata = { ...opts.metadata, [ORIGIN_KEY]: origin };
  if (opts.topology === 'fanout' && origin !== opts.ownBucket) return { origin, targets: [], metadata };
  const targets = [...new Set(opts.targets)].filter((t) => t !== origin && t !== opts.ownBucket);
  return { origin, targets, metadata };
}

/** `<prefix>-<region>-<account>`: every region's replication bucket (src/stage/names.ts makes the same). */
export function bucketFor(prefix: string, region: string, account: string): string {
  return `${prefix}-${region}-${account}`;
}

/** TARGET_REGIONS as the template passes it: comma-separated, possibly empty (a one-region stage). */
export function parseRegions(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
}
