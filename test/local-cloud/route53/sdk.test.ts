// Route 53 zones, record sets and DNS answers through the real AWS SDK v3 against the local cloud.
import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  HostedZoneNotEmpty,
  InvalidChangeBatch,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  NoSuchHostedZone,
  Route53Client,
  TestDNSAnswerCommand,
  type Change,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { FakeAlarms, fakeMonitoring } from './fake-services.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let r53: Route53Client;
const alarms = new FakeAlarms();
const clock = new ManualClock();

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock, services: [fakeMonitoring(alarms), createRoute53Service] });
  r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
});

afterAll(async () => {
  r53.destroy();
  await cloud.close();
});

const latencyRecord = (region: string, healthCheckId?: string): Change => ({
  Action: 'CREATE',
  ResourceRecordSet: {
    Name: 'api.shop.example.com',
    Type: 'A',
    SetIdentifier: `Region=${region}`,
    Region: region as never,
    TTL: 60,
    ResourceRecords: [{ Value: `192.0.2.${region.length}` }],
    HealthCheckId: healthCheckId,
  },
});

async function zone(name: string): Promise<string> {
  const created = await r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Math.random()}` }));
  return created.HostedZone!.Id!;
}

async function alarmCheck(region: string): Promise<string> {
  const hc = await r53.send(
    new CreateHealthCheckCommand({
      CallerReference: `alarm-${region}-${Math.random()}`,
      HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Region: region as never, Name: `${region}-5xx` }, InsufficientDataHealthStatus: 'LastKnownStatus' },
    }),
  );
  return hc.HealthCheck!.Id!;
}

const answer = async (zoneId: string, name: string, subnet?: string) =>
  r53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: name, RecordType: 'A', EDNS0ClientSubnetIP: subnet }));

describe('hosted zones', () => {
  it('creates, gets, lists by name and refuses to delete a zone with records', async () => {
    const created = await r53.send(new CreateHostedZoneCommand({ Name: 'Zones.Example.com', CallerReference: 'ref-1' }));
    expect(created.HostedZone).toMatchObject({ Name: 'zones.example.com.', ResourceRecordSetCount: 2 });
    expect(created.HostedZone!.Id).toMatch(/^\/hostedzone\/Z[A-Z0-9]{20}$/);
    expect(created.ChangeInfo?.Status).toBe('INSYNC');
    expect(created.DelegationSet?.NameServers).toHaveLength(4);
    await expect(r53.send(new CreateHostedZoneCommand({ Name: 'other.example.com', CallerReference: 'ref-1' }))).rejects.toMatchObject({ name: 'HostedZoneAlreadyExists' });

    const id = created.HostedZone!.Id!;
    expect((await r53.send(new GetHostedZoneCommand({ Id: id }))).HostedZone?.Name).toBe('zones.example.com.');
    const byName = await r53.send(new ListHostedZonesByNameCommand({}));
    expect(byName.HostedZones?.map((z) => z.Name)).toContain('zones.example.com.');

    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'www.zones.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.1' }] } }] } }));
    const err = await r53.send(new DeleteHostedZoneCommand({ Id: id })).catch((e) => e);
    expect(err).toBeInstanceOf(HostedZoneNotEmpty);
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'www.zones.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.1' }] } }] } }));
    const deleted = await r53.send(new DeleteHostedZoneCommand({ Id: id }));
    expect((await r53.send(new GetChangeCommand({ Id: deleted.ChangeInfo!.Id! }))).ChangeInfo?.Status).toBe('INSYNC');
    await expect(r53.send(new GetHostedZoneCommand({ Id: id }))).rejects.toBeInstanceOf(NoSuchHostedZone);
  });

  it('applies change batches atomically with AWS messages', async () => {
    const id = await zone('atomic.example.com');
    const a = { Name: 'x.atomic.example.com', Type: 'A' as const, TTL: 60, ResourceRecords: [{ Value: '192.0.2.9' }] };
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: a }] } }));
    const err = await r53
      .send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { ...a, Name: 'y.atomic.example.com' } }, { Action: 'CREATE', ResourceRecordSet: a }] } }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(InvalidChangeBatch);
    expect(err.message).toBe("[Tried to create resource record set [name='x.atomic.example.com.', type='A'] but it already exists]");
    const list = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id }));
    expect(list.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(['atomic.example.com. NS', 'atomic.example.com. SOA', 'x.atomic.example.com. A']);
  });
});

describe('DNS answers', () => {
  let zoneId: string;
  const checks: Record<string, string> = {};

  beforeAll(async () => {
    zoneId = await zone('shop.example.com');
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
      checks[region] = await alarmCheck(region);
      alarms.set(region, `${region}-5xx`, 'OK');
    }
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: Object.entries(checks).map(([r, hc]) => latencyRecord(r, hc)) } }));
  });

  it('answers each client subnet with the nearest region', async () => {
    expect((await answer(zoneId, 'api.shop.example.com', '10.0.0.1')).RecordData).toEqual(['192.0.2.9']); // us-east-1
    expect((await answer(zoneId, 'api.shop.example.com', '10.6.0.1')).RecordData).toEqual(['192.0.2.9']); // eu-west-2 → eu-west-1
    expect(cloud.service('route53').resolve('api.shop.example.com', 'A', '10.6.0.1').chosen?.region).toBe('eu-west-1');
    expect(cloud.service('route53').resolve('api.shop.example.com', 'A', '10.12.0.1').chosen?.region).toBe('ap-northeast-1');
    expect(cloud.service('route53').resolve('api.shop.example.com', 'A', '192.168.1.1').chosen?.region).toBe('us-east-1');
    const nx = await answer(zoneId, 'nope.shop.example.com', '10.0.0.1');
    expect(nx).toMatchObject({ ResponseCode: 'NXDOMAIN', Protocol: 'UDP', RecordData: [] });
  });

  it('moves clients away from a region whose alarm fires, and back when it clears', async () => {
    const r53d = cloud.service('route53');
    alarms.set('us-east-1', 'us-east-1-5xx', 'ALARM');
    expect(r53d.healthCheckStatus(checks['us-east-1'])).toBe('Unhealthy');
    expect(r53d.resolve('api.shop.example.com', 'A', '10.0.0.1').chosen?.region).toBe('eu-west-1');
    // LastKnownStatus: INSUFFICIENT_DATA keeps the last verdict (unhealthy).
    alarms.set('us-east-1', 'us-east-1-5xx', 'INSUFFICIENT_DATA');
    expect(r53d.healthCheckStatus(checks['us-east-1'])).toBe('Unhealthy');
    alarms.set('us-east-1', 'us-east-1-5xx', 'OK');
    expect(r53d.resolve('api.shop.example.com', 'A', '10.0.0.1').chosen?.region).toBe('us-east-1');
  });

  it('answers as if all were healthy when every candidate is unhealthy', async () => {
    const r53d = cloud.service('route53');
    for (const region of Object.keys(checks)) alarms.set(region, `${region}-5xx`, 'ALARM');
    expect(r53d.resolve('api.shop.example.com', 'A', '10.11.0.1').chosen?.region).toBe('ap-northeast-1');
    expect(r53d.resolve('api.shop.example.com', 'A', '10.0.0.1').chosen?.region).toBe('us-east-1');
    for (const region of Object.keys(checks)) alarms.set(region, `${region}-5xx`, 'OK');
  });

  it('follows failover and alias records, and honours EvaluateTargetHealth', async () => {
    const r53d = cloud.service('route53');
    const primary = checks['us-east-1'];
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: 'fo.shop.example.com', Type: 'A', SetIdentifier: 'p', Failover: 'PRIMARY', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }], HealthCheckId: primary } },
            { Action: 'CREATE', ResourceRecordSet: { Name: 'fo.shop.example.com', Type: 'A', SetIdentifier: 's', Failover: 'SECONDARY', TTL: 60, ResourceRecords: [{ Value: '192.0.2.2' }] } },
            { Action: 'CREATE', ResourceRecordSet: { Name: 'www.shop.example.com', Type: 'A', AliasTarget: { HostedZoneId: zoneId, DNSName: 'fo.shop.example.com', EvaluateTargetHealth: true } } },
          ],
        },
      }),
    );
    expect(r53d.resolve('www.shop.example.com', 'A').records).toEqual(['192.0.2.1']);
    alarms.set('us-east-1', 'us-east-1-5xx', 'ALARM');
    expect(r53d.resolve('fo.shop.example.com', 'A').records).toEqual(['192.0.2.2']);
    expect((await answer(zoneId, 'www.shop.example.com')).RecordData).toEqual(['192.0.2.2']);
    alarms.set('us-east-1', 'us-east-1-5xx', 'OK');
  });

  it('answers alias records to API Gateway regional names with that region\'s address', async () => {
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: ['us-east-1', 'eu-west-1'].map((region) => ({
            Action: 'CREATE' as const,
            ResourceRecordSet: {
              Name: 'app.shop.example.com',
              Type: 'A' as const,
              SetIdentifier: `Region=${region}`,
              Region: region as never,
              AliasTarget: { HostedZoneId: 'Z1UJRXOUMOOFQ8', DNSName: `d-abcdefghij.execute-api.${region}.amazonaws.com`, EvaluateTargetHealth: false },
              HealthCheckId: checks[region],
            },
          })),
        },
      }),
    );
    expect((await answer(zoneId, 'app.shop.example.com', '10.5.0.0')).RecordData).toEqual(['127.1.5.1']);
    expect((await answer(zoneId, 'app.shop.example.com', '10.2.0.0')).RecordData).toEqual(['127.1.0.1']);
  });

  it('spreads weighted answers by weight and never answers weight 0 while others are healthy', async () => {
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: 'w.shop.example.com', Type: 'A', SetIdentifier: 'a', Weight: 3, TTL: 60, ResourceRecords: [{ Value: '192.0.2.31' }] } },
            { Action: 'CREATE', ResourceRecordSet: { Name: 'w.shop.example.com', Type: 'A', SetIdentifier: 'b', Weight: 1, TTL: 60, ResourceRecords: [{ Value: '192.0.2.32' }] } },
            { Action: 'CREATE', ResourceRecordSet: { Name: 'w.shop.example.com', Type: 'A', SetIdentifier: 'c', Weight: 0, TTL: 60, ResourceRecords: [{ Value: '192.0.2.33' }] } },
          ],
        },
      }),
    );
    const r53d = cloud.service('route53');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 400; i++) {
      const v = r53d.resolve('w.shop.example.com', 'A').records[0];
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(counts['192.0.2.33']).toBeUndefined();
    expect(counts['192.0.2.31']).toBeGreaterThan(counts['192.0.2.32']);
  });
});
