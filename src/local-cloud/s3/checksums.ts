import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsError } from '../aws-error.js';

export interface StoredChecksum {
  algorithm: string;
  value: string;
}

const ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

function compute(algorithm: string, body: Buffer): string | undefined {
  if (algorithm === 'crc32') {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(body) >>> 0);
    return out.toString('base64');
  }
  if (algorithm === 'sha1' || algorithm === 'sha256') return createHash(algorithm).update(body).digest('base64');
  return undefined; // CRC32C and CRC64NVME have no Node built-in; trusted as sent.
}

/**
 * The x-amz-checksum-* value the client sent (header or aws-chunked trailer), verified where
 * Node can compute it. S3 answers BadDigest when it does not match.
 */
export function checkChecksum(headers: Record<string, string>, body: Buffer): StoredChecksum | undefined {
  for (const algorithm of ALGORITHMS) {
    const value = headers[`x-amz-checksum-${algorithm}`];
    if (!value) continue;
    const actual = compute(algorithm, body);
    if (actual !== undefined && actual !== value)
      throw new AwsError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`, 400);
    return { algorithm, value };
  }
  return undefined;
}
