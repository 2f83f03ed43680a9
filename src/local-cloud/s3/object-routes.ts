import { AwsError } from '../aws-error.js';
import { record } from '../protocols/narrow.js';
import type { RestCall, RestRoute } from '../protocols/rest.js';
import type { S3Domain } from './domain.js';
import { malformedXml } from './errors.js';
import { objectHeaders, optionsFromHeaders, parseRange, readPutRequest } from './object-headers.js';
import type { ObjectState } from './model.js';
import { asArray, rootElement, S3_XMLNS } from './xml-input.js';

// `bucket/key` or `bucket/key?versionId=…`, URL-encoded.
function parseCopySource(header: string): { bucket: string; key: string; versionId?: string } {
  const [path = '', query = ''] = header.split('?');
  const decoded = decodeURIComponent(path).replace(/^\//, '');
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw new AwsError('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 400);
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

const versionQuery = (q: URLSearchParams): string | undefined => q.get('versionId') ?? undefined;

function writeHeaders(object: ObjectState, versioned: boolean): Record<string, string> {
  const headers: Record<string, string> = { etag: object.etag, 'x-amz-server-side-encryption': object.sse };
  if (object.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = object.kmsKeyId;
  if (versioned || object.versionId !== 'null') headers['x-amz-version-id'] = object.versionId;
  if (object.checksum) {
    headers[`x-amz-checksum-${object.checksum.algorithm}`] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

const preconditionFailed = (condition: string) =>
  new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, true, { Condition: condition });

// S3 evaluates If-Match / If-Unmodified-Since (412) before If-None-Match / If-Modified-Since (304).
function checkConditions(headers: Record<string, string>, object: ObjectState): 'not-modified' | undefined {
  const etagMatches = (list: string) => list.split(',').some((t) => t.trim() === '*' || t.trim().replace(/"/g, '') === object.etag.replace(/"/g, ''));
  const modifiedSecond = Math.floor(object.lastModified / 1000) * 1000;
  if (headers['if-match'] && !etagMatches(headers['if-match'])) throw preconditionFailed('If-Match');
  if (!headers['if-match'] && headers['if-unmodified-since'] && modifiedSecond > Date.parse(headers['if-unmodified-since']))
    throw preconditionFailed('If-Unmodified-Since');
  if (headers['if-none-match'] && etagMatches(headers['if-none-match'])) return 'not-modified';
  if (!headers['if-none-match'] && headers['if-modified-since'] && modifiedSecond <= Date.parse(headers['if-modified-since'])) return 'not-modified';
  return undefined;
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

async function readObject(s3: S3Domain, call: RestCall, head: boolean) {
  const { req, params } = call;
  const versionId = versionQuery(call.query);
  const object = s3.headObject(req.region, params.Bucket!, params.Key!, versionId);
  if (checkConditions(req.headers, object) === 'not-modified')
    return { status: 304, headers: { etag: object.etag, 'last-modified': new Date(object.lastModified).toUTCString() } };
  const range = parseRange(req.headers.range, object.size);
  const headers = objectHeaders(object, !range && req.headers['x-amz-checksum-mode'] === 'ENABLED', s3.isVersioned(req.region, params.Bucket!));
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = call.query.get(param);
    if (value !== null) headers[header] = value;
  }
  const body = head ? undefined : s3.getObject(req.region, params.Bucket!, params.Key!, versionId).body;
  if (!range) return { headers, body: body ?? Buffer.alloc(0) };
  headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
  headers['content-length'] = String(range.end - range.start + 1);
  return { status: 206, headers, body: body ? body.subarray(range.start, range.end + 1) : Buffer.alloc(0) };
}

/** PutObject, CopyObject, GetObject, HeadObject, DeleteObject, DeleteObjects. */
export function objectRoutes(s3: S3Domain): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/{Bucket}',
      op: 'DeleteObjects',
      handler: async (call) => {
        const doc = rootElement(call.xml(), 'Delete');
        const objects = asArray(doc.Object).map(record);
        if (objects.length === 0 || objects.length > 1000) throw malformedXml();
        const quiet = String(doc.Quiet) === 'true';
        const deleted: Array<{ Key: string; VersionId?: string; DeleteMarker?: boolean; DeleteMarkerVersionId?: string }> = [];
        const errors: Array<{ Key: string; VersionId?: string; Code: string; Message: string }> = [];
        for (const { Key, VersionId } of objects) {
          if (typeof Key !== 'string' || (VersionId !== undefined && typeof VersionId !== 'string')) throw malformedXml();
          try {
            const outcome = s3.deleteObject(call.req.region, call.params.Bucket!, Key, VersionId);
            // AWS names the marker it removed or added in DeleteMarkerVersionId; VersionId echoes the request.
            deleted.push({
              Key,
              ...(VersionId !== undefined ? { VersionId } : {}),
              ...(outcome.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: outcome.versionId } : {}),
            });
          } catch (error) {
            if (!(error instanceof AwsError) || error.code === 'NoSuchBucket' || error.code === 'PermanentRedirect') throw error;
            errors.push({ Key, ...(VersionId !== undefined ? { VersionId } : {}), Code: error.code, Message: error.message });
          }
        }
        return { xml: { root: 'DeleteResult', xmlns: S3_XMLNS, value: { Deleted: quiet ? [] : deleted, Error: errors } } };
      },
    },
    {
      method: 'PUT',
      path: '/{Bucket}/{Key+}',
      op: 'PutObject',
      handler: async (call) => {
        const { req, params } = call;
        const copySource = req.headers['x-amz-copy-source'];
        if (copySource) {
          const replace = (req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
          const source = parseCopySource(copySource);
          const sourceVersion = source.versionId ?? s3.bucket(source.bucket).objects[source.key]?.versionId;
          const object = s3.copyObject(req.region, source, { bucket: params.Bucket!, key: params.Key! }, replace ? optionsFromHeaders(req.headers) : undefined);
          const { etag: _etag, ...headers } = writeHeaders(object, s3.isVersioned(req.region, params.Bucket!));
          if (sourceVersion !== undefined && (sourceVersion !== 'null' || s3.bucket(source.bucket).versioning)) headers['x-amz-copy-source-version-id'] = sourceVersion;
          return {
            headers,
            xml: { root: 'CopyObjectResult', xmlns: S3_XMLNS, value: { ETag: object.etag, LastModified: new Date(object.lastModified).toISOString() } },
          };
        }
        const bucket = s3.bucketAt(req.region, params.Bucket!);
        // Conditional writes: `If-None-Match: *` creates only; `If-Match` overwrites only that ETag.
        const existing = bucket.objects[params.Key!];
        if (req.headers['if-none-match'] === '*' && existing) throw preconditionFailed('If-None-Match');
        if (req.headers['if-match'] && (!existing || req.headers['if-match'].replace(/"/g, '') !== existing.etag.replace(/"/g, '')))
          throw existing ? preconditionFailed('If-Match') : new AwsError('NoSuchKey', 'The specified key does not exist.', 404, true, { Key: params.Key! });
        const { body, opts } = readPutRequest(req.headers, call.body);
        const object = s3.putObject(req.region, params.Bucket!, params.Key!, body, opts);
        return { headers: writeHeaders(object, bucket.versioning !== undefined) };
      },
    },
    { method: 'GET', path: '/{Bucket}/{Key+}', op: 'GetObject', handler: (call) => readObject(s3, call, false) },
    { method: 'HEAD', path: '/{Bucket}/{Key+}', op: 'HeadObject', handler: (call) => readObject(s3, call, true) },
    {
      method: 'DELETE',
      path: '/{Bucket}/{Key+}',
      op: 'DeleteObject',
      handler: async ({ req, params, query }) => {
        const outcome = s3.deleteObject(req.region, params.Bucket!, params.Key!, versionQuery(query));
        const headers: Record<string, string> = {};
        if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
        if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
        return { status: 204, headers };
      },
    },
  ];
}
