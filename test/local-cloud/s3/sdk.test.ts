import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
const clients: S3Client[] = [];

function s3(region: string): S3Client {
  const client = new S3Client({ endpoint: cloud.url, region, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createS3Service] });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await cloud.close();
});

const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as S3ServiceException;

describe('S3 through the AWS SDK', () => {
  it('creates buckets in their region and reports the location', async () => {
    const west = s3('us-west-2');
    await west.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    await s3('us-east-1').send(new CreateBucketCommand({ Bucket: 'east-bucket' }));
    expect((await west.send(new GetBucketLocationCommand({ Bucket: 'west-bucket' }))).LocationConstraint).toBe('us-west-2');
    const { Buckets } = await west.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual(['east-bucket', 'west-bucket']);
    const wrong = await failure(west.send(new CreateBucketCommand({ Bucket: 'x-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    expect(wrong.name).toBe('IllegalLocationConstraintException');
    const again = await failure(west.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })));
    expect(again.name).toBe('BucketAlreadyOwnedByYou');
    expect(again.$metadata.httpStatusCode).toBe(409);
    expect((await failure(west.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).name).toBe('InvalidBucketName');
  });

  it('round-trips an object with metadata from a streamed (aws-chunked) body', async () => {
    const client = s3('us-west-2');
    const text = 'hello from the ring '.repeat(5000);
    const put = await client.send(
      new PutObjectCommand({
        Bucket: 'west-bucket',
        Key: 'docs/a.txt',
        Body: Readable.from([Buffer.from(text)]),
        ContentLength: Buffer.byteLength(text),
        ContentType: 'text/plain',
        CacheControl: 'no-cache',
        Metadata: { origin: 'us-east-1' },
      }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await client.send(new GetObjectCommand({ Bucket: 'west-bucket', Key: 'docs/a.txt' }));
    expect(await got.Body!.transformToString()).toBe(text);
    expect(got).toMatchObject({ ContentType: 'text/plain', CacheControl: 'no-cache', Metadata: { origin: 'us-east-1' }, ETag: put.ETag, ServerSideEncryption: 'AES256' });
    expect(got.ContentEncoding).toBeUndefined();
    const range = await client.send(new GetObjectCommand({ Bucket: 'west-bucket', Key: 'docs/a.txt', Range: 'bytes=0-4' }));
    expect(await range.Body!.transformToString()).toBe('hello');
    expect(range.ContentRange).toBe(`bytes 0-4/${text.length}`);
  });

  it('answers NoSuchKey with the S3 error shape, and HEAD with a bodiless 404', async () => {
    const client = s3('us-west-2');
    const missing = await failure(client.send(new GetObjectCommand({ Bucket: 'west-bucket', Key: 'nope' })));
    expect(missing).toBeInstanceOf(NoSuchKey);
    expect(missing.message).toBe('The specified key does not exist.');
    const head = await failure(client.send(new HeadObjectCommand({ Bucket: 'west-bucket', Key: 'nope' })));
    expect(head.$metadata.httpStatusCode).toBe(404);
    expect((await failure(client.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })))).name).toBe('NoSuchBucket');
  });

  it('lists with prefix, delimiter and continuation tokens', async () => {
    const client = s3('us-east-1');
    for (const key of ['a/1', 'a/2', 'b/1', 'c', 'd', 'e']) await client.send(new PutObjectCommand({ Bucket: 'east-bucket', Key: key, Body: key }));
    const grouped = await client.send(new ListObjectsV2Command({ Bucket: 'east-bucket', Delimiter: '/' }));
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(grouped.Contents?.map((c) => c.Key)).toEqual(['c', 'd', 'e']);
    expect(grouped.KeyCount).toBe(5);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'east-bucket', MaxKeys: 4, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(keys).toEqual(['a/1', 'a/2', 'b/1', 'c', 'd', 'e']);
    const prefixed = await client.send(new ListObjectsV2Command({ Bucket: 'east-bucket', Prefix: 'a/' }));
    expect(prefixed.Contents?.map((c) => c.Key)).toEqual(['a/1', 'a/2']);
  });

  it('copies objects (keeping metadata) and refuses to delete a non-empty bucket', async () => {
    const client = s3('us-east-1');
    await client.send(new PutObjectCommand({ Bucket: 'east-bucket', Key: 'src', Body: 'x', Metadata: { k: 'v' }, ContentType: 'text/x' }));
    await client.send(new CopyObjectCommand({ Bucket: 'east-bucket', Key: 'dst', CopySource: 'east-bucket/src' }));
    const head = await client.send(new HeadObjectCommand({ Bucket: 'east-bucket', Key: 'dst' }));
    expect(head).toMatchObject({ Metadata: { k: 'v' }, ContentType: 'text/x', ContentLength: 1 });
    const notEmpty = await failure(client.send(new DeleteBucketCommand({ Bucket: 'east-bucket' })));
    expect(notEmpty.name).toBe('BucketNotEmpty');
    expect(notEmpty.message).toBe('The bucket you tried to delete is not empty');
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'east-bucket' }));
    const result = await client.send(new DeleteObjectsCommand({ Bucket: 'east-bucket', Delete: { Objects: listed.Contents!.map((c) => ({ Key: c.Key })) } }));
    expect(result.Deleted).toHaveLength(listed.Contents!.length);
    await client.send(new DeleteBucketCommand({ Bucket: 'east-bucket' }));
  });

  it('validates bucket policies and blocks public ones', async () => {
    const client = s3('us-west-2');
    expect((await failure(client.send(new PutBucketPolicyCommand({ Bucket: 'west-bucket', Policy: 'not json' })))).name).toBe('MalformedPolicy');
    await client.send(new PutPublicAccessBlockCommand({ Bucket: 'west-bucket', PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::west-bucket/*' }] });
    expect((await failure(client.send(new PutBucketPolicyCommand({ Bucket: 'west-bucket', Policy: publicPolicy })))).name).toBe('AccessDenied');
    const enc = await client.send(new GetBucketEncryptionCommand({ Bucket: 'west-bucket' }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
  });

  it('answers a region it does not live in with PermanentRedirect', async () => {
    const error = await failure(s3('eu-west-1').send(new GetObjectCommand({ Bucket: 'west-bucket', Key: 'docs/a.txt' })));
    expect(error.$metadata.httpStatusCode).toBe(301);
  });

  it('fires onObjectCreated and serves bodies to other services', async () => {
    const domain = cloud.service('s3');
    const seen: string[] = [];
    domain.onObjectCreated = (region, bucket, key, meta) => seen.push(`${region} ${bucket} ${key} ${meta.eventName}`);
    await s3('us-west-2').send(new PutObjectCommand({ Bucket: 'west-bucket', Key: 'template.yml', Body: 'Resources: {}' }));
    expect(seen).toEqual(['us-west-2 west-bucket template.yml s3:ObjectCreated:Put']);
    expect(domain.getObjectBody('us-east-1', 'west-bucket', 'template.yml').toString()).toBe('Resources: {}');
    expect(() => domain.getObjectBody('us-west-2', 'west-bucket', 'missing')).toThrow('The specified key does not exist.');
  });
});
