import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetHealthCheckCommand, GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import { deployCommand } from '../../src/commands/deploy.js';
import { failoverDrill, PHASES } from '../../src/drill/failover.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { cloudTarget } from '../../src/aws/target.js';
import { acquireStageLock } from '../../src/deploy/lock.js';
import { regionStatus } from '../../src/observe/region-status.js';
import { startHarness, type Harness } from './harness.js';
import { steadyState } from '../drill/steady.js';

// Issue 9: with healthCheck.type both the latency records carry a CALCULATED check, whose status
// Route 53 does not return (GetHealthCheckStatus refuses it, on AWS and locally). status and the
// drill read its children instead; before, the HEALTH CHECK column was always "-" and the drill
// never recorded the health-check phases.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;

async function statusRows() {
  const ctx = h.context();
  const report = await regionStatus({ config: await ctx.loadConfig(), clients: await ctx.aws(), io: ctx.io, dnsPort: h.cloud.dnsPort });
  return report;
}

beforeAll(async () => {
  h = await startHarness('service: shop\nstage: test\nregions: [us-east-1, us-west-2]\ndns:\n  zone: shop.example\n  createZone: true\nhealthCheck:\n  type: both\n', { dns: true });
  await deployCommand(h.context());
  await h.clock.advance(120_000);
  await steadyState(h);
});
afterAll(async () => h?.close());

describe('healthCheck.type both', () => {
  it('the stage output is a CALCULATED check whose status the local cloud refuses, as AWS does', async () => {
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
    const stack = await cfn.send(new DescribeStacksCommand({ StackName: 'shop-test-health' }));
    const id = stack.Stacks![0].Outputs!.find((o) => o.OutputKey === 'HealthCheckId')!.OutputValue!;
    const route53 = new Route53Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
    const check = await route53.send(new GetHealthCheckCommand({ HealthCheckId: id }));
    expect(check.HealthCheck?.HealthCheckConfig?.Type).toBe('CALCULATED');
    expect(check.HealthCheck?.HealthCheckConfig?.ChildHealthChecks).toHaveLength(2);
    await expect(route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).rejects.toMatchObject({ name: 'InvalidInput' });
  });

  it('status reads the health check through its children: Healthy, with no note', async () => {
    const report = await statusRows();
    expect(report.regions.map((r) => [r.region, r.healthy, r.healthCheck])).toEqual([
      ['us-east-1', true, 'Healthy'],
      ['us-west-2', true, 'Healthy'],
    ]);
    expect(JSON.stringify(report)).not.toMatch(/cannot be read|InvalidInput/);
  });

  it('the failover drill records every phase, the health check going unhealthy and back included', async () => {
    const ctx = h.context();
    const config = await ctx.loadConfig();
    const aws = await ctx.aws();
    const target = await cloudTarget(aws, 'us-east-1');
    const lock = await acquireStageLock({ cwd: h.dir, service: config.service, stage: config.stage, target, command: 'test drill us-east-1' });
    try {
      const report = await failoverDrill({
        config,
        region: 'us-east-1',
        clients: aws,
        journal: new Journal(drillsDir(h.dir)),
        target,
        lock,
        io: ctx.io,
        clock: { now: () => h.clock.now(), sleep: (ms: number) => h.clock.advance(ms), timeScale: 0, dnsPort: h.cloud.dnsPort },
        objectiveSeconds: 300,
        deadlineSeconds: 1200,
      });
      expect(report.result).toBe('passed');
      // Every phase is seen; with both signals the HTTPS child can fail the check before the alarm fires.
      const phases = report.timeline.map((t) => t.phase);
      expect([...phases].sort()).toEqual([...PHASES].sort());
      expect(phases.indexOf('health-check-unhealthy')).toBeLessThan(phases.indexOf('dns-moved'));
      expect(phases.indexOf('health-check-healthy')).toBeGreaterThan(phases.indexOf('restored'));
      expect(ctx.io.stderr + ctx.io.stdout).not.toMatch(/cannot be read/);
    } finally {
      lock.release();
    }
  });
});
