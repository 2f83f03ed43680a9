import { randomBytes } from 'node:crypto';

// S3's general-purpose bucket naming rules (the ones that produce InvalidBucketName).
export function isValidBucketName(name: string): boolean {
  return (
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

/** CloudFormation's generated bucket name: lower-case stack-logicalid-random, at most 63 characters. */
export function generatedBucketName(stackName: string, logicalId: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const suffix = [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
  const prefix = `${stackName}-${logicalId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .slice(0, 63 - suffix.length - 1)
    .replace(/^-+/, '');
  return `${prefix || 'bucket'}-${suffix}`;
}
