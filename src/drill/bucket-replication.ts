import { DeleteObjectsCommand, HeadBucketCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import type { Topology } from '../stage/chain.js';
import { functionName, replicationBucketName } from '../stage/names.js';
import type { Sleeper } from '../wait.js';
import { pool, type PairLag } from './replication.js';

// The bucket replication drill (`drill replication --buckets`): canary objects written into every
// region's replication bucket, each looked for in every other region's bucket until a deadline. Lag
// per pair is measured by the drill itself (write acknowledged → first listing that shows the key;
// resolution: the poll interval), since only S3's own replication has a ReplicationLatency metric and
// ring/fanout have none. Copies per object per bucket must be exactly one:
//  - topology s3: the buckets are versioned, so every PUT of a key is a version: counting versions is
//    exact whoever wrote it.
//  - ring/fanout: the buckets are not versioned (a second PUT leaves no trace in the bucket), so the
//    replicators' own log is counted: each invocation logs every copy it made ({"copied":[{key,to}]}),
//    plus the drill's own write in the origin bucket. A copy present in a bucket but absent from the
//    log makes the count incomplete, which fails the drill rather than passing it unchecked.
// Afterwards every version of every canary (and any delete marker) is deleted from every bucket.

export interface BucketDrillClients {
  s3(region: string): S3Client;
  logs(region: string): CloudWatchLogsClient;
}

export interface BucketReplicationReport {
  topology: Topology;
  buckets: Record<string, string>;
  samples: number;
  pairs: PairLag[];
  copies: { expected: number; found: number; duplicates: number; method: 'versions' | 'replicator-log' };
  result: 'passed' | 'failed';
  failures: string[];
  /** Canary versions deleted afterwards. */
  cleanedUp: number;
  /** Regions whose bucket still holds canaries (it could not be reached to delete them). */
  leftBehind: string[];
  /** Lag resolution: the poll interval (cloud ms). */
  resolutionMs: number;
  seconds: number;
}

export interface BucketDrillOptions {
  service: string;
  stage: string;
  regions: readonly string[];
  topology: Topology;
  account: string;
  clients: BucketDrillClients;
  io: Io;
  clock: Sleeper;
  samples: number;
  /** Cloud ms to wait, after the last write, for every copy to arrive (default 60 s). */
  deadlineMs?: number;
  poll?: number;
  concurrency?: number;
  /** Real ms without a new arrival (or replicator log line) after which, past the deadline, the drill stops waiting (default 15 s). */
  logIdleMs?: number;
  realNow?: () => number;
  signal?: AbortSignal;
}

interface Canary {
  key: string;
  region: string;
  writtenAt: number;
}

/** Nearest-rank percentile of sorted values. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

async function listPrefix(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function listVersions(s3: S3Client, bucket: string, prefix: string): Promise<{ versions: Array<{ key: string; versionId?: string }>; markers: Array<{ key: string; versionId?: string }> }> {
  const versions: Array<{ key: string; versionId?: string }> = [];
  const markers: Array<{ key: string; versionId?: string }> = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    for (const v of page.Versions ?? []) if (v.Key !== undefined) versions.push({ key: v.Key, ...(v.VersionId ? { versionId: v.VersionId } : {}) });
    for (const m of page.DeleteMarkers ?? []) if (m.Key !== undefined) markers.push({ key: m.Key, ...(m.VersionId ? { versionId: m.VersionId } : {}) });
    if (!page.IsTruncated) return { versions, markers };
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}

/** Every copy the replicators logged since `since` (cloud ms), as `bucket/key` → count. */
async function loggedCopies(opts: BucketDrillOptions, since: number, keys: ReadonlySet<string>, unreadable: Set<string>): Promise<Map<string, number>> {
  const group = `/aws/lambda/${functionName(opts, 'replicator')}`;
  const counts = new Map<string, number>();
  for (const region of opts.regions) {
    let nextToken: string | undefined;
    do {
      const page = await opts.clients
        .logs(region)
        .send(new FilterLogEventsCommand({ logGroupName: group, startTime: since, filterPattern: '"copied"', nextToken }))
        .catch((error: { name?: string; message?: string }) => {
          if (error.name !== 'ResourceNotFoundException') unreadable.add(`${region} (${error.message ?? error.name})`);
          return { events: [], nextToken: undefined };
        });
      for (const e of page.events ?? []) {
        const message = e.message ?? '';
        const at = message.indexOf('{');
        if (at < 0) continue;
        let line: { copied?: Array<{ key?: unknown; to?: unknown }> };
        try {
          line = JSON.parse(message.slice(at)) as typeof line;
        } catch {
          continue;
        }
        for (const c of Array.isArray(line.copied) ? line.copied : []) {
          const key = String(c.key ?? '');
          if (!keys.has(key)) continue;
          const id = `${String(c.to ?? '')}/${key}`;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return counts;
}

/**
 * Delete every version and delete marker under the drill's prefix in every bucket (by version id: S3
 * replicates no such delete). A bucket that cannot be cleaned (its region is down) is named in `left`.
 */
async function cleanUp(opts: BucketDrillOptions, buckets: Record<string, string>, prefix: string): Promise<{ deleted: number; left: string[] }> {
  let deleted = 0;
  const left: string[] = [];
  for (const region of opts.regions) {
    try {
      deleted += await cleanBucket(opts, region, buckets[region]!, prefix);
    } catch (error) {
      left.push(region);
      opts.io.emit({ kind: 'warn', region, message: `could not delete the canary objects under ${buckets[region]}/${prefix}: ${(error as Error).message}` });
    }
  }
  return { deleted, left };
}

async function cleanBucket(opts: BucketDrillOptions, region: string, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  {
    const s3 = opts.clients.s3(region);
    let objects: Array<{ Key: string; VersionId?: string }>;
    if (opts.topology === 's3') {
      const { versions, markers } = await listVersions(s3, bucket, prefix);
      objects = [...versions, ...markers].map((v) => ({ Key: v.key, ...(v.versionId ? { VersionId: v.versionId } : {}) }));
    } else {
      objects = (await listPrefix(s3, bucket, prefix)).map((Key) => ({ Key }));
    }
    for (let i = 0; i < objects.length; i += 1000) {
      const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects.slice(i, i + 1000), Quiet: true } }));
      if ((out.Errors ?? []).length > 0) throw new RegionctlError('CleanupFailed', `could not delete ${out.Errors!.length} canary object(s) in ${bucket}: ${out.Errors![0]!.Message ?? out.Errors![0]!.Code}`, 1);
      deleted += Math.min(1000, objects.length - i);
    }
  }
  return deleted;
}

export async function bucketReplicationDrill(opts: BucketDrillOptions): Promise<BucketReplicationReport> {
  const { io, clock, regions } = opts;
  const started = clock.now();
  const poll = opts.poll ?? 250;
  const deadlineMs = opts.deadlineMs ?? 60_000;
  const buckets = Object.fromEntries(regions.map((r) => [r, replicationBucketName(opts, r, opts.account)]));
  if (regions.length < 2) throw new RegionctlError('OneRegion', 'drill replication --buckets needs at least two regions: one bucket replicates nowhere', 2);

  io.emit({ kind: 'step', id: 'drill', state: 'start', label: `checking the replication buckets in ${regions.join(', ')}` });
  const absent: string[] = [];
  await Promise.all(
    regions.map(async (region) => {
      await opts.clients
        .s3(region)
        .send(new HeadBucketCommand({ Bucket: buckets[region] }))
        .catch((error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
          // Absent (404) is a deploy to run; anything else (the region is down, 503) is what the drill reports as missing.
          if (error.$metadata?.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchBucket') absent.push(`${buckets[region]} (${region})`);
          else io.emit({ kind: 'warn', region, message: `${buckets[region]} cannot be reached (${error.name ?? 'error'}): its copies will be missing` });
        });
    }),
  );
  if (absent.length > 0) {
    io.emit({ kind: 'step', id: 'drill', state: 'failed', label: 'replication buckets missing' });
    throw new RegionctlError('BucketMissing', `no replication bucket ${absent.join(', ')}`, 1, { hint: 'run `regionctl deploy` (regionctl.yml needs a replication: section)' });
  }

  const run = `drill-${started.toString(36)}`;
  const prefix = `regionctl-drill/${run}/`;
  const canaries: Canary[] = [];
  const failures: string[] = [];
  let cleaned: { deleted: number; left: string[] } | undefined;
  try {
    io.emit({ kind: 'step', id: 'drill', state: 'update', label: `writing ${opts.samples} canary object(s) into each of ${regions.length} bucket(s)` });
    const jobs = regions.flatMap((region) => Array.from({ length: opts.samples }, (_, seq) => ({ region, seq })));
    jobs.sort((a, b) => a.seq - b.seq || regions.indexOf(a.region) - regions.indexOf(b.region));
    let refused = 0;
    await pool(jobs, opts.concurrency ?? 16, async ({ region, seq }) => {
      const key = `${prefix}${region}/${String(seq).padStart(6, '0')}`;
      const writtenAt = clock.now();
      try {
        await opts.clients.s3(region).send(new PutObjectCommand({ Bucket: buckets[region], Key: key, Body: `regionctl replication drill ${run}\n`, ContentType: 'text/plain' }));
        canaries.push({ key, region, writtenAt });
      } catch (error) {
        refused++;
        io.emit({ kind: 'warn', region, message: `write ${key} refused: ${(error as Error).message}` });
      }
    });
    if (refused > 0) failures.push(`${refused} canary write(s) refused`);
    const written = clock.now();

    // Per receiving region, the canaries not yet seen there; and the lag of each arrival per pair.
    const pending = new Map(regions.map((to) => [to, new Map(canaries.filter((c) => c.region !== to).map((c) => [c.key, c]))]));
    const lags = new Map<string, number[]>();
    const realNow = opts.realNow ?? Date.now;
    const idleMs = opts.logIdleMs ?? 15_000;
    let seen = 0;
    let shown = -1;
    let lastArrival = realNow();
    const expectedCopies = canaries.length * (regions.length - 1);
    const arrived = () => expectedCopies - [...pending.values()].reduce((n, m) => n + m.size, 0);
    for (;;) {
      const now = clock.now();
      await Promise.all(
        regions.map(async (to) => {
          const left = pending.get(to)!;
          if (left.size === 0) return;
          // A bucket that cannot be listed (its region is down) keeps everything pending: missing at the deadline.
          const listed = await listPrefix(opts.clients.s3(to), buckets[to]!, prefix).catch(() => [] as string[]);
          for (const key of listed) {
            const c = left.get(key);
            if (!c) continue;
            left.delete(key);
            const pair = `${c.region}>${to}`;
            lags.set(pair, [...(lags.get(pair) ?? []), Math.max(0, now - c.writtenAt)]);
          }
        }),
      );
      if (arrived() !== shown) {
        shown = arrived();
        io.emit({ kind: 'step', id: 'drill', state: 'update', label: `${shown}/${expectedCopies} copies arrived` });
      }
      if (arrived() === expectedCopies) break;
      // The replicators run as Lambdas, at the pace of real work rather than cloud time (on a local
      // cloud at 60× the deadline passes before a cold start is over): past the deadline, keep
      // waiting while copies still arrive, and stop once none came for logIdleMs of real time.
      if (arrived() > seen) {
        seen = arrived();
        lastArrival = realNow();
      }
      // Before the first copy, the replicators may still be starting cold: allow four idle windows.
      if (clock.now() >= written + deadlineMs && realNow() - lastArrival >= (seen === 0 ? 4 * idleMs : idleMs)) break;
      await clock.sleep(poll, opts.signal);
    }
    const missingAll = [...pending.values()].reduce((n, m) => n + m.size, 0);
    if (missingAll > 0) failures.push(`${missingAll} copy(ies) missing at the deadline`);

    // Copies per object per bucket.
    io.emit({ kind: 'step', id: 'drill', state: 'update', label: opts.topology === 's3' ? 'counting versions of every canary in every bucket' : "counting copies in the replicators' logs" });
    const keys = new Set(canaries.map((c) => c.key));
    const present = regions.flatMap((to) => canaries.filter((c) => c.region === to || !pending.get(to)!.has(c.key)).map((c) => `${buckets[to]}/${c.key}`));
    const perObject = new Map<string, number>();
    if (opts.topology === 's3') {
      for (const region of regions) {
        const listed = await listVersions(opts.clients.s3(region), buckets[region]!, prefix).catch((error: Error) => {
          failures.push(`the versions in ${buckets[region]} could not be counted (${error.message})`);
          return { versions: [] };
        });
        for (const v of listed.versions) {
          if (!keys.has(v.key)) continue;
          const id = `${buckets[region]}/${v.key}`;
          perObject.set(id, (perObject.get(id) ?? 0) + 1);
        }
      }
    } else {
      // The drill's own writes are one copy each in the origin bucket; the replicators log the rest,
      // at the pace of real work: keep reading while lines still come in.
      let lastProgress = realNow();
      let logged = new Map<string, number>();
      const unreadable = new Set<string>();
      const due = clock.now() + deadlineMs;
      for (;;) {
        const before = [...logged.values()].reduce((a, b) => a + b, 0);
        unreadable.clear();
        logged = await loggedCopies(opts, started - 1000, keys, unreadable);
        const total = [...logged.values()].reduce((a, b) => a + b, 0);
        if (total >= expectedCopies - missingAll) break;
        if (total > before) lastProgress = realNow();
        if (clock.now() >= due && realNow() - lastProgress >= idleMs) break;
        await clock.sleep(Math.max(poll, 1000), opts.signal);
      }
      for (const c of canaries) perObject.set(`${buckets[c.region]}/${c.key}`, 1);
      // A replicator copying into the origin bucket shows here as a second copy there.
      for (const [id, n] of logged) perObject.set(id, (perObject.get(id) ?? 0) + n);
      if (unreadable.size > 0) failures.push(`the replicator log in ${[...unreadable].join(', ')} could not be read: its copies are uncounted`);
      const uncounted = present.filter((id) => !perObject.has(id)).length;
      if (uncounted > 0) failures.push(`${uncounted} copy(ies) present but not in the replicators' logs: the copy count is incomplete`);
    }
    const found = [...perObject.values()].reduce((a, b) => a + b, 0);
    const duplicates = [...perObject.values()].reduce((n, v) => n + Math.max(0, v - 1), 0);
    if (duplicates > 0) failures.push(`${duplicates} duplicate cop${duplicates === 1 ? 'y' : 'ies'} (an object written more than once into a bucket)`);

    const pairs: PairLag[] = regions.flatMap((from) =>
      regions
        .filter((to) => to !== from)
        .map((to) => {
          const values = [...(lags.get(`${from}>${to}`) ?? [])].sort((a, b) => a - b);
          return {
            from,
            to,
            samples: values.length,
            p50Ms: nearestRank(values, 50),
            p95Ms: nearestRank(values, 95),
            p99Ms: nearestRank(values, 99),
            maxMs: values.length ? values[values.length - 1]! : null,
            missing: [...pending.get(to)!.values()].filter((c) => c.region === from).length,
          };
        }),
    );

    io.emit({ kind: 'step', id: 'drill', state: 'update', label: 'deleting the canary objects (all versions)' });
    cleaned = await cleanUp(opts, buckets, prefix);
    if (cleaned.left.length > 0) failures.push(`canary objects under ${prefix} not checked or deleted in ${cleaned.left.join(', ')} (unreachable): delete every version under s3://<bucket>/${prefix} there once the region is back`);
    const report: BucketReplicationReport = {
      topology: opts.topology,
      buckets,
      samples: opts.samples,
      pairs,
      copies: { expected: canaries.length * regions.length, found, duplicates, method: opts.topology === 's3' ? 'versions' : 'replicator-log' },
      result: failures.length === 0 ? 'passed' : 'failed',
      failures,
      cleanedUp: cleaned.deleted,
      leftBehind: cleaned.left,
      resolutionMs: poll,
      seconds: Math.round((clock.now() - started) / 100) / 10,
    };
    io.emit({ kind: 'step', id: 'drill', state: report.result === 'passed' ? 'done' : 'failed', label: `bucket replication drill ${report.result}` });
    return report;
  } catch (error) {
    // Leave no canary behind on the way out either (best effort; the error is what the user sees).
    if (!cleaned) await cleanUp(opts, buckets, prefix);
    throw error;
  }
}
