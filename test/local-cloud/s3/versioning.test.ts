import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyBucket } from '../../../src/deploy/destroy.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

// Regression for the conformance finding "S3 keeps no version history" (test/conformance/FINDINGS.md):
// versions, delete markers and BucketNotEmpty, through the real SDK.
const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-s3-versions-'));
const clock = new ManualClock();
let cloud: LocalCloud;
let client: S3Client;

async function start(): Promise<void> {
  cloud = await startLocalCloud({ port: 0, clock, dataDir, services: [createS3Service] });
  client = new S3Client({ endpoint: cloud.url, region: 'eu-west-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

async function stop(): Promise<void> {
  client.destroy();
  await cloud.close();
}

beforeAll(start);
afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as S3ServiceException;
const text = async (Bucket: string, Key: string, VersionId?: string) => (await client.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();
const put = async (Bucket: string, Key: string, Body: string) => {
  await clock.advance(1000);
  return client.send(new PutObjectCommand({ Bucket, Key, Body }));
};
const versioned = async (Bucket: string, Status: 'Enabled' | 'Suspended') => client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));
const summary = (out: ListObjectVersionsCommandOutput) => ({
  versions: (out.Versions ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]),
  markers: (out.DeleteMarkers ?? []).map((m) => [m.Key, m.VersionId, m.IsLatest]),
});
const createBucket = (Bucket: string) => client.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));

