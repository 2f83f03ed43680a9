import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createDynamoDbService } from '../../../src/local-cloud/dynamodb/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let client: DynamoDBClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createDynamoDbService] });
  client = new DynamoDBClient({ endpoint: cloud.url, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await cloud.close();
});

describe('DynamoDB through the AWS SDK', () => {
  it('creates a table, writes, updates, queries and reads back', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'health',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 1 }, { TableName: 'health' });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'health' }));
    expect(Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/health');
    expect(Table?.CreationDateTime).toEqual(new Date(Date.UTC(2026, 0, 1)));
    expect(Table?.LatestStreamArn).toContain('/stream/');

    for (const at of [3, 1, 2])
      await client.send(new PutItemCommand({ TableName: 'health', Item: { id: { S: 'probe' }, at: { N: String(at) }, payload: { B: Buffer.from([at]) } } }));
    const updated = await client.send(
      new UpdateItemCommand({
        TableName: 'health',
        Key: { id: { S: 'probe' }, at: { N: '1' } },
        UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, tags = :tags',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':tags': { SS: ['x'] } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes).toEqual({ count: { N: '1' }, tags: { SS: ['x'] } });

    const query = await client.send(
      new QueryCommand({ TableName: 'health', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'probe' } }, ScanIndexForward: false }),
    );
    expect(query.Items?.map((i) => i.at?.N)).toEqual(['3', '2', '1']);
    const got = await client.send(new GetItemCommand({ TableName: 'health', Key: { id: { S: 'probe' }, at: { N: '2' } }, ConsistentRead: true }));
    expect(got.Item?.payload?.B).toEqual(new Uint8Array([2]));
  });

  it('surfaces ConditionalCheckFailedException and ResourceNotFoundException as SDK error classes', async () => {
    const put = () =>
      client.send(new PutItemCommand({ TableName: 'health', Item: { id: { S: 'c' }, at: { N: '1' } }, ConditionExpression: 'attribute_not_exists(id)' }));
    await put();
    const conditional = await put().catch((e: unknown) => e);
    expect(conditional).toBeInstanceOf(ConditionalCheckFailedException);
    expect((conditional as Error).message).toBe('The conditional request failed');

    const missing = await client.send(new GetItemCommand({ TableName: 'nope', Key: { id: { S: 'x' } } })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Requested resource not found');
  });
});
