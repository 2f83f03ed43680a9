import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteObjectsCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deployCommand } from '../../src/commands/deploy.js';
import { replicationCommand } from '../../src/commands/drill-replication.js';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { replicationBucketName } from '../../src/stage/names.js';
import { startHarness, type Harness } from './harness.js';

// drill replication --buckets on three local regions (ring, fanout, s3): every canary arrives once in
// every bucket, the second hop of the ring takes longer than the first, the canaries are gone
// afterwards; with a replicator broken the missing copies are reported and the drill fails.
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const ACCOUNT = '000000000000';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bucket = (region: string) => replicationBucketName({ service: 'shop', stage: 'test' }, region, ACCOUNT);
const config = (topology: string) => `service: shop\nstage: test\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: shop.example\n  createZone: true\nreplication:\n  topology: ${topology}\n`;

async function drill(h: Harness, samples: number): Promise<{ doc: any; error?: Error; human: string }> {
  const ctx = h.context({ json: true }, {}, { clock: h.sleeper() });
  const config = await ctx.loadConfig();
  const error = await replicationCommand(ctx, config, { action: 'replication', buckets: true, samples }).then(() => undefined, (e: Error) => e);
  return { doc: JSON.parse(ctx.io.stdout), error, human: ctx.io.stderr };
}

async function versionsLeft(h: Harness): Promise<number> {
  let n = 0;
  for (const region of REGIONS) {
    const out = await new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true }).send(new ListObjectVersionsCommand({ Bucket: bucket(region), Prefix: 'regionctl-drill/' }));
    n += (out.Versions ?? []).length + (out.DeleteMarkers ?? []).length;
  }
  return n;
}

