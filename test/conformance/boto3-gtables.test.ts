import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { recordedCalls, runBoto3Script, skipWithoutBoto3, type Recorded } from './boto3-script.js';

// DynamoDB Streams, global-table replicas, event-source mappings and SNS through boto3 (py/gtables_services.py):
// botocore parses every answer, and extracts AWS's error codes from the refusals.
const skip = skipWithoutBoto3();

describe.skipIf(skip)('boto3: streams, replicas, event-source mappings, SNS', () => {
  let cloud: LocalCloud;
  let r: Record<string, Recorded>;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
    r = await runBoto3Script('gtables_services.py', cloud.url);
  }, 90_000);
  afterAll(async () => cloud?.close());

  const { ok, err, crashes } = recordedCalls(() => r);

  it('nothing crashed botocore’s parsers', () => {
    expect(crashes()).toEqual([]);
  });

  it('DynamoDB Streams', () => {
    expect(ok('streams.ListStreams').Streams).toHaveLength(1);
    expect(ok('streams.DescribeStream').StreamDescription).toMatchObject({ StreamStatus: 'ENABLED', StreamViewType: 'NEW_AND_OLD_IMAGES', TableName: 'boto-global' });
    const records = ok('streams.GetRecords');
    expect(records.Records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys: { id: { S: 'a' } }, NewImage: { id: { S: 'a' }, n: { N: '1' } } } });
    expect(records.NextShardIterator).toEqual(expect.any(String));
    expect(err('streams.GetRecords.invalid')).toMatchObject({ code: 'ValidationException', status: 400 });
    expect(err('streams.DescribeStream.missing')).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
    expect(err('streams.GetShardIterator.badType')).toMatchObject({ code: 'ValidationException' });
    // Every iterator type: AT a sequence number reads that record on, AFTER it the next, LATEST nothing yet.
    const keys = (name: string) => ok(name).Records.map((x: { dynamodb: { Keys: { id: { S: string } } } }) => x.dynamodb.Keys.id.S);
    expect(keys('streams.GetRecords.at')).toEqual(['a', 'b']);
    expect(keys('streams.GetRecords.after')).toEqual(['b']);
    expect(ok('streams.GetRecords.latest')).toMatchObject({ Records: [], NextShardIterator: expect.any(String) });
    const [a, b] = ok('streams.GetRecords.at').Records.map((x: { dynamodb: { SequenceNumber: string } }) => BigInt(x.dynamodb.SequenceNumber));
    expect(b > a).toBe(true);
    expect(err('streams.GetShardIterator.badShard')).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
  });

  it('global-table replicas and their preconditions', () => {
    expect(err('ddb.UpdateTable.replicaProvisioned')).toMatchObject({ code: 'ValidationException', message: 'Table write capacity should either be Pay-Per-Request or AutoScaled.' });
    expect(ok('ddb.UpdateTable.replicaCreate').TableDescription).toMatchObject({ TableStatus: 'UPDATING', GlobalTableVersion: '2019.11.21', Replicas: [{ RegionName: 'us-west-2', ReplicaStatus: 'CREATING' }] });
    expect(err('ddb.UpdateTable.replicaBusy')).toMatchObject({ code: 'ResourceInUseException' });
    expect(ok('ddb.DescribeTable.replica').Table).toMatchObject({ TableStatus: 'CREATING', Replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }] });
  });

  it('UpdateTable ReplicaUpdates errors, as botocore models them', () => {
    expect(err('ddb.UpdateTable.replicaNoStream')).toMatchObject({ code: 'ValidationException', status: 400, message: expect.stringContaining('DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES') });
    expect(err('ddb.UpdateTable.replicaTaken')).toMatchObject({
      code: 'ValidationException',
      message: "Failed to create a the new replica of table with name: 'boto-taken' because one or more replicas already existed as tables.",
    });
    expect(err('ddb.UpdateTable.replicaTwo')).toMatchObject({ code: 'ValidationException', message: expect.stringContaining('Only one replica can be created or deleted per UpdateTable call') });
    expect(err('ddb.UpdateTable.replicaSelf')).toMatchObject({ code: 'ValidationException', message: expect.stringContaining('already exists in region us-east-1') });
    expect(err('ddb.UpdateTable.replicaDeleteMissing')).toMatchObject({ code: 'ValidationException', message: 'Replica specified in the Replica Update or Replica Delete action of the request was not found.' });
    expect(err('ddb.UpdateTable.replicaMissingTable')).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
  });

  it('Lambda event-source mappings', () => {
    expect(err('lambda.CreateEventSourceMapping.noStream')).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
    expect(ok('lambda.ListEventSourceMappings').EventSourceMappings).toEqual([]);
    expect(err('lambda.GetEventSourceMapping.missing')).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
  });

  it('SNS (awsQuery)', () => {
    const arn = ok('sns.CreateTopic').TopicArn;
    expect(ok('sns.GetTopicAttributes').Attributes).toMatchObject({ TopicArn: arn, DisplayName: 'Boto', Owner: '000000000000' });
    expect(ok('sns.ListTopics').Topics).toEqual([{ TopicArn: arn }]);
    expect(err('sns.Subscribe.badEndpoint')).toMatchObject({ code: 'InvalidParameter', status: 400 });
    expect(ok('sns.Publish').MessageId).toEqual(expect.any(String));
    expect(ok('sns.PublishBatch').Successful.map((s: { Id: string }) => s.Id)).toEqual(['a', 'b']);
    expect(err('sns.GetTopicAttributes.missing')).toMatchObject({ code: 'NotFound', status: 404 });
  });
});
