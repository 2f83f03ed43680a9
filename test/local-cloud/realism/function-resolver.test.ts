// A Lambda function in region R resolves names as R's clients are answered (its region's resolver),
// also with --client-location none: the local cloud places its queries by R's public prefix.
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { ROLE } from '../lambda/fake-cloud.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ADDRESS: Record<string, string> = { 'us-east-1': '192.0.2.1', 'us-west-2': '192.0.2.2', 'eu-west-1': '192.0.2.3' };
const PROBE = `
const dns = require('node:dns');
exports.handler = async (event) => {
  const out = {};
  out.resolve4 = await dns.promises.resolve4(event.name);
  out.lookup = (await dns.promises.lookup(event.name)).address;
  out.callback = await new Promise((resolve, reject) => dns.resolve4(event.name, (err, a) => (err ? reject(err) : resolve(a))));
  out.missing = await dns.promises.resolve4('nope.' + event.name).catch((e) => e.code);
  return out;
};`;

let cloud: LocalCloud;
let r53: Route53Client;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), clientLocation: 'none' });
  r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
  const zoneId = (await r53.send(new CreateHostedZoneCommand({ Name: 'probe.realism.dev', CallerReference: 'probe' }))).HostedZone!.Id!;
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [
          ...Object.entries(ADDRESS).map(([region, ip]) => ({
            Action: 'CREATE' as const,
            ResourceRecordSet: { Name: 'api.probe.realism.dev', Type: 'A' as const, SetIdentifier: region, Region: region as 'us-east-1', TTL: 60, ResourceRecords: [{ Value: ip }] },
          })),
          { Action: 'CREATE' as const, ResourceRecordSet: { Name: 'www.probe.realism.dev', Type: 'CNAME' as const, TTL: 60, ResourceRecords: [{ Value: 'api.probe.realism.dev' }] } },
        ],
      },
    }),
  );
});
afterAll(async () => {
  r53?.destroy();
  await cloud?.close();
});

describe('a function’s resolver', () => {
  it('answers as clients in the function’s own region are answered', async () => {
    const zip = Buffer.from(zipSync({ 'probe.js': strToU8(PROBE) }));
    for (const region of Object.keys(ADDRESS)) {
      const lambda = new LambdaClient({ endpoint: cloud.url, region, credentials });
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'probe', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'probe.handler', Code: { ZipFile: zip } }));
      for (const name of ['api.probe.realism.dev', 'www.probe.realism.dev']) {
        const res = await lambda.send(new InvokeCommand({ FunctionName: 'probe', Payload: Buffer.from(JSON.stringify({ name })) }));
        expect(res.FunctionError, Buffer.from(res.Payload ?? []).toString()).toBeUndefined();
        expect(JSON.parse(Buffer.from(res.Payload!).toString()), `${region} ${name}`).toEqual({
          resolve4: [ADDRESS[region]],
          lookup: ADDRESS[region],
          callback: [ADDRESS[region]],
          missing: 'ENOTFOUND',
        });
      }
      lambda.destroy();
    }
  });
});
