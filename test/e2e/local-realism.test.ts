import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, GetChangeCommand, Route53Client, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, describeExit, ensureBuilt, isAlive, jsonOf, regionctl } from './regionctl.js';

// `regionctl local start --realism aws --client-location none` through bin/regionctl: the daemon
// runs with AWS's timing and location rules; bad values are usage errors before anything starts.
const dir = mkdtempSync(join(tmpdir(), 'regionctl-e2e-realism-'));
const env = cleanEnv(dir);
let pid: number | undefined;

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
    pid = started.pid;
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
    r53.destroy();
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
