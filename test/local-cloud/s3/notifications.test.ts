// S3 → SNS → Lambda: the real S3 event inside the SNS message, destinations validated by the topic policy.
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { createSnsService } from '../../../src/local-cloud/sns/index.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const Bucket = 'notify-me';
let cloud: LocalCloud;
let s3: S3Client;
let sns: SNSClient;
let lambda: LambdaClient;
let received: any[];

beforeEach(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createS3Service, createLambdaService, createSnsService] });
  s3 = new S3Client({ endpoint: cloud.url, region, forcePathStyle: true, credentials, maxAttempts: 1 });
  sns = new SNSClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  lambda = new LambdaClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  received = [];
  cloud.service('lambda').onInvoke = (_r, _fn, result) => received.push(JSON.parse(result.payload.toString()).event);
  await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: region } }));
});

afterEach(async () => {
  await cloud.service('lambda').settled();
  for (const c of [s3, sns, lambda]) c.destroy();
  await cloud.close();
});

const settled = () => cloud.service('lambda').settled();

async function topicWithListener(policy: 'bucket' | 'default' | 'other-bucket'): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'objects' }));
  if (policy !== 'default') {
    const source = policy === 'bucket' ? `arn:aws:s3:::${Bucket}` : 'arn:aws:s3:::someone-else';
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'SNS:Publish', Resource: TopicArn, Condition: { ArnLike: { 'aws:SourceArn': source } } }] };
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(doc) }));
  }
  const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'listener', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
  await lambda.send(new AddPermissionCommand({ FunctionName: 'listener', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TopicArn }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn }));
  return TopicArn!;
}

const configure = (TopicArn: string, prefix?: string) =>
  s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: {
        TopicConfigurations: [{ Id: 'created', TopicArn, Events: ['s3:ObjectCreated:*'], ...(prefix ? { Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } } } : {}) }],
      },
    }),
  );

describe('S3 event notifications to SNS', () => {
  it('refuses a topic whose policy does not let this bucket publish (the default policy included)', async () => {
    for (const policy of ['default', 'other-bucket'] as const) {
      const TopicArn = await topicWithListener(policy);
      const error: any = await configure(TopicArn).catch((e) => e);
      expect(error.name).toBe('InvalidArgument');
      expect(error.message).toBe('Unable to validate the following destination configurations');
      await lambda.send(new (await import('@aws-sdk/client-lambda')).DeleteFunctionCommand({ FunctionName: 'listener' }));
    }
    const missing: any = await configure(`arn:aws:sns:${region}:000000000000:nope`).catch((e) => e);
    expect(missing.name).toBe('InvalidArgument');
    const elsewhere: any = await configure('arn:aws:sns:us-east-1:000000000000:objects').catch((e) => e);
    expect(elsewhere.message).toBe('The notification destination service region is not valid for the bucket location constraint');
  });

  it('sends the test event, then the S3 event JSON inside the SNS message for matching keys only', async () => {
    const TopicArn = await topicWithListener('bucket');
    await configure(TopicArn, 'in/');
    await settled();
    expect(received).toHaveLength(1);
    const test = JSON.parse(received[0].Records[0].Sns.Message);
    expect(test).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket });
    expect(received[0].Records[0].Sns.Subject).toBe('Amazon S3 Notification');

    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'in/red flower=1.jpg', Body: 'petals', ContentType: 'image/jpeg' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'out/skipped', Body: 'x' }));
    await settled();
    expect(received).toHaveLength(2);
    const sns = received[1].Records[0].Sns;
    expect(sns.TopicArn).toBe(TopicArn);
    const event = JSON.parse(sns.Message);
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'created',
        bucket: { name: Bucket, arn: `arn:aws:s3:::${Bucket}` },
        object: { key: 'in/red+flower%3D1.jpg', size: 6, eTag: put.ETag!.replace(/"/g, ''), versionId: put.VersionId },
      },
    });
    expect(event.Records[0].s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    expect(new Date(event.Records[0].eventTime).toISOString()).toBe(event.Records[0].eventTime);
  });
});
