import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmValidationRecords, deleteRecordSets, findHostedZone, findHostedZoneId } from '../../src/aws/route53.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';

// The one hosted-zone rule deploy and doctor share: the public zone with exactly that name.
let cloud: LocalCloud;
let route53: Route53Client;
const zone = (name: string, privateZone: boolean, comment?: string) =>
  route53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${privateZone}-${Math.random()}`, HostedZoneConfig: { PrivateZone: privateZone, ...(comment ? { Comment: comment } : {}) } }));

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  route53 = new Route53Client({ region: 'us-east-1', endpoint: cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  route53?.destroy();
  await cloud?.close();
});

describe('findHostedZone', () => {
  it('never takes a private zone with the name, and says it is there', async () => {
    const priv = await zone('inside.example', true);
    const found = await findHostedZone(route53, 'inside.example');
    expect(found).toEqual({ privateZones: [priv.HostedZone!.Id!.replace('/hostedzone/', '')] });
    expect(await findHostedZoneId(route53, 'inside.example')).toBeUndefined();
  });

  it('takes the public zone when a private one shares its name, whatever the case or trailing dot', async () => {
    await zone('both.example', true);
    const pub = await zone('both.example', false, 'regionctl shop dev');
    const id = pub.HostedZone!.Id!.replace('/hostedzone/', '');
    expect((await findHostedZone(route53, 'Both.Example.')).zone).toEqual({ id, comment: 'regionctl shop dev' });
    expect(await findHostedZoneId(route53, 'both.example')).toBe(id);
  });

  it('does not take a zone whose name only starts the same', async () => {
    await zone('sub.other.example', false);
    expect(await findHostedZone(route53, 'other.example')).toEqual({ privateZones: [] });
  });
});

// destroy removes only the validation CNAMEs of the stage's certificates before deleting the zone.
describe('acmValidationRecords', () => {
  it('finds the _token CNAMEs of the given certificate domains pointing at acm-validations.aws, and nothing else', async () => {
    const id = (await zone('shop.dev', false)).HostedZone!.Id!.replace('/hostedzone/', '');
    const cname = (name: string, value: string) => ({ Action: 'CREATE' as const, ResourceRecordSet: { Name: name, Type: 'CNAME' as const, TTL: 300, ResourceRecords: [{ Value: value }] } });
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: id,
        ChangeBatch: {
          Changes: [
            cname('_a1b2.shop.dev', '_c3d4.mhbtsbpdnt.acm-validations.aws.'), // *.shop.dev
            cname('_e5f6.orders.shop.dev', '_0789.mhbtsbpdnt.acm-validations.aws.'), // the edge's orders.shop.dev
            cname('_9999.other.shop.dev', '_0000.mhbtsbpdnt.acm-validations.aws.'), // someone else's certificate
            cname('_dmarc.shop.dev', 'dmarc.example.net.'), // not ACM's
            cname('www.shop.dev', 'x.acm-validations.aws.'), // no leading underscore
          ],
        },
      }),
    );
    const found = await acmValidationRecords(route53, id, ['*.shop.dev', 'orders.shop.dev']);
    expect(found.map((r) => r.Name).sort()).toEqual(['_a1b2.shop.dev.', '_e5f6.orders.shop.dev.']);
    await deleteRecordSets(route53, id, found);
    const left = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id }))).ResourceRecordSets!.filter((r) => r.Type === 'CNAME');
    expect(left.map((r) => r.Name).sort()).toEqual(['_9999.other.shop.dev.', '_dmarc.shop.dev.', 'www.shop.dev.']);
    expect(await acmValidationRecords(route53, id, ['*.shop.dev', 'orders.shop.dev'])).toEqual([]);
  });
});