describe('S3 versioning through the AWS SDK', () => {
  it('keeps every version of an Enabled bucket and addresses each by VersionId', async () => {
    const Bucket = 'history-bucket';
    await createBucket(Bucket);
    await versioned(Bucket, 'Enabled');
    const v1 = await put(Bucket, 'k', 'one');
    const v2 = await put(Bucket, 'k', 'two');
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text(Bucket, 'k')).toBe('two');
    expect(await text(Bucket, 'k', v1.VersionId)).toBe('one');
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
    expect(head).toMatchObject({ VersionId: v1.VersionId, ContentLength: 3, ETag: v1.ETag });
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket })))).toEqual({
      versions: [['k', v2.VersionId, true], ['k', v1.VersionId, false]],
      markers: [],
    });
    const unknown = await failure(client.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'not-a-version' })));
    expect([unknown.name, unknown.$metadata.httpStatusCode, unknown.message]).toEqual(['NoSuchVersion', 404, 'The specified version does not exist.']);
    // Only the current version shows in ordinary listings.
    expect((await client.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((o) => [o.Key, o.ETag])).toEqual([['k', v2.ETag]]);
  });

  it('hides a deleted key behind a delete marker, and removing the marker brings it back', async () => {
    const Bucket = 'marker-bucket';
    await createBucket(Bucket);
    await versioned(Bucket, 'Enabled');
    const v1 = await put(Bucket, 'k', 'one');
    await clock.advance(1000);
    const deleted = await client.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);

    const gone = await failure(client.send(new GetObjectCommand({ Bucket, Key: 'k' })));
    expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['NoSuchKey', 404]);
    expect(gone.$response?.headers['x-amz-delete-marker']).toBe('true');
    expect(gone.$response?.headers['x-amz-version-id']).toBe(deleted.VersionId);
    const headGone = await failure(client.send(new HeadObjectCommand({ Bucket, Key: 'k' })));
    expect(headGone.$metadata.httpStatusCode).toBe(404);
    expect(headGone.$response?.headers['x-amz-delete-marker']).toBe('true');
    const marker = await failure(client.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: deleted.VersionId })));
    expect([marker.name, marker.$metadata.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
    expect(marker.$response?.headers['x-amz-delete-marker']).toBe('true');
    expect(await text(Bucket, 'k', v1.VersionId)).toBe('one');
    expect((await client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);

    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket })))).toEqual({
      versions: [['k', v1.VersionId, false]],
      markers: [['k', deleted.VersionId, true]],
    });
    const notEmpty = await failure(client.send(new DeleteBucketCommand({ Bucket })));
    expect([notEmpty.name, notEmpty.$metadata.httpStatusCode]).toEqual(['BucketNotEmpty', 409]);

    const unmarked = await client.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: deleted.VersionId }));
    expect(unmarked).toMatchObject({ DeleteMarker: true, VersionId: deleted.VersionId });
    expect(await text(Bucket, 'k')).toBe('one');
    const removed = await client.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
    expect(removed.VersionId).toBe(v1.VersionId);
    expect(removed.DeleteMarker).toBeUndefined();
    expect((await client.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toBeUndefined();
    // AWS answers 204 for a version that is not there.
    expect((await client.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }))).VersionId).toBe(v1.VersionId);
    await client.send(new DeleteBucketCommand({ Bucket }));
  });

  it('pages ListObjectVersions with KeyMarker / VersionIdMarker, keys ascending and newest first per key', async () => {
    const Bucket = 'paging-bucket';
    await createBucket(Bucket);
    await versioned(Bucket, 'Enabled');
    const b1 = await put(Bucket, 'b', 'b1');
    const a1 = await put(Bucket, 'a', 'a1');
    const a2 = await put(Bucket, 'a', 'a2');
    const bMarker = await client.send(new DeleteObjectCommand({ Bucket, Key: 'b' }));
    const c1 = await put(Bucket, 'dir/c', 'c1');
    const expected = [
      ['a', a2.VersionId, true],
      ['a', a1.VersionId, false],
      ['b', bMarker.VersionId, true],
      ['b', b1.VersionId, false],
      ['dir/c', c1.VersionId, true],
    ];
    const all = await client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(all.IsTruncated).toBe(false);
    expect(summary(all).markers).toEqual([['b', bMarker.VersionId, true]]);

    const seen: unknown[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let pages = 1; ; pages++) {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2, KeyMarker, VersionIdMarker }));
      const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => [v.Key, v.VersionId, v.IsLatest, v.LastModified!.getTime()] as const);
      seen.push(...entries.sort((x, y) => (x[0] === y[0] ? y[3] - x[3] : (x[0] ?? '') < (y[0] ?? '') ? -1 : 1)).map(([k, v, l]) => [k, v, l]));
      if (!page.IsTruncated) {
        expect(pages).toBe(3);
        break;
      }
      expect(page.MaxKeys).toBe(2);
      ({ NextKeyMarker: KeyMarker, NextVersionIdMarker: VersionIdMarker } = page);
    }
    expect(seen).toEqual(expected);

    // A key marker alone resumes after every version of that key; a delimiter folds keys into prefixes.
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket, KeyMarker: 'a' }))).versions.map((v) => v[0])).toEqual(['b', 'dir/c']);
    const folded = await client.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/' }));
    expect(folded.CommonPrefixes).toEqual([{ Prefix: 'dir/' }]);
    expect(summary(folded).versions.map((v) => v[0])).toEqual(['a', 'a', 'b']);
  });

  it('DeleteObjects removes named versions and reports the delete markers it makes; emptyBucket then empties the bucket', async () => {
    const Bucket = 'batch-bucket';
    await createBucket(Bucket);
    await versioned(Bucket, 'Enabled');
    const x1 = await put(Bucket, 'x', 'x1');
    const x2 = await put(Bucket, 'x', 'x2');
    await put(Bucket, 'y', 'y1');
    const out = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'x', VersionId: x1.VersionId }, { Key: 'y' }] } }));
    const byKey = Object.fromEntries((out.Deleted ?? []).map((d) => [d.Key, d]));
    expect(byKey.x).toEqual({ Key: 'x', VersionId: x1.VersionId });
    expect(byKey.y).toEqual({ Key: 'y', DeleteMarker: true, DeleteMarkerVersionId: expect.stringMatching(/^[A-Za-z0-9._]{32}$/) });
    expect(out.Errors).toBeUndefined();
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket })))).toEqual({
      versions: [['x', x2.VersionId, true], ['y', expect.any(String), false]],
      markers: [['y', byKey.y!.DeleteMarkerVersionId, true]],
    });
    expect((await failure(client.send(new DeleteBucketCommand({ Bucket })))).name).toBe('BucketNotEmpty');
    // regionctl's own bucket emptier (destroy) must leave nothing AWS would count.
    expect(await emptyBucket(client, Bucket)).toBe(3);
    await client.send(new DeleteBucketCommand({ Bucket }));
  });

  it('Suspended versioning writes the "null" version, replacing the previous one, and keeps older versions', async () => {
    const Bucket = 'suspended-bucket';
    await createBucket(Bucket);
    await versioned(Bucket, 'Enabled');
    const v1 = await put(Bucket, 'k', 'enabled');
    await versioned(Bucket, 'Suspended');
    const n1 = await put(Bucket, 'k', 'null-1');
    expect(n1.VersionId).toBe('null');
    await put(Bucket, 'k', 'null-2');
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket })))).toEqual({
      versions: [['k', 'null', true], ['k', v1.VersionId, false]],
      markers: [],
    });
    expect(await text(Bucket, 'k', 'null')).toBe('null-2');
    const deleted = await client.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(deleted).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket })))).toEqual({
      versions: [['k', v1.VersionId, false]],
      markers: [['k', 'null', true]],
    });
  });

  it('CopyObject of an older version restores it as a new version', async () => {
    const Bucket = 'copy-bucket';
    await createBucket(Bucket);
    await versioned(Bucket, 'Enabled');
    const v1 = await put(Bucket, 'k', 'first');
    await put(Bucket, 'k', 'second');
    const copied = await client.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `${Bucket}/k?versionId=${v1.VersionId}` }));
    expect(copied.CopySourceVersionId).toBe(v1.VersionId);
    expect(await text(Bucket, 'k')).toBe('first');
    expect((await client.send(new ListObjectVersionsCommand({ Bucket }))).Versions?.map((v) => v.VersionId)).toEqual([copied.VersionId, expect.any(String), v1.VersionId]);
  });

  it('unversioned buckets keep one "null" version per key and no delete markers', async () => {
    const Bucket = 'plain-bucket';
    await createBucket(Bucket);
    const first = await put(Bucket, 'k', 'one');
    expect(first.VersionId).toBeUndefined();
    await put(Bucket, 'k', 'two');
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket })))).toEqual({ versions: [['k', 'null', true]], markers: [] });
    const deleted = await client.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(deleted.DeleteMarker).toBeUndefined();
    expect((await client.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toBeUndefined();
    await client.send(new DeleteBucketCommand({ Bucket }));
  });

  it('keeps version history across a restart', async () => {
    const before = summary(await client.send(new ListObjectVersionsCommand({ Bucket: 'history-bucket' })));
    await stop();
    await start();
    expect(summary(await client.send(new ListObjectVersionsCommand({ Bucket: 'history-bucket' })))).toEqual(before);
    expect(before.versions).toHaveLength(2);
  });
});
