import type { RestRoute } from '../protocols/rest.js';
import { AwsError } from '../aws-error.js';
import type { S3Domain } from './domain.js';
import { LOCAL_OWNER } from './owner.js';
import type { ObjectState } from './model.js';
import { isDeleteMarker } from './versions.js';
import { S3_XMLNS } from './xml-input.js';

function maxKeys(q: URLSearchParams): number {
  const raw = q.get('max-keys');
  if (raw === null) return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
  return Math.min(n, 1000);
}

const encodeToken = (last: string) => Buffer.from(last, 'utf8').toString('base64');

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text || encodeToken(text) !== token) throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400);
  return text;
}

function contents(objects: ObjectState[], encode: (s: string) => string) {
  return objects.map((o) => ({
    Key: encode(o.key),
    LastModified: new Date(o.lastModified).toISOString(),
    ETag: o.etag,
    Size: o.size,
    StorageClass: 'STANDARD',
  }));
}

/** ListObjectsV2 (list-type=2), ListObjects (v1), ListObjectVersions (?versions). */
export function listRoutes(s3: S3Domain): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/{Bucket}',
      op: 'ListObjectsV2',
      handler: async ({ req, params, query: q }) => {
        const encode = q.get('encoding-type') === 'url' ? encodeURIComponent : (s: string) => s;
        const token = q.get('continuation-token');
        const startAfter = q.get('start-after') ?? undefined;
        const prefix = q.get('prefix') ?? '';
        const delimiter = q.get('delimiter') || undefined;
        const limit = maxKeys(q);
        const after = token !== null ? decodeToken(token) : startAfter;
        const page = s3.listObjects(req.region, params.Bucket!, { prefix, delimiter, maxKeys: limit, after });
        return {
          xml: {
            root: 'ListBucketResult',
            xmlns: S3_XMLNS,
            value: {
              Name: params.Bucket,
              Prefix: encode(prefix),
              ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
              MaxKeys: limit,
              KeyCount: page.contents.length + page.commonPrefixes.length,
              IsTruncated: page.isTruncated,
              ...(token !== null ? { ContinuationToken: token } : {}),
              ...(page.isTruncated && page.last !== undefined ? { NextContinuationToken: encodeToken(page.last) } : {}),
              ...(startAfter !== undefined ? { StartAfter: encode(startAfter) } : {}),
              ...(q.get('encoding-type') === 'url' ? { EncodingType: 'url' } : {}),
              Contents: contents(page.contents, encode),
              CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/{Bucket}',
      op: 'ListObjectVersions',
      handler: async ({ req, params, query: q }) => {
        const encode = q.get('encoding-type') === 'url' ? encodeURIComponent : (s: string) => s;
        const prefix = q.get('prefix') ?? '';
        const delimiter = q.get('delimiter') || undefined;
        const limit = maxKeys(q);
        const keyMarker = q.get('key-marker') || undefined;
        const versionIdMarker = q.get('version-id-marker') || undefined;
        if (versionIdMarker && !keyMarker)
          throw new AwsError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', 400, true, { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
        const page = s3.listObjectVersions(req.region, params.Bucket!, { prefix, delimiter, maxKeys: limit, keyMarker, versionIdMarker });
        const when = (ms: number) => new Date(ms).toISOString();
        const versions = page.entries.flatMap(({ entry, isLatest }) =>
          isDeleteMarker(entry) ? [] : [{ Key: encode(entry.key), VersionId: entry.versionId, IsLatest: isLatest, LastModified: when(entry.lastModified), ETag: entry.etag, Size: entry.size, StorageClass: 'STANDARD', Owner: LOCAL_OWNER }],
        );
        const markers = page.entries.flatMap(({ entry, isLatest }) =>
          isDeleteMarker(entry) ? [{ Owner: LOCAL_OWNER, Key: encode(entry.key), VersionId: entry.versionId, IsLatest: isLatest, LastModified: when(entry.lastModified) }] : [],
        );
        return {
          xml: {
            root: 'ListVersionsResult',
            xmlns: S3_XMLNS,
            value: {
              Name: params.Bucket,
              Prefix: encode(prefix),
              KeyMarker: encode(keyMarker ?? ''),
              VersionIdMarker: versionIdMarker ?? '',
              ...(page.isTruncated && page.nextKeyMarker !== undefined ? { NextKeyMarker: encode(page.nextKeyMarker) } : {}),
              ...(page.isTruncated && page.nextVersionIdMarker !== undefined ? { NextVersionIdMarker: page.nextVersionIdMarker } : {}),
              MaxKeys: limit,
              ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
              IsTruncated: page.isTruncated,
              // Echoed so clients know to decode the keys: botocore (AWS CLI, boto3) sends
              // encoding-type=url on every ListObjectVersions and decodes only when this is present.
              ...(q.get('encoding-type') === 'url' ? { EncodingType: 'url' } : {}),
              Version: versions,
              DeleteMarker: markers,
              CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/{Bucket}',
      op: 'ListObjects',
      handler: async ({ req, params, query: q }) => {
        const encode = q.get('encoding-type') === 'url' ? encodeURIComponent : (s: string) => s;
        const prefix = q.get('prefix') ?? '';
        const delimiter = q.get('delimiter') || undefined;
        const marker = q.get('marker') ?? '';
        const limit = maxKeys(q);
        const page = s3.listObjects(req.region, params.Bucket!, { prefix, delimiter, maxKeys: limit, after: marker || undefined });
        return {
          xml: {
            root: 'ListBucketResult',
            xmlns: S3_XMLNS,
            value: {
              Name: params.Bucket,
              Prefix: encode(prefix),
              Marker: encode(marker),
              ...(page.isTruncated && delimiter && page.last !== undefined ? { NextMarker: encode(page.last) } : {}),
              MaxKeys: limit,
              ...(delimiter ? { Delimiter: encode(delimiter) } : {}),
              IsTruncated: page.isTruncated,
              ...(q.get('encoding-type') === 'url' ? { EncodingType: 'url' } : {}),
              Contents: contents(page.contents, encode),
              CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
            },
          },
        };
      },
    },
  ];
}
