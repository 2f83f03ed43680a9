// TemplateURL support: CloudFormation reads the template from S3, here from the local S3.

import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { validationError } from './template.js';

/** Bucket, key and (when the URL names one) region of a template URL in any S3 URL style. */
export function parseTemplateUrl(url: string): { bucket: string; key: string; region?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw validationError('TemplateURL must be a supported URL.');
  }
  const host = parsed.hostname;
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  // Virtual-hosted style: bucket.s3.amazonaws.com, bucket.s3.REGION.amazonaws.com, bucket.s3-REGION.amazonaws.com
  const virtual = /^(.+)\.s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com$/.exec(host);
  if (virtual) {
    const region = virtual[2] && virtual[2] !== 'dualstack' ? virtual[2] : undefined;
    return { bucket: virtual[1], key: path, region };
  }
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw validationError('TemplateURL must be a supported URL.');
  const regional = /^s3[.-]([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), region: regional?.[1] };
}

export function readTemplateUrl(ctx: CloudContext, region: string, url: string): string {
  const { bucket, key, region: urlRegion } = parseTemplateUrl(url);
  try {
    const s3 = ctx.service('s3');
    if (!s3) throw new Error('this local cloud runs no S3 service');
    return s3.getObjectBody(urlRegion ?? region, bucket, key).toString('utf8');
  } catch (err) {
    if (err instanceof AwsError && err.code === 'ValidationError') throw err;
    throw validationError(`S3 error: ${(err as Error).message}`);
  }
}
