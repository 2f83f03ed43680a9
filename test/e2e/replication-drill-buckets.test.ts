import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { describeExit, jsonOf, e2eSuite } from './regionctl.js';

// `regionctl drill replication --buckets` as a user runs it (node bin/regionctl, the built dist/)
// on the demo stage (no regionctl.yml: three regions, a ring) deployed to a local-cloud daemon this
// suite starts on ports the OS picks: every canary arrives once in every bucket, the JSON report has
// the table drill's shape, the canaries are gone afterwards; a configuration without replication:
// is refused with a clear message.
const suite = e2eSuite('drill-buckets');
const { dir, run } = suite;


describe('regionctl drill replication --buckets end to end', { timeout: 300_000 }, () => {
  it('on the deployed demo stage: every canary once in every bucket, lag per pair, nothing left behind', async () => {
    const local = ['--local', '--port', String(suite.port)];
    const deployed = await run(['deploy', ...local, '--json'], 280_000);
    expect(deployed.code, describeExit(['deploy'], deployed)).toBe(0);

    const args = ['drill', 'replication', '--buckets', '--samples', '5', ...local, '--json'];
    const exit = await run(args, 200_000);
    expect(exit.code, describeExit(args, exit)).toBe(0);
    const doc = jsonOf<any>(exit);
    expect(doc.result).toBe('passed');
    expect(doc.topology).toBe('ring');
    expect(doc.pairs.map((p: any) => `${p.from}>${p.to}`).sort()).toEqual(
      ['us-east-1>us-west-2', 'us-east-1>eu-west-1', 'us-west-2>us-east-1', 'us-west-2>eu-west-1', 'eu-west-1>us-east-1', 'eu-west-1>us-west-2'].sort(),
    );
    for (const p of doc.pairs) {
      expect(p).toMatchObject({ samples: 5, missing: 0 });
      expect(p.p50Ms).toBeLessThanOrEqual(p.p95Ms);
      expect(p.p95Ms).toBeLessThanOrEqual(p.p99Ms);
      expect(p.p99Ms).toBeLessThanOrEqual(p.maxMs);
    }
    expect(doc.copies).toMatchObject({ expected: 45, found: 45, duplicates: 0 });
    // Progress went to stderr while it ran.
    expect(exit.stderr).toContain('copies arrived');

    for (const [region, bucket] of Object.entries(doc.buckets as Record<string, string>)) {
      const s3 = new S3Client({ region, endpoint: suite.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      const left = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'regionctl-drill/' }));
      expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).toEqual([]);
    }

    const human = await run(['drill', 'replication', '--buckets', '--samples', '1', ...local, '--no-color'], 200_000);
    expect(human.code, describeExit(['drill', 'replication', '--buckets'], human)).toBe(0);
    expect(human.stdout).toMatch(/FROM\s+TO\s+SAMPLES\s+P50 MS\s+P95 MS\s+P99 MS\s+MAX MS\s+MISSING/);
    expect(human.stdout).toContain("copies: 9 of 9 expected (one per object per bucket, counted from the replicators' logs), 0 duplicate(s)");
    expect(human.stdout).toContain('passed');
  });

  it('refuses a configuration without replication: with a clear message and exit 2', async () => {
    writeFileSync(join(dir, 'plain.yml'), 'service: plain\nregions: [us-east-1, us-west-2]\ndns:\n  zone: plain.example\n  createZone: true\n');
    const exit = await run(['drill', 'replication', '--buckets', '--config', 'plain.yml', '--local', '--port', String(suite.port)]);
    expect(exit.code, describeExit(['drill', 'replication', '--buckets'], exit)).toBe(2);
    expect(exit.stderr).toContain('regionctl.yml has no replication: section');
  });
});
