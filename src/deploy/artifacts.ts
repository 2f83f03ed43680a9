import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { sdk } from '../aws/sdk.js';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import type { SynthLambda } from './synth.js';

export class ArtifactMismatch extends RegionctlError {
  constructor(message: string, hint: string) {
    super('ArtifactMismatch', message, 1, { hint });
  }
}

/** S3's x-amz-checksum-sha256 is the base64 of the raw digest; synth records it in hex. */
export function s3Sha256(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * Make every zip present under its key with exactly our bytes, verified by S3's SHA-256 checksum
 * (HeadObject with ChecksumMode ENABLED) — never by the key alone, since anyone who can write the
 * shared bucket could have put other code there. Missing, different or unverifiable (no SHA-256
 * checksum) objects are uploaded again with ChecksumSHA256, which S3 checks against the body.
 * Returns the keys uploaded.
 */
export async function uploadArtifacts(s3: S3Client, bucket: string, lambdas: readonly SynthLambda[], io: Io, region: string): Promise<string[]> {
  const uploaded: string[] = [];
  await Promise.all(
    lambdas.map(async (lambda) => {
      const body = readFileSync(lambda.zipPath);
      const local = createHash('sha256').update(body).digest('hex');
      if (local !== lambda.sha256) {
        throw new ArtifactMismatch(`${lambda.zipPath} changed since it was packaged (sha256 ${local}, expected ${lambda.sha256})`, 'run the command again to repackage the Lambdas');
      }
      const wanted = s3Sha256(lambda.sha256);
      const found = await s3
        .send(new (sdk('@aws-sdk/client-s3').HeadObjectCommand)({ Bucket: bucket, Key: lambda.s3Key, ChecksumMode: 'ENABLED' }))
        .then((head) => head.ChecksumSHA256 ?? null)
        .catch((error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
          if (error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404) return undefined;
          throw error;
        });
      if (found === wanted) return;
      if (found !== undefined) {
        io.emit({
          kind: 'warn',
          region,
          message: `s3://${bucket}/${lambda.s3Key} ${found === null ? 'has no SHA-256 checksum to verify' : 'does not hold the packaged zip (its SHA-256 differs)'}; uploading ours again`,
        });
      } else {
        io.emit({ kind: 'debug', region, message: `uploading ${lambda.s3Key} (${lambda.size} bytes) to ${bucket}` });
      }
      const put = await s3.send(
        new (sdk('@aws-sdk/client-s3').PutObjectCommand)({
          Bucket: bucket,
          Key: lambda.s3Key,
          Body: body,
          ContentType: 'application/zip',
          ServerSideEncryption: 'AES256',
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: wanted,
        }),
      );
      if (put.ChecksumSHA256 !== wanted) {
        throw new ArtifactMismatch(
          `s3://${bucket}/${lambda.s3Key} was not stored with the packaged zip's SHA-256 (S3 answered ${put.ChecksumSHA256 ?? 'no checksum'})`,
          'check that the artifacts bucket supports SHA-256 checksums and that nothing else writes this key',
        );
      }
      uploaded.push(lambda.s3Key);
    }),
  );
  return uploaded.sort();
}
