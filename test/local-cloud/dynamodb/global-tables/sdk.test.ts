// Global tables (2019.11.21) through the real SDK, three regions of one local cloud, on the virtual clock.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createCloudWatchService } from '../../../../src/local-cloud/cloudwatch/index.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const EAST = 'us-east-1';
const WEST = 'us-west-2';
const EU = 'eu-west-1';
let cloud: LocalCloud;
let clock: ManualClock;
const db: Record<string, DynamoDBClient> = {};

beforeEach(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService, createCloudWatchService] });
  for (const region of [EAST, WEST, EU]) db[region] = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
});

afterEach(async () => {
  for (const c of Object.values(db)) c.destroy();
  await cloud.close();
});

const table = (extra: Partial<CreateTableCommandInput> = {}) =>
  db[EAST]!.send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      ...extra,
    }),
  );
const addReplica = (region: string, from = EAST) => db[from]!.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Create: { RegionName: region } }] }));
const describe_ = async (region: string) => (await db[region]!.send(new DescribeTableCommand({ TableName: 'things' }))).Table!;
const put = (region: string, id: string, v: string) => db[region]!.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id }, v: { S: v } } }));
const get = async (region: string, id: string) => (await db[region]!.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: id } }, ConsistentRead: true }))).Item;
const faults = (body: unknown) => fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
const fail = <T>(p: Promise<T>) => p.then(() => undefined as unknown as Error, (e: Error) => e);

async function globalTable(): Promise<void> {
  await table();
  await addReplica(WEST);
  await clock.advance(60_000);
  await addReplica(EU);
  await clock.advance(60_000);
}

