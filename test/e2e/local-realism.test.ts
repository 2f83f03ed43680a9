import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  Route53Client,
  TestDNSAnswerCommand,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, describeExit, ensureBuilt, isAlive, jsonOf, regionctl } from './regionctl.js';

// `regionctl local start --realism aws --client-location none` through bin/regionctl: the daemon
// runs with AWS's timing and location rules; bad values are usage errors before anything starts.
const dir = mkdtempSync(join(tmpdir(), 'regionctl-e2e-realism-'));
const env = cleanEnv(dir);
let pid: number | undefined;
let url = '';
let port = 0;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  await ensureBuilt();
}, 300_000);
afterAll(async () => {
  await regionctl(['local', 'stop'], { cwd: dir, env });
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('local start --realism / --client-location', () => {
  it('starts a daemon with AWS timing and no location for private subnets', async () => {
    const started = jsonOf(await regionctl(['local', 'start', '--realism', 'aws', '--client-location', 'none', '--rest-after', 'never', '--port', '0', '--dns-port', '0', '--json'], { cwd: dir, env }));
    ({ pid, url, port } = started);
    const health = await (await fetch(`${started.url}/_localcloud/health`)).json();
    // --rest-after never: the clock keeps its time scale with no client (rest.ts).
    expect(health).toMatchObject({ realism: 'aws', clientLocation: 'none', timeScale: 60, rest: null });
    expect(jsonOf(await regionctl(['local', 'status', '--port', String(started.port), '--json'], { cwd: dir, env }))).toMatchObject({ restAfterSeconds: null });
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: started.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const zone = (await r53.send(new CreateHostedZoneCommand({ Name: 'e2e.realism.dev', CallerReference: 'e2e' }))).HostedZone!.Id!;
    const change = await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: ['us-east-1', 'eu-west-1'].map((region, i) => ({
            Action: 'CREATE' as const,
            ResourceRecordSet: { Name: 'api.e2e.realism.dev', Type: 'A' as const, SetIdentifier: region, Region: region as 'us-east-1', TTL: 60, ResourceRecords: [{ Value: `192.0.2.${i + 1}` }] },
          })),
        },
      }),
    );
    expect((await r53.send(new GetChangeCommand({ Id: change.ChangeInfo!.Id }))).ChangeInfo?.Status).toBe('PENDING');
    const answer = async (subnet: string) =>
      (await r53.send(new TestDNSAnswerCommand({ HostedZoneId: zone, RecordName: 'api.e2e.realism.dev', RecordType: 'A', EDNS0ClientSubnetIP: subnet }))).RecordData;
    // 10.5 is eu-west-1's subnet in the default mode; with none it carries no location (us-east-1's answer).
    expect(await answer('10.5.0.1')).toEqual(['192.0.2.1']);
    expect(await answer('52.208.0.1')).toEqual(['192.0.2.2']); // eu-west-1's published prefix
    // Leave the cloud empty for the deploy below (the zone's records go first, as on AWS).
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: ['us-east-1', 'eu-west-1'].map((region, i) => ({
            Action: 'DELETE' as const,
            ResourceRecordSet: { Name: 'api.e2e.realism.dev', Type: 'A' as const, SetIdentifier: region, Region: region as 'us-east-1', TTL: 60, ResourceRecords: [{ Value: `192.0.2.${i + 1}` }] },
          })),
        },
      }),
    );
    await r53.send(new DeleteHostedZoneCommand({ Id: zone }));
    r53.destroy();
  });

  // Issue 9: the ACM validation CNAME CloudFormation writes stayed in the zone after the
  // certificate went, so deleting the zone answered HostedZoneNotEmpty on AWS.
  it('deploy and destroy with dns.createZone under AWS timing: the zone and everything else are gone', async () => {
    writeFileSync(join(dir, 'regionctl.yml'), 'service: shop\nstage: e2e\nregions: [us-east-1]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.realism.dev\n  createZone: true\n');
    const stage = async (args: string[]) => {
      const exit = await regionctl([...args, '--endpoint', url, '--json'], { cwd: dir, env, timeoutMs: 300_000 });
      expect(exit.code, describeExit(args, exit)).toBe(0);
      return jsonOf(exit);
    };
    expect((await stage(['deploy'])).ok).toBe(true);
    const destroyed = await stage(['destroy', '--yes']);
    expect(destroyed.ok).toBe(true);
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: url, credentials });
    expect((await r53.send(new ListHostedZonesByNameCommand({}))).HostedZones ?? []).toEqual([]);
    const acm = new ACMClient({ region: 'us-east-1', endpoint: url, credentials });
    expect((await acm.send(new ListCertificatesCommand({}))).CertificateSummaryList ?? []).toEqual([]);
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: url, credentials });
    const live = ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((st) => st.StackStatus !== 'DELETE_COMPLETE');
    expect(live.map((st) => st.StackName)).toEqual([]);
    for (const c of [r53, acm, cfn]) c.destroy();
    expect(port).toBeGreaterThan(0);
  }, 400_000);

  it('refuses config that never fires on AWS before touching anything: exit 2, the reason and the fix', async () => {
    const cfgDir = mkdtempSync(join(tmpdir(), 'regionctl-e2e-config-'));
    try {
      for (const [alarm, reason, hint] of [
        ['dimension: false', /healthCheck\.alarm\.dimension: cannot be false: API Gateway publishes 5XXError only per ApiName/, /hint: remove healthCheck\.alarm\.dimension/],
        ['period: 30', /healthCheck\.alarm\.period: must be a multiple of 60: API Gateway publishes 5XXError once a minute/, /hint: use period: 60/],
        ['period: 10', /healthCheck\.alarm\.period: must be a multiple of 60/, /hint: use period: 60/],
      ] as const) {
        writeFileSync(join(cfgDir, 'regionctl.yml'), `service: shop\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    ${alarm}\n`);
        for (const args of [['synth'], ['deploy', '--endpoint', url]]) {
          const bad = await regionctl(args, { cwd: cfgDir, env: cleanEnv(cfgDir) });
          expect(bad.code, describeExit(args, bad)).toBe(2);
          expect(bad.stderr).toMatch(/^error: regionctl\.yml:5: /);
          expect(bad.stderr).toMatch(reason);
          expect(bad.stderr).toMatch(hint);
          expect(bad.stderr).not.toMatch(/\n\s+at /);
        }
      }
    } finally {
      rmSync(cfgDir, { recursive: true, force: true });
    }
  });

  it('refuses unknown values with exit 2, naming the choices', async () => {
    for (const [flag, value, choices] of [['--realism', 'slow', 'fast, aws'], ['--client-location', 'mars', 'subnets, none']]) {
      const bad = await regionctl(['local', 'start', flag, value, '--port', '0'], { cwd: dir, env });
      expect(bad.code, describeExit(['local', 'start', flag, value], bad)).toBe(2);
      expect(bad.stderr).toContain(choices);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
