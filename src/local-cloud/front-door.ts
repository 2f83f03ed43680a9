import { AwsError } from './aws-error.js';
import type { Wire } from './protocols/wire.js';

// The local cloud's front door rules (see SPEC.md "Front door"): who may talk to it, with which
// content types and how much body, decided before a byte of the body is buffered.

/** Host header without the port, lower-case ("[::1]:4566" → "[::1]"). */
export function hostOf(headers: Record<string, string>): string {
  return (headers.host ?? '').trim().toLowerCase().replace(/:\d*$/, '').replace(/\.$/, '');
}

/** 127.0.0.0/8, localhost, *.localhost (RFC 6761 §6.3) and [::1]. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * A browser announces itself: every cross-origin (and every same-origin non-GET) fetch carries
 * Origin, and current browsers send Sec-Fetch-Site and Sec-Fetch-Dest (plus Sec-Fetch-User on
 * navigations) on every request, form posts and <img> loads included. No AWS SDK or CLI sends
 * them. Sec-Fetch-Mode alone is not a browser: Node's own fetch (undici) adds `sec-fetch-mode:
 * cors` and nothing else, and regionctl, its canary and users' Lambdas call the local cloud with it.
 * https://www.w3.org/TR/fetch-metadata/ , https://fetch.spec.whatwg.org/#origin-header
 */
export function browserHeader(headers: Record<string, string>): string | undefined {
  if (headers.origin !== undefined) return 'Origin';
  return Object.keys(headers).find((h) => h.startsWith('sec-fetch-') && h !== 'sec-fetch-mode');
}

export const forbidden = (wire: Wire | undefined, message: string): AwsError =>
  new AwsError(wire && (wire.name === 'awsJson1_0' || wire.name === 'awsJson1_1' || wire.name === 'restJson1') ? 'AccessDeniedException' : 'AccessDenied', message, 403);

/** The media type without parameters, lower-case; undefined when absent. */
export function mediaType(headers: Record<string, string>): string | undefined {
  const raw = headers['content-type'];
  if (raw === undefined) return undefined;
  return raw.split(';')[0]!.trim().toLowerCase();
}

const AMZ_JSON = new Set(['application/x-amz-json-1.0', 'application/x-amz-json-1.1']);
const REST_JSON = new Set(['application/json', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/octet-stream', 'binary/octet-stream']);
const XML = new Set(['application/xml', 'text/xml']);
// S3 control operations: XML documents, except PutBucketPolicy whose JSON body SDK v3 sends as text/plain.
const S3_CONTROL = new Set([...XML, 'text/plain', 'application/json', 'application/octet-stream', 'binary/octet-stream']);

/** S3 addresses an object when the path has a key after the bucket (`/bucket/key`). */
export function isS3ObjectPath(path: string): boolean {
  const slash = path.indexOf('/', 1);
  return slash > 0 && slash < path.length - 1;
}

/**
 * The content types each protocol's clients really send (SDK v3, AWS CLI, boto3), see SPEC.md.
 * Anything else, notably the three a browser may send without a CORS preflight, is refused.
 */
export function contentTypeRefusal(wire: Wire, req: { method: string; path: string; headers: Record<string, string>; bodyLength: number }): AwsError | undefined {
  const type = mediaType(req.headers);
  const refuse = (expected: string) =>
    new AwsError(
      wire.name === 'awsQuery' || wire.name === 'restXml' ? 'UnsupportedMediaType' : 'UnsupportedMediaTypeException',
      `Content-Type ${type === undefined ? '(none)' : `'${type}'`} is not accepted by ${wire.service} (${wire.name}); send ${expected}.`,
      415,
    );
  switch (wire.name) {
    case 'awsQuery':
      if (type === 'application/x-www-form-urlencoded' || (type === undefined && req.bodyLength === 0)) return undefined;
      return refuse('application/x-www-form-urlencoded');
    case 'awsJson1_0':
    case 'awsJson1_1':
      if (type !== undefined && AMZ_JSON.has(type)) return undefined;
      return refuse(`application/x-amz-json-${wire.name === 'awsJson1_0' ? '1.0' : '1.1'}`);
    case 'restJson1':
      if (type === undefined || REST_JSON.has(type)) return undefined;
      return refuse('application/json');
    case 'restXml':
      if (type === undefined) return undefined;
      // An object's body is the object: its Content-Type is the object's metadata.
      if (wire.service === 's3' && isS3ObjectPath(req.path)) return undefined;
      if ((wire.service === 's3' ? S3_CONTROL : XML).has(type)) return undefined;
      return refuse('application/xml');
  }
}

const KB = 1024;
const MB = 1024 * KB;

export interface BodyLimit {
  bytes: number;
  error(): AwsError;
}

/** Locally capped (AWS allows 5 GB in one PUT): bodies are buffered in memory. */
export const S3_OBJECT_LIMIT = 256 * MB;

/**
 * The most body a request may carry, by protocol and operation, as AWS enforces it (SPEC.md cites
 * each). Checked against Content-Length before reading, and while reading chunked bodies.
 */
export function bodyLimit(wire: Wire | undefined, req: { method: string; path: string; headers: Record<string, string> }): BodyLimit {
  const tooLarge = (bytes: number, code: string, status: number, message: string): BodyLimit => ({
    bytes,
    error: () => new AwsError(code, message, status),
  });
  if (!wire) return tooLarge(10 * MB, 'RequestEntityTooLarge', 413, 'Request Too Long');
  if (wire.service === 'lambda') {
    if (req.method === 'POST' && /^\/2015-03-31\/functions\/[^/]+\/invocations\/?$/.test(req.path)) {
      const async = (req.headers['x-amz-invocation-type'] ?? '').toLowerCase() === 'event';
      const bytes = async ? 1 * MB : 6 * MB;
      return tooLarge(bytes, 'RequestEntityTooLargeException', 413, `Request must be smaller than ${bytes} bytes for the ${async ? 'InvokeAsync' : 'Invoke'} operation`);
    }
    // CreateFunction/UpdateFunctionCode: 50 MB of zip, base64 in a JSON document.
    return tooLarge(70 * MB, 'RequestEntityTooLargeException', 413, 'Request must be smaller than 73400320 bytes for this operation');
  }
  if (wire.service === 's3') {
    if ((req.method === 'PUT' || req.method === 'POST') && isS3ObjectPath(req.path)) {
      return tooLarge(S3_OBJECT_LIMIT, 'EntityTooLarge', 400, `Your proposed upload exceeds the maximum allowed object size (the local cloud accepts up to ${S3_OBJECT_LIMIT} bytes in one request).`);
    }
    return tooLarge(10 * MB, 'MaxMessageLengthExceeded', 400, 'Your request was too big.');
  }
  switch (wire.name) {
    case 'awsQuery':
      return tooLarge(1 * MB, 'RequestEntityTooLarge', 413, 'Request body must be smaller than 1048576 bytes.');
    case 'awsJson1_0':
    case 'awsJson1_1':
      return tooLarge(16 * MB, 'RequestEntityTooLargeException', 413, 'Request body must be smaller than 16777216 bytes.');
    case 'restJson1':
      return tooLarge(10 * MB, 'RequestEntityTooLargeException', 413, 'Request body must be smaller than 10485760 bytes.');
    case 'restXml':
      return tooLarge(1 * MB, 'RequestEntityTooLarge', 413, 'Request body must be smaller than 1048576 bytes.');
  }
}

/** API Gateway's payload limit for invoke URLs and the global entry (10 MB). */
export const API_PAYLOAD_LIMIT = 10 * MB;
