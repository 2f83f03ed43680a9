import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';
import { deployCommand } from '../../src/commands/deploy.js';
import { startHarness, type Harness } from './harness.js';

// Stages share a region's artifacts bucket. One stage must not be able to plant code that another
// stage's deploy then runs: keys are scoped per stage and every zip is verified by its SHA-256
// checksum, not trusted by its key (issue 7, defect 9).
const region = 'us-west-2';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;
let s3: S3Client;
beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: green\nregions: [${region}]\ndns:\n  zone: shop.example\n  createZone: true\n`);
  s3 = new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true });
});
afterAll(async () => h?.close());

const planted = Buffer.from(zipSync({ 'index.js': strToU8('exports.handler = async () => ({ statusCode: 200, body: "planted" });') }));
const plantedSha = createHash('sha256').update(planted).digest('base64');

async function bucketName(): Promise<string> {
  const cfn = new CloudFormationClient({ region, endpoint: h.cloud.url, credentials });
  const out = (await cfn.send(new DescribeStacksCommand({ StackName: 'regionctl-toolkit' }))).Stacks![0].Outputs!;
  return out.find((o) => o.OutputKey === 'ArtifactBucketName')!.OutputValue!;
}

async function listKeys(bucket: string): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const o of (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []) keys.set(o.Key!, o.ETag!);
  return keys;
}

describe('artifacts in the shared bucket', () => {
  it("never runs code another stage planted under a stage's key, and never writes outside its own prefix", async () => {
    await deployCommand(h.context());
    const bucket = await bucketName();
    const greenKeys = await listKeys(bucket);
    const zips = [...greenKeys.keys()].filter((k) => k.endsWith('.zip'));
    expect(zips.length).toBeGreaterThan(0);
    expect(zips.every((k) => k.startsWith('artifacts/shop/green/lambdas/'))).toBe(true);

    // "green" plants its own code wherever "blue" could look for its zips (old shared keys and blue's prefix).
    for (const key of zips) {
      const file = key.slice(key.lastIndexOf('/') + 1);
      for (const target of [`lambdas/${file}`, `artifacts/shop/blue/lambdas/${file}`]) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: planted, ChecksumAlgorithm: 'SHA256' }));
      }
    }
    const before = await listKeys(bucket);

    const blue = h.context({ stage: 'blue' });
    await deployCommand(blue);
    const warnings = blue.io.events.flatMap((e) => (e.kind === 'warn' ? [e.message] : []));
    expect(warnings.filter((w) => /artifacts\/shop\/blue\/lambdas\/.*does not hold the packaged zip.*uploading ours again/.test(w))).toHaveLength(zips.length);

    const lambda = new LambdaClient({ region, endpoint: h.cloud.url, credentials });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'shop-blue-hello', Payload: Buffer.from('{}') }));
    const payload = Buffer.from(out.Payload!).toString('utf8');
    expect(payload).not.toContain('planted');
    expect(payload).toContain(region);

    // Blue wrote only under its own prefix: every other key is as it was.
    const after = await listKeys(bucket);
    for (const [key, etag] of before) if (!key.startsWith('artifacts/shop/blue/')) expect(after.get(key)).toBe(etag);
    for (const key of after.keys()) if (!before.has(key)) expect(key.startsWith('artifacts/shop/blue/') || key.startsWith('stages/')).toBe(true);
    // And blue's zips now verify.
    for (const key of zips.map((k) => k.replace('/green/', '/blue/'))) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(head.ChecksumSHA256).toBeDefined();
      expect(head.ChecksumSHA256).not.toBe(plantedSha);
    }
  });
});
