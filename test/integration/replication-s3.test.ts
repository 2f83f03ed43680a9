import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteObjectCommand, GetBucketReplicationCommand, GetBucketVersioningCommand, HeadObjectCommand, ListBucketsCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { replicationCommand } from '../../src/commands/replication.js';
import { statusCommand } from '../../src/commands/status.js';
import { replicationBucketName } from '../../src/stage/names.js';
import { recordPuts, settleLambdas, startHarness, type Harness } from './harness.js';

// topology s3: regionctl deploys S3's own Cross-Region Replication, two-way rules from every
// region's bucket to every other's (replicas are not replicated again, so a chain would stop after
// one hop), with a least-privilege role; no replicator Lambda. An object written in one region
// reaches each other bucket once, as a REPLICA, after the cloud clock's replication lag.
const ACCOUNT = '000000000000';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bucket = (region: string) => replicationBucketName({ service: 'shop', stage: 'test' }, region, ACCOUNT);
const config = `service: shop\nstage: test\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: shop.example\n  createZone: true\nreplication:\n  topology: s3\n`;
let h: Harness;
let puts: string[] = [];
const s3In = (region: string) => new S3Client({ region, endpoint: h.cloud.url, credentials, forcePathStyle: true });

beforeAll(async () => {
  h = await startHarness(config);
  puts = recordPuts(h.cloud);
});
afterAll(async () => h?.close());

const settle = (): Promise<void> => settleLambdas(h.cloud);

