import { AwsError } from '../aws-error.js';

export interface DecodedBody {
  body: Buffer;
  /** Trailing headers (x-amz-checksum-crc32 …), names lower-cased. */
  trailers: Record<string, string>;
}

/** Whether the SDK sent the body in aws-chunked framing (streaming SigV4 or flexible-checksum trailers). */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const sha = headers['x-amz-content-sha256'] ?? '';
  const encoding = headers['content-encoding'] ?? '';
  return sha.startsWith('STREAMING-') || encoding.split(',').some((e) => e.trim() === 'aws-chunked');
}

const malformed = () => new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);

// aws-chunked framing: `hex-size[;chunk-signature=…]\r\n data \r\n` repeated, a zero-size
// chunk, then optional trailer lines `name:value\r\n` and a final `\r\n`.
export function decodeAwsChunked(raw: Buffer): DecodedBody {
  const chunks: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', pos);
    if (lineEnd < 0) throw malformed();
    const header = raw.subarray(pos, lineEnd).toString('latin1');
    const size = parseInt(header.split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw malformed();
    pos = lineEnd + 2;
    if (size === 0) break;
    if (pos + size > raw.length) throw malformed();
    chunks.push(raw.subarray(pos, pos + size));
    pos += size;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw malformed();
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.subarray(pos).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}

/** Content-Encoding as S3 stores it: aws-chunked is transport framing, not a property of the object. */
export function storedContentEncoding(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const kept = header
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'aws-chunked');
  return kept.length ? kept.join(', ') : undefined;
}
