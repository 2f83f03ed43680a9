import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { clientsFor, credentials, testConfig } from './helpers.js';

// Issue 9: a zone nobody delegates to (the init default regionctl.local, or a zone whose parent
// names other name servers) can never validate the certificates the stacks request on AWS: the
// service stack waited for validation until it timed out. doctor says so, and what to do, before.
let aws: LocalCloud;
let fast: LocalCloud;
let a: ReturnType<typeof clientsFor>;
let f: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  aws = await startLocalCloud({ port: 0, clock: new ManualClock(), realism: 'aws' });
  fast = await startLocalCloud({ port: 0, clock: new ManualClock() });
  a = clientsFor(aws.url);
  f = clientsFor(fast.url);
});
afterAll(async () => {
  a?.close();
  f?.close();
  await aws?.close();
  await fast?.close();
});

const REGIONS = ['us-east-1', 'eu-west-1'];
const finding = (report: Awaited<ReturnType<typeof runDoctor>>, check: string, region = 'global') => report.findings.find((x) => x.check === check && x.region === region);

describe('doctor: delegation and certificates that cannot validate', () => {
  it('a reserved zone (the init default regionctl.local) fails under AWS rules, with the fix, and the certificates with it', async () => {
    const report = await runDoctor({ config: testConfig({ regions: REGIONS, dns: { zone: 'regionctl.local', createZone: true } }), clients: a.clients });
    expect(report.ok).toBe(false);
    expect(finding(report, 'delegation')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^regionctl\.local\. is under a reserved name .* certificates validated through it are never issued/), fix: expect.stringContaining('dns.zone') });
    for (const region of REGIONS) {
      expect(finding(report, 'certificate', region)).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('test-shop.regionctl.local validated through regionctl.local, which the public DNS does not reach'),
        fix: expect.stringContaining(`dns.certificateArn.${region}`),
      });
    }
  });

  it('the same config passes on the default (fast) local cloud, which issues at once, and says what AWS would do', async () => {
    const report = await runDoctor({ config: testConfig({ regions: REGIONS, dns: { zone: 'regionctl.local', createZone: true } }), clients: f.clients });
    expect(report.ok).toBe(true);
    expect(finding(report, 'delegation')).toMatchObject({ status: 'pass', message: expect.stringContaining('on AWS this fails') });
    expect(finding(report, 'certificate', 'us-east-1')).toMatchObject({ status: 'pass' });
  });

  it('a zone whose parent delegates to other name servers fails, naming both sets; fixing the parent makes it pass', async () => {
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: aws.url, credentials });
    const parent = (await r53.send(new CreateHostedZoneCommand({ Name: 'realism.dev', CallerReference: 'parent' }))).HostedZone!.Id!;
    const child = (await r53.send(new CreateHostedZoneCommand({ Name: 'shop.realism.dev', CallerReference: 'child' }))).HostedZone!.Id!;
    const own = (await r53.send(new GetHostedZoneCommand({ Id: child }))).DelegationSet!.NameServers!;
    const delegate = (values: string[]) =>
      r53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: parent,
          ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'shop.realism.dev', Type: 'NS', TTL: 300, ResourceRecords: values.map((Value) => ({ Value })) } }] },
        }),
      );
    await delegate(['ns-1.old-provider.net', 'ns-2.old-provider.net']);
    const config = testConfig({ regions: REGIONS, dns: { zone: 'shop.realism.dev', createZone: false } });
    const before = await runDoctor({ config, clients: a.clients });
    expect(before.ok).toBe(false);
    expect(finding(before, 'hosted-zone')).toMatchObject({ status: 'pass' });
    expect(finding(before, 'delegation')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('shop.realism.dev is not delegated: the parent zone realism.dev. has no NS records for shop.realism.dev. listing its name servers'),
      fix: `at shop.realism.dev's registrar (or with NS records for shop.realism.dev in its parent zone), set its name servers to ${own.map((n) => n.toLowerCase()).sort().join(', ')}`,
    });
    expect(finding(before, 'certificate', 'eu-west-1')).toMatchObject({ status: 'fail' });

    await delegate(own);
    const after = await runDoctor({ config, clients: a.clients });
    expect(finding(after, 'delegation')).toMatchObject({ status: 'pass', message: expect.stringMatching(/^shop\.realism\.dev is delegated to its hosted zone's name servers/) });
    expect(finding(after, 'certificate', 'eu-west-1')).toMatchObject({ status: 'pass' });
    expect(after.ok).toBe(true);
    r53.destroy();
  });

  it('a registrable zone the dns stack will create passes where the registry delegates new zones', async () => {
    const report = await runDoctor({ config: testConfig({ regions: ['us-east-1'], dns: { zone: 'orders.realism.app', createZone: true } }), clients: a.clients });
    expect(finding(report, 'delegation')).toMatchObject({ status: 'pass', message: expect.stringContaining('registry delegates it') });
    expect(report.ok).toBe(true);
  });

  it('deploy\'s preflight does not ask (it runs the cheap checks only)', async () => {
    const { preflight } = await import('../../src/doctor/doctor.js');
    const findings = await preflight({ config: testConfig({ regions: ['us-east-1'], dns: { zone: 'regionctl.local', createZone: true } }), aws: a.aws });
    expect(findings.map((x) => x.check)).not.toContain('delegation');
  });
});
