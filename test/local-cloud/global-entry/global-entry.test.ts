// The global entry: Host-routed requests resolved like DNS for the client and served by the chosen region.
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayService } from '../../../src/local-cloud/apigateway/index.js';
import { createCloudFrontService } from '../../../src/local-cloud/cloudfront/index.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { FakeAlarms, fakeMonitoring } from '../route53/fake-services.js';
import { deployRegion, getWithHost } from './regional-stack.js';

const alarms = new FakeAlarms();
let cloud: LocalCloud;
let zoneId: string;
const host = 'dev-shop.example.com';

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [fakeMonitoring(alarms), createLambdaService, createApiGatewayService, createRoute53Service, createCloudFrontService] });
  const r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'zone' }));
  zoneId = zone.HostedZone!.Id!;
  r53.destroy();
  for (const region of ['us-east-1', 'eu-west-1']) {
    const { domain } = await deployRegion(cloud.url, region, { domainName: host, zoneId: zone.HostedZone!.Id!, recordName: host });
    expect(domain.regionalDomainName).toMatch(new RegExp(`^d-[a-z0-9]{10}\\.execute-api\\.${region}\\.amazonaws\\.com$`));
    alarms.set(region, `${region}-5xx`, 'OK');
  }
}, 30_000);

afterAll(async () => {
  await cloud.close();
});

describe('global entry', () => {
  it('serves each client from the nearest healthy region', async () => {
    const home = await getWithHost(cloud.url, '/hello', { host: `${host}:4566` });
    expect(home.status).toBe(200);
    expect(home.headers['x-regionctl-region']).toBe('us-east-1');
    expect(home.headers['x-region']).toBe('us-east-1');
    expect(JSON.parse(home.body).received.path).toBe('/hello');
    const europe = await getWithHost(cloud.url, '/hello', { host, 'x-forwarded-for': '10.7.0.20, 10.0.0.1' });
    expect(europe.headers['x-regionctl-region']).toBe('eu-west-1');
    expect(europe.headers['x-region']).toBe('eu-west-1');
  });

  it('moves clients when their region turns unhealthy, and back', async () => {
    alarms.set('us-east-1', 'us-east-1-5xx', 'ALARM');
    expect((await getWithHost(cloud.url, '/hello', { host })).headers['x-regionctl-region']).toBe('eu-west-1');
    alarms.set('us-east-1', 'us-east-1-5xx', 'OK');
    expect((await getWithHost(cloud.url, '/hello', { host })).headers['x-regionctl-region']).toBe('us-east-1');
  });

  it('answers 404 for unknown names in the zone and leaves other hosts to the front door', async () => {
    expect((await getWithHost(cloud.url, '/hello', { host: 'nope.example.com' })).status).toBe(404);
    expect((await getWithHost(cloud.url, '/hello', { host: 'unrelated.test' })).status).toBe(403);
  });

  it('goes through CloudFront: the origin name is resolved again for the same client', async () => {
    const cf = cloud.service('cloudfront');
    const d = cf.create({ callerReference: 'edge', enabled: true, aliases: ['www.example.com'], origins: [{ id: 'api', domainName: host }] });
    const r53 = cloud.service('route53');
    r53.zones.change(zoneId, [{ action: 'CREATE', record: { name: 'www.example.com.', type: 'A', alias: { hostedZoneId: 'Z2FDTNDATAQYW2', dnsName: `${d.domainName}.`, evaluateTargetHealth: false } } }]);
    expect(r53.resolve('www.example.com', 'A').records).toEqual(['127.2.0.1']);
    const europe = await getWithHost(cloud.url, '/hello', { host: 'www.example.com', 'x-forwarded-for': '10.8.1.1' });
    expect(europe.status).toBe(200);
    expect(europe.headers['x-regionctl-region']).toBe('eu-west-1');
    expect(europe.headers['x-cache']).toBe('Miss from cloudfront');
    alarms.set('eu-west-1', 'eu-west-1-5xx', 'ALARM');
    expect((await getWithHost(cloud.url, '/hello', { host: 'www.example.com', 'x-forwarded-for': '10.8.1.1' })).headers['x-regionctl-region']).toBe('us-east-1');
    alarms.set('eu-west-1', 'eu-west-1-5xx', 'OK');
  });

  it('answers 503 from a region in an outage until DNS moves clients away', async () => {
    cloud.faults.regionOutages.add('us-east-1');
    const down = await getWithHost(cloud.url, '/hello', { host });
    expect(down.status).toBe(503);
    expect(down.headers['x-regionctl-region']).toBe('us-east-1');
    alarms.set('us-east-1', 'us-east-1-5xx', 'ALARM');
    const moved = await getWithHost(cloud.url, '/hello', { host });
    expect([moved.status, moved.headers['x-regionctl-region']]).toEqual([200, 'eu-west-1']);
    cloud.faults.regionOutages.delete('us-east-1');
    alarms.set('us-east-1', 'us-east-1-5xx', 'OK');
  });
});
