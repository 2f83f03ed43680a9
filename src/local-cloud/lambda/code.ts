// A function's deployment package: where its zip comes from (inline bytes or an S3 object), the
// checks Lambda makes on it, and where it is kept (the blob store, by sha256).
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import type { FunctionConfig } from './model.js';

export interface CodeInput {
  /** Base64 text (wire) or raw bytes (CloudFormation inline code). */
  ZipFile?: string | Buffer | Uint8Array;
  S3Bucket?: string;
  S3Key?: string;
}

/** What loading code needs of S3 (tests pass a fake with only this). */
interface S3Objects {
  getObjectBody(region: string, bucket: string, key: string): Buffer;
}

/** The zip bytes of `code`, refused as Lambda refuses a missing source, an S3 error or a file that is no zip. */
export function loadCode(ctx: CloudContext, region: string, code: CodeInput | undefined): Buffer {
  if (!code || (code.ZipFile === undefined && !code.S3Bucket)) {
    throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.', 400, true, { Type: 'User' });
  }
  let zip: Buffer;
  if (code.ZipFile !== undefined) {
    zip = typeof code.ZipFile === 'string' ? Buffer.from(code.ZipFile, 'base64') : Buffer.from(code.ZipFile);
  } else {
    try {
      const s3: S3Objects | undefined = ctx.service('s3');
      if (!s3) throw new Error('this local cloud runs no S3 service');
      zip = s3.getObjectBody(region, code.S3Bucket!, code.S3Key ?? '');
    } catch (err) {
      const detail = err instanceof AwsError ? `S3 Error Code: ${err.code}. S3 Error Message: ${err.message}` : String(err);
      throw new AwsError('InvalidParameterValueException', `Error occurred while GetObject. ${detail}`, 400, true, { Type: 'User' });
    }
  }
  try {
    unzipSync(new Uint8Array(zip));
  } catch {
    throw new AwsError(
      'InvalidParameterValueException',
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
      400,
      true,
      { Type: 'User' },
    );
  }
  return zip;
}

/** Keep the zip in the blob store and record its size and hash on the configuration; returns the blob id. */
export function storeCode(ctx: CloudContext, config: FunctionConfig, zip: Buffer): string {
  const blob = ctx.blobs.put(zip);
  config.CodeSize = zip.length;
  config.CodeSha256 = createHash('sha256').update(zip).digest('base64');
  return blob;
}
