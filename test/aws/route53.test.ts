import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHostedZone, findHostedZoneId } from '../../src/aws/route53.js';
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
