// Ring vs fan-out vs s3 replication on five local regions, same run: N objects written in rounds
// across the regions' buckets (body, content type, metadata), then every copy's lag from the
// original put, p50/p99 overall and by hops from the origin, total copies, and copies per object
// per region (must be exactly one). In-process local cloud (port 0, virtual clock) deployed with
// regionctl's own deploy.
// ring / fanout: wall ms through S3 → SNS → replicator Lambda → S3 in the next region (the cloud
// clock does not move: Lambda work is real work on this machine).
// s3: S3 Cross-Region Replication runs on the cloud clock, so its lag is cloud ms: the modelled
// replication lag (faults replicationLagMs, default 1 s per copy), not a measurement of AWS; what the
// run shows is that every copy is one hop and arrives exactly once, with no Lambda in the path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createContext } from '../src/commands/context.js';
import { deployCommand } from '../src/commands/deploy.js';
import { createMemoryIo } from '../src/io/index.js';
import { ManualClock } from '../src/local-cloud/clock.js';
import { startLocalCloud } from '../src/local-cloud/server.js';
import { replicationBucketName } from '../src/stage/names.js';
import { ALL_REGIONS, QUICK, round, save } from './lib.js';

const REGIONS = ALL_REGIONS.slice(0, QUICK ? 2 : 5);
/** Cloud ms the s3 rounds advance the clock by: the local cloud's default S3 replication lag. */
const S3_LAG_MS = 1000;
const OBJECTS = QUICK ? 4 : 250; // a multiple of the region count
const ACCOUNT = '000000000000';
const id = { service: 'bench', stage: 'repl' };

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!, 1) : NaN;
};

interface Outcome {
  lags: number[];
  byHops: Record<number, number[]>;
  copies: number;
  /** (object, region) pairs whose bucket got other than exactly one write. */
  wrongCounts: number;
  seconds: number;
  /** SNS → Lambda deliveries that failed (the newest 200 per region), and the first reason. */
  failedDeliveries: number;
  firstFailure?: string;
}

type Topology = 'ring' | 'fanout' | 's3';

