import { describe, expect, it } from 'vitest';
import { bucketPolicyResource, bucketResource } from '../../../src/local-cloud/s3/resources.js';
import { S3Domain } from '../../../src/local-cloud/s3/domain.js';
import type { ResourceContext } from '../../../src/local-cloud/types.js';
import { fakeContext } from '../dynamodb/fake-context.js';

function setup() {
  const cloud = fakeContext();
  const s3 = new S3Domain(cloud);
  const ctx: ResourceContext = { cloud, region: 'eu-west-1', accountId: '000000000000', stackName: 'svc-dev-replication', stackId: 'id', logicalId: 'Bucket' };
  return { s3, ctx };
}

describe('AWS::S3::Bucket', () => {
  it('creates a generated-name bucket in the stack region with its configuration', async () => {
    const { s3, ctx } = setup();
    const result = await bucketResource(s3).create(ctx, {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      NotificationConfiguration: { TopicConfigurations: [{ Event: 's3:ObjectCreated:*', Topic: 'arn:aws:sns:eu-west-1:000000000000:t' }] },
      Tags: [{ Key: 'app', Value: 'x' }],
    });
    const name = result.physicalId;
    expect(name).toMatch(/^svc-dev-replication-bucket-[a-z0-9]{12}$/);
    expect(result.attributes).toMatchObject({ Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.eu-west-1.amazonaws.com` });
    expect(s3.bucketRegion(name)).toBe('eu-west-1');
    expect(s3.getPublicAccessBlock('eu-west-1', name).BlockPublicPolicy).toBe(true);
    expect(s3.getTags('eu-west-1', name)).toEqual({ app: 'x' });
    s3.putObject('eu-west-1', name, 'k', Buffer.from('v'));
    expect(s3.headObject('eu-west-1', name, 'k').sse).toBe('aws:kms');
    expect(s3.notificationTargets(name, 's3:ObjectCreated:Put', 'k').topics).toEqual(['arn:aws:sns:eu-west-1:000000000000:t']);
  });

  it('refuses to delete a bucket that still holds objects, as AWS does', async () => {
    const { s3, ctx } = setup();
    const provider = bucketResource(s3);
    const { physicalId } = await provider.create(ctx, { BucketName: 'keep-me' });
    s3.putObject('eu-west-1', 'keep-me', 'k', Buffer.from('v'));
    await expect(provider.delete(ctx, physicalId, {})).rejects.toThrow('The bucket you tried to delete is not empty');
    s3.deleteObject('eu-west-1', 'keep-me', 'k');
    await provider.delete(ctx, physicalId, {});
    expect(s3.bucketRegion('keep-me')).toBeUndefined();
  });
});

describe('AWS::S3::BucketPolicy', () => {
  it('applies a policy document object and removes it on delete', async () => {
    const { s3, ctx } = setup();
    await bucketResource(s3).create(ctx, { BucketName: 'with-policy' });
    const props = {
      Bucket: 'with-policy',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::with-policy', 'arn:aws:s3:::with-policy/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    };
    const provider = bucketPolicyResource(s3);
    const { physicalId } = await provider.create(ctx, props);
    expect(JSON.parse(s3.getPolicy('eu-west-1', 'with-policy')).Statement[0].Effect).toBe('Deny');
    await provider.delete(ctx, physicalId, props);
    expect(() => s3.getPolicy('eu-west-1', 'with-policy')).toThrow('The bucket policy does not exist');
  });
});
