import {
  CreateBucketCommand,
  DeleteBucketReplicationCommand,
  DeleteObjectCommand,
  GetBucketReplicationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type ReplicationConfiguration,
} from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

// S3 replication on the local cloud through the real SDK: configuration checks, asynchronous
// copies on the cloud clock, replication status, two-way rules without loops, FAILED when the
// destination region is down, and the ReplicationLatency metric.
const clock = new ManualClock();
let cloud: LocalCloud;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const s3 = (region: string) => new S3Client({ endpoint: cloud.url, region, forcePathStyle: true, credentials, maxAttempts: 1 });
let east: S3Client;
let west: S3Client;
const EAST = 'repl-east-000000000000';
const WEST = 'repl-west-000000000000';
const ROLE = 'arn:aws:iam::000000000000:role/replication';

const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as S3ServiceException;
const head = (client: S3Client, Bucket: string, Key: string) => client.send(new HeadObjectCommand({ Bucket, Key }));
const rule = (to: string, extra: Record<string, unknown> = {}) => ({
  ID: `to-${to}`,
  Priority: 1,
  Status: 'Enabled' as const,
  Filter: { Prefix: '' },
  DeleteMarkerReplication: { Status: 'Enabled' as const },
  SourceSelectionCriteria: { ReplicaModifications: { Status: 'Enabled' as const } },
  Destination: { Bucket: `arn:aws:s3:::${to}`, Metrics: { Status: 'Enabled' as const, EventThreshold: { Minutes: 15 } } },
  ...extra,
});
const config = (to: string): ReplicationConfiguration => ({ Role: ROLE, Rules: [rule(to)] });

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock });
  east = s3('us-east-1');
  west = s3('us-west-2');
  await east.send(new CreateBucketCommand({ Bucket: EAST }));
  await west.send(new CreateBucketCommand({ Bucket: WEST, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
  const iam = new IAMClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
  await iam.send(new CreateRoleCommand({ RoleName: 'replication', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'replication',
      PolicyName: 'replicate',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication'], Resource: [`arn:aws:s3:::${EAST}/*`, `arn:aws:s3:::${WEST}/*`] },
          { Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateDelete'], Resource: [`arn:aws:s3:::${EAST}/*`, `arn:aws:s3:::${WEST}/*`] },
        ],
      }),
    }),
  );
  iam.destroy();
});

afterAll(async () => {
  east.destroy();
  west.destroy();
  await cloud.close();
});

describe('S3 replication configuration', () => {
  it('refuses a bucket without versioning, then stores and returns the rules', async () => {
    expect(await failure(east.send(new PutBucketReplicationCommand({ Bucket: EAST, ReplicationConfiguration: config(WEST) })))).toMatchObject({ name: 'InvalidRequest' });
    expect(await failure(east.send(new GetBucketReplicationCommand({ Bucket: EAST })))).toMatchObject({ name: 'ReplicationConfigurationNotFoundError' });
    await east.send(new PutBucketVersioningCommand({ Bucket: EAST, VersioningConfiguration: { Status: 'Enabled' } }));
    await west.send(new PutBucketVersioningCommand({ Bucket: WEST, VersioningConfiguration: { Status: 'Enabled' } }));
    await east.send(new PutBucketReplicationCommand({ Bucket: EAST, ReplicationConfiguration: config(WEST) }));
    await west.send(new PutBucketReplicationCommand({ Bucket: WEST, ReplicationConfiguration: config(EAST) }));
    const got = (await east.send(new GetBucketReplicationCommand({ Bucket: EAST }))).ReplicationConfiguration!;
    expect(got.Role).toBe(ROLE);
    expect(got.Rules).toMatchObject([
      { ID: `to-${WEST}`, Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Enabled' }, Destination: { Bucket: `arn:aws:s3:::${WEST}` } },
    ]);
    expect(got.Rules![0]!.SourceSelectionCriteria?.ReplicaModifications?.Status).toBe('Enabled');
  });

  it('checks the rules as S3 does', async () => {
    const bad = async (Rules: ReplicationConfiguration['Rules']) => failure(east.send(new PutBucketReplicationCommand({ Bucket: EAST, ReplicationConfiguration: { Role: ROLE, Rules } })));
    expect(await bad([{ ...rule(WEST), DeleteMarkerReplication: undefined }])).toMatchObject({ name: 'InvalidRequest' });
    expect(await bad([rule(WEST), { ...rule(WEST), ID: 'other' }])).toMatchObject({ name: 'InvalidRequest' }); // same priority
    expect(await bad([rule(WEST), { ...rule(WEST), Priority: 2 }])).toMatchObject({ name: 'InvalidArgument' }); // same id
    expect(await bad([rule(WEST, { Destination: { Bucket: `arn:aws:s3:::${WEST}`, ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } } } })])).toMatchObject({ name: 'InvalidRequest' });
    expect(await failure(east.send(new PutBucketVersioningCommand({ Bucket: EAST, VersioningConfiguration: { Status: 'Suspended' } })))).toMatchObject({ name: 'InvalidBucketState' });
  });
});

