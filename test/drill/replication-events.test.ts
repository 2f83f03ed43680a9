// drill replication counts events from the triggers' logs (one line per batch listing what it
// published). A 1000-sample drill on three regions must find every event, exactly once, even when
// the mappings invoke the trigger once per stream record (the most log lines a drill can make):
// the local log bound has room for that, and FilterLogEvents pages through it oldest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { createLogsService } from '../../src/local-cloud/logs/index.js';
import { MAX_LINES_PER_GROUP } from '../../src/local-cloud/logs/domain.js';
import { invocationLog } from '../../src/local-cloud/lambda/invocation-log.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { logStillHolds, publishedEvents } from '../../src/drill/trigger-events.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const SAMPLES = 1000;
const GROUP = '/aws/lambda/shop-gt-trigger';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createLogsService] });
});
afterAll(async () => cloud?.close());

/**
 * What one region's trigger logs during the drill, at worst: every stream record (its own 1000
 * canaries and the 2000 replicated from the other regions, interleaved) in an invocation of its own;
 * an own record is published and listed, a replicated one is not.
 */
function triggerLogs(region: string, since: number): void {
  const logs = cloud.service('logs');
  const others = REGIONS.filter((r) => r !== region);
  for (let seq = 0; seq < SAMPLES; seq++) {
    for (const origin of [region, ...others]) {
      const at = since + seq * 30 + REGIONS.indexOf(origin) * 10;
      const requestId = `${region}-${origin}-${seq}`;
      const key = `drill-x-${origin}-${String(seq).padStart(6, '0')}`;
      const console = origin === region ? `${new Date(at).toISOString()}\t${requestId}\tINFO\t${JSON.stringify({ published: [{ id: `ev-${key}`, key, type: 'thing-created' }] })}\n` : '';
      logs.appendLog(region, GROUP, invocationLog({ requestId, startedAt: at, console, durationMs: 3.2, memoryMb: 128 }));
    }
  }
}

describe('drill replication event counting at 1000 samples × 3 regions', () => {
  it('finds every published event exactly once, in its origin region', async () => {
    const since = clock.now();
    for (const region of REGIONS) triggerLogs(region, since);
    const lines = cloud.service('logs').lines('us-east-1', GROUP);
    // The worst case: 3000 invocations × START/END/REPORT, plus 1000 published lines, all kept.
    expect(lines.length).toBe(3 * SAMPLES * 3 + SAMPLES);
    expect(lines.length).toBeLessThanOrEqual(MAX_LINES_PER_GROUP);

    const clients = new Map(REGIONS.map((r) => [r, new CloudWatchLogsClient({ region: r, endpoint: cloud.url, credentials })]));
    const events = await publishedEvents({ clients: { logs: (r) => clients.get(r)! }, service: 'shop', stage: 'gt', regions: REGIONS, since: since - 1000 });
    for (const c of clients.values()) c.destroy();

    expect(events).toHaveLength(REGIONS.length * SAMPLES);
    expect(new Set(events.map((e) => e.partitionKey)).size).toBe(REGIONS.length * SAMPLES);
    for (const region of REGIONS) {
      const own = events.filter((e) => e.region === region);
      expect(own).toHaveLength(SAMPLES);
      expect(own.every((e) => e.partitionKey.startsWith(`drill-x-${region}-`))).toBe(true);
    }
  }, 60_000);

  it('FilterLogEvents pages oldest first with a nextToken', async () => {
    const client = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: cloud.url, credentials });
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const first = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 4 }));
    expect(first.events!.map((e) => e.message!.split(' ')[0])).toEqual(['START', expect.stringMatching(/^\d{4}-/), 'END', 'REPORT']);
    expect(first.nextToken).toBeDefined();
    const second = await client.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 4, nextToken: first.nextToken }));
    expect(second.events![0]!.message).toMatch(/^START RequestId: us-east-1-us-west-2-0 /);
    await expect(client.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 10_001 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    client.destroy();
  });

  it('tells a log that lost lines since the bookmark from one that kept them', async () => {
    const logs = cloud.service('logs');
    const since = clock.now();
    const region = 'ap-northeast-1';
    logs.appendLog(region, GROUP, invocationLog({ requestId: 'bookmark-1', startedAt: since, console: '', durationMs: 1, memoryMb: 128 }));
    const client = new CloudWatchLogsClient({ region, endpoint: cloud.url, credentials });
    const holds = () => logStillHolds({ clients: { logs: () => client }, service: 'shop', stage: 'gt', region, requestId: 'bookmark-1', since: since - 1000 });
    expect(await holds()).toBe(true);
    // A drill far beyond what the bound keeps: the bookmark goes with the oldest lines.
    for (let i = 0; i <= MAX_LINES_PER_GROUP; i++) logs.appendLog(region, GROUP, `line ${i}`);
    expect(await holds()).toBe(false);
    client.destroy();
  }, 60_000);
});
