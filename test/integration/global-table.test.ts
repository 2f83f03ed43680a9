// The global table and its per-region events on three local regions, on the virtual clock: deploy
// adds the replicas one region per call, command/query/trigger/listener run as bundled Lambdas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { deploy } from '../../src/deploy/deploy.js';
import { destroy } from '../../src/deploy/destroy.js';
import { synth } from '../../src/deploy/synth.js';
import { planStage } from '../../src/stage/plan.js';
import { localFaults, replicationDrill, type ReplicationDrillOptions } from '../../src/drill/replication.js';
import { publishedEvents } from '../../src/drill/trigger-events.js';
import { createMemoryIo } from '../../src/io/index.js';
import { tableStatus } from '../../src/observe/table-status.js';
import { statusCommand } from '../../src/commands/status.js';
import { startHarness, type Harness } from './harness.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;
// Whole milliseconds, as the wall clock gives (change-set names carry the time).
const sleeper = () => ({ now: () => h.clock.now(), sleep: (ms: number) => h.clock.advance(Math.ceil(ms)) });

const CONFIG = `service: shop\nstage: gt\nregions: [us-east-1, us-west-2, eu-west-1]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\ntable: {}\n`;

beforeAll(async () => {
  h = await startHarness(CONFIG);
}, 60_000);
afterAll(async () => h?.close());

