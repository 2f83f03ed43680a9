// The daemon rests (its clock runs at real time) while no client talks to it, and wakes on the
// next client request or DNS query. Its own functions calling it back never count as a client:
// otherwise each region's canary, which runs every cloud minute, would keep it awake forever.
import { createSocket } from 'node:dgram';
import { CreateFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../src/local-cloud/clock.js';
import { createLambdaService } from '../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from './lambda/fake-cloud.js';

const R = 'eu-west-1';
let cloud: LocalCloud;
let client: LambdaClient;
let wall = 0;
let tick: () => void = () => {};
/** Let real time pass as the rest timer sees it, then run its check. */
const pass = (ms: number) => {
  wall += ms;
  tick();
};

beforeAll(async () => {
  cloud = await startLocalCloud({
    port: 0,
    dnsPort: 0,
    clock: new ScaledClock(60),
    services: [createLambdaService],
    rest: { afterMs: 30_000, now: () => wall, every: (_ms, fn) => ((tick = fn), () => {}) },
  });
  client = new LambdaClient({ endpoint: cloud.url, region: R, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await client.send(new CreateFunctionCommand({ FunctionName: 'health', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.health', Code: { ZipFile: fixtureZip('handlers.js') } }));
});

afterAll(async () => {
  client?.destroy();
  await cloud?.close();
});

function dnsQuery(port: number): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('message', () => {
      socket.close();
      resolve();
    });
    socket.once('error', reject);
    socket.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'example.com' }] }), port, '127.0.0.1');
  });
}

describe('a resting local cloud', () => {
  it('runs at the configured scale while a client is active, at real time after the rest period', () => {
    expect(cloud.rest()).toMatchObject({ resting: false, activeScale: 60, restScale: 1, restAfterSeconds: 30 });
    pass(29_000);
    expect(cloud.clock.timeScale).toBe(60);
    pass(1_000);
    expect(cloud.rest()?.resting).toBe(true);
    expect(cloud.clock.timeScale).toBe(1);
  });

  it("stays at rest while its own functions call it back (a canary is not a client)", async () => {
    const lambda = cloud.service('lambda');
    const result = await lambda.invoke(R, 'health', '{}');
    const seen = JSON.parse(Buffer.from(result.payload).toString()) as { timeScale: number; rest: { resting: boolean } };
    expect(seen).toMatchObject({ timeScale: 1, rest: { resting: true } });
    expect(cloud.rest()?.resting).toBe(true);
  });

  it('wakes before answering the first client request, which sees the configured scale', async () => {
    const health = (await (await fetch(`${cloud.url}/_localcloud/health`)).json()) as { timeScale: number; rest: { resting: boolean } };
    expect(health).toMatchObject({ timeScale: 60, rest: { resting: false } });
    pass(30_000);
    expect(cloud.clock.timeScale).toBe(1);
    await client.send(new ListFunctionsCommand({}));
    expect(cloud.clock.timeScale).toBe(60);
  });

  it('wakes on a DNS query (a drill resolving the stage name is a client)', async () => {
    pass(30_000);
    expect(cloud.rest()?.resting).toBe(true);
    await dnsQuery(cloud.dnsPort!);
    expect(cloud.rest()?.resting).toBe(false);
    expect(cloud.clock.timeScale).toBe(60);
  });
});
