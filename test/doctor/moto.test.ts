import { spawn, type ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import { clientsFor, credentials, testConfig } from './helpers.js';
import { skipWithoutTool } from '../support/require-tool.js';

// moto is an independent AWS implementation (Route 53, STS, ACM, DynamoDB, CloudFormation): the doctor's
// requests must be accepted there and its verdicts must hold.
const MOTO = !skipWithoutTool('moto', spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0 ? undefined : 'python3 -m moto.server is not available (pip install "moto[server]")');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

let moto: ChildProcess | undefined;
let endpoint = '';

beforeAll(async () => {
  if (!MOTO) return;
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  // Bounded wait for the server to listen.
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('moto.server did not start within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 30_000);

afterAll(() => {
  moto?.kill();
});

describe.skipIf(!MOTO)('doctor against moto', () => {
  it('fails with the exact fix when the hosted zone does not exist', async () => {
    const c = clientsFor(endpoint);
    try {
      const config = testConfig({ regions: ['us-east-1', 'us-west-2'], dns: { zone: 'example.com' } });
      const report = await runDoctor({ config, clients: c.clients });
      expect(report.ok).toBe(false);
      expect(report.findings.find((f) => f.check === 'hosted-zone')).toEqual({
        region: 'global',
        check: 'hosted-zone',
        status: 'fail',
        message: 'hosted zone example.com not found',
        fix: 'create it (aws route53 create-hosted-zone --name example.com --caller-reference $(date +%s)) or set dns.zone in regionctl.yml',
      });
      // Everything else moto can answer must not fail.
      expect(report.findings.filter((f) => f.status === 'fail').map((f) => f.check)).toEqual(['hosted-zone']);
    } finally {
      c.close();
    }
  });

  it('passes the zone once it exists, and judges certificates by region, status and names', async () => {
    const c = clientsFor(endpoint);
    const r53 = new Route53Client({ endpoint, region: 'us-east-1', credentials });
    const east = new ACMClient({ endpoint, region: 'us-east-1', credentials });
    const west = new ACMClient({ endpoint, region: 'us-west-2', credentials });
    try {
      await r53.send(new CreateHostedZoneCommand({ Name: 'shop.example', CallerReference: `doctor-${Date.now()}` }));
      const eastArn = (await east.send(new RequestCertificateCommand({ DomainName: '*.shop.example', ValidationMethod: 'DNS' }))).CertificateArn!;
      const westArn = (await west.send(new RequestCertificateCommand({ DomainName: 'other.example', ValidationMethod: 'DNS' }))).CertificateArn!;
      const config = testConfig({
        regions: ['us-east-1', 'us-west-2'],
        dns: { zone: 'shop.example', certificateArn: { 'us-east-1': westArn.replace('us-west-2', 'us-east-1').replace(/certificate\/.*/, 'certificate/00000000-0000-0000-0000-000000000000'), 'us-west-2': eastArn } },
      });
      const report = await runDoctor({ config, clients: c.clients });
      const cert = (region: string) => report.findings.find((f) => f.region === region && f.check === 'certificate');
      expect(report.findings.find((f) => f.check === 'hosted-zone')).toMatchObject({ status: 'pass' });
      expect(cert('us-west-2')).toMatchObject({ status: 'fail', message: expect.stringContaining('is in us-east-1') });
      expect(cert('us-east-1')).toMatchObject({ status: 'fail', message: expect.stringContaining('not found in us-east-1') });

      const ok = testConfig({ regions: ['us-east-1'], dns: { zone: 'shop.example', certificateArn: { 'us-east-1': eastArn } } });
      const issued = (await runDoctor({ config: ok, clients: c.clients })).findings.find((f) => f.check === 'certificate');
      // moto issues DNS-validated certificates after a delay; both verdicts name the certificate precisely.
      expect(issued?.message).toMatch(/certificate for test-shop\.shop\.example is ISSUED in us-east-1|is PENDING_VALIDATION, not ISSUED/);
    } finally {
      c.close();
      r53.destroy();
      east.destroy();
      west.destroy();
    }
  });
});
