import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { describeExit, isAlive, jsonOf, e2eSuite } from './regionctl.js';

// `regionctl replication heal` as a user runs it (node bin/regionctl, the built dist/) against a
// local-cloud daemon this suite starts on ports the OS picks: deploy a ring over three regions, take
// one down (the daemon's fault endpoint), write, heal around it, bring it back, heal again; every
// bucket ends with every object. Waits poll the buckets with a deadline (the daemon runs Lambdas
// in real time).
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const suite = e2eSuite('repl', { config: `service: ring\nstage: e2e\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: ring.example\n  createZone: true\nreplication:\n  topology: ring\n` });
const { dir, run } = suite;

/** Run with --local --json; expect exit `code` (null: any) and return the document. */
async function localJson(args: string[], code: number | null = 0, timeoutMs?: number): Promise<any> {
  if (!isAlive(suite.pid)) throw new Error(`the suite's local cloud (pid ${suite.pid}) is gone`);
  const full = [...args, '--local', '--port', String(suite.port), '--json'];
  const exit = await run(full, timeoutMs);
  if (code !== null) expect(exit.code, describeExit(full, exit)).toBe(code);
  return jsonOf(exit);
}

const s3 = (region: string) => new S3Client({ region, endpoint: suite.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const buckets: Record<string, string> = {};
const keysIn = async (region: string) => ((await s3(region).send(new ListObjectsV2Command({ Bucket: buckets[region] }))).Contents ?? []).map((c) => c.Key!).sort();

async function until(what: string, done: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const faults = (body: unknown) => fetch(`${suite.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify(body) }).then((r) => expect(r.status).toBe(200));

describe('regionctl replication heal end to end', { timeout: 300_000 }, () => {
  it('deploy chains the three buckets in one pass; status shows the ring', async () => {
    const doc = await localJson(['deploy'], 0, 280_000);
    expect(doc.ok).toBe(true);
    for (const r of doc.regions) buckets[r.region] = r.stacks.find((s: any) => s.stackName === 'ring-e2e-replication').outputs.BucketName;
    const status = await localJson(['status']);
    expect(status.replication).toMatchObject({ topology: 'ring', deployed: 'us-east-1 → us-west-2 → eu-west-1 → us-east-1', broken: false });
  });

  it('with us-west-2 down, heal chains around it; back up, heal restores the ring and backfills: nothing is lost', async () => {
    await s3('us-east-1').send(new PutObjectCommand({ Bucket: buckets['us-east-1'], Key: 'before', Body: 'b' }));
    await until('"before" in every region', async () => (await Promise.all(REGIONS.map(keysIn))).every((k) => k.includes('before')));

    await faults({ regionOutages: ['us-west-2'] });
    const broken = await localJson(['status'], null);
    expect(broken.replication.links.filter((l: any) => !l.ok)).toEqual([{ from: 'us-east-1', to: 'us-west-2', ok: false, reason: 'us-west-2 is unhealthy' }]);

    const healed = await localJson(['replication', 'heal'], 0, 200_000);
    expect(healed.rechained).toEqual([{ region: 'us-east-1', from: ['us-west-2'], to: ['eu-west-1'], ok: true }]);
    await s3('us-east-1').send(new PutObjectCommand({ Bucket: buckets['us-east-1'], Key: 'during', Body: 'd', Metadata: { note: 'outage' } }));
    await until('"during" in eu-west-1', async () => (await keysIn('eu-west-1')).includes('during'));

    await faults({});
    const restored = await localJson(['replication', 'heal'], 0, 200_000);
    expect(restored.rechained).toEqual([{ region: 'us-east-1', from: ['eu-west-1'], to: ['us-west-2'], ok: true }]);
    expect(restored.after.deployed).toBe('us-east-1 → us-west-2 → eu-west-1 → us-east-1');
    expect(restored.backfill.seeded).toEqual([{ key: 'during', from: 'us-east-1', to: 'us-west-2' }]);
    await until('every object in every region', async () => (await Promise.all(REGIONS.map(keysIn))).every((k) => k.join() === 'before,during'));
    const copy = await s3('us-west-2').send(new HeadObjectCommand({ Bucket: buckets['us-west-2'], Key: 'during' }));
    expect(copy.Metadata).toEqual({ note: 'outage', origin: buckets['us-east-1'] });
  });

  it('replication heal without replication configured exits 2 and says what to add', async () => {
    writeFileSync(join(dir, 'other.yml'), 'service: plain\nregions: [us-east-1]\n');
    const args = ['replication', 'heal', '--config', 'other.yml', '--local', '--port', String(suite.port)];
    const exit = await run(args);
    expect(exit.code, describeExit(args, exit)).toBe(2);
    expect(exit.stderr).toMatch(/no replication configured/);
  });

  it('destroy empties the buckets and deletes every stack', async () => {
    const doc = await localJson(['destroy', '--yes'], 0, 200_000);
    expect(doc.ok).toBe(true);
  });
});
