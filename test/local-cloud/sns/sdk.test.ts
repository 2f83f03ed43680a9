// SNS through the real SDK v3 client: topics, Lambda subscriptions with filter policies, the SNS event shape, CloudFormation.
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createCloudFormationService } from '../../../src/local-cloud/cloudformation/index.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { createSnsService } from '../../../src/local-cloud/sns/index.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let sns: SNSClient;
let lambda: LambdaClient;
let received: Array<{ fn: string; event: any }>;

beforeEach(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createLambdaService, createSnsService, createCloudFormationService] });
  sns = new SNSClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  lambda = new LambdaClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  received = [];
  cloud.service('lambda').onInvoke = (_r, fn, result) => received.push({ fn, event: JSON.parse(result.payload.toString()).event });
});

afterEach(async () => {
  await cloud.service('lambda').settled();
  sns.destroy();
  lambda.destroy();
  await cloud.close();
});

async function listener(name: string, topicArn?: string): Promise<string> {
  const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
  if (topicArn)
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: topicArn }));
  return fn.FunctionArn!;
}

const settled = () => cloud.service('lambda').settled();

describe('SNS over the wire', () => {
  it('creates, describes, changes and deletes topics as AWS does', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events', Attributes: { DisplayName: 'Events' } }));
    expect(TopicArn).toBe('arn:aws:sns:eu-west-1:000000000000:events');
    expect((await sns.send(new CreateTopicCommand({ Name: 'events', Attributes: { DisplayName: 'Events' } }))).TopicArn).toBe(TopicArn);
    expect(await sns.send(new CreateTopicCommand({ Name: 'events', Attributes: { DisplayName: 'Other' } })).catch((e) => e)).toBeInstanceOf(InvalidParameterException);
    expect(await sns.send(new CreateTopicCommand({ Name: 'bad name' })).catch((e) => e)).toBeInstanceOf(InvalidParameterException);
    expect(await sns.send(new CreateTopicCommand({ Name: 'q.fifo', Attributes: { FifoTopic: 'true' } })).catch((e) => e)).toBeInstanceOf(InvalidParameterException);

    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    expect(attrs).toMatchObject({ TopicArn, Owner: '000000000000', DisplayName: 'Events', SubscriptionsConfirmed: '0' });
    const policy = JSON.parse(attrs.Policy!);
    expect(policy.Statement[0]).toMatchObject({ Resource: TopicArn, Condition: { StringEquals: { 'AWS:SourceOwner': '000000000000' } } });

    const custom = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish', Resource: TopicArn }] });
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: custom }));
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.Policy).toBe(custom);
    expect(await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: '{' })).catch((e) => e)).toBeInstanceOf(InvalidParameterException);

    expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn }]);
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn })); // deleting again succeeds
    expect(await sns.send(new GetTopicAttributesCommand({ TopicArn })).catch((e) => e)).toBeInstanceOf(NotFoundException);
  });

  it('delivers Publish and PublishBatch to a permitted Lambda in the SNS event shape', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    const fnArn = await listener('listener', TopicArn);
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn, ReturnSubscriptionArn: true }));
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([
      { SubscriptionArn, Owner: '000000000000', Protocol: 'lambda', Endpoint: fnArn, TopicArn },
    ]);

    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Message: '{"id":"1"}', Subject: 'thing', MessageAttributes: { type: { DataType: 'String', StringValue: 'thing-created' }, n: { DataType: 'Number', StringValue: '3' } } }),
    );
    await settled();
    expect(received).toHaveLength(1);
    const record = received[0]!.event.Records[0];
    expect(record).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: SubscriptionArn });
    expect(record.Sns).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Subject: 'thing',
      Message: '{"id":"1"}',
      Timestamp: '2026-01-01T00:00:00.000Z',
      MessageAttributes: { type: { Type: 'String', Value: 'thing-created' }, n: { Type: 'Number', Value: '3' } },
    });

    const batch = await sns.send(
      new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'one' }, { Id: 'b', Message: 'two' }, { Id: 'c', Message: '' }] }),
    );
    expect(batch.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(batch.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([['c', 'InvalidParameter', true]]);
    await settled();
    expect(received.slice(1).map((r) => r.event.Records[0].Sns.Message).sort()).toEqual(['one', 'two']);
  });

  it('does not invoke a Lambda whose resource policy does not allow sns.amazonaws.com for that topic', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    const fnArn = await listener('closed');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'x' }));
    await settled();
    expect(received).toEqual([]);
    const deliveries = cloud.service('sns').deliveries(region);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ ok: false });
    expect(deliveries[0]!.error).toMatch(/sns\.amazonaws\.com is not authorized/);
  });

  it('filters on message attributes or on the message body', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    const byAttr = await listener('by-attr', TopicArn);
    const byBody = await listener('by-body', TopicArn);
    await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: byAttr, Attributes: { FilterPolicy: JSON.stringify({ type: ['thing-created', 'thing-updated'], size: [{ numeric: ['>=', 10] }] }) } }),
    );
    const sub = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'lambda',
        Endpoint: byBody,
        ReturnSubscriptionArn: true,
        Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ tags: { region: [{ 'anything-but': 'us-west-2' }] }, source: [{ prefix: 'comm' }] }) },
      }),
    );
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes).toMatchObject({ FilterPolicyScope: 'MessageBody' });
    const publish = (body: unknown, attrs: Record<string, [string, string]>) =>
      sns.send(
        new PublishCommand({
          TopicArn,
          Message: JSON.stringify(body),
          MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
        }),
      );
    await publish({ n: 1, tags: { region: 'us-east-1' }, source: 'command' }, { type: ['String', 'thing-created'], size: ['Number', '12'] });
    await publish({ n: 2, tags: { region: 'us-west-2' }, source: 'command' }, { type: ['String', 'thing-deleted'], size: ['Number', '12'] });
    await publish({ n: 3, tags: { region: 'eu-west-1' }, source: 'listener' }, { type: ['String', 'thing-updated'], size: ['Number', '9'] });
    await settled();
    const got = (fn: string) => received.filter((r) => r.fn === fn).map((r) => JSON.parse(r.event.Records[0].Sns.Message).n);
    expect(got('by-attr')).toEqual([1]);
    expect(got('by-body')).toEqual([1]);

    const bad = await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a": "x"}' })).catch((e) => e);
    expect(bad).toBeInstanceOf(InvalidParameterException);
    expect((bad as Error).message).toMatch(/^Invalid parameter: FilterPolicy:/);
  });

  it('builds topics, subscriptions, topic policies and the Lambda permission from CloudFormation', async () => {
    const cfn = new CloudFormationClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
    const template = {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'events', DisplayName: 'Events' } },
        Listener: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async (event) => ({ event });' } } },
        Permission: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { Ref: 'Listener' }, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'Topic' } } },
        Subscription: {
          Type: 'AWS::SNS::Subscription',
          Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['Listener', 'Arn'] }, FilterPolicy: { type: ['thing-created'] } },
        },
        Policy: {
          Type: 'AWS::SNS::TopicPolicy',
          Properties: {
            Topics: [{ Ref: 'Topic' }],
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sns:Publish', Resource: { Ref: 'Topic' } }] },
          },
        },
      },
      Outputs: { TopicArn: { Value: { Ref: 'Topic' } }, SubscriptionArn: { Value: { Ref: 'Subscription' } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'events', TemplateBody: JSON.stringify(template) }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'events' });
    const outputs = Object.fromEntries((await cfn.send(new DescribeStacksCommand({ StackName: 'events' }))).Stacks![0]!.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.TopicArn).toBe('arn:aws:sns:eu-west-1:000000000000:events');
    expect(JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: outputs.TopicArn }))).Attributes!.Policy!).Statement[0].Action).toBe('sns:Publish');
    await sns.send(new PublishCommand({ TopicArn: outputs.TopicArn, Message: 'skipped', MessageAttributes: { type: { DataType: 'String', StringValue: 'other' } } }));
    await sns.send(new PublishCommand({ TopicArn: outputs.TopicArn, Message: 'delivered', MessageAttributes: { type: { DataType: 'String', StringValue: 'thing-created' } } }));
    await settled();
    expect(received.map((r) => r.event.Records[0].Sns.Message)).toEqual(['delivered']);
    expect(received[0]!.event.Records[0].EventSubscriptionArn).toBe(outputs.SubscriptionArn);
    cfn.destroy();
  });
});