for (const topology of ['ring', 'fanout', 's3'] as const) {
  describe(`drill replication --buckets, topology ${topology}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(config(topology));
      const ctx = h.context({ json: true });
      await deployCommand(ctx);
      expect(JSON.parse(ctx.io.stdout).ok).toBe(true);
    }, 120_000);
    afterAll(async () => h?.close());

    it('every canary arrives exactly once in every bucket; lag per pair; the canaries are deleted afterwards', async () => {
      const { doc, error } = await drill(h, 4);
      expect(error).toBeUndefined();
      expect(doc.result).toBe('passed');
      expect(doc.pairs).toHaveLength(6);
      for (const p of doc.pairs) expect(p).toMatchObject({ samples: 4, missing: 0 });
      for (const p of doc.pairs) expect(p.p50Ms).toBeGreaterThanOrEqual(0);
      expect(doc.copies).toMatchObject({ expected: 12 * 3, found: 12 * 3, duplicates: 0, method: topology === 's3' ? 'versions' : 'replicator-log' });
      if (topology === 'ring') {
        // us-east-1 → us-west-2 is one hop; us-east-1 → eu-west-1 goes through us-west-2: two.
        const lag = (from: string, to: string) => doc.pairs.find((p: any) => p.from === from && p.to === to).p50Ms;
        // The second hop copies what the first delivered, so it is never earlier; a poll may see both at once.
        expect(lag('us-east-1', 'eu-west-1')).toBeGreaterThanOrEqual(lag('us-east-1', 'us-west-2'));
        expect(lag('us-west-2', 'us-east-1')).toBeGreaterThanOrEqual(lag('us-west-2', 'eu-west-1'));
        expect(lag('eu-west-1', 'us-west-2')).toBeGreaterThanOrEqual(lag('eu-west-1', 'us-east-1'));
      }
      // Ring: one object per bucket per canary; s3: one version each (S3 replicates no version-id delete).
      expect(doc.cleanedUp).toBe(36);
      expect(await versionsLeft(h)).toBe(0);
    }, 120_000);

    if (topology === 's3') {
      it('an object written twice into a bucket is a duplicate: the drill fails', async () => {
        // Stand-in for a replicator that writes twice: when the first canary replica lands in
        // eu-west-1, the same key is put there once more (a second version of it).
        const s3 = h.cloud.service('s3');
        const deliver = s3.onObjectCreated!;
        let doubled: string | undefined;
        s3.onObjectCreated = (region, b, key, event) => {
          deliver(region, b, key, event);
          if (!doubled && region === 'eu-west-1' && key.startsWith('regionctl-drill/') && !key.includes('/eu-west-1/')) {
            doubled = key;
            void new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: b, Key: key, Body: 'again' }));
          }
        };
        try {
          const { doc, error } = await drill(h, 2);
          expect(doubled).toBeDefined();
          expect(error).toMatchObject({ name: 'ReportedFailure' });
          expect(doc.result).toBe('failed');
          expect(doc.copies.duplicates).toBeGreaterThanOrEqual(1);
          expect(doc.copies.found).toBe(18 + doc.copies.duplicates);
          expect(doc.failures.some((f: string) => /duplicate cop/.test(f))).toBe(true);
          for (const p of doc.pairs) expect(p.missing).toBe(0);
        } finally {
          s3.onObjectCreated = deliver;
        }
        // S3 replicates the second version too, after the drill's cleanup: remove those late copies.
        await h.clock.advance(5000);
        for (const region of REGIONS) {
          const c = new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true });
          const out = await c.send(new ListObjectVersionsCommand({ Bucket: bucket(region), Prefix: 'regionctl-drill/' }));
          const left = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])];
          expect(left.every((v) => v.Key === doubled)).toBe(true);
          if (left.length) await c.send(new DeleteObjectsCommand({ Bucket: bucket(region), Delete: { Objects: left.map((v) => ({ Key: v.Key!, VersionId: v.VersionId! })) } }));
        }
      }, 120_000);
    }

    if (topology === 'ring') {
      it("with us-west-2's replicator broken, the copies it should carry are reported missing and the drill fails", async () => {
        const lambda = new LambdaClient({ region: 'us-west-2', endpoint: h.cloud.url, credentials });
        const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-test-replicator' }));
        const env = before.Environment!.Variables!;
        // It now takes every event for another bucket's and copies nothing.
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'shop-test-replicator', Environment: { Variables: { ...env, BUCKET_NAME: 'not-this-bucket' } } }));
        try {
          const { doc, error } = await drill(h, 2);
          expect(error).toMatchObject({ name: 'ReportedFailure' });
          expect(doc.result).toBe('failed');
          const missing = Object.fromEntries(doc.pairs.map((p: any) => [`${p.from}>${p.to}`, p.missing]));
          // us-west-2 forwards nothing: its own canaries and us-east-1's never reach eu-west-1, nor us-west-2's us-east-1.
          expect(missing).toEqual({ 'us-east-1>us-west-2': 0, 'us-east-1>eu-west-1': 2, 'us-west-2>us-east-1': 2, 'us-west-2>eu-west-1': 2, 'eu-west-1>us-east-1': 0, 'eu-west-1>us-west-2': 0 });
          expect(doc.copies).toMatchObject({ expected: 18, found: 12, duplicates: 0 });
          expect(doc.failures).toContain('6 copy(ies) missing at the deadline');
          expect(await versionsLeft(h)).toBe(0);
        } finally {
          await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'shop-test-replicator', Environment: { Variables: env } }));
        }
      }, 120_000);

      it('with eu-west-1 down, its writes are refused and every copy into or out of it is missing: exit 1', async () => {
        h.cloud.faults.replace({ regionOutages: ['eu-west-1'] });
        try {
          const { doc, error, human } = await drill(h, 2);
          expect(error).toMatchObject({ name: 'ReportedFailure' });
          expect(doc.result).toBe('failed');
          expect(doc.pairs.filter((p: any) => p.missing > 0).map((p: any) => `${p.from}>${p.to}:${p.missing}`)).toEqual(['us-east-1>eu-west-1:2', 'us-west-2>us-east-1:2', 'us-west-2>eu-west-1:2']);
          // us-west-2's copies reach us-east-1 through eu-west-1 on the ring: they stop there too.
          expect(doc.failures).toEqual(expect.arrayContaining(['2 canary write(s) refused', '6 copy(ies) missing at the deadline']));
          expect(doc.leftBehind).toEqual(['eu-west-1']);
          expect(human).toContain('cannot be reached');
        } finally {
          h.cloud.faults.replace({});
        }
        expect(await versionsLeft(h)).toBe(0);
      }, 120_000);
    }
  });
}
