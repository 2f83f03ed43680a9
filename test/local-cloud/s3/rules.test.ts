import { describe, expect, it } from 'vitest';
import { generatedBucketName, isValidBucketName } from '../../../src/local-cloud/s3/bucket-names.js';
import { checkBucketPolicy } from '../../../src/local-cloud/s3/bucket-policy.js';
import { listObjects } from '../../../src/local-cloud/s3/list-objects.js';
import type { ObjectState } from '../../../src/local-cloud/s3/model.js';

describe('bucket names', () => {
  it.each([
    ['my-bucket.1', true],
    ['ab', false],
    ['a'.repeat(64), false],
    ['Upper', false],
    ['under_score', false],
    ['-leading', false],
    ['double..dot', false],
    ['192.168.0.1', false],
    ['xn--punycode', false],
  ])('%s → %s', (name, ok) => expect(isValidBucketName(name)).toBe(ok));

  it('generates valid lower-case names of at most 63 characters', () => {
    const name = generatedBucketName('My-Very-Long-Stack-Name-For-The-Replication-Stage', 'ReplicationBucketWithALongLogicalId');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(isValidBucketName(name)).toBe(true);
    expect(name.startsWith('my-very-long-stack')).toBe(true);
  });
});

describe('bucket policies', () => {
  const statement = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b1/*', ...extra }] });

  it('accepts a well-formed policy on its own bucket', () => {
    expect(() => checkBucketPolicy('b1', statement({}), true)).not.toThrow();
  });

  it.each([
    ['[]', "Policies must be valid JSON and the first byte must be '{'"],
    ['{}', 'Missing required field Statement'],
    [statement({ Effect: 'Maybe' }), 'Invalid effect: Maybe'],
    [statement({ Resource: 'arn:aws:s3:::other/*' }), 'Policy has invalid resource'],
    [statement({ Action: 'dynamodb:GetItem' }), 'Policy has invalid action'],
  ])('rejects %s', (policy, message) => {
    expect(() => checkBucketPolicy('b1', policy, false)).toThrow(expect.objectContaining({ code: 'MalformedPolicy', message }));
  });

  it('refuses public grants only when the bucket blocks public policies', () => {
    const open = statement({ Principal: '*' });
    expect(() => checkBucketPolicy('b1', open, true)).toThrow(expect.objectContaining({ code: 'AccessDenied' }));
    expect(() => checkBucketPolicy('b1', open, false)).not.toThrow();
  });
});

describe('object listing', () => {
  const objects = Object.fromEntries(['a/1', 'a/2', 'b', 'c/x/1', 'c/y', 'd'].map((key) => [key, { key } as ObjectState]));
  const keys = (page: ReturnType<typeof listObjects>) => [...page.contents.map((o) => o.key), ...page.commonPrefixes];

  it('groups by delimiter and counts a common prefix once against max-keys', () => {
    const page = listObjects(objects, { delimiter: '/', maxKeys: 3 });
    expect(keys(page)).toEqual(['b', 'a/', 'c/']);
    expect(page).toMatchObject({ isTruncated: true, last: 'c/' });
    const next = listObjects(objects, { delimiter: '/', maxKeys: 3, after: page.last });
    expect(keys(next)).toEqual(['d']);
    expect(next.isTruncated).toBe(false);
  });

  it('groups below a prefix', () => {
    expect(keys(listObjects(objects, { prefix: 'c/', delimiter: '/' }))).toEqual(['c/y', 'c/x/']);
  });

  it('is not truncated when the page ends exactly at the last key', () => {
    expect(listObjects(objects, { maxKeys: 6 }).isTruncated).toBe(false);
  });
});