describe('topology s3 on three local regions', () => {
  it('deploys versioned buckets with two-way rules to every other region and no replicator', async () => {
    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    const out = JSON.parse(ctx.io.stdout);
    expect(out.ok).toBe(true);
    await settle();
    for (const region of REGIONS) {
      const s3 = s3In(region);
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket(region) }))).Status).toBe('Enabled');
      const { ReplicationConfiguration: rc } = await s3.send(new GetBucketReplicationCommand({ Bucket: bucket(region) }));
      const others = REGIONS.filter((r) => r !== region);
      expect(rc!.Rules!.map((r) => r.Destination!.Bucket).sort()).toEqual(others.map((r) => `arn:aws:s3:::${bucket(r)}`).sort());
      expect(rc!.Rules!.every((r) => r.DeleteMarkerReplication?.Status === 'Enabled' && r.SourceSelectionCriteria?.ReplicaModifications?.Status === 'Enabled')).toBe(true);
      expect(rc!.Role).toMatch(/^arn:aws:iam::000000000000:role\/regionctl\/shop\/test\//);
      const stack = out.regions.find((r: any) => r.region === region).stacks.find((s: any) => s.stackName === 'shop-test-replication');
      expect(stack.outputs.TargetRegions).toBe(others.join(','));
      expect(stack.outputs.ReplicatorFunctionName).toBeUndefined();
      const missing = await new LambdaClient({ region, endpoint: h.cloud.url, credentials }).send(new GetFunctionCommand({ FunctionName: 'shop-test-replicator' })).catch((e: Error) => e);
      expect(missing).toMatchObject({ name: 'ResourceNotFoundException' });
    }
  });

  it('an object written in one region reaches every other bucket once, as a replica, and nothing loops', async () => {
    puts.length = 0;
    const put = await s3In('us-west-2').send(new PutObjectCommand({ Bucket: bucket('us-west-2'), Key: 'doc', Body: 'hello', ContentType: 'text/plain', CacheControl: 'no-cache', Metadata: { a: '1' } }));
    expect((await s3In('us-west-2').send(new HeadObjectCommand({ Bucket: bucket('us-west-2'), Key: 'doc' }))).ReplicationStatus).toBe('PENDING');
    await h.clock.advance(1000);
    await settle();
    await h.clock.advance(10_000);
    await settle();
    expect(puts.sort()).toEqual(REGIONS.map((r) => `${bucket(r)}/doc`).sort());
    expect((await s3In('us-west-2').send(new HeadObjectCommand({ Bucket: bucket('us-west-2'), Key: 'doc' }))).ReplicationStatus).toBe('COMPLETED');
    for (const region of ['us-east-1', 'eu-west-1']) {
      const head = await s3In(region).send(new HeadObjectCommand({ Bucket: bucket(region), Key: 'doc' }));
      expect([head.ReplicationStatus, head.VersionId, head.ContentType, head.CacheControl, head.Metadata]).toEqual(['REPLICA', put.VersionId, 'text/plain', 'no-cache', { a: '1' }]);
      const versions = await s3In(region).send(new ListObjectVersionsCommand({ Bucket: bucket(region), Prefix: 'doc' }));
      expect(versions.Versions).toHaveLength(1);
    }
  });

  it('S3 publishes ReplicationLatency per rule (metrics are on in the rules)', () => {
    const stats = h.cloud.service('monitoring').getMetricStatistics('us-west-2', {
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Dimensions: [
        { Name: 'SourceBucket', Value: bucket('us-west-2') },
        { Name: 'DestinationBucket', Value: bucket('eu-west-1') },
        { Name: 'RuleId', Value: 'to-eu-west-1' },
      ],
      StartTime: 0,
      EndTime: h.clock.now() + 60_000,
      Period: 3600,
      Statistics: ['SampleCount', 'Maximum'],
    });
    expect(stats.map((d) => [d.SampleCount, d.Maximum])).toEqual([[1, 1]]);
  });

  it('status shows the mesh and the links into an unhealthy region; heal explains there is no chain to heal', async () => {
    h.cloud.faults.replace({ regionOutages: ['eu-west-1'] });
    try {
      const json = h.context({ json: true });
      await statusCommand(json).catch(() => undefined);
      const view = JSON.parse(json.io.stdout).replication;
      expect(view).toMatchObject({ topology: 's3', broken: true, rechained: false });
      expect(view.links.filter((l: any) => !l.ok).map((l: any) => `${l.from}>${l.to}`).sort()).toEqual(['us-east-1>eu-west-1', 'us-west-2>eu-west-1']);
      const human = h.context();
      await statusCommand(human).catch(() => undefined);
      expect(human.io.stdout).toContain('replication (s3): us-east-1 → us-west-2, eu-west-1');
      expect(human.io.stdout).toContain('FAILED for the unhealthy region');
      expect(human.io.stdout).not.toContain('regionctl replication heal');
      await expect(replicationCommand(h.context(), { action: 'heal' })).rejects.toMatchObject({ code: 'NothingToHeal' });
      // Written during the outage: the link into eu-west-1 fails, the other one completes.
      await s3In('us-east-1').send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: 'outage', Body: 'x' }));
      await h.clock.advance(2000);
      await settle();
      expect((await s3In('us-east-1').send(new HeadObjectCommand({ Bucket: bucket('us-east-1'), Key: 'outage' }))).ReplicationStatus).toBe('FAILED');
      expect((await s3In('us-west-2').send(new HeadObjectCommand({ Bucket: bucket('us-west-2'), Key: 'outage' }))).ReplicationStatus).toBe('REPLICA');
    } finally {
      h.cloud.faults.replace({});
    }
  });

  it('destroy empties every version, replica and delete marker of the versioned buckets before deleting the stacks', async () => {
    // A second version of "doc" and then a delete marker, both replicated to the other buckets.
    await s3In('us-east-1').send(new PutObjectCommand({ Bucket: bucket('us-east-1'), Key: 'doc', Body: 'v2' }));
    await s3In('us-east-1').send(new DeleteObjectCommand({ Bucket: bucket('us-east-1'), Key: 'doc' }));
    await h.clock.advance(2000);
    await settle();
    for (const region of REGIONS) {
      const versions = await s3In(region).send(new ListObjectVersionsCommand({ Bucket: bucket(region), Prefix: 'doc' }));
      // Not the current object any more: only versions and a marker are left, which a plain listing would miss.
      expect([(versions.Versions ?? []).length, (versions.DeleteMarkers ?? []).length]).toEqual([2, 1]);
    }
    const ctx = h.context({ json: true });
    await destroyCommand(ctx, { yes: true });
    expect(JSON.parse(ctx.io.stdout).ok).toBe(true);
    const left = (await s3In('us-east-1').send(new ListBucketsCommand({}))).Buckets ?? [];
    expect(left.filter((b) => REGIONS.some((r) => b.Name === bucket(r)))).toEqual([]);
  });
});
