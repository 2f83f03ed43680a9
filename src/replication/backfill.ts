import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Topology } from '../stage/chain.js';

/** The metadata key the replicator stamps (src/lambdas/replicator/plan.ts ORIGIN_KEY). */
const ORIGIN_KEY = 'origin';

export interface BackfillLink {
  region: string;
  bucket: string;
  /** Where this region's replicator writes now. */
  targets: string[];
}

export interface BackfillResult {
  /** Keys seen in any live bucket. */
  keys: number;
  /** Objects some live bucket lacked. */
  missing: number;
  /** The copies regionctl wrote itself; the chain carries each on from there. */
  seeded: Array<{ key: string; from: string; to: string }>;
}

async function listKeys(s3: S3Client, bucket: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.set(o.Key, o.ETag ?? '');
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * After a region missed objects (it was down, or the chain ran around it), give every live bucket
 * every object. Ring: only the first region of each run of regions lacking a key is seeded, from
 * its predecessor in the chain; the replicators carry it on (a replicator skips a target that holds
 * the same bytes), so each bucket gets exactly one new copy. Fan-out: every lacking region is
 * seeded (a copy that did not originate there goes no further). Copies keep the object's body,
 * content type, cache control and metadata, with `origin` stamped when the source had none.
 */
export async function backfill(opts: { s3: (region: string) => S3Client; links: readonly BackfillLink[]; topology: Topology }): Promise<BackfillResult> {
  const listed = await Promise.all(opts.links.map((l) => listKeys(opts.s3(l.region), l.bucket)));
  const has = (i: number, key: string) => listed[i]!.has(key);
  const all = new Set(listed.flatMap((m) => [...m.keys()]));
  const result: BackfillResult = { keys: all.size, missing: 0, seeded: [] };
  const predecessor = (i: number) => opts.links.findIndex((l) => l.targets.includes(opts.links[i]!.region));
  for (const key of [...all].sort()) {
    const lacking = opts.links.map((_, i) => i).filter((i) => !has(i, key));
    if (lacking.length === 0) continue;
    result.missing++;
    for (const i of lacking) {
      let from: number;
      if (opts.topology === 'ring') {
        from = predecessor(i);
        if (from < 0 || !has(from, key)) continue; // the chain brings it from an earlier seed
      } else {
        from = opts.links.findIndex((_, j) => has(j, key));
      }
      await copy(opts.s3, opts.links[from]!, opts.links[i]!, key);
      result.seeded.push({ key, from: opts.links[from]!.region, to: opts.links[i]!.region });
    }
  }
  return result;
}

async function copy(s3: (region: string) => S3Client, from: BackfillLink, to: BackfillLink, key: string): Promise<void> {
  const source = await s3(from.region).send(new GetObjectCommand({ Bucket: from.bucket, Key: key }));
  const body = await source.Body!.transformToByteArray();
  const metadata = { ...(source.Metadata ?? {}) };
  if (!metadata[ORIGIN_KEY]) metadata[ORIGIN_KEY] = from.bucket;
  await s3(to.region).send(
    new PutObjectCommand({ Bucket: to.bucket, Key: key, Body: body, ContentType: source.ContentType, CacheControl: source.CacheControl, Metadata: metadata }),
  );
}
