import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { replicationCommand } from '../../src/commands/replication.js';
import { statusCommand } from '../../src/commands/status.js';
import { replicationBucketName } from '../../src/stage/names.js';
import { recordPuts, settleLambdas, startHarness, type Harness } from './harness.js';

// Ring replication on three local regions: deploy chains the buckets in one pass; an object put in
// us-east-1 reaches every bucket once (body, content type, cache control, metadata, origin stamped
// once), every region's search finds it, and no replicator writes twice.
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const ACCOUNT = '000000000000';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const id = { service: 'shop', stage: 'test' };
const bucket = (region: string) => replicationBucketName(id, region, ACCOUNT);
let h: Harness;
let puts: string[] = [];

beforeAll(async () => {
  h = await startHarness(
    `service: shop\nstage: test\nregions: [us-east-1, us-west-2, eu-west-1]\ndns:\n  zone: shop.example\n  createZone: true\nreplication:\n  topology: ring\n`,
  );
  puts = recordPuts(h.cloud);
});
afterAll(async () => h?.close());

const s3In = (region: string) => new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true });

const settle = (): Promise<void> => settleLambdas(h.cloud);

async function status(): Promise<any> {
  const ctx = h.context({ json: true });
  await statusCommand(ctx).catch(() => undefined);
  return JSON.parse(ctx.io.stdout);
}

