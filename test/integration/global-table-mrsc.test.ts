// table.consistency: strong on three local regions of the US set: deploy makes the table MRSC in one
// UpdateTable (all members at once), strong reads see the latest write anywhere, and an isolated
// region refuses writes while nothing acknowledged is lost (drill replication --isolate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { deploy } from '../../src/deploy/deploy.js';
import { synth } from '../../src/deploy/synth.js';
import { localFaults, replicationDrill } from '../../src/drill/replication.js';
import { createMemoryIo } from '../../src/io/index.js';
import { startHarness, type Harness } from './harness.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;
const sleeper = () => ({
  now: () => h.clock.now(),
  sleep: async (ms: number) => {
    await h.clock.advance(Math.ceil(ms));
    await new Promise((r) => setTimeout(r, 25));
  },
});

beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: mrsc\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\ntable:\n  consistency: strong\n`);
}, 60_000);
afterAll(async () => h?.close());

async function invoke(fn: string, region: string, payload: unknown): Promise<any> {
  const out = await new LambdaClient({ region, endpoint: h.cloud.url, credentials }).send(
    new InvokeCommand({ FunctionName: `shop-mrsc-${fn}`, Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
  );
  return { error: out.FunctionError, ...JSON.parse(new TextDecoder().decode(out.Payload)) };
}

describe('strongly consistent global table stage', () => {
  it('deploys the table with every member in one call', async () => {
    const ctx = h.context();
    const config = await ctx.loadConfig();
    const aws = await ctx.aws();
    const report = await deploy({ config, synthResult: await synth({ config, cwd: h.dir }), clients: aws, io: ctx.io, clock: sleeper() });
    expect(report.ok).toBe(true);
    expect(report.replicas?.ok && report.replicas.value).toMatchObject({ consistency: 'strong', added: ['us-east-2', 'us-west-2'] });
    const table = (await new DynamoDBClient({ region: 'us-east-1', endpoint: h.cloud.url, credentials }).send(new DescribeTableCommand({ TableName: 'shop-mrsc-things' }))).Table!;
    expect(table.MultiRegionConsistency).toBe('STRONG');
    // One UpdateTable for both replicas: a single 'replicas' step, no per-region one.
    expect(ctx.io.events.filter((e) => e.kind === 'step' && e.id.startsWith('replica:') && e.state === 'start')).toEqual([]);
    await h.clock.advance(10_000);
  }, 300_000);

  it('a strong read in another region sees a write at once', async () => {
    await invoke('command', 'us-east-1', { id: 'strong-1', v: 1 });
    expect(await invoke('query', 'us-west-2', { id: 'strong-1', consistent: true })).toMatchObject({ item: { id: 'strong-1', v: 1 } });
  }, 60_000);

  it('drill replication --isolate: the isolated region refuses writes, the others go on, nothing acknowledged is lost', async () => {
    const report = await replicationDrill({
      service: 'shop',
      stage: 'mrsc',
      regions: REGIONS,
      primaryRegion: 'us-east-1',
      table: { consistency: 'strong' },
      clients: await h.context().aws(),
      io: createMemoryIo(),
      clock: sleeper(),
      faults: localFaults(h.cloud.url),
      samples: 10,
      isolate: 'us-west-2',
      holdMs: 5_000,
      concurrency: 4,
    });
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ result: 'passed', rpoSeconds: 0, refused: 10, events: { writes: 20, published: 20, duplicates: 0 } });
    expect(report.isolate).toMatchObject({ region: 'us-west-2', acceptedInRegion: 0, refusedInRegion: 10, atRiskWrites: 0 });
    expect(report.pairs.every((p) => p.missing === 0)).toBe(true);
  }, 300_000);
});
