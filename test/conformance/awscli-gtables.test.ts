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
    // A MODIFY after it: AFTER the first record's sequence number reads only that one, with both images.
    expect((await aws(['dynamodb', 'put-item', '--table-name', 'cli-global', '--item', '{"id":{"S":"a"},"n":{"N":"2"}}'])).exitCode).toBe(0);
    const seq = records.json.Records[0].dynamodb.SequenceNumber as string;
    const after = await aws(['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shard, '--shard-iterator-type', 'AFTER_SEQUENCE_NUMBER', '--sequence-number', seq]);
    const next = await aws(['dynamodbstreams', 'get-records', '--shard-iterator', after.json.ShardIterator]);
    expect(next.json.Records).toEqual([
      expect.objectContaining({ eventName: 'MODIFY', dynamodb: expect.objectContaining({ OldImage: { id: { S: 'a' } }, NewImage: { id: { S: 'a' }, n: { N: '2' } } }) }),
    ]);
    const latest = await aws(['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shard, '--shard-iterator-type', 'LATEST']);
    expect((await aws(['dynamodbstreams', 'get-records', '--shard-iterator', latest.json.ShardIterator])).json.Records).toEqual([]);
    const noSeq = await aws(['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shard, '--shard-iterator-type', 'AT_SEQUENCE_NUMBER']);
    expect(failed(noSeq)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'GetShardIterator' });
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

  it('replicas: the UpdateTable ReplicaUpdates refusals, as the CLI prints them', async () => {
    const base = ['--billing-mode', 'PAY_PER_REQUEST', '--attribute-definitions', 'AttributeName=id,AttributeType=S', '--key-schema', 'AttributeName=id,KeyType=HASH'];
    const stream = ['--stream-specification', 'StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES'];
    const replica = (table: string, updates: unknown[]) => aws(['dynamodb', 'update-table', '--table-name', table, '--replica-updates', JSON.stringify(updates)]);
    expect((await aws(['dynamodb', 'create-table', '--table-name', 'cli-nostream', ...base])).exitCode).toBe(0);
    const noStream = await replica('cli-nostream', [{ Create: { RegionName: 'us-west-2' } }]);
    expect(failed(noStream)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateTable' });
    expect(noStream.error?.message).toContain('DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES');

    expect((await aws(['dynamodb', 'create-table', '--table-name', 'cli-provisioned', ...base.slice(2), '--provisioned-throughput', 'ReadCapacityUnits=1,WriteCapacityUnits=1', ...stream])).exitCode).toBe(0);
    const provisioned = await replica('cli-provisioned', [{ Create: { RegionName: 'us-west-2' } }]);
    expect(failed(provisioned)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateTable' });
    expect(provisioned.error?.message).toBe('Table write capacity should either be Pay-Per-Request or AutoScaled.');

    expect((await aws(['dynamodb', 'create-table', '--table-name', 'cli-taken', ...base, ...stream])).exitCode).toBe(0);
    expect((await aws(['dynamodb', 'create-table', '--region', 'eu-west-1', '--table-name', 'cli-taken', ...base])).exitCode).toBe(0);
    const taken = await replica('cli-taken', [{ Create: { RegionName: 'eu-west-1' } }]);
    expect(failed(taken)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateTable' });
    expect(taken.error?.message).toBe("Failed to create a the new replica of table with name: 'cli-taken' because one or more replicas already existed as tables.");
    const two = await replica('cli-taken', [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'ap-south-1' } }]);
    expect(failed(two)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateTable' });
    const badRegion = await replica('cli-taken', [{ Create: { RegionName: 'moon-east-1' } }]);
    expect(failed(badRegion)).toEqual({ exitCode: 254, code: 'ValidationException', operation: 'UpdateTable' });
    const noTable = await replica('cli-none', [{ Create: { RegionName: 'us-west-2' } }]);
    expect(failed(noTable)).toEqual({ exitCode: 254, code: 'ResourceNotFoundException', operation: 'UpdateTable' });
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