async function search(region: string, q: string, outputs: Record<string, string>): Promise<any> {
  const res = await fetch(`${h.cloud.url}/restapis/${outputs.SearchApiId}/${outputs.SearchStageName}/_user_request_/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('ring replication on three local regions', () => {
  let outputs: Record<string, Record<string, string>> = {};

  it('deploys a replication stack per region, chained in the configured order in one pass', async () => {
    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    const out = JSON.parse(ctx.io.stdout);
    expect(out.ok).toBe(true);
    for (const r of out.regions) {
      const stack = r.stacks.find((s: any) => s.stackName === 'shop-test-replication');
      expect(stack.result).toBe('created');
      outputs[r.region] = stack.outputs;
    }
    expect(REGIONS.map((r) => [r, outputs[r]!.BucketName, outputs[r]!.TargetRegions])).toEqual([
      ['us-east-1', bucket('us-east-1'), 'us-west-2'],
      ['us-west-2', bucket('us-west-2'), 'eu-west-1'],
      ['eu-west-1', bucket('eu-west-1'), 'us-east-1'],
    ]);
    await settle();
  });

  it('an object put in us-east-1 appears once in every bucket with its metadata, origin stamped once', async () => {
    puts.length = 0;
    await s3In('us-east-1').send(
      new PutObjectCommand({
        Bucket: bucket('us-east-1'),
        Key: 'docs/red flower.txt',
        Body: 'petals',
        ContentType: 'text/plain; charset=utf-8',
        CacheControl: 'max-age=60',
        Metadata: { author: 'ana' },
      }),
    );
    await settle();
    for (const region of REGIONS) {
      const got = await s3In(region).send(new GetObjectCommand({ Bucket: bucket(region), Key: 'docs/red flower.txt' }));
      expect(await got.Body!.transformToString()).toBe('petals');
      expect(got.ContentType).toBe('text/plain; charset=utf-8');
      expect(got.CacheControl).toBe('max-age=60');
      expect(got.Metadata).toEqual(region === 'us-east-1' ? { author: 'ana' } : { author: 'ana', origin: bucket('us-east-1') });
    }
    // No public data: the buckets block public access, so the object's plain URL is refused everywhere.
    for (const region of REGIONS) expect((await fetch(`${h.cloud.url}/${bucket(region)}/docs/red%20flower.txt`)).status).toBe(403);
    // One put per bucket: the user's, then us-west-2's and eu-west-1's copies; eu-west-1 stops at the origin.
    expect(puts.sort()).toEqual(REGIONS.map((r) => `${bucket(r)}/docs/red flower.txt`).sort());
  });

  it('every region indexes the object it received and finds it through GET /search?q=', async () => {
    for (const region of REGIONS) {
      const found = await search(region, 'FLOWER', outputs[region]!);
      expect(found).toMatchObject({ region, query: 'FLOWER', count: 1, results: [{ key: 'docs/red flower.txt', origin: bucket('us-east-1'), contentType: 'text/plain; charset=utf-8', size: 6 }] });
      expect((await search(region, 'nothing-like-it', outputs[region]!)).count).toBe(0);
    }
  });

  it('an object written elsewhere keeps its own origin and also travels the ring once', async () => {
    puts.length = 0;
    await s3In('eu-west-1').send(new PutObjectCommand({ Bucket: bucket('eu-west-1'), Key: 'from-eu', Body: 'x', Metadata: { origin: 'a-bucket-upstream' } }));
    await settle();
    for (const region of REGIONS) {
      const head = await s3In(region).send(new HeadObjectCommand({ Bucket: bucket(region), Key: 'from-eu' }));
      expect(head.Metadata?.origin).toBe('a-bucket-upstream');
    }
    expect(puts).toHaveLength(3);
    const listed = await s3In('us-west-2').send(new ListObjectsV2Command({ Bucket: bucket('us-west-2') }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual(['docs/red flower.txt', 'from-eu']);
  });

  it('status shows the chain, and marks the break when a link leads into an unhealthy region', async () => {
    const healthy = await status();
    expect(healthy.replication).toMatchObject({ topology: 'ring', deployed: 'us-east-1 → us-west-2 → eu-west-1 → us-east-1', broken: false, rechained: false });
    h.cloud.faults.replace({ regionOutages: ['us-west-2'] });
    const out = await status();
    expect(out.regions.find((r: any) => r.region === 'us-west-2').healthy).toBe(false);
    expect(out.replication.broken).toBe(true);
    expect(out.replication.links.filter((l: any) => !l.ok)).toEqual([{ from: 'us-east-1', to: 'us-west-2', ok: false, reason: 'us-west-2 is unhealthy' }]);
    const human = h.context();
    await statusCommand(human).catch(() => undefined);
    expect(human.io.stdout).toContain('replication (ring): us-east-1 → us-west-2');
    expect(human.io.stdout).toContain('break: us-east-1 → us-west-2: us-west-2 is unhealthy');
    expect(human.io.stdout).toContain('regionctl replication heal');
  });

  it('heal chains around the unhealthy region and backfills what the live regions missed', async () => {
    puts.length = 0;
    // Written while us-west-2 is down and before heal: us-east-1's replicator cannot reach us-west-2, so eu-west-1 misses it too.
    await s3In('us-east-1').send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: 'outage/1', Body: 'one', ContentType: 'text/plain', Metadata: { n: '1' } }));
    await settle();
    expect(puts).toEqual([`${bucket('us-east-1')}/outage/1`]);

    const ctx = h.context({ json: true });
    await replicationCommand(ctx, { action: 'heal' });
    const report = JSON.parse(ctx.io.stdout);
    expect(report.unhealthy).toEqual(['us-west-2']);
    expect(report.rechained).toEqual([{ region: 'us-east-1', from: ['us-west-2'], to: ['eu-west-1'], ok: true }]);
    expect(report.after).toMatchObject({ deployed: 'us-east-1 → eu-west-1 → us-east-1; us-west-2: off the chain', broken: false, rechained: true });
    expect(report.backfill.seeded).toEqual([{ key: 'outage/1', from: 'us-east-1', to: 'eu-west-1' }]);
    await settle();

    // Written after heal: the healed chain carries it to eu-west-1, which stops at the origin.
    await s3In('us-east-1').send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: 'outage/2', Body: 'two' }));
    await settle();
    for (const key of ['outage/1', 'outage/2']) {
      const head = await s3In('eu-west-1').send(new HeadObjectCommand({ Bucket: bucket('eu-west-1'), Key: key }));
      expect(head.Metadata?.origin).toBe(bucket('us-east-1'));
    }
    expect(puts.filter((p) => p.startsWith(bucket('eu-west-1'))).sort()).toEqual([`${bucket('eu-west-1')}/outage/1`, `${bucket('eu-west-1')}/outage/2`]);
  });

  it('deploy while the region is still down keeps the healed chain, and says so', async () => {
    const ctx = h.context({ json: true });
    await deployCommand(ctx).catch(() => undefined); // us-west-2 cannot be deployed while it is down
    const out = JSON.parse(ctx.io.stdout);
    expect(out.replicationHealKept).toEqual({ leftOut: ['us-west-2'] });
    const east = out.regions.find((r: any) => r.region === 'us-east-1');
    expect(east.ok).toBe(true);
    expect(east.stacks.find((st: any) => st.stackName === 'shop-test-replication').outputs.TargetRegions).toBe('eu-west-1');
    expect((await status()).replication).toMatchObject({ deployed: 'us-east-1 → eu-west-1 → us-east-1; us-west-2: off the chain', rechained: true, broken: false });
    const human = h.context();
    await deployCommand(human).catch(() => undefined);
    expect(human.io.stdout + human.io.stderr).toContain('kept the healed chain around us-west-2 (still unhealthy)');
  });

  it('after recovery heal restores the ring and backfills the recovered region: every region has every object, once', async () => {
    h.cloud.faults.replace({});
    puts.length = 0;
    const ctx = h.context({ json: true });
    await replicationCommand(ctx, { action: 'heal' });
    const report = JSON.parse(ctx.io.stdout);
    expect(report.unhealthy).toEqual([]);
    expect(report.rechained).toEqual([{ region: 'us-east-1', from: ['eu-west-1'], to: ['us-west-2'], ok: true }]);
    expect(report.after).toMatchObject({ deployed: 'us-east-1 → us-west-2 → eu-west-1 → us-east-1', broken: false, rechained: false });
    expect(report.backfill.seeded).toEqual([
      { key: 'outage/1', from: 'us-east-1', to: 'us-west-2' },
      { key: 'outage/2', from: 'us-east-1', to: 'us-west-2' },
    ]);
    await settle();
    // us-west-2's replicator found both already in eu-west-1: the backfill added exactly one copy per missing object.
    expect(puts.sort()).toEqual([`${bucket('us-west-2')}/outage/1`, `${bucket('us-west-2')}/outage/2`]);
    const keys = async (region: string) => (await s3In(region).send(new ListObjectsV2Command({ Bucket: bucket(region) }))).Contents!.map((c) => c.Key).sort();
    const expected = ['docs/red flower.txt', 'from-eu', 'outage/1', 'outage/2'];
    for (const region of REGIONS) expect(await keys(region)).toEqual(expected);
    const one = await s3In('us-west-2').send(new GetObjectCommand({ Bucket: bucket('us-west-2'), Key: 'outage/1' }));
    expect([await one.Body!.transformToString(), one.ContentType, one.Metadata]).toEqual(['one', 'text/plain', { n: '1', origin: bucket('us-east-1') }]);
    expect((await search('us-west-2', 'outage', outputs['us-west-2']!)).count).toBe(2);
    // Region health comes from wall-clock HTTP probes (5 s each, asked twice): on a loaded machine a
    // check's cold start can miss that budget (seen once in three runs at load 8-10). Such a status is
    // asked again, at most twice; any other reason fails at once. The message says which region and why.
    let after = await status();
    const unhealthyNow = () => after.regions.filter((r: any) => !r.healthy).map((r: any) => `${r.region}: ${r.reasons.join('; ')}`);
    for (let again = 0; again < 2 && unhealthyNow().length > 0 && unhealthyNow().every((u: string) => /no answer within \d+ ms/.test(u)); again++) {
      after = await status();
    }
    const unhealthy = unhealthyNow();
    expect(after.replication, `unhealthy regions: ${unhealthy.join(' | ') || 'none'}`).toMatchObject({ broken: false, rechained: false });
  });

  it('destroy empties the buckets before deleting the replication stacks', async () => {
    const ctx = h.context({ json: true });
    await destroyCommand(ctx, { yes: true });
    expect(JSON.parse(ctx.io.stdout).ok).toBe(true);
    const left = (await s3In('us-east-1').send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(left.filter((b) => REGIONS.some((r) => b.Name === bucket(r)))).toEqual([]);
  });
});
