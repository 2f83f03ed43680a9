// Global tables survive a restart of the local cloud: replica transitions and undelivered writes resume.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dir = mkdtempSync(join(tmpdir(), 'regionctl-gt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(clock: ManualClock): Promise<{ cloud: LocalCloud; east: DynamoDBClient; west: DynamoDBClient; close(): Promise<void> }> {
  const cloud = await startLocalCloud({ port: 0, clock, dataDir: dir, services: [createDynamoDbService] });
  const east = new DynamoDBClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const west = new DynamoDBClient({ endpoint: cloud.url, region: 'us-west-2', credentials, maxAttempts: 1 });
  return {
    cloud,
    east,
    west,
    async close() {
      east.destroy();
      west.destroy();
      await cloud.close();
    },
  };
}

describe('global tables across a restart', () => {
  it('finishes a replica creation and delivers writes held by a pause once it is lifted', async () => {
    const clock = new ManualClock();
    const first = await open(clock);
    await first.east.send(
      new CreateTableCommand({
        TableName: 'things',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await first.east.send(new UpdateTableCommand({ TableName: 'things', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }));
    first.cloud.faults.replace({ replicationPaused: ['us-east-1>us-west-2'] });
    await first.east.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'held' } } }));
    await clock.advance(2000); // past the lag: held by the pause
    expect((await first.west.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'held' } } }))).Item).toBeUndefined();
    await first.close();

    await clock.advance(60_000); // the replica's creation ends while the cloud is down
    const second = await open(clock);
    expect((await second.east.send(new DescribeTableCommand({ TableName: 'things' }))).Table?.Replicas).toEqual([{ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' }]);
    // Faults do not survive a restart: the pause is gone, and the write, long due, is there from the start.
    expect((await second.west.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'held' } } }))).Item).toEqual({ id: { S: 'held' } });
    await second.close();
  });
});
