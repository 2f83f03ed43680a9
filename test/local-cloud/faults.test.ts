import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';

// Faults set over the local cloud's own HTTP endpoint (what the daemon exposes to tools).
let cloud: LocalCloud;
let clock: ManualClock;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
beforeAll(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock });
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

  it('ends a fault by itself on the cloud clock (expiresInMs), keeping the others', async () => {
    const start = clock.now();
    expect((await setFaults({ regionOutages: ['eu-west-1'], replicationPaused: ['us-east-1>us-west-2'], expiresInMs: { 'outage:eu-west-1': 300_000 } })).status).toBe(200);
    const state = await (await fetch(`${cloud.url}/_localcloud/faults`)).json();
    expect(state).toEqual({ regionOutages: ['eu-west-1'], latencyMs: {}, replicationPaused: ['us-east-1>us-west-2'], until: { 'outage:eu-west-1': new Date(start + 300_000).toISOString() } });
    await clock.advance(299_000);
    expect(cloud.faults.isRegionDown('eu-west-1')).toBe(true);
    await clock.advance(1_000);
    expect(cloud.faults.isRegionDown('eu-west-1')).toBe(false);
    expect(await (await fetch(`${cloud.url}/_localcloud/faults`)).json()).toEqual({ regionOutages: [], latencyMs: {}, replicationPaused: ['us-east-1>us-west-2'] });
    // Sending the state back (as a client merging its change does) keeps an end time as it was.
    await setFaults({ regionOutages: ['us-west-2'], until: { 'outage:us-west-2': new Date(clock.now() + 60_000).toISOString() } });
    await clock.advance(60_000);
    expect(cloud.faults.isRegionDown('us-west-2')).toBe(false);
    await setFaults({});
  });

  it('refuses an end time for a fault that is not in the request, or a malformed key', async () => {
    const missing = await setFaults({ regionOutages: [], expiresInMs: { 'outage:eu-west-1': 1000 } });
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toMatch(/outage:eu-west-1: no such fault/);
    const bad = await setFaults({ regionOutages: ['eu-west-1'], expiresInMs: { 'eu-west-1': 1000 } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/keys must be "outage:REGION"/);
    expect(cloud.faults.isRegionDown('eu-west-1')).toBe(false);
  });
});
