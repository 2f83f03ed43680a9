import { CreateBucketCommand, HeadObjectCommand, PutBucketReplicationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud } from '../../../src/local-cloud/server.js';

// The replication queue is persisted: a copy due after the cloud stopped is made once it is back.
const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-s3-repl-restart-'));
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('a replication queued before a restart completes after it', async () => {
  const clock = new ManualClock();
  let cloud = await startLocalCloud({ port: 0, clock, dataDir });
  const s3 = (region: string) => new S3Client({ endpoint: cloud.url, region, forcePathStyle: true, credentials, maxAttempts: 1 });
  const iam = new IAMClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
  await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'r', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication', 's3:ReplicateObject'], Resource: 'arn:aws:s3:::*' }] }) }));
  iam.destroy();
  await s3('us-east-1').send(new CreateBucketCommand({ Bucket: 'restart-src' }));
  await s3('eu-west-1').send(new CreateBucketCommand({ Bucket: 'restart-dst', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await s3('us-east-1').send(new PutBucketVersioningCommand({ Bucket: 'restart-src', VersioningConfiguration: { Status: 'Enabled' } }));
  await s3('eu-west-1').send(new PutBucketVersioningCommand({ Bucket: 'restart-dst', VersioningConfiguration: { Status: 'Enabled' } }));
  await s3('us-east-1').send(
    new PutBucketReplicationCommand({
      Bucket: 'restart-src',
      ReplicationConfiguration: { Role: 'arn:aws:iam::000000000000:role/r', Rules: [{ ID: 'all', Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: 'arn:aws:s3:::restart-dst' } }] },
    }),
  );
  await s3('us-east-1').send(new PutObjectCommand({ Bucket: 'restart-src', Key: 'k', Body: 'v' }));
  await cloud.close();

  cloud = await startLocalCloud({ port: 0, clock, dataDir });
  try {
    expect((await s3('us-east-1').send(new HeadObjectCommand({ Bucket: 'restart-src', Key: 'k' }))).ReplicationStatus).toBe('PENDING');
    await clock.advance(1000);
    expect((await s3('eu-west-1').send(new HeadObjectCommand({ Bucket: 'restart-dst', Key: 'k' }))).ReplicationStatus).toBe('REPLICA');
    expect((await s3('us-east-1').send(new HeadObjectCommand({ Bucket: 'restart-src', Key: 'k' }))).ReplicationStatus).toBe('COMPLETED');
  } finally {
    await cloud.close();
  }
});
