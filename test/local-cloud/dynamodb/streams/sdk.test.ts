// DynamoDB Streams through the real SDK v3 streams client, on the virtual clock.
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, UpdateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let clock: ManualClock;
let ddb: DynamoDBClient;
let streams: DynamoDBStreamsClient;

beforeEach(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService] });
  ddb = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  streams = new DynamoDBStreamsClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
});

afterEach(async () => {
  ddb.destroy();
  streams.destroy();
  await cloud.close();
});

async function table(name: string, viewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'): Promise<string | undefined> {
  const out = await ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } : {}),
    }),
  );
  return out.TableDescription?.LatestStreamArn;
}

/** put a, update a, delete a: one INSERT, MODIFY, REMOVE. */
async function lifecycle(name: string): Promise<void> {
  await ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'a' }, v: { N: '1' } } }));
  await ddb.send(new UpdateItemCommand({ TableName: name, Key: { id: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  await ddb.send(new DeleteItemCommand({ TableName: name, Key: { id: { S: 'a' } } }));
}

async function shardOf(arn: string): Promise<string> {
  const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return d.StreamDescription!.Shards![0]!.ShardId!;
}

async function readAll(arn: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON'): Promise<_Record[]> {
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: await shardOf(arn), ShardIteratorType: type }));
  return (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records ?? [];
}

describe('DynamoDB Streams over the wire', () => {
  it('records INSERT, MODIFY and REMOVE with the images each view type keeps', async () => {
    const expected = {
      KEYS_ONLY: [[false, false], [false, false], [false, false]],
      NEW_IMAGE: [[true, false], [true, false], [false, false]],
      OLD_IMAGE: [[false, false], [false, true], [false, true]],
      NEW_AND_OLD_IMAGES: [[true, false], [true, true], [false, true]],
    } as const;
    for (const [view, shape] of Object.entries(expected)) {
      const name = `t-${view.toLowerCase().replace(/_/g, '-')}`;
      const arn = (await table(name, view as keyof typeof expected))!;
      expect(arn).toMatch(new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${name}/stream/2026-01-01T00:00:00\\.000$`));
      await lifecycle(name);
      const records = await readAll(arn);
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      records.forEach((r, i) => {
        expect(r.eventSource).toBe('aws:dynamodb');
        expect(r.eventVersion).toBe('1.1');
        expect(r.awsRegion).toBe(region);
        expect(r.dynamodb?.Keys).toEqual({ id: { S: 'a' } });
        expect(r.dynamodb?.StreamViewType).toBe(view);
        expect(r.dynamodb?.NewImage !== undefined, `${view} #${i} NewImage`).toBe(shape[i]![0]);
        expect(r.dynamodb?.OldImage !== undefined, `${view} #${i} OldImage`).toBe(shape[i]![1]);
        expect(r.dynamodb?.ApproximateCreationDateTime).toEqual(new Date(Date.UTC(2026, 0, 1)));
      });
      if (view === 'NEW_AND_OLD_IMAGES') {
        expect(records[1]!.dynamodb?.OldImage).toEqual({ id: { S: 'a' }, v: { N: '1' } });
        expect(records[1]!.dynamodb?.NewImage).toEqual({ id: { S: 'a' }, v: { N: '2' } });
      }
      const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
      expect(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!).toBe(true);
    }
  });

  it('lists and describes streams, and reads from every iterator type', async () => {
    const arn = (await table('things', 'NEW_IMAGE'))!;
    await table('plain');
    const listed = await streams.send(new ListStreamsCommand({}));
    expect(listed.Streams).toEqual([{ StreamArn: arn, TableName: 'things', StreamLabel: '2026-01-01T00:00:00.000' }]);
    expect((await streams.send(new ListStreamsCommand({ TableName: 'plain' }))).Streams).toEqual([]);

    const latest = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: await shardOf(arn), ShardIteratorType: 'LATEST' }));
    for (const id of ['1', '2', '3']) await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: id } } }));
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const d = described.StreamDescription!;
    expect(d).toMatchObject({ StreamArn: arn, StreamStatus: 'ENABLED', StreamViewType: 'NEW_IMAGE', TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    expect(d.Shards).toHaveLength(1);
    expect(d.Shards![0]!.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(d.Shards![0]!.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();

    const fromLatest = await streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator! }));
    expect(fromLatest.Records?.map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['1', '2', '3']);
    const seqs = fromLatest.Records!.map((r) => r.dynamodb!.SequenceNumber!);
    expect(d.Shards![0]!.SequenceNumberRange?.StartingSequenceNumber).toBe(seqs[0]);

    const read = async (ShardIteratorType: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER', SequenceNumber: string) => {
      const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: d.Shards![0]!.ShardId!, ShardIteratorType, SequenceNumber }));
      return (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records!.map((r) => r.dynamodb?.Keys?.id?.S);
    };
    expect(await read('AT_SEQUENCE_NUMBER', seqs[1]!)).toEqual(['2', '3']);
    expect(await read('AFTER_SEQUENCE_NUMBER', seqs[1]!)).toEqual(['3']);

    // Limit pages, and the next iterator continues where the page stopped; an open shard always has one.
    const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: d.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    const page1 = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator!, Limit: 2 }));
    expect(page1.Records).toHaveLength(2);
    const page2 = await streams.send(new GetRecordsCommand({ ShardIterator: page1.NextShardIterator! }));
    expect(page2.Records?.map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['3']);
    const page3 = await streams.send(new GetRecordsCommand({ ShardIterator: page2.NextShardIterator! }));
    expect(page3.Records).toEqual([]);
    expect(page3.NextShardIterator).toBeDefined();
  });

  it('expires iterators after 15 minutes and trims records after 24 hours', async () => {
    const arn = (await table('aging', 'KEYS_ONLY'))!;
    await ddb.send(new PutItemCommand({ TableName: 'aging', Item: { id: { S: 'old' } } }));
    const shard = await shardOf(arn);
    const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
    await clock.advance(15 * 60_000);
    expect((await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records).toHaveLength(1);
    await clock.advance(1);
    const expired = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! })).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(ExpiredIteratorException);

    const fresh = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
    await clock.advance(2 * 3600_000);
    await ddb.send(new PutItemCommand({ TableName: 'aging', Item: { id: { S: 'new' } } }));
    await clock.advance(22 * 3600_000 - 15 * 60_000); // 'old' is now just over 24 h old
    expect((await readAll(arn)).map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['new']);
    // An iterator issued before the trim now points at a trimmed record (it also expired, which AWS checks first).
    const before = await streams.send(new GetRecordsCommand({ ShardIterator: fresh.ShardIterator! })).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(ExpiredIteratorException);
    const it2 = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
    const seqNew = (await streams.send(new GetRecordsCommand({ ShardIterator: it2.ShardIterator! }))).Records![0]!.dynamodb!.SequenceNumber!;
    const old = (BigInt(seqNew) - 1n).toString();
    const trimmed = await streams
      .send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: old }))
      .catch((e: unknown) => e);
    expect(trimmed).toBeInstanceOf(TrimmedDataAccessException);
  });

  it('rolls shards over after four hours, parent before child', async () => {
    const arn = (await table('rolling', 'KEYS_ONLY'))!;
    await ddb.send(new PutItemCommand({ TableName: 'rolling', Item: { id: { S: 'first' } } }));
    await clock.advance(4 * 3600_000);
    await ddb.send(new PutItemCommand({ TableName: 'rolling', Item: { id: { S: 'second' } } }));
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!;
    expect(shards).toHaveLength(2);
    expect(shards[1]!.ParentShardId).toBe(shards[0]!.ShardId);
    expect(shards[0]!.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
    const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shards[0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    const closed = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
    expect(closed.Records?.map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['first']);
    expect(closed.NextShardIterator).toBeUndefined(); // a closed shard read to its end has no next iterator
  });

  it('disables the old stream when the table stream is turned off, replaced or the table deleted', async () => {
    const first = (await table('toggled', 'KEYS_ONLY'))!;
    await ddb.send(new PutItemCommand({ TableName: 'toggled', Item: { id: { S: 'x' } } }));
    await clock.advance(1000);
    await ddb.send(new UpdateTableCommand({ TableName: 'toggled', StreamSpecification: { StreamEnabled: false } }));
    await ddb.send(new PutItemCommand({ TableName: 'toggled', Item: { id: { S: 'unrecorded' } } }));
    const off = (await streams.send(new DescribeStreamCommand({ StreamArn: first }))).StreamDescription!;
    expect(off.StreamStatus).toBe('DISABLED');
    expect(off.Shards![0]!.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
    expect((await readAll(first)).map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['x']);

    const second = (await ddb.send(new UpdateTableCommand({ TableName: 'toggled', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })))
      .TableDescription!.LatestStreamArn!;
    expect(second).not.toBe(first);
    expect((await streams.send(new ListStreamsCommand({ TableName: 'toggled' }))).Streams?.map((s) => s.StreamArn).sort()).toEqual([first, second].sort());
    await ddb.send(new DeleteTableCommand({ TableName: 'toggled' }));
    expect((await streams.send(new DescribeStreamCommand({ StreamArn: second }))).StreamDescription?.StreamStatus).toBe('DISABLED');
    await clock.advance(24 * 3600_000 + 1);
    expect((await streams.send(new ListStreamsCommand({}))).Streams).toEqual([]);
    const gone = await streams.send(new DescribeStreamCommand({ StreamArn: first })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses bad iterators, types and sequence numbers', async () => {
    const arn = (await table('strict', 'KEYS_ONLY'))!;
    const shard = await shardOf(arn);
    const bad = await streams.send(new GetRecordsCommand({ ShardIterator: `${arn}|1|bm9wZQ==` })).catch((e: unknown) => e);
    expect((bad as Error).name).toBe('ValidationException');
    const noSeq = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })).catch((e: unknown) => e);
    expect((noSeq as Error).name).toBe('ValidationException');
    const missing = await streams
      .send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });
});
