import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { ListResourceRecordSetsCommand, ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';
import { deploy } from '../../src/deploy/deploy.js';
import { destroy } from '../../src/deploy/destroy.js';
import { planStage } from '../../src/stage/plan.js';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { synth } from '../../src/deploy/synth.js';
import { failoverDrill, PHASES, type FailoverReport } from '../../src/drill/failover.js';
import { AWS_DELAYS, theoreticalBound } from '../../src/drill/bound.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { cloudTarget } from '../../src/aws/target.js';
import { acquireStageLock } from '../../src/deploy/lock.js';
import { startHarness, type Harness } from './harness.js';
import { steadyState } from '../drill/steady.js';

// Under the realism profile (AWS's delays, on the virtual clock): a 3-region deploy waits for
// Route 53 INSYNC, ACM DNS validation through the zone it creates, and Lambda updates; a failover
// drill then passes with one-minute, delayed API Gateway metrics. regionctl's own waits advance the
// cloud's clock (no wall-time sleeps).
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
// A name under a registrable domain: the local cloud plays its registry and delegates it to the zone
// deploy creates (a reserved name such as shop.example could never validate, on AWS or here).
const ZONE = 'shop.realism.dev';
let h: Harness;
let deployedAt = 0;
let deployStarted = 0;

const cloudClock = () => ({ now: () => h.clock.now(), sleep: (ms: number) => h.clock.advance(ms), timeScale: 0, dnsPort: h.cloud.dnsPort, realism: 'aws' as const });

async function drill(region: string, objectiveSeconds = 600): Promise<FailoverReport> {
  const ctx = h.context();
  const config = await ctx.loadConfig();
  const aws = await ctx.aws();
  const target = await cloudTarget(aws, region);
  const lock = await acquireStageLock({ cwd: h.dir, service: config.service, stage: config.stage, target, command: `test drill ${region}` });
  try {
    return await failoverDrill({ config, region, clients: aws, journal: new Journal(drillsDir(h.dir)), target, lock, io: ctx.io, clock: cloudClock(), objectiveSeconds, deadlineSeconds: 1800 });
  } finally {
    lock.release();
  }
}

beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: test\nregions: [us-east-1, us-west-2, eu-west-1]\nprimaryRegion: us-east-1\ndns:\n  zone: ${ZONE}\n  createZone: true\n`, { dns: true, realism: 'aws' });
  const ctx = h.context();
  const config = await ctx.loadConfig();
  const aws = await ctx.aws();
  const synthResult = await synth({ config, cwd: h.dir, io: ctx.io });
  deployStarted = h.clock.now();
  const report = await deploy({ config, synthResult, clients: aws, io: ctx.io, clock: cloudClock() });
  deployedAt = h.clock.now();
  const failures = [...report.global.filter((g) => g.error).map((g) => `${g.stackName}: ${g.error}`), ...report.results.filter((r) => !r.ok).map((r) => `${r.region}: ${(r as { error: Error }).error.message}`)];
  expect(failures).toEqual([]);
  await h.clock.advance(180_000);
  await steadyState(h);
}, 600_000);
afterAll(async () => h?.close());

describe('realism aws', () => {
  it('deploys 3 regions, taking AWS’s time: certificates issued through the validation CNAME CloudFormation wrote', async () => {
    // ACM looks once a minute and Route 53 changes take 60 s: a deploy cannot be instant any more.
    expect(deployedAt - deployStarted).toBeGreaterThanOrEqual(2 * 60_000);
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
    const zone = (await r53.send(new ListHostedZonesByNameCommand({ DNSName: ZONE }))).HostedZones!.find((z) => z.Name === `${ZONE}.`)!;
    const records = (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }))).ResourceRecordSets ?? [];
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const acm = new ACMClient({ region, endpoint: h.cloud.url, credentials });
      const list = (await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [];
      expect(list.map((c) => [c.DomainName, c.Status]), region).toEqual([[`*.${ZONE}`, 'ISSUED']]);
      const cert = (await acm.send(new DescribeCertificateCommand({ CertificateArn: list[0].CertificateArn }))).Certificate!;
      const cname = cert.DomainValidationOptions![0].ResourceRecord!;
      expect(records.filter((r) => r.Type === 'CNAME' && r.Name === cname.Name).map((r) => r.ResourceRecords?.[0]?.Value), region).toEqual([cname.Value]);
      acm.destroy();
    }
    r53.destroy();
  });

  it('a failover drill passes with one-minute, delayed metrics, and its detection stays within the bound that counts those delays', async () => {
    const report = await drill('us-east-1');
    expect({ result: report.result, reason: report.reason }).toEqual({ result: 'passed', reason: undefined });
    expect(report.restored).toBe(true);
    expect(report.timeline.map((t) => t.phase)).toEqual([...PHASES]);
    const config = await h.context().loadConfig();
    // The drill's bound is AWS's: the one-minute point published 30 s after its minute (seen at the
    // next evaluation) and Route 53's propagation come on top of what the settings alone give.
    expect(report.bound).toEqual(theoreticalBound(config.healthCheck, AWS_DELAYS));
    expect(report.bound).toMatchObject({ alarmSeconds: 60, metricDelaySeconds: 60, propagationSeconds: 60, detectSeconds: 120 });
    expect(report.theoreticalBoundSeconds).toBeGreaterThan(theoreticalBound(config.healthCheck).totalSeconds);
    // Detection takes at least the rest of the minute the fault starts in plus the publication
    // delay, and never more than the bound's detection part.
    expect(report.measured.detectSeconds).not.toBeNull();
    expect(report.measured.detectSeconds!).toBeGreaterThanOrEqual(30);
    expect(report.measured.detectSeconds!).toBeLessThanOrEqual(report.bound.detectSeconds);
    expect(report.measured.failoverSeconds!).toBeLessThanOrEqual(report.theoreticalBoundSeconds);
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
  }, 600_000);

  // Issue 9: CloudFormation leaves the validation CNAMEs it wrote when it deletes the certificates,
  // so deleting the zone answered HostedZoneNotEmpty; destroy removes them right before the dns stack.
  it('destroys with createZone: the validation records go first, then the zone; nothing is left', async () => {
    const ctx = h.context();
    const config = await ctx.loadConfig();
    const aws = await ctx.aws();
    const report = await destroy({ config, plan: planStage(config, { everyKind: true }), clients: aws, io: ctx.io, clock: cloudClock() });
    expect(report.global.filter((g) => g.error)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.global.find((g) => g.stackName === 'shop-test-dns')).toMatchObject({ deleted: true });
    expect(ctx.io.stderr + ctx.io.stdout).toMatch(/removing 1 certificate validation record\(s\) from shop\.realism\.dev/);
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
    expect((await r53.send(new ListHostedZonesByNameCommand({}))).HostedZones ?? []).toEqual([]);
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const acm = new ACMClient({ region, endpoint: h.cloud.url, credentials });
      expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? [], region).toEqual([]);
      const cfn = new CloudFormationClient({ region, endpoint: h.cloud.url, credentials });
      const live = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE');
      expect(live.map((s) => s.StackName), region).toEqual([]);
      acm.destroy();
      cfn.destroy();
    }
    r53.destroy();
  }, 600_000);
});
