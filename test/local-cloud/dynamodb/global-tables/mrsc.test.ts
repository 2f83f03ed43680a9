// Multi-Region strong consistency (MRSC) through the real SDK, on the virtual clock.
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ReplicatedWriteConflictException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const A = 'us-east-1';
const B = 'us-east-2';
const C = 'us-west-2';
let cloud: LocalCloud;
let clock: ManualClock;
const db: Record<string, DynamoDBClient> = {};

beforeEach(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createDynamoDbService] });
  for (const region of [A, B, C, 'eu-west-1']) db[region] = new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
});

afterEach(async () => {
  for (const c of Object.values(db)) c.destroy();
  await cloud.close();
});

const table = () =>
  db[A]!.send(
    new CreateTableCommand({
      TableName: 'ledger',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
const strong = (replicas: string[], witness?: string) =>
  db[A]!.send(
    new UpdateTableCommand({
      TableName: 'ledger',
      MultiRegionConsistency: 'STRONG',
      ReplicaUpdates: replicas.map((RegionName) => ({ Create: { RegionName } })),
      ...(witness ? { GlobalTableWitnessUpdates: [{ Create: { RegionName: witness } }] } : {}),
    }),
  );
const put = (region: string, id: string, v: string) => db[region]!.send(new PutItemCommand({ TableName: 'ledger', Item: { id: { S: id }, v: { S: v } } }));
const get = async (region: string, id: string, ConsistentRead: boolean) =>
  (await db[region]!.send(new GetItemCommand({ TableName: 'ledger', Key: { id: { S: id } }, ConsistentRead }))).Item?.v?.S;
const faults = (body: unknown) => fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify(body) });
const fail = <T>(p: Promise<T>) => p.then(() => undefined as unknown as Error, (e: Error) => e);
const isolate = (r: string) => faults({ replicationPaused: [A, B, C].filter((o) => o !== r).flatMap((o) => [`${r}>${o}`, `${o}>${r}`]) });

describe('multi-Region strong consistency', () => {
  it('is created in one call with two replicas, or one replica and a witness, within a region set, from an empty table', async () => {
    await table();
    expect((await fail(strong([B]))).message).toMatch(/exactly three replicas, or two replicas and one witness/);
    expect((await fail(strong([B, 'eu-west-1']))).message).toMatch(/one region set \(US: us-east-1, us-east-2, us-west-2; EU: .*\); got us-east-1, us-east-2, eu-west-1/);
    await put(A, 'x', '1');
    expect((await fail(strong([B, C]))).message).toMatch(/must be empty/);
    await db[A]!.send(new DeleteItemCommand({ TableName: 'ledger', Key: { id: { S: 'x' } } }));
    const out = await strong([B], C);
    expect(out.TableDescription).toMatchObject({
      MultiRegionConsistency: 'STRONG',
      Replicas: [{ RegionName: B, ReplicaStatus: 'CREATING' }],
      GlobalTableWitnesses: [{ RegionName: C, WitnessStatus: 'CREATING' }],
    });
    await clock.advance(60_000);
    const t = (await db[B]!.send(new DescribeTableCommand({ TableName: 'ledger' }))).Table!;
    expect(t).toMatchObject({ TableStatus: 'ACTIVE', MultiRegionConsistency: 'STRONG', Replicas: [{ RegionName: A, ReplicaStatus: 'ACTIVE' }], GlobalTableWitnesses: [{ RegionName: C, WitnessStatus: 'ACTIVE' }] });
    // The witness holds no table.
    expect((await fail(db[C]!.send(new DescribeTableCommand({ TableName: 'ledger' })))).name).toBe('ResourceNotFoundException');
    expect((await fail(db[A]!.send(new UpdateTableCommand({ TableName: 'ledger', ReplicaUpdates: [{ Create: { RegionName: C } }] })))).name).toBe('ValidationException');
  });

  it('strongly consistent reads see the latest write from any region; eventually consistent ones may lag', async () => {
    await table();
    await strong([B, C]);
    await clock.advance(60_000);
    await put(A, 'k', 'from-a');
    // Acknowledged once one other region has it; the third follows after the lag.
    expect(await get(B, 'k', false)).toBe('from-a');
    expect(await get(C, 'k', false)).toBeUndefined();
    expect(await get(C, 'k', true)).toBe('from-a');
  });

  it('refuses a write racing another region write to the same item with ReplicatedWriteConflictException', async () => {
    await table();
    await strong([B, C]);
    await clock.advance(60_000);
    await put(A, 'k', 'from-a');
    const conflict = await fail(put(C, 'k', 'from-c'));
    expect(conflict).toBeInstanceOf(ReplicatedWriteConflictException);
    expect(conflict.message).toBe('The request was rejected because one or more items in the request are being modified by a request in another Region.');
    await put(C, 'other', 'fine'); // other items are not affected
    await clock.advance(1000);
    await put(C, 'k', 'from-c'); // once replicated, the retry succeeds
    for (const region of [A, B, C]) expect(await get(region, 'k', true), region).toBe('from-c');
  });

  it('a region cut off from the majority refuses writes and strong reads; nothing acknowledged is lost', async () => {
    await table();
    await strong([B], C);
    await clock.advance(60_000);
    await put(A, 'before', '1');
    await isolate(A);
    const refused = await fail(put(A, 'during', 'a'));
    expect(refused.name).toBe('InternalServerError');
    expect(refused.message).toMatch(/cannot reach a majority/);
    expect((await fail(get(A, 'before', true))).name).toBe('InternalServerError');
    expect(await get(A, 'before', false)).toBe('1'); // eventually consistent reads are still served
    // B still has the witness: a majority.
    await put(B, 'during', 'b');
    expect(await get(B, 'during', true)).toBe('b');
    expect(await get(B, 'before', true)).toBe('1');
    await faults({});
    expect(await get(A, 'during', true)).toBe('b');
  });

  it('is removed in one call down to a single region', async () => {
    await table();
    await strong([B], C);
    await clock.advance(60_000);
    const partial = await fail(db[A]!.send(new UpdateTableCommand({ TableName: 'ledger', ReplicaUpdates: [{ Delete: { RegionName: B } }] })));
    expect(partial.message).toMatch(/the witness with them/);
    await db[A]!.send(new UpdateTableCommand({ TableName: 'ledger', ReplicaUpdates: [{ Delete: { RegionName: B } }], GlobalTableWitnessUpdates: [{ Delete: { RegionName: C } }] }));
    await clock.advance(30_000);
    const t = (await db[A]!.send(new DescribeTableCommand({ TableName: 'ledger' }))).Table!;
    expect(t.Replicas).toEqual([]);
    expect(t.MultiRegionConsistency).toBeUndefined();
    await put(A, 'alone', 'ok');
  });
});
