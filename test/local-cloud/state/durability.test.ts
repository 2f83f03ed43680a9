import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../src/local-cloud/dynamodb/index.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

// kill -9 in-process: copy the data dir the moment a response arrives (before any timer of the
// running cloud can write more) and start a second cloud on the copy. What the copy lacks, a
// crash at that moment would have lost.
const root = mkdtempSync(join(tmpdir(), 'regionctl-durability-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const services = [createS3Service, createDynamoDbService];
const clients = (cloud: LocalCloud) => {
  const opts = { endpoint: cloud.url, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  return { s3: new S3Client({ ...opts, forcePathStyle: true }), ddb: new DynamoDBClient(opts) };
};
let copies = 0;
const crashCopy = (dataDir: string) => {
  const copy = join(root, `crash-${++copies}`);
  cpSync(dataDir, copy, { recursive: true });
  return copy;
};

describe('acknowledged writes are on disk when the response arrives', () => {
  it('keeps every answered PutItem and PutObject in a copy taken right after each answer', async () => {
    const dataDir = join(root, 'live');
    const cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir, services });
    const { s3, ddb } = clients(cloud);
    const snapshots: string[] = [];
    try {
      await ddb.send(new CreateTableCommand({ TableName: 'tbl', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await s3.send(new CreateBucketCommand({ Bucket: 'bkt-durable', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      for (let i = 0; i < 5; i++) {
        await ddb.send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: `item-${i}` }, n: { N: String(i) } } }));
        snapshots.push(crashCopy(dataDir));
        await s3.send(new PutObjectCommand({ Bucket: 'bkt-durable', Key: `k${i}`, Body: `body ${i}` }));
        snapshots.push(crashCopy(dataDir));
      }
    } finally {
      s3.destroy();
      ddb.destroy();
      await cloud.close();
    }
    for (const [n, copy] of snapshots.entries()) {
      const restarted = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir: copy, services });
      const c = clients(restarted);
      try {
        const i = Math.floor(n / 2);
        const item = await c.ddb.send(new GetItemCommand({ TableName: 'tbl', Key: { id: { S: `item-${i}` } } }));
        expect(item.Item, `item-${i} after crash copy ${n}`).toEqual({ id: { S: `item-${i}` }, n: { N: String(i) } });
        if (n % 2 === 1) {
          const object = await c.s3.send(new GetObjectCommand({ Bucket: 'bkt-durable', Key: `k${i}` }));
          expect(await object.Body!.transformToString()).toBe(`body ${i}`);
        }
      } finally {
        c.s3.destroy();
        c.ddb.destroy();
        await restarted.close();
      }
    }
  });

  it('logs one item per PutItem into a big table, not the table', async () => {
    const dataDir = join(root, 'big');
    const cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir, services });
    const { s3, ddb } = clients(cloud);
    try {
      await ddb.send(new CreateTableCommand({ TableName: 'big', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      const payload = 'x'.repeat(200);
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => ddb.send(new PutItemCommand({ TableName: 'big', Item: { id: { S: `k${batch}-${i}` }, p: { S: payload } } }))));
      }
      const before = statSync(join(dataDir, 'state.wal')).size;
      await ddb.send(new PutItemCommand({ TableName: 'big', Item: { id: { S: 'one-more' }, p: { S: payload } } }));
      const grew = statSync(join(dataDir, 'state.wal')).size - before;
      expect(grew).toBeGreaterThan(200);
      expect(grew).toBeLessThan(1024); // the table holds ~130 KB of items
    } finally {
      s3.destroy();
      ddb.destroy();
      await cloud.close();
    }
  });
});
