// A region outage that ends by itself on the cloud clock (local fault region-outage --duration):
// while it lasts the region answers 503 and global-table replication to it is held; when its time
// is up the timer lifts it and the held writes are delivered, on the cloud clock.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { createCloudWatchService } from '../../src/local-cloud/cloudwatch/index.js';
import { createDynamoDbService } from '../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let clock: ManualClock;
const db = (region: string) => new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });

beforeEach(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService, createCloudWatchService] });
});
afterEach(async () => cloud.close());

it('an outage with an end time holds replication to the region, then lifts itself and the writes arrive', async () => {
  await db('us-east-1').send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await db('us-east-1').send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }));
  await clock.advance(60_000);

  const res = await fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify({ regionOutages: ['us-west-2'], expiresInMs: { 'outage:us-west-2': 120_000 } }) });
  expect(res.status).toBe(200);
  await db('us-east-1').send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'during' } } }));
  await clock.advance(60_000);
  await expect(db('us-west-2').send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'during' } } }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
  expect(cloud.service('dynamodb').globalTables!.backlog('things').find((b) => b.from === 'us-east-1' && b.to === 'us-west-2')).toMatchObject({ pending: 1 });

  await clock.advance(60_000); // the outage's two minutes are up
  expect(cloud.faults.isRegionDown('us-west-2')).toBe(false);
  await clock.advance(1_000);
  expect((await db('us-west-2').send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'during' } }, ConsistentRead: true }))).Item).toEqual({ id: { S: 'during' } });
  const cw = new CloudWatchClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const stats = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: [{ Name: 'TableName', Value: 'things' }, { Name: 'ReceivingRegion', Value: 'us-west-2' }],
      StartTime: new Date(clock.now() - 3600_000),
      EndTime: new Date(clock.now() + 60_000),
      Period: 3600,
      Statistics: ['Maximum'],
    }),
  );
  // Written at the start of the outage, delivered when it ended two minutes later.
  expect(stats.Datapoints![0]!.Maximum).toBeGreaterThanOrEqual(120_000);
  cw.destroy();
});
