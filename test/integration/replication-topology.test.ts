import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deployCommand } from '../../src/commands/deploy.js';
import { replicationBucketName } from '../../src/stage/names.js';
import { recordPuts, settleLambdas, startHarness, type Harness } from './harness.js';

// The chain follows regionctl.yml: adding or removing a region re-chains its neighbours in the same
// deploy, and switching to fan-out points every replicator at every other region; then an object reaches
// every bucket exactly once, copied only by its origin's replicator.
const ACCOUNT = '000000000000';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bucket = (region: string) => replicationBucketName({ service: 'shop', stage: 'test' }, region, ACCOUNT);
const config = (regions: string[], topology: string) =>
  `service: shop\nstage: test\nregions: [${regions.join(', ')}]\ndns:\n  zone: shop.example\n  createZone: true\nreplication:\n  topology: ${topology}\n`;
let h: Harness;
let puts: string[] = [];

beforeAll(async () => {
  h = await startHarness(config(['us-east-1', 'us-west-2'], 'ring'));
  puts = recordPuts(h.cloud);
});
afterAll(async () => h?.close());

const settle = (): Promise<void> => settleLambdas(h.cloud);

async function deploy(): Promise<Record<string, { result: string; targets: string }>> {
  const ctx = h.context({ json: true });
  await deployCommand(ctx);
  const out = JSON.parse(ctx.io.stdout);
  expect(out.ok).toBe(true);
  await settle();
  return Object.fromEntries(
    out.regions.map((r: any) => {
      const stack = r.stacks.find((s: any) => s.stackName === 'shop-test-replication');
      return [r.region, { result: stack.result, targets: stack.outputs.TargetRegions }];
    }),
  );
}

describe('the replication chain follows regionctl.yml', () => {
  it('two regions: each copies to the other', async () => {
    expect(await deploy()).toEqual({ 'us-east-1': { result: 'created', targets: 'us-west-2' }, 'us-west-2': { result: 'created', targets: 'us-east-1' } });
  });

  it('adding a region re-chains its neighbours in the same deploy', async () => {
    h.writeConfig(config(['us-east-1', 'us-west-2', 'eu-west-1'], 'ring'));
    expect(await deploy()).toEqual({
      'us-east-1': { result: 'no-changes', targets: 'us-west-2' },
      'us-west-2': { result: 'updated', targets: 'eu-west-1' },
      'eu-west-1': { result: 'created', targets: 'us-east-1' },
    });
  });

  it('removing a region re-chains the ring around it in the same deploy', async () => {
    h.writeConfig(config(['us-east-1', 'eu-west-1'], 'ring'));
    // us-east-1 wrote to us-west-2; now to eu-west-1, which already wrote to us-east-1.
    expect(await deploy()).toEqual({
      'us-east-1': { result: 'updated', targets: 'eu-west-1' },
      'eu-west-1': { result: 'no-changes', targets: 'us-east-1' },
    });
    puts.length = 0;
    await new S3Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: 'two-left', Body: 'x' }));
    await settle();
    // Once into each listed region, none into the removed one (its stack stays until destroyed).
    expect(puts.sort()).toEqual(['us-east-1', 'eu-west-1'].map((r) => `${bucket(r)}/two-left`).sort());
  });

  it('fan-out: every replicator targets every other region, and an object reaches each bucket once', async () => {
    h.writeConfig(config(['us-east-1', 'us-west-2', 'eu-west-1'], 'fanout'));
    expect(await deploy()).toEqual({
      'us-east-1': { result: 'updated', targets: 'us-west-2,eu-west-1' },
      'us-west-2': { result: 'updated', targets: 'us-east-1,eu-west-1' },
      'eu-west-1': { result: 'updated', targets: 'us-east-1,us-west-2' },
    });
    puts.length = 0;
    await new S3Client({ region: 'us-west-2', endpoint: h.cloud.url, credentials, forcePathStyle: true }).send(
      new PutObjectCommand({ Bucket: bucket('us-west-2'), Key: 'fan', Body: 'out', CacheControl: 'no-cache', Metadata: { a: '1' } }),
    );
    await settle();
    expect(puts.sort()).toEqual(['us-east-1', 'us-west-2', 'eu-west-1'].map((r) => `${bucket(r)}/fan`).sort());
    for (const region of ['us-east-1', 'eu-west-1']) {
      const head = await new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true }).send(new HeadObjectCommand({ Bucket: bucket(region), Key: 'fan' }));
      expect([head.CacheControl, head.Metadata]).toEqual(['no-cache', { a: '1', origin: bucket('us-west-2') }]);
    }
  });
});
