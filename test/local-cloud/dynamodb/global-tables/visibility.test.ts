// A replicated write is visible in the receiving region from (write time + lag) on the cloud clock,
// whenever the delivery timer gets to run: on a busy daemon timers fire late, and no reader, writer
// or stream reader may see the difference (nor may ReplicationLatency report it as lag). The clock
// here runs every timer 5 cloud seconds late, as a starved event loop would.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createCloudWatchService } from '../../../../src/local-cloud/cloudwatch/index.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const EAST = 'us-east-1';
const WEST = 'us-west-2';
const LATE_MS = 5000;

/** Every timer fires LATE_MS after its time. */
class LateClock extends ManualClock {
  override at(atMs: number, fn: () => void): () => void {
    return super.at(atMs + LATE_MS, fn);
  }
}

let cloud: LocalCloud;
let clock: LateClock;
const db: Record<string, DynamoDBClient> = {};

beforeEach(async () => {
  clock = new LateClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService, createCloudWatchService] });
  for (const region of [EAST, WEST]) db[region] = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  await db[EAST]!.send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  await db[EAST]!.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Create: { RegionName: WEST } }] }));
  await clock.advance(60_000 + LATE_MS);
});

afterEach(async () => {
  for (const c of Object.values(db)) c.destroy();
  await cloud.close();
});

const put = (region: string, id: string) => db[region]!.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id } } }));
const get = async (region: string, id: string) => (await db[region]!.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: id } } }))).Item;
const faults = (body: unknown) => fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

async function latencies(): Promise<{ min?: number; max?: number; count?: number }> {
  const cw = new CloudWatchClient({ endpoint: cloud.url, region: EAST, credentials });
  const out = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: [{ Name: 'TableName', Value: 'things' }, { Name: 'ReceivingRegion', Value: WEST }],
      StartTime: new Date(clock.now() - 3600_000),
      EndTime: new Date(clock.now() + 60_000),
      Period: 3600,
      Statistics: ['Minimum', 'Maximum', 'SampleCount'],
    }),
  );
  cw.destroy();
  const p = out.Datapoints?.[0];
  return { min: p?.Minimum, max: p?.Maximum, count: p?.SampleCount };
}

describe('replication visibility with late timers', () => {
  it('a write is absent before its due time and present from it, whatever the timer does; the latency is the lag', async () => {
    await put(EAST, 'a');
    await clock.advance(999);
    expect(await get(WEST, 'a')).toBeUndefined();
    await clock.advance(1); // due now; its timer is still 5 s away
    expect(await get(WEST, 'a')).toEqual({ id: { S: 'a' } });
    // Scans and the receiving region's stream see it too, at its due time.
    await put(EAST, 'b');
    await clock.advance(1000);
    const streams = new DynamoDBStreamsClient({ endpoint: cloud.url, region: WEST, credentials });
    const ids = (await db[WEST]!.send(new ScanCommand({ TableName: 'things' }))).Items!.map((i) => i.id!.S).sort();
    expect(ids).toEqual(['a', 'b']);
    await put(EAST, 'c');
    await clock.advance(1000);
    const streamArn = (await db[WEST]!.send(new DescribeTableCommand({ TableName: 'things' }))).Table!.LatestStreamArn!;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: StreamDescription!.StreamArn!, ShardId: StreamDescription!.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    const records = (await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).Records!;
    expect(records.map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['a', 'b', 'c']);
    streams.destroy();
    await clock.advance(10_000); // the late timers run: nothing delivered twice
    expect(await latencies()).toEqual({ min: 1000, max: 1000, count: 3 });
  });

  it('a write delivered by its (late) timer alone also reports the lag, not the lateness', async () => {
    await put(EAST, 'quiet');
    await clock.advance(1000 + LATE_MS); // nobody looks in between
    expect(await latencies()).toEqual({ min: 1000, max: 1000, count: 1 });
  });

  it('a pause holds only writes not yet due when it began; the held ones count from the resume', async () => {
    await put(EAST, 'due-before');
    await clock.advance(1500); // due at 1000; no access, the timer is late
    await faults({ replicationPaused: [`${EAST}>${WEST}`] });
    await put(EAST, 'held');
    await clock.advance(10_000);
    expect(await get(WEST, 'due-before')).toEqual({ id: { S: 'due-before' } });
    expect(await get(WEST, 'held')).toBeUndefined();
    await faults({});
    expect(await get(WEST, 'held')).toEqual({ id: { S: 'held' } });
    // due-before: its lag; held: written at the pause, visible at the resume 10 s later.
    expect(await latencies()).toEqual({ min: 1000, max: 10_000, count: 2 });
  });
});