async function measure(topology: Topology): Promise<Outcome> {
  const clock = new ManualClock();
  const cloud = await startLocalCloud({ port: 0, clock });
  const lambda = cloud.service('lambda');
  // s3 copies wait for the cloud clock; the Lambda topologies' copies do not.
  const now = () => (topology === 's3' ? clock.now() : performance.now());
  const settle = async (n: number) => {
    if (topology === 's3') await clock.advance(S3_LAG_MS);
    for (let i = 0; i < n; i++) await lambda.settled();
  };
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-repl-'));
  try {
    writeFileSync(join(dir, 'regionctl.yml'), `service: ${id.service}\nstage: ${id.stage}\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: bench.example\n  createZone: true\nreplication:\n  topology: ${topology}\n`);
    const io = createMemoryIo({ json: true });
    const ctx = createContext({ cwd: dir, env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, global: { json: true, color: false, verbose: false, endpoint: cloud.url }, io });
    await deployCommand(ctx);
    await ctx.dispose();
    for (let i = 0; i < 10; i++) await lambda.settled(); // S3's test events

    const writes = new Map<string, number[]>(); // `${bucket}/${key}` → times
    const s3 = cloud.service('s3');
    const deliver = s3.onObjectCreated!;
    s3.onObjectCreated = (region, bucket, key, event) => {
      const at = `${bucket}/${key}`;
      writes.set(at, [...(writes.get(at) ?? []), now()]);
      deliver(region, bucket, key, event);
    };
    const clients = Object.fromEntries(REGIONS.map((r) => [r, new S3Client({ region: r, endpoint: cloud.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })]));
    // Warm every region's functions first: the figure is steady-state lag, not Lambda cold starts.
    for (const region of REGIONS) await clients[region]!.send(new PutObjectCommand({ Bucket: replicationBucketName(id, region, ACCOUNT), Key: `warm-${region}`, Body: 'w' }));
    await settle(20);
    // Rounds of one object per region, each round replicated before the next: the lag of the chain
    // itself (hops), not of a backlog the local machine builds up (an earlier unpaced run of 500
    // objects measured minutes of queueing, and lost fan-out copies to failed deliveries).
    const started = performance.now();
    for (let round = 0; round < OBJECTS / REGIONS.length; round++) {
      await Promise.all(
        REGIONS.map((region, j) =>
          clients[region]!.send(
            new PutObjectCommand({
              Bucket: replicationBucketName(id, region, ACCOUNT),
              Key: `obj-${round * REGIONS.length + j}`,
              Body: `payload ${round}`,
              ContentType: 'text/plain',
              Metadata: { n: String(round) },
            }),
          ),
        ),
      );
      await settle(10);
    }
    await settle(50);
    const seconds = (performance.now() - started) / 1000;
    for (const c of Object.values(clients)) c.destroy();

    const sns = cloud.service('sns');
    const failed = REGIONS.flatMap((r) => sns.deliveries(r).filter((d) => !d.ok));
    const out: Outcome = { lags: [], byHops: {}, copies: 0, wrongCounts: 0, seconds, failedDeliveries: failed.length, ...(failed[0]?.error ? { firstFailure: failed[0].error } : {}) };
    for (let i = 0; i < OBJECTS; i++) {
      const origin = i % REGIONS.length;
      const t0 = writes.get(`${replicationBucketName(id, REGIONS[origin]!, ACCOUNT)}/obj-${i}`)?.[0];
      for (const [j, region] of REGIONS.entries()) {
        const times = writes.get(`${replicationBucketName(id, region, ACCOUNT)}/obj-${i}`) ?? [];
        if (times.length !== 1) out.wrongCounts++;
        if (j === origin || times.length === 0 || t0 === undefined) continue;
        out.copies += times.length;
        const lag = times[0]! - t0;
        const hops = topology === 'ring' ? (j - origin + REGIONS.length) % REGIONS.length : 1;
        out.lags.push(lag);
        (out.byHops[hops] ??= []).push(lag);
      }
    }
    return out;
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ring = await measure('ring');
const fanout = await measure('fanout');
const s3 = await measure('s3');
const describe = (o: Outcome) => ({
  p50Ms: pct(o.lags, 50),
  p99Ms: pct(o.lags, 99),
  copies: o.copies,
  expectedCopies: OBJECTS * (REGIONS.length - 1),
  wrongCopyCounts: o.wrongCounts,
  seconds: round(o.seconds, 1),
  failedDeliveries: o.failedDeliveries,
  ...(o.firstFailure ? { firstFailure: o.firstFailure } : {}),
  p50ByHopsMs: Object.fromEntries(Object.entries(o.byHops).map(([h, xs]) => [h, pct(xs, 50)])),
});
const r = describe(ring);
const f = describe(fanout);
const c = describe(s3);
save({
  name: 'replication-topologies',
  figure: `replication lag, ${OBJECTS} objects across ${REGIONS.length} regions: ring vs fan-out (p50, wall ms) and s3 (cloud ms, modelled)`,
  unit: 'ms',
  runs: { ring: ring.lags, fanout: fanout.lags, s3: s3.lags },
  ratio: r.p50Ms / f.p50Ms,
  goal: null,
  measured: `ring p50 ${r.p50Ms} / p99 ${r.p99Ms} ms vs fan-out p50 ${f.p50Ms} / p99 ${f.p99Ms} ms (wall) vs s3 p50 ${c.p50Ms} / p99 ${c.p99Ms} ms (cloud, modelled); copies ${r.copies} / ${f.copies} / ${c.copies} (expected ${r.expectedCopies}); wrong counts ${r.wrongCopyCounts} / ${f.wrongCopyCounts} / ${c.wrongCopyCounts}`,
  // No goal, so no verdict (the bench contract); whether every object arrived exactly once is recorded beside it.
  // Not named ring/fanout: save() keeps each variant's statistics under its run's name.
  extra: {
    regions: REGIONS,
    objects: OBJECTS,
    exactlyOnce: [ring, fanout, s3].every((o) => o.wrongCounts === 0) && [r, f, c].every((d) => d.copies === d.expectedCopies),
    ringDetail: r,
    fanoutDetail: f,
    s3Detail: { ...c, lagClock: `cloud ms: the local cloud's S3 replication lag (${S3_LAG_MS} ms), not a measurement of AWS` },
  },
});
