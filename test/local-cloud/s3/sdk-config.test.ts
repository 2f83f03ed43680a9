import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { createSnsService } from '../../../src/local-cloud/sns/index.js';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let client: S3Client;
const Bucket = 'config-bucket';

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createS3Service, createSnsService] });
  client = new S3Client({ endpoint: cloud.url, region: 'eu-central-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await client.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
});

afterAll(async () => {
  client.destroy();
  await cloud.close();
});

const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as S3ServiceException;

describe('S3 bucket configuration through the AWS SDK', () => {
  it('answers HeadBucket with the bucket region', async () => {
    expect((await client.send(new HeadBucketCommand({ Bucket }))).BucketRegion).toBe('eu-central-1');
  });

  it('round-trips versioning, and gives versioned writes a version id', async () => {
    expect((await client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await client.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    const put = await client.send(new PutObjectCommand({ Bucket, Key: 'v', Body: 'x' }));
    expect(put.VersionId).toMatch(/.+/);
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([['v', put.VersionId, true]]);
  });

  it('round-trips tags and reports a missing tag set', async () => {
    expect((await failure(client.send(new GetBucketTaggingCommand({ Bucket })))).name).toBe('NoSuchTagSet');
    await client.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] } }));
    expect((await client.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
  });

  it('round-trips notification configuration with filters', async () => {
    // S3 validates the destination first: the topic must exist and its policy let this bucket publish.
    const sns = new SNSClient({ endpoint: cloud.url, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'objects' }));
    const Statement = [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish', Resource: TopicArn, Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:s3:::${Bucket}` } } }];
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify({ Version: '2012-10-17', Statement }) }));
    sns.destroy();
    await client.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'created', TopicArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } } }],
        },
      }),
    );
    const got = await client.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.TopicConfigurations).toEqual([{ Id: 'created', TopicArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }] } } }]);
  });

  it('reports a missing public access block', async () => {
    const error = await failure(client.send(new GetPublicAccessBlockCommand({ Bucket })));
    expect(error.name).toBe('NoSuchPublicAccessBlockConfiguration');
  });

  it('answers a matching If-None-Match with 304', async () => {
    const put = await client.send(new PutObjectCommand({ Bucket, Key: 'cached', Body: 'same' }));
    const error = await failure(client.send(new GetObjectCommand({ Bucket, Key: 'cached', IfNoneMatch: put.ETag })));
    expect(error.$metadata.httpStatusCode).toBe(304);
    const mismatch = await failure(client.send(new GetObjectCommand({ Bucket, Key: 'cached', IfMatch: '"nope"' })));
    expect(mismatch.name).toBe('PreconditionFailed');
  });
});

describe('S3 conditional writes through the AWS SDK', () => {
  it('creates only once with If-None-Match: *', async () => {
    await client.send(new PutObjectCommand({ Bucket, Key: 'once', Body: '1', IfNoneMatch: '*' }));
    const again = await failure(client.send(new PutObjectCommand({ Bucket, Key: 'once', Body: '2', IfNoneMatch: '*' })));
    expect(again.name).toBe('PreconditionFailed');
    expect(again.$metadata.httpStatusCode).toBe(412);
    const body = await (await client.send(new GetObjectCommand({ Bucket, Key: 'once' }))).Body!.transformToString();
    expect(body).toBe('1');
  });
});
