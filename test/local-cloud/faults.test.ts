import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';

// Faults set over the local cloud's own HTTP endpoint (what the daemon exposes to tools).
let cloud: LocalCloud;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
});
afterAll(async () => cloud.close());

const setFaults = (body: unknown) => fetch(`${cloud.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify(body) });

describe('local cloud faults endpoint', () => {
  it('adds latency to one region only', async () => {
    expect((await setFaults({ latencyMs: { 'us-west-2': 60 } })).status).toBe(200);
    const slow = new DynamoDBClient({ region: 'us-west-2', endpoint: cloud.url, credentials });
    const fast = new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.url, credentials });
    await fast.send(new ListTablesCommand({})); // warm both clients
    await slow.send(new ListTablesCommand({}));
    let t = performance.now();
    await slow.send(new ListTablesCommand({}));
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
    expect(await (await fetch(`${cloud.url}/_localcloud/faults`)).json()).toEqual({ regionOutages: [], latencyMs: { 'us-west-2': 60 } });
  });

  it('takes a region out: its APIs answer 503, global ones keep working', async () => {
    await setFaults({ regionOutages: ['eu-west-1'] });
    await expect(new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.url, credentials, maxAttempts: 1 }).send(new ListTablesCommand({}))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 503 },
    });
    expect((await new STSClient({ region: 'eu-west-1', endpoint: cloud.url, credentials }).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    await setFaults({});
    expect((await new DynamoDBClient({ region: 'eu-west-1', endpoint: cloud.url, credentials }).send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('refuses malformed fault requests and keeps the current faults', async () => {
    await setFaults({ latencyMs: { '*': 5 } });
    const res = await setFaults({ latencyMs: { '*': -1 } });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/latencyMs\.\* must be a number/);
    expect((await (await fetch(`${cloud.url}/_localcloud/faults`)).json()).latencyMs).toEqual({ '*': 5 });
    await setFaults({});
  });
});
