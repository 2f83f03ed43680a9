import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { skipWithoutTool } from '../support/require-tool.js';

// The local DNS server, queried by dig (BIND's resolver library): if dig parses the answers,
// flags and rcodes, the packets are right. Records are written through the Route 53 API.
const probe = spawnSync('dig', ['-v'], { encoding: 'utf8' });
const missing = probe.error ? 'dig is not installed (apt-get install bind9-dnsutils)' : undefined;
const skip = skipWithoutTool('dig', missing);

function dig(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args], { timeout: 10_000 }, (error, stdout) => {
      // dig exits 9 when no server answered; everything else is an answer to inspect.
      if (error && error.code === 9) return reject(new Error(`no DNS answer: ${stdout}`));
      resolve(stdout);
    });
  });
}
const status = (out: string) => /status: (\w+)/.exec(out)?.[1];
const answers = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith(';'))
    .map((l) => l.split(/\s+/).filter(Boolean));

describe.skipIf(skip)('dig against the local DNS server', () => {
  let cloud: LocalCloud;
  let port: number;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), dnsPort: 0 });
    if (cloud.dnsPort === undefined) throw new Error('the local cloud did not start its DNS server');
    port = cloud.dnsPort;
    const r53 = new Route53Client({ region: 'us-east-1', endpoint: cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'conformance.test', CallerReference: 'dig-suite' }));
    const record = (Name: string, Type: 'A' | 'AAAA' | 'CNAME' | 'TXT', Value: string) => ({
      Action: 'UPSERT' as const,
      ResourceRecordSet: { Name, Type, TTL: 60, ResourceRecords: [{ Value }] },
    });
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone!.Id,
        ChangeBatch: {
          Changes: [
            record('api.conformance.test', 'A', '192.0.2.10'),
            record('api.conformance.test', 'AAAA', '2001:db8::10'),
            record('www.conformance.test', 'CNAME', 'api.conformance.test'),
            record('txt.conformance.test', 'TXT', '"regionctl=yes"'),
          ],
        },
      }),
    );
    r53.destroy();
  });
  afterAll(async () => cloud?.close());

  it('answers A and AAAA records authoritatively with their TTL', async () => {
    const [a, aaaa] = await Promise.all([dig(port, ['api.conformance.test', 'A', '+noall', '+answer', '+comments']), dig(port, ['api.conformance.test', 'AAAA', '+noall', '+answer'])]);
    expect(status(a)).toBe('NOERROR');
    expect(a).toMatch(/flags: qr aa/);
    expect(answers(a)).toEqual([['api.conformance.test.', '60', 'IN', 'A', '192.0.2.10']]);
    expect(answers(aaaa)).toEqual([['api.conformance.test.', '60', 'IN', 'AAAA', '2001:db8::10']]);
  });

  it('follows an in-zone CNAME in the answer section, and serves TXT', async () => {
    const [cname, txt] = await Promise.all([dig(port, ['www.conformance.test', 'A', '+noall', '+answer']), dig(port, ['txt.conformance.test', 'TXT', '+short'])]);
    expect(answers(cname)).toEqual([
      ['www.conformance.test.', '60', 'IN', 'CNAME', 'api.conformance.test.'],
      ['api.conformance.test.', '60', 'IN', 'A', '192.0.2.10'],
    ]);
    expect(txt.trim()).toBe('"regionctl=yes"');
  });

  it('serves the zone apex SOA and NS that Route 53 created', async () => {
    const [soa, ns] = await Promise.all([dig(port, ['conformance.test', 'SOA', '+short']), dig(port, ['conformance.test', 'NS', '+short'])]);
    expect(soa.trim().split(/\s+/)).toHaveLength(7);
    expect(ns.trim().split('\n').length).toBeGreaterThanOrEqual(1);
  });

  it('NXDOMAIN with the SOA for unknown names in the zone; REFUSED outside every zone', async () => {
    const [nx, outside] = await Promise.all([dig(port, ['nope.conformance.test', 'A', '+noall', '+comments', '+authority']), dig(port, ['example.com', 'A', '+noall', '+comments'])]);
    expect(status(nx)).toBe('NXDOMAIN');
    expect(answers(nx)[0]).toEqual(expect.arrayContaining(['conformance.test.', 'SOA']));
    expect(status(outside)).toBe('REFUSED');
  });

  it('NOERROR with an empty answer for a type the name lacks (NODATA)', async () => {
    const nodata = await dig(port, ['api.conformance.test', 'TXT', '+noall', '+comments', '+answer']);
    expect(status(nodata)).toBe('NOERROR');
    expect(answers(nodata)).toEqual([]);
  });
});