const lambda = (region: string) => new LambdaClient({ region, endpoint: h.cloud.url, credentials });
async function invoke(fn: string, region: string, payload: unknown): Promise<any> {
  const out = await lambda(region).send(new InvokeCommand({ FunctionName: `shop-gt-${fn}`, Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
  expect(out.FunctionError).toBeUndefined();
  return JSON.parse(new TextDecoder().decode(out.Payload));
}
// Let replication (1 s), the mappings' polling (250 ms) and SNS deliveries happen, in small steps.
async function settle(ms = 5_000): Promise<void> {
  for (let t = 0; t < ms; t += 250) {
    await h.clock.advance(250);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const faults = () => localFaults(h.cloud.url);

// Retry an assertion while cloud time moves on: asynchronous invocations (SNS → listener) run on
// worker threads in real time, so a cold start may finish after a fixed number of cloud steps.
async function eventually<T>(check: () => Promise<T>, tries = 200): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (error) {
      if (i >= tries) throw error;
      await h.clock.advance(250);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('global table stage', () => {
  it('deploys the table, then one replica per region, then the events stacks', async () => {
    const ctx = h.context();
    const config = await ctx.loadConfig();
    const aws = await ctx.aws();
    const synthResult = await synth({ config, cwd: h.dir });
    const report = await deploy({ config, synthResult, clients: aws, io: ctx.io, clock: sleeper() });
    expect(report.ok, JSON.stringify(report.results.filter((r) => !r.ok).map((r) => !r.ok && r.error.message))).toBe(true);
    expect(report.global.map((g) => g.stackName)).toEqual(['shop-gt-dns', 'shop-gt-table']);
    expect(report.replicas?.ok && report.replicas.value.added).toEqual(['us-west-2', 'eu-west-1']);
    for (const r of report.results) expect(r.stacks.map((s) => s.stackName)).toContain('shop-gt-events');
    // Replicas were added one at a time: the progress says so, in order.
    const steps = ctx.io.events.filter((e) => e.kind === 'step' && e.id.startsWith('replica:') && e.state === 'done').map((e) => (e as { region?: string }).region);
    expect(steps).toEqual(['us-west-2', 'eu-west-1']);
    const db = new DynamoDBClient({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
    const table = (await db.send(new DescribeTableCommand({ TableName: 'shop-gt-things' }))).Table!;
    expect(table.Replicas).toEqual(expect.arrayContaining([{ RegionName: 'us-west-2', ReplicaStatus: 'ACTIVE' }, { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]));
    // The mappings become Enabled a few cloud seconds after their stacks.
    await settle(10_000);
  }, 300_000);

  it('a command in us-east-1 is readable through query everywhere and published exactly once, in us-east-1', async () => {
    const since = h.clock.now();
    const wrote = await invoke('command', 'us-east-1', { id: 'thing-1', name: 'first' });
    expect(wrote).toMatchObject({ id: 'thing-1', region: 'us-east-1', item: { origin: 'us-east-1', latch: 'open' } });
    for (const region of REGIONS) {
      await eventually(async () => expect(await invoke('query', region, { id: 'thing-1' })).toMatchObject({ region, item: { id: 'thing-1', name: 'first', origin: 'us-east-1' } }));
    }
    await settle();
    const aws = await h.context().aws();
    const events = await publishedEvents({ clients: aws, service: 'shop', stage: 'gt', regions: REGIONS, since });
    expect(events.filter((e) => e.partitionKey === 'thing-1').map((e) => [e.region, e.type])).toEqual([['us-east-1', 'thing-created']]);
  }, 120_000);

  it("the listener applies another source's event with the latch closed, and it is republished nowhere", async () => {
    const since = h.clock.now();
    const sns = new SNSClient({ region: 'us-west-2', endpoint: h.cloud.url, credentials });
    const event = { id: 'ext-1', type: 'thing-created', timestamp: 0, partitionKey: 'thing-ext', tags: { region: 'us-west-2', source: 'inventory' }, thing: { new: { id: 'thing-ext', name: 'from inventory' } } };
    await sns.send(
      new PublishCommand({
        TopicArn: `arn:aws:sns:us-west-2:000000000000:shop-gt-events`,
        Message: JSON.stringify(event),
        MessageAttributes: { source: { DataType: 'String', StringValue: 'inventory' } },
      }),
    );
    for (const region of REGIONS) {
      await eventually(async () => expect(await invoke('query', region, { id: 'thing-ext' })).toMatchObject({ item: { id: 'thing-ext', origin: 'us-west-2', latch: 'closed', appliedEvent: 'ext-1' } }));
    }
    // Long enough for any trigger to have seen the replicated writes.
    await settle();
    const aws = await h.context().aws();
    const events = await publishedEvents({ clients: aws, service: 'shop', stage: 'gt', regions: REGIONS, since });
    expect(events.filter((e) => e.partitionKey === 'thing-ext')).toEqual([]);
  }, 120_000);

  const drill = async (extra: Partial<ReplicationDrillOptions> = {}) =>
    replicationDrill({
      service: 'shop',
      stage: 'gt',
      regions: REGIONS,
      primaryRegion: 'us-east-1',
      table: { consistency: 'eventual' },
      clients: await h.context().aws(),
      io: process.env.I10_DEBUG ? { ...createMemoryIo(), emit: (e: { kind: string; message?: string; label?: string }) => console.error(new Date().toISOString(), e.message ?? e.label) } : createMemoryIo(),
      clock: { now: () => h.clock.now(), sleep: async (ms: number) => { await h.clock.advance(Math.ceil(ms)); await new Promise((r) => setTimeout(r, 25)); } },
      faults: localFaults(h.cloud.url),
      samples: 300,
      ...extra,
    });

  it('drill replication (300 samples per region; 1000 in bench/replication-drill.ts): nothing missing, no duplicates, one event per write, lag as configured', async () => {
    const report = await drill();
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ result: 'passed', rpoSeconds: 0, events: { writes: 900, published: 900, duplicates: 0 } });
    expect(report.pairs).toHaveLength(6);
    for (const p of report.pairs) {
      // The default lag is 1000 ms of cloud time; on the manual clock every delivery is exactly on time.
      expect(p, `${p.from}>${p.to}`).toMatchObject({ samples: 300, missing: 0, p50Ms: 1000, p95Ms: 1000, p99Ms: 1000, maxMs: 1000 });
    }
  }, 600_000);

  it('status shows each region\'s replica and the replication latency into it from every other region', async () => {
    const status = await tableStatus({ service: 'shop', stage: 'gt', regions: REGIONS, primaryRegion: 'us-east-1', table: { consistency: 'eventual' }, clients: await h.context().aws(), now: h.clock.now() });
    expect(status.replicas).toEqual(REGIONS.map((region) => ({ region, status: 'ACTIVE' })));
    expect(status.latency).toHaveLength(6);
    for (const l of status.latency) expect(l, `${l.from}>${l.to}`).toMatchObject({ averageMs: 1000, maxMs: 1000 });
    expect(status.latency.every((l) => l.samples >= 300)).toBe(true);
    // The command adds the section to its JSON (additively) and its table.
    const ctx = h.context({ json: true });
    await statusCommand(ctx).catch(() => undefined);
    const out = JSON.parse(ctx.io.stdout);
    expect(out.regions).toHaveLength(3);
    expect(out.table).toMatchObject({ table: 'shop-gt-things', consistency: 'eventual', replicas: REGIONS.map((region) => ({ region, status: 'ACTIVE' })) });
  }, 120_000);

  it('follows a configured lag per pair', async () => {
    const faults = localFaults(h.cloud.url);
    await faults.set({ replicationLagMs: { 'us-east-1>eu-west-1': 2500 } });
    try {
      const report = await drill({ samples: 20 });
      expect(report.result).toBe('passed');
      expect(report.pairs.find((p) => p.from === 'us-east-1' && p.to === 'eu-west-1')).toMatchObject({ samples: 20, p50Ms: 2500, maxMs: 2500 });
      expect(report.pairs.find((p) => p.from === 'us-east-1' && p.to === 'us-west-2')).toMatchObject({ samples: 20, p50Ms: 1000, maxMs: 1000 });
    } finally {
      await faults.set({});
    }
  }, 300_000);

  it('--during-pause: writes keep succeeding on both sides, replication catches up after resume, nothing lost', async () => {
    const report = await drill({ samples: 50, duringPause: ['us-east-1', 'us-west-2'], holdMs: 20_000 });
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ result: 'passed', refused: 0, rpoSeconds: 0, events: { writes: 150, published: 150, duplicates: 0 } });
    expect(report.pause!.heldMs).toBeGreaterThanOrEqual(20_000);
    // Caught up within one replication lag of the resume (plus one poll).
    expect(report.pause!.catchUpMs).not.toBeNull();
    expect(report.pause!.catchUpMs!).toBeLessThanOrEqual(1000 + 250);
    // The held writes waited out the pause: the pair's latency shows it.
    expect(report.pairs.find((p) => p.from === 'us-east-1' && p.to === 'us-west-2')!.maxMs!).toBeGreaterThanOrEqual(20_000);
    expect(await faults().get()).not.toHaveProperty('replicationPaused');
  }, 300_000);

  it('conflicting writes during a pause converge on the last writer after resume', async () => {
    const f = faults();
    await f.set({ replicationPaused: ['us-east-1>us-west-2', 'us-west-2>us-east-1'] });
    await invoke('command', 'us-west-2', { id: 'contested', value: 'west, earlier' });
    await h.clock.advance(100);
    await invoke('command', 'us-east-1', { id: 'contested', value: 'east, later' });
    await settle(3000);
    expect((await invoke('query', 'us-west-2', { id: 'contested' })).item).toMatchObject({ value: 'west, earlier' });
    await f.set({});
    for (const region of REGIONS) {
      await eventually(async () => expect((await invoke('query', region, { id: 'contested' })).item).toMatchObject({ value: 'east, later', origin: 'us-east-1' }));
    }
  }, 300_000);

  it('--isolate with eventual consistency: the region keeps accepting writes, which are at risk until it rejoins', async () => {
    const report = await drill({ samples: 30, isolate: 'eu-west-1', holdMs: 10_000 });
    expect(report.failures).toEqual([]);
    expect(report.isolate).toMatchObject({ region: 'eu-west-1', acceptedInRegion: 30, refusedInRegion: 0, atRiskWrites: 30 });
    expect(report.isolate!.atRiskWindowSeconds).toBeGreaterThanOrEqual(10);
    expect(report.rpoSeconds).toBe(report.isolate!.atRiskWindowSeconds);
    // After it rejoined, everything arrived.
    expect(report.pairs.every((p) => p.missing === 0)).toBe(true);
  }, 300_000);

  it('a region taken out loses exactly its replica (with --remove-replicas; kept when not confirmed), and put back gets exactly that one', async () => {
    const ctx = h.context();
    const all = await ctx.loadConfig();
    const aws = await ctx.aws();
    const two = { ...all, regions: ['us-east-1', 'us-west-2'] };
    // Not confirmed (non-interactive, no flag): the replica stays, with a warning.
    const kept = await deploy({ config: two, synthResult: await synth({ config: two, cwd: h.dir }), clients: aws, io: ctx.io, clock: sleeper() });
    expect(kept.replicas?.ok && kept.replicas.value).toMatchObject({ added: [], removed: [], kept: ['eu-west-1'] });
    const removed = await deploy({ config: two, synthResult: await synth({ config: two, cwd: h.dir }), clients: aws, io: ctx.io, clock: sleeper(), removeReplicas: true });
    expect(removed.replicas?.ok && removed.replicas.value).toMatchObject({ added: [], removed: ['eu-west-1'], kept: [] });
    const back = await deploy({ config: all, synthResult: await synth({ config: all, cwd: h.dir }), clients: aws, io: ctx.io, clock: sleeper() });
    expect(back.ok).toBe(true);
    expect(back.replicas?.ok && back.replicas.value).toMatchObject({ added: ['eu-west-1'], removed: [], kept: [] });
  }, 300_000);

  it('destroy removes the replicas before the table', async () => {
    const ctx = h.context();
    const config = await ctx.loadConfig();
    const aws = await ctx.aws();
    const report = await destroy({ config, plan: planStage(config, { everyKind: true }), clients: aws, io: ctx.io, clock: sleeper() });
    expect(report.ok, JSON.stringify(report.global)).toBe(true);
    const labels = ctx.io.events.filter((e) => e.kind === 'step').map((e) => (e as { label: string }).label);
    const lastReplica = labels.map((l, i) => (l.startsWith('replica of shop-gt-things removed') ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    const tableDeleted = labels.findIndex((l) => l === 'deleted shop-gt-table');
    expect(lastReplica).toBeGreaterThanOrEqual(0);
    expect(tableDeleted).toBeGreaterThan(lastReplica);
  }, 300_000);
});
