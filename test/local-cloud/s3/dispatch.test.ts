import { describe, expect, it } from 'vitest';
import type { RestRoute } from '../../../src/local-cloud/protocols/rest.js';
import { S3_OPERATIONS, s3Matcher } from '../../../src/local-cloud/s3/dispatch.js';
import { S3Domain } from '../../../src/local-cloud/s3/domain.js';
import { bucketRoutes } from '../../../src/local-cloud/s3/bucket-routes.js';
import { configRoutes } from '../../../src/local-cloud/s3/config-routes.js';
import { listRoutes } from '../../../src/local-cloud/s3/list-routes.js';
import { objectRoutes } from '../../../src/local-cloud/s3/object-routes.js';
import type { CloudContext, CloudRequest } from '../../../src/local-cloud/types.js';

// One route per operation of the table, in an order that would mislead a first-match router:
// the catch-all routes (ListObjects, GetObject, PutObject) come first.
const ops = [...new Set(S3_OPERATIONS.flatMap((row) => (row.op ? [row.op] : [])))];
const routes: RestRoute[] = ops
  .sort((a, b) => Number(!['ListObjects', 'GetObject', 'PutObject'].includes(a)) - Number(!['ListObjects', 'GetObject', 'PutObject'].includes(b)))
  .map((op) => ({ method: 'GET', path: '/', op, handler: async () => ({}) }));
const match = s3Matcher(routes);

const req = (method: string, target: string): CloudRequest => {
  const [path, query = ''] = target.split('?');
  return { service: 's3', region: 'us-east-1', accountId: '000000000000', method, path: path!, query: new URLSearchParams(query), headers: {}, body: Buffer.alloc(0), requestId: 'r' };
};
const opOf = (method: string, target: string) => match(req(method, target))?.route.op;

describe('S3 dispatch by (method, target, sub-resource)', () => {
  it.each([
    ['GET', '/', 'ListBuckets'],
    ['GET', '/b', 'ListObjects'],
    ['GET', '/b?prefix=a&delimiter=/', 'ListObjects'],
    ['GET', '/b?list-type=2&prefix=a', 'ListObjectsV2'],
    ['GET', '/b?list-type=1', 'ListObjects'],
    ['GET', '/b?versions', 'ListObjectVersions'],
    ['GET', '/b?location', 'GetBucketLocation'],
    ['GET', '/b?encryption', 'GetBucketEncryption'],
    ['GET', '/b?tagging', 'GetBucketTagging'],
    ['PUT', '/b', 'CreateBucket'],
    ['PUT', '/b?versioning', 'PutBucketVersioning'],
    ['DELETE', '/b', 'DeleteBucket'],
    ['DELETE', '/b?policy', 'DeleteBucketPolicy'],
    ['HEAD', '/b', 'HeadBucket'],
    ['POST', '/b?delete', 'DeleteObjects'],
    ['GET', '/b/k', 'GetObject'],
    ['GET', '/b/dir/k?versionId=v1&x-id=GetObject', 'GetObject'],
    ['HEAD', '/b/k', 'HeadObject'],
    ['PUT', '/b/k?x-id=PutObject', 'PutObject'],
    ['DELETE', '/b/k?versionId=v1', 'DeleteObject'],
  ])('%s %s → %s', (method, target, op) => expect(opOf(method, target)).toBe(op));

  it.each([
    ['GET', '/b?acl'],
    ['GET', '/b?uploads'],
    ['PUT', '/b?cors'],
    ['PUT', '/b?foo'],
    ['DELETE', '/b?versioning'],
    ['GET', '/b/k?tagging'],
    ['PUT', '/b/k?partNumber=1&uploadId=u'],
    ['DELETE', '/b/k?uploadId=u'],
    ['POST', '/b/k?uploads'],
  ])('%s %s is not implemented (no neighbouring operation answers it)', (method, target) => expect(opOf(method, target)).toBeUndefined());

  it('refuses at start-up a route whose operation has no row in the table', () => {
    expect(() => s3Matcher([{ method: 'GET', path: '/{Bucket}', op: 'GetBucketCors', handler: async () => ({}) }])).toThrow(/GetBucketCors has no row/);
  });

  it("has a row for every route the S3 service registers", () => {
    const s3 = new S3Domain({} as CloudContext);
    const all = [...configRoutes(s3), ...objectRoutes(s3), ...bucketRoutes(s3), ...listRoutes(s3)];
    expect(() => s3Matcher(all)).not.toThrow();
    expect(all.map((r) => r.op).sort()).toEqual([...ops].sort());
  });
});