describe('S3 replication, run', () => {
  it('copies asynchronously: PENDING, then COMPLETED on the source and REPLICA (same version id) on the copy', async () => {
    const put = await east.send(new PutObjectCommand({ Bucket: EAST, Key: 'a.txt', Body: 'hello', ContentType: 'text/plain', CacheControl: 'max-age=60', Metadata: { owner: 'me' } }));
    expect((await head(east, EAST, 'a.txt')).ReplicationStatus).toBe('PENDING');
    expect(await failure(head(west, WEST, 'a.txt'))).toMatchObject({ name: 'NotFound' });
    await clock.advance(1000);
    const copy = await west.send(new GetObjectCommand({ Bucket: WEST, Key: 'a.txt' }));
    expect(await copy.Body!.transformToString()).toBe('hello');
    expect(copy).toMatchObject({ ReplicationStatus: 'REPLICA', VersionId: put.VersionId, ContentType: 'text/plain', CacheControl: 'max-age=60', Metadata: { owner: 'me' } });
    expect((await head(east, EAST, 'a.txt')).ReplicationStatus).toBe('COMPLETED');
  });

  it('two-way rules do not loop: a replica is not replicated back', async () => {
    await west.send(new PutObjectCommand({ Bucket: WEST, Key: 'b.txt', Body: 'from west' }));
    await clock.advance(5000);
    expect((await head(east, EAST, 'b.txt')).ReplicationStatus).toBe('REPLICA');
    for (const [client, bucket] of [[east, EAST], [west, WEST]] as const) {
      const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'b.txt' }));
      expect(versions.Versions).toHaveLength(1);
    }
    expect(cloud.service('s3').replication!.pending()).toEqual([]);
  });

  it('replicates delete markers when the rule says so', async () => {
    await east.send(new DeleteObjectCommand({ Bucket: EAST, Key: 'a.txt' }));
    await clock.advance(1000);
    expect(await failure(head(west, WEST, 'a.txt'))).toMatchObject({ name: 'NotFound' });
    const versions = await west.send(new ListObjectVersionsCommand({ Bucket: WEST, Prefix: 'a.txt' }));
    expect(versions.DeleteMarkers).toHaveLength(1);
  });

  it('marks the source FAILED when the destination region is down, and the copy never arrives', async () => {
    cloud.faults.replace({ regionOutages: ['us-west-2'] });
    await east.send(new PutObjectCommand({ Bucket: EAST, Key: 'c.txt', Body: 'during outage' }));
    await clock.advance(1000);
    expect((await head(east, EAST, 'c.txt')).ReplicationStatus).toBe('FAILED');
    cloud.faults.replace({});
    await clock.advance(5000);
    expect(await failure(head(west, WEST, 'c.txt'))).toMatchObject({ name: 'NotFound' });
  });

  it('follows the faults replication lag', async () => {
    cloud.faults.replace({ replicationLagMs: { 'us-east-1>us-west-2': 30_000 } });
    await east.send(new PutObjectCommand({ Bucket: EAST, Key: 'slow.txt', Body: 'slow' }));
    await clock.advance(29_000);
    expect((await head(east, EAST, 'slow.txt')).ReplicationStatus).toBe('PENDING');
    await clock.advance(1000);
    expect((await head(west, WEST, 'slow.txt')).ReplicationStatus).toBe('REPLICA');
    cloud.faults.replace({});
  });

  it('fails when the role may not replicate to the destination', async () => {
    await east.send(new PutBucketReplicationCommand({ Bucket: EAST, ReplicationConfiguration: { ...config(WEST), Role: 'arn:aws:iam::000000000000:role/missing' } }));
    await east.send(new PutObjectCommand({ Bucket: EAST, Key: 'd.txt', Body: 'no role' }));
    await clock.advance(1000);
    expect((await head(east, EAST, 'd.txt')).ReplicationStatus).toBe('FAILED');
    await east.send(new DeleteBucketReplicationCommand({ Bucket: EAST }));
    await east.send(new PutObjectCommand({ Bucket: EAST, Key: 'e.txt', Body: 'no rules' }));
    expect((await head(east, EAST, 'e.txt')).ReplicationStatus).toBeUndefined();
  });

  it('publishes ReplicationLatency in AWS/S3 per rule when metrics are enabled', () => {
    const cw = cloud.service('monitoring');
    const stats = cw.getMetricStatistics('us-east-1', {
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Dimensions: [
        { Name: 'SourceBucket', Value: EAST },
        { Name: 'DestinationBucket', Value: WEST },
        { Name: 'RuleId', Value: `to-${WEST}` },
      ],
      StartTime: 0,
      EndTime: clock.now() + 60_000,
      Period: 3600,
      Statistics: ['Maximum', 'SampleCount'],
    });
    expect(stats.reduce((n, d) => n + (d.SampleCount ?? 0), 0)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...stats.map((d) => d.Maximum ?? 0))).toBe(30);
  });
});
