import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { skipWithoutTool } from '../support/require-tool.js';
import { awsCli, awsCliMissing, type CliResult } from './aws-cli.js';

// DynamoDB Streams, global-table replicas and their errors, SNS, through AWS CLI v2 (issue 10's conformance list).
const missing = awsCliMissing();
const skip = skipWithoutTool('AWS CLI v2', missing);
const failed = (r: CliResult) => ({ exitCode: r.exitCode, code: r.error?.code, operation: r.error?.operation });

describe.skipIf(skip)('AWS CLI v2: streams, replicas, SNS', { timeout: 300_000 }, () => {
  let cloud: LocalCloud;
  let clock: ManualClock;
  let home: string;
  let aws: ReturnType<typeof awsCli>;

  beforeAll(async () => {
    clock = new ManualClock();
    cloud = await startLocalCloud({ port: 0, clock });
    home = mkdtempSync(join(tmpdir(), 'regionctl-awscli-gt-'));
    aws = awsCli(cloud.url, home);
  });
  afterAll(async () => {
    await cloud?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('streams: create-table with a stream, list/describe/get-shard-iterator/get-records', async () => {
    const created = await aws([
      'dynamodb', 'create-table', '--table-name', 'cli-global', '--billing-mode', 'PAY_PER_REQUEST',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S', '--key-schema', 'AttributeName=id,KeyType=HASH',
      '--stream-specification', 'StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES',
    ]);
    expect(created.exitCode).toBe(0);
    const arn = created.json.TableDescription.LatestStreamArn as string;
    expect((await aws(['dynamodb', 'put-item', '--table-name', 'cli-global', '--item', '{"id":{"S":"a"}}'])).exitCode).toBe(0);
    const listed = await aws(['dynamodbstreams', 'list-streams', '--table-name', 'cli-global']);
    expect(listed.json.Streams).toEqual([expect.objectContaining({ StreamArn: arn, TableName: 'cli-global' })]);
    const shard = (await aws(['dynamodbstreams', 'describe-stream', '--stream-arn', arn])).json.StreamDescription.Shards[0].ShardId;
    const it = await aws(['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shard, '--shard-iterator-type', 'TRIM_HORIZON']);
    const records = await aws(['dynamodbstreams', 'get-records', '--shard-iterator', it.json.ShardIterator]);
    expect(records.json.Records.map((r: { eventName: string }) => r.eventName)).toEqual(['INSERT']);
    const expired = await (async () => {
      await clock.advance(15 * 60_000 + 1);
      return aws(['dynamodbstreams', 'get-records', '--shard-iterator', it.json.ShardIterator]);
    })();
    expect(failed(expired)).toEqual({ exitCode: 254, code: 'ExpiredIteratorException', operation: 'GetRecords' });

    const replica = await aws(['dynamodb', 'update-table', '--table-name', 'cli-global', '--replica-updates', '[{"Create":{"RegionName":"us-west-2"}}]']);
    expect(replica.json.TableDescription.Replicas).toEqual([{ RegionName: 'us-west-2', ReplicaStatus: 'CREATING' }]);
    const again = await aws(['dynamodb', 'update-table', '--table-name', 'cli-global', '--replica-updates', '[{"Create":{"RegionName":"eu-west-1"}}]']);
    expect(failed(again)).toEqual({ exitCode: 254, code: 'ResourceInUseException', operation: 'UpdateTable' });
    await clock.advance(60_000);
    const gone = await aws(['dynamodb', 'update-table', '--table-name', 'cli-global', '--replica-updates', '[{"Delete":{"RegionName":"ap-south-1"}}]']);
    expect(failed(gone)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateTable' });
    expect(gone.error?.message).toBe('Replica specified in the Replica Update or Replica Delete action of the request was not found.');
  });

  it('SNS: topics and the errors of a missing topic', async () => {
    const topic = await aws(['sns', 'create-topic', '--name', 'cli-events']);
    expect(topic.json.TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-events');
    const attrs = await aws(['sns', 'get-topic-attributes', '--topic-arn', topic.json.TopicArn]);
    expect(attrs.json.Attributes).toMatchObject({ TopicArn: topic.json.TopicArn, Owner: '000000000000' });
    const published = await aws(['sns', 'publish', '--topic-arn', topic.json.TopicArn, '--message', 'hi', '--message-attributes', '{"type":{"DataType":"String","StringValue":"x"}}']);
    expect(published.json.MessageId).toEqual(expect.any(String));
    const missingTopic = await aws(['sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:none']);
    expect(failed(missingTopic)).toEqual({ exitCode: 254, code: 'NotFound', operation: 'GetTopicAttributes' });
  });
});
