import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListHostedZonesByNameCommand, Route53Client, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { deployCommand } from '../../src/commands/deploy.js';
import { statusCommand } from '../../src/commands/status.js';
import { failoverDrill, PHASES, type FailoverReport } from '../../src/drill/failover.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { cloudTarget } from '../../src/aws/target.js';
import { acquireStageLock } from '../../src/deploy/lock.js';
import type { RegionStatus } from '../../src/observe/region-status.js';
import { startHarness, type Harness } from './harness.js';
import { steadyState } from '../drill/steady.js';

// Issue 9: on AWS a private client subnet (10.i.0.1) carries no location, so Route 53 answered
// every region's "client" alike and the drill refused its steady state. With the local cloud in
// that mode (--client-location none), status and the failover drill see where each region's
// clients are served from through the region's vantage point: its canary, invoked on demand,
// resolving and calling the stage's name from inside the region.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
let h: Harness;

const cloudClock = () => ({ now: () => h.clock.now(), sleep: (ms: number) => h.clock.advance(ms), timeScale: 0, dnsPort: h.cloud.dnsPort });

async function statusJson(): Promise<{ healthyRegions: number; regions: RegionStatus[] }> {
  const ctx = h.context({ json: true });
  await statusCommand(ctx);
  return JSON.parse(ctx.io.stdout);
}

async function drill(region: string): Promise<FailoverReport> {
  const ctx = h.context();
  const config = await ctx.loadConfig();
  const aws = await ctx.aws();
  const target = await cloudTarget(aws, region);
  const lock = await acquireStageLock({ cwd: h.dir, service: config.service, stage: config.stage, target, command: `test drill ${region}` });
  try {
    return await failoverDrill({ config, region, clients: aws, journal: new Journal(drillsDir(h.dir)), target, lock, io: ctx.io, clock: cloudClock(), objectiveSeconds: 300, deadlineSeconds: 1200 });
  } finally {
    lock.release();
  }
}

beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: test\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\n`, {
    dns: true,
    clientLocation: 'none',
  });
  await deployCommand(h.context());
  await h.clock.advance(120_000);
  await steadyState(h);
}, 600_000);
afterAll(async () => h?.close());

describe('vantage points with --client-location none', () => {
  it('the mode is on: a private client subnet carries no location, so TestDNSAnswer for 10.i.0.1 answers every region alike', async () => {
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
    const zoneId = (await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'shop.example' }))).HostedZones![0].Id!;
    const answers = new Set<string>();
    for (const i of [0, 3, 5]) {
      const out = await r53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: 'test-shop.shop.example', RecordType: 'A', EDNS0ClientSubnetIP: `10.${i}.0.1` }));
      answers.add(JSON.stringify(out.RecordData));
    }
    expect(answers.size).toBe(1);
    r53.destroy();
  });

  it('status shows each region served by itself, seen from its own vantage point and by TestDNSAnswer', async () => {
    const report = await statusJson();
    expect(report.healthyRegions).toBe(3);
    for (const r of report.regions) {
      expect(r.dns, r.region).toEqual({ answeredBy: r.region, globalEntry: r.region, testDnsAnswer: r.region });
      expect(r.vantage, r.region).toMatchObject({
        region: r.region,
        functionName: 'shop-test-canary',
        latency: { name: 'test-shop.shop.example', servedBy: r.region, resolvedTo: r.region, status: 200 },
        global: null,
      });
      expect(r.vantage!.latency!.address).toMatch(/^127\.1\.\d+\.1$/);
      expect(r.notes, r.region).toEqual([]);
    }
    const text = h.context();
    await statusCommand(text);
    for (const region of REGIONS) expect(text.io.stdout).toMatch(new RegExp(`^${region} .* ${region} +${region} `, 'm'));
  });

  it('the vantage point is the region\'s canary, answering an observe event as that region\'s clients are answered', async () => {
    const lambda = new LambdaClient({ region: 'eu-west-1', endpoint: h.cloud.url, credentials });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'shop-test-canary', Payload: Buffer.from(JSON.stringify({ observe: { names: ['test-shop.shop.example'] } })) }));
    expect(out.FunctionError).toBeUndefined();
    const answer = JSON.parse(Buffer.from(out.Payload!).toString('utf8'));
    expect(answer).toMatchObject({ region: 'eu-west-1', observations: [{ name: 'test-shop.shop.example', status: 200, servedBy: 'eu-west-1' }] });
    lambda.destroy();
  });

  it('drill failover --region us-east-1 passes, measuring the DNS move through the vantage point', async () => {
    const report = await drill('us-east-1');
    expect({ result: report.result, reason: report.reason }).toEqual({ result: 'passed', reason: undefined });
    expect(report.timeline.map((t) => t.phase)).toEqual([...PHASES]);
    // From N. Virginia the nearest healthy region is Oregon.
    expect(report.movedTo).toBe('us-west-2');
    const moved = report.timeline.find((t) => t.phase === 'dns-moved')!;
    expect(moved.detail).toMatch(/^us-east-1's clients now answered by us-west-2 \(us-east-1's resolver answered 127\.1\.\d+\.1, served by us-west-2; TestDNSAnswer: us-west-2\)$/);
    expect(report.measured.failoverSeconds).not.toBeNull();
    expect(report.measured.failoverSeconds!).toBeLessThanOrEqual(report.theoreticalBoundSeconds);
    expect(report.restored).toBe(true);
    const after = await statusJson();
    expect(after.regions.map((r) => [r.region, r.dns.answeredBy])).toEqual(REGIONS.map((r) => [r, r]));
  }, 600_000);
});
