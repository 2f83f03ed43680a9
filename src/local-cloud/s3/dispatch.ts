// S3 dispatch in one table, s3rver-style: an S3 request names its operation by method, by what the
// path addresses (the service, a bucket, an object) and by its sub-resource (the query key such as
// ?tagging or ?versions that selects an operation, as opposed to a parameter of one like ?prefix).
// Route order plays no part: each (method, target, sub-resource) has one row, and sub-resources S3
// has but the local cloud does not implement are listed, so they answer NotImplemented instead of
// falling through to a neighbouring operation (GET /bucket?acl is not ListObjects).
import type { RestMatch, RestRoute } from '../protocols/rest.js';
import type { CloudRequest } from '../types.js';

type Target = 'service' | 'bucket' | 'object';

// '*': any sub-resource (or none) without a row of its own. '': none. 'list-type=2': ?list-type=2.
type Row = {
  method: string;
  target: Target;
  sub: string;
  /** Absent: S3 has this operation, the local cloud does not implement it. */
  op?: string;
  /** Only without any query parameter (a bare PUT /bucket is CreateBucket, PUT /bucket?foo is not). */
  bare?: true;
};

const CONFIG = ['encryption', 'publicAccessBlock', 'policy', 'versioning', 'tagging', 'notification', 'replication'] as const;
const CONFIG_OPS: Record<(typeof CONFIG)[number], { GET: string; PUT: string; DELETE?: string }> = {
  encryption: { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' },
  publicAccessBlock: { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' },
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'DeleteBucketTagging' },
  notification: { GET: 'GetBucketNotificationConfiguration', PUT: 'PutBucketNotificationConfiguration' },
  replication: { GET: 'GetBucketReplication', PUT: 'PutBucketReplication', DELETE: 'DeleteBucketReplication' },
};

// Bucket sub-resources S3 answers on GET that the local cloud does not implement.
const BUCKET_GET_NOT_IMPLEMENTED = [
  'acl', 'cors', 'lifecycle', 'website', 'logging', 'ownershipControls', 'uploads', 'object-lock',
  'accelerate', 'requestPayment', 'analytics', 'metrics', 'inventory', 'intelligent-tiering',
];

const notImplemented = (method: string, target: Target, subs: string[]): Row[] => subs.map((sub) => ({ method, target, sub }));

/** Every S3 operation the local cloud answers, and the sub-resources it knows it does not. */
export const S3_OPERATIONS: Row[] = [
  { method: 'GET', target: 'service', sub: '*', op: 'ListBuckets' },

  { method: 'GET', target: 'bucket', sub: '*', op: 'ListObjects' },
  { method: 'GET', target: 'bucket', sub: 'list-type=2', op: 'ListObjectsV2' },
  { method: 'GET', target: 'bucket', sub: 'versions', op: 'ListObjectVersions' },
  { method: 'GET', target: 'bucket', sub: 'location', op: 'GetBucketLocation' },
  ...notImplemented('GET', 'bucket', BUCKET_GET_NOT_IMPLEMENTED),
  { method: 'PUT', target: 'bucket', sub: '', op: 'CreateBucket', bare: true },
  { method: 'DELETE', target: 'bucket', sub: '', op: 'DeleteBucket', bare: true },
  { method: 'HEAD', target: 'bucket', sub: '*', op: 'HeadBucket' },
  { method: 'POST', target: 'bucket', sub: 'delete', op: 'DeleteObjects' },
  ...CONFIG.flatMap((sub) =>
    (['GET', 'PUT', 'DELETE'] as const).flatMap((method) => {
      const op = CONFIG_OPS[sub][method];
      return op ? [{ method, target: 'bucket' as const, sub, op }] : [];
    }),
  ),

  { method: 'GET', target: 'object', sub: '*', op: 'GetObject' },
  ...notImplemented('GET', 'object', ['tagging', 'acl', 'uploadId']),
  { method: 'HEAD', target: 'object', sub: '*', op: 'HeadObject' },
  { method: 'PUT', target: 'object', sub: '*', op: 'PutObject' },
  ...notImplemented('PUT', 'object', ['tagging', 'acl', 'retention', 'legal-hold', 'uploadId', 'partNumber']),
  { method: 'DELETE', target: 'object', sub: '*', op: 'DeleteObject' },
  ...notImplemented('DELETE', 'object', ['tagging', 'uploadId']),
];

// Query keys that select an operation. Any other key is a parameter (prefix, versionId, x-id …).
const SUBRESOURCES = new Set(
  S3_OPERATIONS.map((row) => row.sub).filter((sub) => sub !== '' && sub !== '*' && sub !== 'list-type=2'),
);

/** The request's sub-resource: the first query key that selects an operation, '' for none. */
function subresourceOf(query: URLSearchParams): string {
  if (query.get('list-type') === '2') return 'list-type=2';
  for (const key of query.keys()) if (SUBRESOURCES.has(key)) return key;
  return '';
}

function targetOf(path: string): { target: Target; params: Record<string, string> } | undefined {
  if (path === '/') return { target: 'service', params: {} };
  const bucket = /^\/([^/]+)\/?$/.exec(path);
  if (bucket) return { target: 'bucket', params: { Bucket: bucket[1]! } };
  const object = /^\/([^/]+)\/(.+)$/.exec(path);
  return object ? { target: 'object', params: { Bucket: object[1]!, Key: object[2]! } } : undefined;
}

/**
 * The matcher for S3's routes: each route's op must have a row above (its path and `when` are not
 * consulted). Throws at start-up for a route without a row, so a new operation cannot be left out.
 */
export function s3Matcher(routes: RestRoute[]): (req: CloudRequest) => RestMatch | undefined {
  const byOp = new Map(routes.map((route) => [route.op, route]));
  for (const op of byOp.keys()) {
    if (!S3_OPERATIONS.some((row) => row.op === op)) throw new Error(`S3 operation ${op} has no row in the dispatch table (s3/dispatch.ts)`);
  }
  const rows = new Map(S3_OPERATIONS.map((row) => [`${row.method} ${row.target} ${row.sub}`, row]));
  return (req) => {
    const found = targetOf(req.path);
    if (!found) return undefined;
    const sub = subresourceOf(req.query);
    let row = rows.get(`${req.method} ${found.target} ${sub}`);
    if (row?.bare && [...req.query.keys()].length > 0) row = undefined;
    else row ??= rows.get(`${req.method} ${found.target} *`);
    const route = row?.op === undefined ? undefined : byOp.get(row.op);
    return route ? { route, params: found.params } : undefined;
  };
}
