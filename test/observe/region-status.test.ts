import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, DeleteStackCommand, waitUntilStackDeleteComplete } from '@aws-sdk/client-cloudformation';
import { ChangeResourceRecordSetsCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { drillCommand } from '../../src/commands/drill.js';
import { statusCommand } from '../../src/commands/status.js';
import type { AwsProvider } from '../../src/aws/provider.js';
import { regionStatus } from '../../src/observe/region-status.js';
import type { Harness } from '../integration/harness.js';
import { deployedStage } from '../drill/steady.js';

// Healthy means the region serves its clients, not just that its check answers: with the service
// stack gone, status used to say "2 of 2 healthy" and the drill guard counted the region.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;

async function statusJson(): Promise<{ healthyRegions: number; regions: Array<Record<string, any>> }> {
  const ctx = h.context({ json: true });
  await statusCommand(ctx);
  return JSON.parse(ctx.io.stdout);
}

async function latencyRecord(region: string): Promise<{ zoneId: string; record: ResourceRecordSet }> {
  const route53 = new Route53Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
  const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'shop.example.' }));
  const zoneId = zones.HostedZones![0].Id!.replace('/hostedzone/', '');
  const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  const record = records.ResourceRecordSets!.find((r) => r.Name === 'test-shop.shop.example.' && r.SetIdentifier === region)!;
  return { zoneId, record };
}

async function changeRecord(action: 'DELETE' | 'CREATE', zoneId: string, record: ResourceRecordSet): Promise<void> {
  const route53 = new Route53Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials });
  await route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [{ Action: action, ResourceRecordSet: record }] } }));
}

beforeAll(async () => {
  h = await deployedStage();
});
afterAll(async () => h?.close());