describe('global tables over the wire', () => {
  it('refuses replicas AWS refuses, with its errors', async () => {
    await table({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, StreamSpecification: undefined });
    expect((await fail(addReplica(WEST))).message).toBe('Table write capacity should either be Pay-Per-Request or AutoScaled.');
    await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', BillingMode: 'PAY_PER_REQUEST' }));
    expect((await fail(addReplica(WEST))).message).toMatch(/must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES/);
    await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    expect((await fail(addReplica(WEST))).message).toMatch(/NEW_AND_OLD_IMAGES to add a replica \(it has KEYS_ONLY\)/);
    await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', StreamSpecification: { StreamEnabled: false } }));
    await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));

    await db[WEST]!.send(
      new CreateTableCommand({ TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    expect((await fail(addReplica(WEST))).message).toBe("Failed to create a the new replica of table with name: 'things' because one or more replicas already existed as tables.");
    const two = await fail(db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Create: { RegionName: EU } }, { Create: { RegionName: 'eu-central-1' } }] })));
    expect(two.name).toBe('ValidationException');
    expect((await fail(addReplica(EAST))).name).toBe('ValidationException');
    expect((await fail(addReplica('us-east-9'))).name).toBe('ValidationException');
    const missing = await fail(db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Delete: { RegionName: EU } }] })));
    expect(missing.message).toBe('Replica specified in the Replica Update or Replica Delete action of the request was not found.');
    expect(await fail(db[EAST]!.send(new UpdateTableCommand({ TableName: 'nope', ReplicaUpdates: [{ Create: { RegionName: EU } }] })))).toBeInstanceOf(ResourceNotFoundException);
    expect((await describe_(EAST)).Replicas).toEqual([]);
  });

  it('creates replicas one per call, CREATING → ACTIVE on the clock, starting from the existing items', async () => {
    await table();
    await put(EAST, 'before', 'x');
    const out = await addReplica(WEST);
    expect(out.TableDescription?.TableStatus).toBe('UPDATING');
    expect(out.TableDescription?.Replicas).toEqual([{ RegionName: WEST, ReplicaStatus: 'CREATING' }]);
    expect(out.TableDescription?.GlobalTableVersion).toBe('2019.11.21');
    expect((await describe_(WEST)).TableStatus).toBe('CREATING');
    expect(await fail(put(WEST, 'early', 'x'))).toBeInstanceOf(ResourceNotFoundException);
    expect(await fail(addReplica(EU))).toBeInstanceOf(ResourceInUseException);
    await clock.advance(59_999);
    expect((await describe_(EAST)).Replicas).toEqual([{ RegionName: WEST, ReplicaStatus: 'CREATING' }]);
    await clock.advance(1);
    const east = await describe_(EAST);
    expect(east.TableStatus).toBe('ACTIVE');
    expect(east.Replicas).toEqual([{ RegionName: WEST, ReplicaStatus: 'ACTIVE' }]);
    const west = await describe_(WEST);
    expect(west).toMatchObject({ TableStatus: 'ACTIVE', Replicas: [{ RegionName: EAST, ReplicaStatus: 'ACTIVE' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    expect(west.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(await get(WEST, 'before')).toEqual({ id: { S: 'before' }, v: { S: 'x' } });

    await addReplica(EU, WEST); // any replica can add the next
    await clock.advance(60_000);
    expect((await describe_(EU)).Replicas).toEqual([
      { RegionName: EAST, ReplicaStatus: 'ACTIVE' },
      { RegionName: WEST, ReplicaStatus: 'ACTIVE' },
    ]);
    // A region already holding a replica is refused, whichever replica asks, and nothing changes.
    for (const [target, from] of [[WEST, EAST], [EAST, EU]] as const) {
      const again = await fail(addReplica(target, from));
      expect(again.name).toBe('ValidationException');
      expect(again.message).toBe(`One or more parameter values were invalid: A replica of table things already exists in region ${target}`);
    }
    expect((await describe_(EAST)).Replicas).toEqual([
      { RegionName: EU, ReplicaStatus: 'ACTIVE' },
      { RegionName: WEST, ReplicaStatus: 'ACTIVE' },
    ]);
    const provisioned = await fail(db[EU]!.send(new UpdateTableCommand({ TableName: 'things', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })));
    expect(provisioned.message).toBe('Table write capacity should either be Pay-Per-Request or AutoScaled.');
  });

  it('replicates every write to every other replica after the lag, with no aws:rep attributes, into their streams', async () => {
    await globalTable();
    await put(EAST, 'a', '1');
    await clock.advance(999);
    expect(await get(WEST, 'a')).toBeUndefined();
    await clock.advance(1);
    expect(await get(WEST, 'a')).toEqual({ id: { S: 'a' }, v: { S: '1' } });
    expect(await get(EU, 'a')).toEqual({ id: { S: 'a' }, v: { S: '1' } });
    await db[WEST]!.send(new DeleteItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    await clock.advance(1000);
    expect(await get(EAST, 'a')).toBeUndefined();
    expect(await get(EU, 'a')).toBeUndefined();

    // The receiving region's stream records the replicated write (the origin must be stamped by the writer).
    const streams = new DynamoDBStreamsClient({ endpoint: cloud.url, region: EU, credentials, maxAttempts: 1 });
    const arn = (await describe_(EU)).LatestStreamArn!;
    const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
    const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
    const records = (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records!;
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(Object.keys(records[0]!.dynamodb!.NewImage!).sort()).toEqual(['id', 'v']);
    streams.destroy();
  });

  it('pauses a pair as a fault, keeps accepting writes on both sides, converges last writer wins on resume and reports ReplicationLatency', async () => {
    await globalTable();
    expect(await faults({ replicationPaused: [`${EAST}>${WEST}`, `${WEST}>${EAST}`], replicationLagMs: { '*': 200 } })).toMatchObject({
      replicationPaused: [`${EAST}>${WEST}`, `${WEST}>${EAST}`],
      replicationLagMs: { '*': 200 },
    });
    await put(EAST, 'k', 'east-first');
    await clock.advance(5_000);
    await put(WEST, 'k', 'west-later');
    await put(EAST, 'only-east', 'e');
    await clock.advance(30_000);
    expect(await get(WEST, 'k')).toEqual({ id: { S: 'k' }, v: { S: 'west-later' } });
    expect(await get(EAST, 'k')).toEqual({ id: { S: 'k' }, v: { S: 'east-first' } });
    expect(await get(WEST, 'only-east')).toBeUndefined();
    expect(await get(EU, 'k')).toEqual({ id: { S: 'k' }, v: { S: 'west-later' } }); // EU is not cut off
    const backlog = cloud.service('dynamodb').globalTables!.backlog('things');
    expect(backlog.find((b) => b.from === EAST && b.to === WEST)).toMatchObject({ pending: 2, paused: true });

    await faults({ replicationLagMs: { '*': 200 } }); // resume
    await clock.advance(0);
    for (const region of [EAST, WEST, EU]) {
      expect(await get(region, 'k'), region).toEqual({ id: { S: 'k' }, v: { S: 'west-later' } });
      expect(await get(region, 'only-east'), region).toEqual({ id: { S: 'only-east' }, v: { S: 'e' } });
    }

    const cw = new CloudWatchClient({ endpoint: cloud.url, region: EAST, credentials, maxAttempts: 1 });
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ReplicationLatency',
        Dimensions: [{ Name: 'TableName', Value: 'things' }, { Name: 'ReceivingRegion', Value: WEST }],
        StartTime: new Date(clock.now() - 3600_000),
        EndTime: new Date(clock.now() + 60_000),
        Period: 3600,
        Statistics: ['Maximum', 'Minimum', 'SampleCount'],
      }),
    );
    const point = stats.Datapoints![0]!;
    expect(point.SampleCount).toBe(2);
    expect(point.Maximum).toBe(35_000); // written at the start of the pause, delivered on resume
    expect(point.Unit).toBe('Milliseconds');
    cw.destroy();
  });

  it('refuses bad replication faults', async () => {
    const res = await fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify({ replicationPaused: ['us-east-1'] }) });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/from>to/);
  });

  it('removes a replica: DELETING, then its table is gone', async () => {
    await globalTable();
    const out = await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Delete: { RegionName: EU } }] }));
    expect(out.TableDescription?.Replicas).toContainEqual({ RegionName: EU, ReplicaStatus: 'DELETING' });
    await put(EAST, 'late', 'x');
    await clock.advance(30_000);
    expect(await fail(describe_(EU))).toBeInstanceOf(ResourceNotFoundException);
    expect((await describe_(EAST)).Replicas).toEqual([{ RegionName: WEST, ReplicaStatus: 'ACTIVE' }]);
    expect(await get(WEST, 'late')).toBeDefined();
    await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Delete: { RegionName: WEST } }] }));
    await clock.advance(30_000);
    const east = await describe_(EAST);
    expect(east.Replicas).toEqual([]);
    expect(east.GlobalTableVersion).toBeUndefined();
  });
});
