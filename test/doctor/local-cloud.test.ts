import { AccountClient, DisableRegionCommand } from '@aws-sdk/client-account';
import { CreateHealthCheckCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preflight, runDoctor } from '../../src/doctor/doctor.js';
import { TRANSITION_MS } from '../../src/local-cloud/account/domain.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { clientsFor, credentials, testConfig } from './helpers.js';

let cloud: LocalCloud;
let clock: ManualClock;
let c: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock });
  c = clientsFor(cloud.url);
});

afterAll(async () => {
  c?.close();
  await cloud?.close();
});

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

describe('doctor against the local cloud', () => {
  it('passes on a fresh local cloud (the demo config, where regionctl creates the zone)', async () => {
    const config = testConfig({ regions: REGIONS, dns: { createZone: true } });
    const report = await runDoctor({ config, clients: c.clients });
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(report.ok).toBe(true);
    for (const region of REGIONS) {
      expect(report.findings).toContainEqual(expect.objectContaining({ region, check: 'credentials', status: 'pass', message: expect.stringContaining('000000000000') }));
      expect(report.findings).toContainEqual(expect.objectContaining({ region, check: 'region-enabled', status: 'pass' }));
      // The local cloud has no Service Quotas: the check says so and uses AWS's documented default.
      expect(report.findings).toContainEqual(expect.objectContaining({
        region,
        check: 'rest-api-quota',
        status: 'pass',
        message: "API Gateway regional REST APIs: 0 used + 2 to create = 2 of 600 (the endpoint does not implement Service Quotas (regionctl's local cloud does not); assumed AWS's documented default of 600)",
      }));
      expect(report.findings).toContainEqual(expect.objectContaining({ region, check: 'stack-quota', status: 'pass', message: expect.stringMatching(/ of 2000$/) }));
      expect(report.findings).toContainEqual(expect.objectContaining({ region, check: 'lambda-quota', status: 'pass', message: expect.stringContaining('concurrency 1000') }));
      // No ARN configured: the stack requests one, which is information, not a problem.
      expect(report.findings).toContainEqual(expect.objectContaining({ region, check: 'certificate', status: 'pass', message: expect.stringContaining('test-shop.regionctl.local') }));
    }
    expect(report.findings.find((f) => f.check === 'hosted-zone')).toMatchObject({ region: 'global', status: 'pass' });
    expect(report.findings.find((f) => f.check === 'health-check-quota')).toMatchObject({ region: 'global', status: 'pass', message: expect.stringMatching(/ of 200$/) });
    expect(report.findings.filter((f) => f.status === 'warn')).toEqual([]);
  });

  it('passes the quota checks instead of warning that it could not check them', async () => {
    // DescribeAccountLimits, GetAccountSettings and GetAccountLimit exist in the local cloud, so nothing is left unchecked.
    const config = testConfig({ regions: ['us-west-2'], dns: { createZone: true } });
    const report = await runDoctor({ config, clients: c.clients });
    expect(report.findings.filter((f) => f.status === 'warn')).toEqual([]);
    expect(report.findings.find((f) => f.check === 'stack-quota')).toEqual({
      region: 'us-west-2',
      check: 'stack-quota',
      status: 'pass',
      // toolkit, health, service, and the dns stack, which lives in the primary region.
      message: 'CloudFormation stacks: 0 used + 4 to create = 4 of 2000',
    });
    expect(report.findings.find((f) => f.check === 'lambda-quota')).toEqual({
      region: 'us-west-2',
      check: 'lambda-quota',
      status: 'pass',
      message: 'Lambda: 0 function(s), code storage 0 MB of 75.0 GB, concurrency 1000',
    });
    expect(report.findings.find((f) => f.check === 'health-check-quota')).toEqual({
      region: 'global',
      check: 'health-check-quota',
      status: 'pass',
      message: 'Route 53 health checks: 0 used + 1 to create = 1 of 200',
    });
  });

  it('counts the health checks that already exist against the Route 53 quota', async () => {
    const r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
    for (const ref of ['doctor-hc-1', 'doctor-hc-2', 'doctor-hc-3']) {
      await r53.send(new CreateHealthCheckCommand({ CallerReference: ref, HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: `${ref}.example.com`, ResourcePath: '/' } }));
    }
    r53.destroy();
    const config = testConfig({ regions: ['us-east-1', 'eu-west-1'], dns: { createZone: true } });
    const report = await runDoctor({ config, clients: c.clients });
    expect(report.findings.find((f) => f.check === 'health-check-quota')).toMatchObject({
      status: 'pass',
      message: 'Route 53 health checks: 3 used + 2 to create = 5 of 200',
    });
  });

  it('fails a disabled opt-in region with the command that enables it', async () => {
    const account = new AccountClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    await account.send(new DisableRegionCommand({ RegionName: 'eu-south-1' }));
    account.destroy();
    const config = testConfig({ regions: ['us-east-1', 'eu-south-1'], dns: { createZone: true } });

    const disabling = await runDoctor({ config, clients: c.clients });
    expect(disabling.findings.find((f) => f.region === 'eu-south-1' && f.check === 'region-enabled')).toMatchObject({ status: 'fail', message: expect.stringContaining('DISABLING') });

    await clock.advance(TRANSITION_MS);
    const report = await runDoctor({ config, clients: c.clients });
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.region === 'eu-south-1' && f.check === 'region-enabled')).toEqual({
      region: 'eu-south-1',
      check: 'region-enabled',
      status: 'fail',
      message: 'region is DISABLED: nothing can be deployed there',
      fix: 'enable it (aws account enable-region --region-name eu-south-1) and wait until it is ENABLED, or remove eu-south-1 from regions in regionctl.yml',
    });
    expect(report.findings.find((f) => f.region === 'us-east-1' && f.check === 'region-enabled')?.status).toBe('pass');
  });

  it('fails a certificate configured from another region, before asking ACM', async () => {
    const arn = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';
    const config = testConfig({ regions: ['us-east-1', 'us-west-2'], dns: { createZone: true, certificateArn: { 'us-west-2': arn } } });
    const report = await runDoctor({ config, clients: c.clients });
    const finding = report.findings.find((f) => f.region === 'us-west-2' && f.check === 'certificate');
    expect(finding).toMatchObject({
      status: 'fail',
      message: `certificate ${arn} is in us-east-1, but API Gateway regional custom domains only accept a certificate from their own region (us-west-2)`,
    });
    expect(finding?.fix).toContain('aws acm request-certificate --region us-west-2 --domain-name test-shop.regionctl.local');
    expect(report.ok).toBe(false);
  });

  it('preflight runs only the cheap checks', async () => {
    const config = testConfig({ regions: ['us-east-1', 'us-west-2'], dns: { createZone: true } });
    const findings = await preflight({ config, aws: c.aws });
    expect(new Set(findings.map((f) => f.check))).toEqual(new Set(['credentials', 'region-enabled', 'hosted-zone']));
  });

  it('reports unreachable endpoints as a credentials failure per region and skips the rest', async () => {
    const dead = clientsFor('http://127.0.0.1:1');
    try {
      const report = await runDoctor({ config: testConfig({ regions: ['us-east-1'] }), clients: dead.clients });
      expect(report.ok).toBe(false);
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({ region: 'us-east-1', check: 'credentials', status: 'fail' });
    } finally {
      dead.close();
    }
  });
});
