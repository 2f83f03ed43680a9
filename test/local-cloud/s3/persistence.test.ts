import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../src/local-cloud/dynamodb/index.js';
import { createS3Service } from '../../../src/local-cloud/s3/index.js';
import { startLocalCloud } from '../../../src/local-cloud/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-s3-ddb-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function withCloud<T>(fn: (s3: S3Client, ddb: DynamoDBClient) => Promise<T>): Promise<T> {
  const cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir, services: [createS3Service, createDynamoDbService] });
  const opts = { endpoint: cloud.url, region: 'ap-southeast-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const s3 = new S3Client({ ...opts, forcePathStyle: true });
  const ddb = new DynamoDBClient(opts);
  try {
    return await fn(s3, ddb);
  } finally {
    s3.destroy();
    ddb.destroy();
    await cloud.close();
  }
}

describe('S3 and DynamoDB state across restarts', () => {
  it('keeps buckets, object bodies, tables and items', async () => {
    await withCloud(async (s3, ddb) => {
      await s3.send(new CreateBucketCommand({ Bucket: 'durable-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
      await s3.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: 'k', Body: 'kept', Metadata: { m: '1' } }));
      await ddb.send(
        new CreateTableCommand({ TableName: 'durable', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
      );
      await ddb.send(new PutItemCommand({ TableName: 'durable', Item: { id: { S: 'a' }, v: { NS: ['1', '2'] } } }));
    });
    await withCloud(async (s3, ddb) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'durable-bucket', Key: 'k' }));
      expect(await object.Body!.transformToString()).toBe('kept');
      expect(object.Metadata).toEqual({ m: '1' });
      const item = await ddb.send(new GetItemCommand({ TableName: 'durable', Key: { id: { S: 'a' } } }));
      expect(item.Item).toEqual({ id: { S: 'a' }, v: { NS: ['1', '2'] } });
    });
  });
});
