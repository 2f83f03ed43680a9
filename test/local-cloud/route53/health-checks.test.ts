// HTTP(S) and CALCULATED health checks on the virtual clock, through the real SDK.
import { CreateHealthCheckCommand, GetHealthCheckStatusCommand, Route53Client, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createRoute53Service, type Route53Domain } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { FakeApis, fakeApiGateway } from './fake-services.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const clock = new ManualClock();
const apis = new FakeApis();
let cloud: LocalCloud;
let r53: Route53Client;
let domain: Route53Domain;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock, services: [fakeApiGateway(apis), createRoute53Service] });
  r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
  domain = cloud.service('route53');
});

afterAll(async () => {
  r53.destroy();
  await cloud.close();
});

async function httpCheck(apiId: string, opts: { interval?: 10 | 30; threshold?: number; regions?: string[]; search?: string } = {}): Promise<string> {
  const hc = await r53.send(
    new CreateHealthCheckCommand({
      CallerReference: `http-${apiId}-${Math.random()}`,
      HealthCheckConfig: {
        Type: opts.search ? 'HTTPS_STR_MATCH' : 'HTTPS',
        FullyQualifiedDomainName: `${apiId}.execute-api.us-east-1.amazonaws.com`,
        ResourcePath: '/prod/check',
        RequestInterval: opts.interval ?? 10,
        FailureThreshold: opts.threshold ?? 3,
        Regions: opts.regions as never,
        SearchString: opts.search,
      },
    }),
  );
  return hc.HealthCheck!.Id!;
}

describe('HTTP health checks', () => {
  it('flips after FailureThreshold consecutive failures per checker, and reports observations', async () => {
    apis.status.set('api0000001', 200);
    const id = await httpCheck('api0000001', { interval: 10, threshold: 3 });
    await clock.advance(10_000);
    const status = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    expect(status.HealthCheckObservations).toHaveLength(8);
    expect(status.HealthCheckObservations![0].StatusReport?.Status).toBe('Success: HTTP Status Code 200, OK');
    apis.status.set('api0000001', 503);
    await clock.advance(20_000); // two failures per checker
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
    await clock.advance(10_000); // the third
    expect(domain.healthCheckStatus(id)).toBe('Unhealthy');
    const failing = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    expect(failing.HealthCheckObservations![0].StatusReport?.Status).toBe('Failure: HTTP Status Code 503, Service Unavailable');
    apis.status.set('api0000001', 200);
    await clock.advance(30_000);
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
  });

  it('is healthy only while MORE than 18% of checkers say so', async () => {
    apis.status.set('api0000002', 200);
    const id = await httpCheck('api0000002', { interval: 30, threshold: 1 });
    const hc = domain.healthChecks.get(id);
    // 8 checkers: 1 healthy is 12.5%, 2 healthy is 25%.
    const regions = Object.keys(hc.checkers);
    regions.forEach((r, i) => (hc.checkers[r].healthy = i < 2));
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
    hc.checkers[regions[1]].healthy = false;
    expect(domain.healthCheckStatus(id)).toBe('Unhealthy');
    await clock.advance(30_000); // every checker probes once: threshold 1 → all healthy
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
  });

  it('staggers checkers evenly over the interval', async () => {
    apis.status.set('api0000003', 200);
    const id = await httpCheck('api0000003', { interval: 30, threshold: 1, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'] });
    await clock.advance(10_000);
    const seen = (await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).HealthCheckObservations!;
    expect(seen.map((o) => o.Region)).toEqual(['us-east-1']);
    await clock.advance(20_000);
    expect((await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }))).HealthCheckObservations).toHaveLength(3);
  });

  it('matches the search string in the body', async () => {
    apis.status.set('api0000004', 200);
    apis.body = 'all good';
    const id = await httpCheck('api0000004', { threshold: 1, search: 'nope' });
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(id)).toBe('Unhealthy');
    apis.body = 'nope, fine';
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
    apis.body = 'ok';
  });

  it('fails when the endpoint region is down (local cloud fault)', async () => {
    apis.status.set('api0000005', 200);
    const id = await httpCheck('api0000005', { threshold: 1 });
    cloud.faults.regionOutages.add('us-east-1');
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(id)).toBe('Unhealthy');
    cloud.faults.regionOutages.delete('us-east-1');
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
  });
});

describe('CALCULATED, Inverted and Disabled', () => {
  it('is healthy when at least HealthThreshold children are', async () => {
    apis.status.set('child00001', 200);
    apis.status.set('child00002', 200);
    const a = await httpCheck('child00001', { threshold: 1 });
    const b = await httpCheck('child00002', { threshold: 1 });
    const parent = await r53.send(
      new CreateHealthCheckCommand({ CallerReference: 'calc', HealthCheckConfig: { Type: 'CALCULATED', ChildHealthChecks: [a, b], HealthThreshold: 2 } }),
    );
    const id = parent.HealthCheck!.Id!;
    expect(parent.HealthCheck?.HealthCheckConfig?.ChildHealthChecks).toEqual([a, b]);
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
    apis.status.set('child00002', 500);
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(id)).toBe('Unhealthy');
    await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, HealthThreshold: 1 }));
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
    await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: b, Inverted: true }));
    expect(domain.healthCheckStatus(b)).toBe('Healthy');
    await r53.send(new UpdateHealthCheckCommand({ HealthCheckId: a, Disabled: true }));
    apis.status.set('child00001', 500);
    await clock.advance(10_000);
    expect(domain.healthCheckStatus(a)).toBe('Healthy');
  });
});

describe('HTTP checks on names in local hosted zones', () => {
  it('resolves the name from each checker region and probes the chosen target', async () => {
    apis.status.set('near000001', 200);
    apis.status.set('far0000001', 500);
    const { zone } = domain.zones.create({ name: 'probe.example.com', callerReference: 'probe-zone' });
    domain.zones.change(
      zone.id,
      [['us-east-1', 'near000001'], ['ap-southeast-2', 'far0000001']].map(([region, api]) => ({
        action: 'CREATE' as const,
        record: { name: 'api.probe.example.com.', type: 'A', setIdentifier: region, region, alias: { hostedZoneId: 'Z', dnsName: `${api}.execute-api.${region}.amazonaws.com.`, evaluateTargetHealth: false } },
      })),
    );
    const id = domain.createHealthCheck('by-name', { Type: 'HTTPS', FullyQualifiedDomainName: 'api.probe.example.com', ResourcePath: '/prod/check', RequestInterval: 10, FailureThreshold: 1, Port: 443 });
    await clock.advance(10_000);
    const byRegion = Object.fromEntries(domain.healthChecks.observations(id).map((o) => [o.region, o.status]));
    expect(byRegion['us-east-1']).toBe('Success: HTTP Status Code 200, OK');
    expect(byRegion['ap-southeast-2']).toBe('Failure: HTTP Status Code 500, Internal Server Error');
    // 2 of 8 checkers (Sydney, Singapore) are nearer the failing region: 6/8 healthy.
    expect(domain.healthCheckStatus(id)).toBe('Healthy');
  });
});
