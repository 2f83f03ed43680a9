import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

// What deploy relies on to verify artifacts (issue 7, defect 9): SHA-256 checksums stored on
// PutObject, checked against the body, and returned by HeadObject only with ChecksumMode ENABLED.
let cloud: LocalCloud;
let s3: S3Client;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  s3 = new S3Client({ region: 'us-east-1', endpoint: cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'sums' }));
});
afterAll(async () => cloud.close());

const sha = (s: string) => createHash('sha256').update(s).digest('base64');

describe('S3 x-amz-checksum-sha256', () => {
  it('stores, echoes and returns the SHA-256 of an object', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'a.zip', Body: 'hello', ChecksumAlgorithm: 'SHA256' }));
    expect(put.ChecksumSHA256).toBe(sha('hello'));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'sums', Key: 'a.zip', ChecksumMode: 'ENABLED' }))).ChecksumSHA256).toBe(sha('hello'));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'sums', Key: 'a.zip' }))).ChecksumSHA256).toBeUndefined();
  });

  it('checks a given checksum against the body (BadDigest)', async () => {
    await expect(s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'b.zip', Body: 'hello', ChecksumSHA256: sha('other') }))).rejects.toMatchObject({ name: 'BadDigest' });
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'b.zip', Body: 'hello', ChecksumSHA256: sha('hello') }));
    expect(put.ChecksumSHA256).toBe(sha('hello'));
  });

  it('has no SHA-256 for an object stored with another algorithm', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'c.zip', Body: 'hello', ChecksumAlgorithm: 'CRC32' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sums', Key: 'c.zip', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumSHA256).toBeUndefined();
    expect(head.ChecksumCRC32).toBeDefined();
  });
});
