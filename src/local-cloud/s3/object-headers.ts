import { decodeAwsChunked, isAwsChunked, storedContentEncoding } from './aws-chunked.js';
import { checkChecksum } from './checksums.js';
import type { PutObjectOptions } from './domain.js';
import type { ObjectState } from './model.js';
import { AwsError } from '../aws-error.js';

/** The object body and its options from a PutObject request, aws-chunked framing removed. */
export function readPutRequest(headers: Record<string, string>, raw: Buffer): { body: Buffer; opts: PutObjectOptions } {
  let body = raw;
  let all = headers;
  if (isAwsChunked(headers)) {
    const decoded = decodeAwsChunked(raw);
    body = decoded.body;
    all = { ...headers, ...decoded.trailers };
    const declared = headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== body.length)
      throw new AwsError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
  }
  return { body, opts: { ...optionsFromHeaders(all), checksum: checkChecksum(all, body) } };
}

export function optionsFromHeaders(headers: Record<string, string>): PutObjectOptions {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  return {
    contentType: headers['content-type'],
    cacheControl: headers['cache-control'],
    contentEncoding: storedContentEncoding(headers['content-encoding']),
    contentDisposition: headers['content-disposition'],
    contentLanguage: headers['content-language'],
    expires: headers['expires'],
    metadata,
    sse: headers['x-amz-server-side-encryption'],
    kmsKeyId: headers['x-amz-server-side-encryption-aws-kms-key-id'],
  };
}

/** Response headers describing an object (GetObject, HeadObject); `versioned` buckets report even the "null" version id. */
export function objectHeaders(object: ObjectState, withChecksum: boolean, versioned = false): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    'content-length': String(object.size),
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': object.sse,
  };
  if (object.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = object.kmsKeyId;
  if (versioned || object.versionId !== 'null') headers['x-amz-version-id'] = object.versionId;
  if (object.cacheControl) headers['cache-control'] = object.cacheControl;
  if (object.contentEncoding) headers['content-encoding'] = object.contentEncoding;
  if (object.contentDisposition) headers['content-disposition'] = object.contentDisposition;
  if (object.contentLanguage) headers['content-language'] = object.contentLanguage;
  if (object.expires) headers['expires'] = object.expires;
  for (const [k, v] of Object.entries(object.metadata)) headers[`x-amz-meta-${k}`] = v;
  if (object.replicationStatus) headers['x-amz-replication-status'] = object.replicationStatus;
  if (withChecksum && object.checksum) {
    headers[`x-amz-checksum-${object.checksum.algorithm}`] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

/** Parse `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined for a header S3 ignores; InvalidRange when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end)
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, true, { RangeRequested: header!, ActualObjectSize: String(size) });
  return { start, end };
}