describe('a region is healthy only when it serves its clients', () => {
  it('steady state: both stacks complete, check and hello answer 200, latency records present', async () => {
    const report = await statusJson();
    expect(report.healthyRegions).toBe(2);
    for (const r of report.regions) {
      expect(r).toMatchObject({ healthy: true, reasons: [], stackStatus: 'CREATE_COMPLETE', serviceStackStatus: 'CREATE_COMPLETE', httpStatus: 200, helloStatus: 200, latencyRecord: true });
    }
  });

  it('without its latency record a region is not healthy, and the drill guard counts it so', async () => {
    const { zoneId, record } = await latencyRecord('us-west-2');
    await changeRecord('DELETE', zoneId, record);
    try {
      const report = await statusJson();
      const west = report.regions.find((r) => r.region === 'us-west-2')!;
      expect(west).toMatchObject({ healthy: false, latencyRecord: false, reasons: ['no latency record for us-west-2 in shop.example'] });
      expect(report.healthyRegions).toBe(1);
      await expect(drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-east-1' })).rejects.toMatchObject({ code: 'DrillRefused' });
    } finally {
      await changeRecord('CREATE', zoneId, record);
    }
    expect((await statusJson()).healthyRegions).toBe(2);
  });

  it('with its service stack deleted a region is not healthy, status says why, and drills refuse to break the other', async () => {
    const cfn = new CloudFormationClient({ region: 'us-west-2', endpoint: h.cloud.url, credentials });
    await cfn.send(new DeleteStackCommand({ StackName: 'shop-test-service' }));
    await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: 30, minDelay: 1 }, { StackName: 'shop-test-service' });

    const report = await statusJson();
    expect(report.healthyRegions).toBe(1);
    const west = report.regions.find((r) => r.region === 'us-west-2')!;
    expect(west).toMatchObject({ healthy: false, serviceStackStatus: 'NOT_DEPLOYED', httpStatus: 200 });
    expect(west.reasons).toEqual(['the service stack shop-test-service does not exist']);

    const text = h.context();
    await statusCommand(text);
    expect(text.io.stdout).toContain('shop/test: 1 of 2 region(s) healthy');
    expect(text.io.stdout).toContain('us-west-2 is not healthy: the service stack shop-test-service does not exist');

    await expect(drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-east-1' })).rejects.toMatchObject({
      code: 'DrillRefused',
      message: expect.stringMatching(/breaking us-east-1 would leave 0 healthy region\(s\)/),
    });
    await expect(drillCommand(h.context(), { action: 'failover', region: 'us-east-1' })).rejects.toMatchObject({ code: 'DrillRefused' });
  });

  it('a read that is denied or throttled is a note that says so, never a silent "-"', async () => {
    // The local cloud does not evaluate IAM policies, so the refusals AWS would give come from
    // wrappers around the real clients; everything else still goes to the local cloud.
    const ctx = h.context();
    const aws = await ctx.aws();
    const refuse = <T extends object>(client: T, command: string, name: string): T =>
      new Proxy(client, {
        get: (target, prop, receiver) =>
          prop === 'send'
            ? (cmd: { constructor: { name: string } }) =>
                cmd.constructor.name === command ? Promise.reject(Object.assign(new Error(`${command} refused`), { name })) : (target as any).send(cmd)
            : Reflect.get(target, prop, receiver),
      });
    const clients = {
      endpoint: aws.endpoint,
      cloudFormation: (region: string) => aws.cloudFormation(region),
      cloudWatch: (region: string) => refuse(aws.cloudWatch(region), 'DescribeAlarmsCommand', 'AccessDenied'),
      route53: () => refuse(aws.route53(), 'GetHealthCheckStatusCommand', 'ThrottlingException'),
      lambda: (region: string) => refuse(aws.lambda(region), 'InvokeCommand', 'AccessDeniedException'),
    } as unknown as AwsProvider;
    const report = await regionStatus({ config: await ctx.loadConfig(), clients, io: ctx.io, dnsPort: h.cloud.dnsPort });
    for (const r of report.regions) {
      expect(r).toMatchObject({ alarmState: null, healthCheck: null });
      expect(r.notes).toEqual([
        expect.stringMatching(/^the alarm shop-test-[a-z0-9-]+-5xx cannot be read: access denied \(DescribeAlarmsCommand refused\)$/),
        expect.stringMatching(/^the health check \S+ cannot be read: throttled by AWS \(ThrottlingException\); try again$/),
        `the vantage point names no region: shop-test-canary cannot be invoked: access denied (InvokeCommand refused)`,
      ]);
      expect(r.vantage).toMatchObject({ region: r.region, latency: null, global: null });
    }
    expect(report.notes).toEqual([]);
  });

  it('a hosted zone that cannot be read is a stage-wide note, and the latency records say why they are unknown', async () => {
    const ctx = h.context();
    const aws = await ctx.aws();
    const route53 = new Proxy(aws.route53(), {
      get: (target, prop, receiver) =>
        prop === 'send'
          ? (cmd: { constructor: { name: string } }) =>
              cmd.constructor.name === 'ListHostedZonesByNameCommand' ? Promise.reject(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' })) : (target as any).send(cmd)
          : Reflect.get(target, prop, receiver),
    });
    const clients = { endpoint: aws.endpoint, cloudFormation: (r: string) => aws.cloudFormation(r), cloudWatch: (r: string) => aws.cloudWatch(r), route53: () => route53 } as unknown as AwsProvider;
    const report = await regionStatus({ config: await ctx.loadConfig(), clients, io: ctx.io, dnsPort: h.cloud.dnsPort });
    expect(report.notes).toEqual(['the hosted zone shop.example cannot be read: access denied (not allowed)']);
    // us-west-2 lost its service stack in the test before; the regions that have one say why DNS is unknown.
    const served = report.regions.filter((r) => r.serviceStackStatus !== 'NOT_DEPLOYED');
    expect(served.map((r) => r.region)).toEqual(['us-east-1']);
    for (const r of served) {
      expect(r).toMatchObject({ healthy: false, latencyRecord: null, dns: { answeredBy: null } });
      expect(r.reasons, JSON.stringify(r)).toContain('the latency record cannot be read (zone shop.example: the hosted zone shop.example cannot be read: access denied (not allowed))');
    }
  });
});
