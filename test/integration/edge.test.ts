import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { statusCommand } from '../../src/commands/status.js';
import { startHarness, type Harness } from './harness.js';

// cdn: true adds the edge stack (CloudFront in us-east-1 in front of the latency name) after the
// regions; the global name then serves each client from its nearest healthy region.
let h: Harness;

// node:http, because fetch does not let a caller choose the Host header (as curl -H 'Host: …' does).
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  h = await startHarness(
    'service: shop\nstage: test\nregions: [us-west-2, eu-west-1]\ncdn: true\ndns:\n  zone: shop.example\n  createZone: true\n',
  );
});
afterAll(async () => h?.close());

describe('edge stack (cdn: true)', () => {
  it('deploys the edge after the regions, in us-east-1 even when it is not a service region', async () => {
    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    const out = JSON.parse(ctx.io.stdout);
    expect(out.global.map((g: any) => [g.stackName, g.region, g.phase, g.result])).toEqual([
      ['shop-test-dns', 'us-west-2', 'before', 'created'],
      ['shop-test-edge', 'us-east-1', 'after', 'created'],
    ]);
    const edge = await new CloudFormationClient({ region: 'us-east-1', endpoint: h.cloud.url, credentials }).send(new DescribeStacksCommand({ StackName: 'shop-test-edge' }));
    const outputs = Object.fromEntries((edge.Stacks?.[0].Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.GlobalName).toBe('shop.shop.example');
    expect(outputs.DistributionDomainName).toMatch(/\.cloudfront\.net$/);
  });

  it('the global name serves each client from its nearest region through CloudFront', async () => {
    for (const [client, region] of [
      ['10.3.0.1', 'us-west-2'],
      ['10.5.0.1', 'eu-west-1'],
      ['10.11.0.1', 'us-west-2'], // Tokyo is closer to Oregon than to Ireland
    ]) {
      const res = await get(`${h.cloud.url}/hello`, { host: 'shop.shop.example', 'x-forwarded-for': client });
      expect(res.status).toBe(200);
      expect(res.headers['x-cache']).toMatch(/cloudfront/i);
      expect(JSON.parse(res.body)).toEqual({ message: `Your function executed successfully in ${region}!` });
    }
    const ctx = h.context({ json: true });
    await statusCommand(ctx);
    const status = JSON.parse(ctx.io.stdout);
    expect(status.regions.map((r: any) => [r.region, r.dns.globalEntry])).toEqual([
      ['us-west-2', 'us-west-2'],
      ['eu-west-1', 'eu-west-1'],
    ]);
  });

  it('destroy removes the edge first and the zone last', async () => {
    const ctx = h.context({ json: true });
    await destroyCommand(ctx, { yes: true });
    const out = JSON.parse(ctx.io.stdout);
    expect(out.ok).toBe(true);
    expect(out.global.filter((g: any) => g.deleted).map((g: any) => g.stackName)).toEqual(['shop-test-edge', 'shop-test-dns']);
  });
});
