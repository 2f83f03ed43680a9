import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { deployCommand } from '../../src/commands/deploy.js';
import { functionName, replicationBucketName } from '../../src/stage/names.js';
import { recordPuts, settleLambdas, startHarness, type Harness } from './harness.js';

// Five regions, ring vs fan-out (issue 11): the ring carries an object through four replicators
// one hop after another (region i's copy is made by region i-1's replicator), fan-out copies it
// from its origin to every other region in one hop; both put it exactly once into every bucket.
// The lag that follows from the hops is measured by bench/replication-topologies.ts.
const ACCOUNT = '000000000000';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'eu-central-1'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const names = { service: 'shop', stage: 'test' };
const bucket = (region: string) => replicationBucketName(names, region, ACCOUNT);
const config = (topology: string) =>
  `service: shop\nstage: test\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: shop.example\n  createZone: true\nreplication:\n  topology: ${topology}\n`;
let h: Harness;
let puts: string[] = [];

beforeAll(async () => {
  h = await startHarness(config('ring'));
  puts = recordPuts(h.cloud);
}, 300_000);
afterAll(async () => h?.close());

const settle = (): Promise<void> => settleLambdas(h.cloud, 40);

async function deploy(): Promise<void> {
  const ctx = h.context({ json: true });
  await deployCommand(ctx);
  expect(JSON.parse(ctx.io.stdout).ok).toBe(true);
  await settle();
}

/** Per region, the buckets its replicator logged copying `key` into. */
async function copiesBy(key: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const region of REGIONS) {
    const logs = new CloudWatchLogsClient({ region, endpoint: h.cloud.url, credentials });
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName(names, 'replicator')}`, filterPattern: '"copied"' }));
    out[region] = (page.events ?? []).flatMap((e) => {
      const line = e.message ?? '';
      const json = JSON.parse(line.slice(line.indexOf('{'))) as { copied?: Array<{ key: string; to: string }> };
      return (json.copied ?? []).filter((c) => c.key === key).map((c) => c.to);
    });
  }
  return out;
}

async function put(key: string): Promise<void> {
  puts.length = 0;
  await new S3Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: key, Body: key }));
  await settle();
}

describe('five local regions: ring vs fan-out', { timeout: 600_000 }, () => {
  it('ring: the object travels four hops, each region copying it to the next, once into every bucket', async () => {
    await deploy();
    await put('ring-object');
    expect(puts).toEqual(REGIONS.map((r) => `${bucket(r)}/ring-object`)); // in chain order, once each
    const by = await copiesBy('ring-object');
    expect(by).toEqual({
      'us-east-1': [bucket('us-west-2')],
      'us-west-2': [bucket('eu-west-1')],
      'eu-west-1': [bucket('ap-northeast-1')],
      'ap-northeast-1': [bucket('eu-central-1')],
      'eu-central-1': [],
    });
  });

  it('fan-out: the origin copies it to the four others in one hop, once into every bucket', async () => {
    h.writeConfig(config('fanout'));
    await deploy();
    await put('fan-object');
    expect(puts[0]).toBe(`${bucket('us-east-1')}/fan-object`);
    expect([...puts].sort()).toEqual(REGIONS.map((r) => `${bucket(r)}/fan-object`).sort());
    const by = await copiesBy('fan-object');
    expect([...by['us-east-1']].sort()).toEqual(REGIONS.slice(1).map(bucket).sort());
    for (const region of REGIONS.slice(1)) expect(by[region]).toEqual([]);
  });
});
