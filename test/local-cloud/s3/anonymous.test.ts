// Unsigned object reads: only a public bucket policy opens them, and the public access block closes them again.
import { CreateBucketCommand, DeleteBucketPolicyCommand, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

const Bucket = 'maybe-public';
let cloud: LocalCloud;
let s3: S3Client;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createS3Service] });
  s3 = new S3Client({ endpoint: cloud.url, region: 'eu-west-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'docs/a b.txt', Body: 'hello', ContentType: 'text/plain' }));
});
afterAll(async () => {
  s3.destroy();
  await cloud.close();
});

const anonymous = (key = 'docs/a%20b.txt', method = 'GET') => fetch(`${cloud.url}/${Bucket}/${key}`, { method });
const policy = (statement: Record<string, unknown>) =>
  s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }));
const publicRead = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/docs/*` };

describe('anonymous object reads', () => {
  it('are AccessDenied without a policy that makes the object public', async () => {
    const res = await anonymous();
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    expect((await anonymous('docs/a%20b.txt', 'HEAD')).status).toBe(403);
  });

  it('are served when the bucket policy grants s3:GetObject to everyone, for the resources it names', async () => {
    await policy(publicRead);
    const res = await anonymous();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('hello');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'private/x', Body: 'no' }));
    expect((await anonymous('private/x')).status).toBe(403);
  });

  it('answer 503 while the bucket’s region is out (local fault region-outage), like every endpoint of that region', async () => {
    cloud.faults.replace({ regionOutages: ['eu-west-1'] });
    try {
      const res = await anonymous();
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('<Code>ServiceUnavailable</Code>');
      expect((await anonymous('docs/a%20b.txt', 'HEAD')).status).toBe(503);
      // Another region's outage leaves the bucket alone.
      cloud.faults.replace({ regionOutages: ['us-west-2'] });
      expect((await anonymous()).status).toBe(200);
    } finally {
      cloud.faults.replace({});
    }
    expect(await (await anonymous()).text()).toBe('hello');
  });

  it('are refused again once the public access block restricts public buckets', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true, BlockPublicPolicy: false, BlockPublicAcls: false, IgnorePublicAcls: false } }));
    expect((await anonymous()).status).toBe(403);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: false, BlockPublicPolicy: false, BlockPublicAcls: false, IgnorePublicAcls: false } }));
    expect((await anonymous()).status).toBe(200);
  });

  it('a Deny on insecure transport wins over the public Allow (the local cloud speaks plain HTTP)', async () => {
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [publicRead, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        }),
      }),
    );
    expect((await anonymous()).status).toBe(403);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect((await anonymous()).status).toBe(403);
  });

  it('a public policy cannot even be set while BlockPublicPolicy is on', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicPolicy: true, RestrictPublicBuckets: true, BlockPublicAcls: true, IgnorePublicAcls: true } }));
    const error: any = await policy(publicRead).catch((e) => e);
    expect(error.name).toBe('AccessDenied');
  });
});
