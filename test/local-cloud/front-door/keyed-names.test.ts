// Names that are also Object.prototype members (issue 7, defect 6) are ordinary names: they must
// not reach the prototype of the daemon's objects, dispatch to a builtin, or survive a restart as one.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { auth, raw } from './raw-http.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const PROTO_KEYS = ['victim', 'retentionInDays', 'polluted', 'functions', 'items'];
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
});
afterAll(async () => {
  await cloud.close();
});
// On a broken daemon these tests pollute this worker's Object.prototype; undo it so one failure stays one.
afterEach(() => {
  for (const key of PROTO_KEYS) delete (Object.prototype as Record<string, unknown>)[key];
});

const json = (service: string, target: string, body: unknown, region = 'us-east-1', url = cloud.url) =>
  raw(url, {
    method: 'POST',
    path: '/',
    headers: { authorization: auth(service, region), 'x-amz-target': target, 'content-type': service === 'dynamodb' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  });

/** A CloudWatch Logs call (awsJson1_1; no Logs client is installed): the parsed answer and its __type. */
async function logs(op: string, body: unknown, url = cloud.url): Promise<{ status: number; type?: string; out: any }> {
  const res = await json('logs', `Logs_20140328.${op}`, body, 'us-east-1', url);
  const out = res.text ? JSON.parse(res.text) : {};
  return { status: res.status, type: out.__type, out };
}

describe('prototype names as data', () => {
  it('keeps a table created in region __proto__ out of every other object', async () => {
    const created = await json('dynamodb', 'DynamoDB_20120810.CreateTable', {
      TableName: 'victim',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }, '__proto__');
    expect(created.status).toBe(200);
    expect(({} as Record<string, unknown>).victim).toBeUndefined();
    const ddb = new DynamoDBClient({ endpoint: cloud.url, region: 'eu-west-1', credentials });
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    ddb.destroy();
  });

  it('answers PutRetentionPolicy on log group __proto__ with ResourceNotFoundException and leaves new groups alone', async () => {
    expect(await logs('PutRetentionPolicy', { logGroupName: '__proto__', retentionInDays: 7 })).toMatchObject({ status: 400, type: 'ResourceNotFoundException' });
    await logs('CreateLogGroup', { logGroupName: 'fresh' });
    const groups = await logs('DescribeLogGroups', { logGroupNamePrefix: 'fresh' });
    expect(groups.out.logGroups[0].retentionInDays).toBeUndefined();
    // `__proto__` and `constructor` are valid log group names on AWS: they are created like any other.
    expect((await logs('CreateLogGroup', { logGroupName: '__proto__' })).status).toBe(200);
    expect((await logs('CreateLogGroup', { logGroupName: 'constructor' })).status).toBe(200);
    const all = await logs('DescribeLogGroups', {});
    expect(all.out.logGroups.map((g: { logGroupName: string }) => g.logGroupName).sort()).toEqual(['__proto__', 'constructor', 'fresh']);
  });

  it('answers unknown targets named after Object.prototype members with UnknownOperationException', async () => {
    for (const op of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const res = await json('dynamodb', `DynamoDB_20120810.${op}`, {});
      expect(res.status, op).toBe(400);
      expect(JSON.parse(res.text).__type, op).toMatch(/UnknownOperationException$/);
    }
  });

  it('answers awsQuery Action=constructor with InvalidAction and builds no prototype from parameters', async () => {
    const res = await raw(cloud.url, { method: 'POST', path: '/', headers: { authorization: auth('cloudformation'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=constructor' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidAction</Code>');
    const polluting = await raw(cloud.url, {
      method: 'POST',
      path: '/',
      headers: { authorization: auth('cloudformation'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeStacks&__proto__.polluted=yes&constructor.prototype.polluted=yes',
    });
    expect(polluting.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not find a Lambda function named constructor before one exists', async () => {
    const lambda = new LambdaClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    await expect(lambda.send(new GetFunctionCommand({ FunctionName: 'constructor' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    lambda.destroy();
  });
});

describe('prototype names in state read back from disk', () => {
  it('treats names in a restarted daemon as data too', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-keyed-'));
    try {
      const first = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir });
      expect((await logs('CreateLogGroup', { logGroupName: 'kept' }, first.url)).status).toBe(200);
      await first.close();

      const second = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir });
      try {
        for (const name of ['constructor', 'hasOwnProperty']) {
          expect(await logs('PutRetentionPolicy', { logGroupName: name, retentionInDays: 7 }, second.url)).toMatchObject({ status: 400, type: 'ResourceNotFoundException' });
        }
        const groups = await logs('DescribeLogGroups', {}, second.url);
        expect(groups.out.logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual(['kept']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
