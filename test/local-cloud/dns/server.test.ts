// The UDP DNS server answering from Route 53 data: a real dgram client, and dig when installed.
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { FakeAlarms, fakeMonitoring } from '../route53/fake-services.js';
import { skipWithoutTool } from '../../support/require-tool.js';

const alarms = new FakeAlarms();
let cloud: LocalCloud;
let port: number;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dnsPort: 0, clock: new ManualClock(), services: [fakeMonitoring(alarms), createRoute53Service] });
  port = cloud.dnsPort!;
  const r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const zone = (await r53.send(new CreateHostedZoneCommand({ Name: 'dns.example.com', CallerReference: 'dns' }))).HostedZone!.Id!;
  const changes = [];
  for (const region of REGIONS) {
    const hc = await r53.send(new CreateHealthCheckCommand({ CallerReference: region, HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Region: region as never, Name: 'a' } } }));
    alarms.set(region, 'a', 'OK');
    changes.push({
      Action: 'CREATE' as const,
      ResourceRecordSet: {
        Name: 'api.dns.example.com',
        Type: 'A' as const,
        SetIdentifier: `Region=${region}`,
        Region: region as never,
        AliasTarget: { HostedZoneId: 'Z1UJRXOUMOOFQ8', DNSName: `abcdefghij.execute-api.${region}.amazonaws.com`, EvaluateTargetHealth: false },
        HealthCheckId: hc.HealthCheck!.Id,
      },
    });
  }
  changes.push({ Action: 'CREATE' as const, ResourceRecordSet: { Name: 'www.dns.example.com', Type: 'CNAME' as const, TTL: 300, ResourceRecords: [{ Value: 'api.dns.example.com' }] } });
  changes.push({ Action: 'CREATE' as const, ResourceRecordSet: { Name: 'dns.example.com', Type: 'TXT' as const, TTL: 300, ResourceRecords: [{ Value: '"hello world"' }] } });
  await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: changes } }));
  r53.destroy();
});

afterAll(async () => {
  await cloud.close();
});

/** What dns-packet decodes (its typings omit rcode and the per-type data union). */
interface Reply {
  id?: number;
  rcode: string;
  flag_aa: boolean;
  answers?: Array<{ type: string; data: any }>;
  authorities?: Array<{ type: string; data: any }>;
  additionals?: Array<{ type: string; options?: any[] }>;
}

function query(name: string, type: string, subnet?: string): Promise<Reply> {
  const packet: dnsPacket.Packet = {
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: type as 'A', name }],
    additionals: subnet
      ? [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [{ code: 8, family: 1, sourcePrefixLength: 16, scopePrefixLength: 0, ip: subnet }] } as never]
      : [],
  };
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('message', (msg) => {
      socket.close();
      resolve(dnsPacket.decode(msg) as unknown as Reply);
    });
    socket.once('error', reject);
    socket.send(dnsPacket.encode(packet), port, '127.0.0.1');
  });
}

const addresses = (p: Reply) => (p.answers ?? []).filter((a) => a.type === 'A').map((a) => a.data);

describe('DNS over UDP', () => {
  it('answers latency records per EDNS client subnet and echoes the subnet with a scope', async () => {
    const eu = await query('api.dns.example.com', 'A', '10.5.0.0');
    expect(eu.id).toBe(4242);
    expect(eu.rcode).toBe('NOERROR');
    expect(eu.flag_aa).toBe(true);
    expect(addresses(eu)).toEqual(['127.1.5.1']);
    const opt = eu.additionals?.find((a) => a.type === 'OPT');
    expect(opt?.options?.[0]).toMatchObject({ code: 8, sourcePrefixLength: 16, scopePrefixLength: 16 });
    expect(addresses(await query('api.dns.example.com', 'A', '10.2.0.0'))).toEqual(['127.1.3.1']); // us-west-1 → us-west-2
    expect(addresses(await query('api.dns.example.com', 'A'))).toEqual(['127.1.0.1']); // loopback client → first region
  });

  it('fails over when the nearest region turns unhealthy', async () => {
    alarms.set('eu-west-1', 'a', 'ALARM');
    expect(addresses(await query('api.dns.example.com', 'A', '10.5.0.0'))).toEqual(['127.1.0.1']);
    alarms.set('eu-west-1', 'a', 'OK');
    expect(addresses(await query('api.dns.example.com', 'A', '10.5.0.0'))).toEqual(['127.1.5.1']);
  });

  it('follows CNAMEs, answers TXT and SOA, NXDOMAIN inside zones and REFUSED outside', async () => {
    const www = await query('www.dns.example.com', 'A', '10.5.0.0');
    expect(www.answers?.map((a) => `${a.type} ${a.data}`)).toEqual(['CNAME api.dns.example.com', 'A 127.1.5.1']);
    const txt = await query('dns.example.com', 'TXT');
    expect((txt.answers?.[0].data as Buffer[]).map(String)).toEqual(['hello world']);
    const soa = await query('dns.example.com', 'SOA');
    expect(soa.answers?.[0]).toMatchObject({ type: 'SOA', data: { rname: 'awsdns-hostmaster.amazon.com' } });
    const nx = await query('missing.dns.example.com', 'A');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authorities?.[0].type).toBe('SOA');
    expect((await query('example.org', 'A')).rcode).toBe('REFUSED');
  });

  const noDig = skipWithoutTool('dig', spawnSync('dig', ['-v']).error ? 'dig is not installed (apt-get install -y bind9-dnsutils)' : undefined);
  // dig runs asynchronously: a synchronous child would block the server living in this process.
  const run = async (args: string[]) => (await promisify(execFile)('dig', args)).stdout;
  it.skipIf(noDig)('answers dig with +subnet', async () => {
    const out = (await run(['@127.0.0.1', '-p', String(port), '+subnet=10.3.0.0/16', '+short', '+tries=1', '+time=2', 'api.dns.example.com'])).trim();
    expect(out).toBe('127.1.3.1');
    const full = await run(['@127.0.0.1', '-p', String(port), '+subnet=10.11.0.0/16', '+tries=1', '+time=2', 'api.dns.example.com']);
    expect(full).toContain('CLIENT-SUBNET: 10.11.0.0/16/16');
    expect(full).toMatch(/api\.dns\.example\.com\.\s+60\s+IN\s+A\s+127\.1\.3\.1/); // Tokyo's nearest of the three: Oregon
  });
});
