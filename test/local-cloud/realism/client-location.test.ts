// --client-location none: EDNS client subnets of private addresses carry no location, as on AWS;
// public prefixes from AWS's ip-ranges.json (src/regions.ts) place a client in its region.
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { regionInfo, regionOfPublicIp, REGIONS } from '../../../src/regions.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION_ADDRESS: Record<string, string> = { 'us-east-1': '192.0.2.1', 'us-west-2': '192.0.2.2', 'eu-west-1': '192.0.2.3' };

async function stage(mode?: 'none'): Promise<{ cloud: LocalCloud; r53: Route53Client; zoneId: string }> {
  const cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), ...(mode ? { clientLocation: mode } : {}) });
  const r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
  const zoneId = (await r53.send(new CreateHostedZoneCommand({ Name: 'where.realism.dev', CallerReference: 'where' }))).HostedZone!.Id!;
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: Object.entries(REGION_ADDRESS).map(([region, ip]) => ({
          Action: 'CREATE' as const,
          ResourceRecordSet: { Name: 'api.where.realism.dev', Type: 'A' as const, SetIdentifier: region, Region: region as 'us-east-1', TTL: 60, ResourceRecords: [{ Value: ip }] },
        })),
      },
    }),
  );
  return { cloud, r53, zoneId };
}

const answered = async (s: { r53: Route53Client; zoneId: string }, subnet?: string, resolver?: string) => {
  const a = await s.r53.send(
    new TestDNSAnswerCommand({ HostedZoneId: s.zoneId, RecordName: 'api.where.realism.dev', RecordType: 'A', ...(subnet ? { EDNS0ClientSubnetIP: subnet, EDNS0ClientSubnetMask: '24' } : {}), ...(resolver ? { ResolverIP: resolver } : {}) }),
  );
  return Object.entries(REGION_ADDRESS).find(([, ip]) => ip === a.RecordData?.[0])?.[0];
};

describe('public client prefixes (src/regions.ts)', () => {
  it('every region has a prefix of its own, and its client address maps back to it', () => {
    for (const r of REGIONS) expect(regionOfPublicIp(r.publicClientIp)?.name, r.name).toBe(r.name);
    expect(regionInfo('us-west-2')?.publicClientIp).toBe('44.224.0.1');
    expect(regionOfPublicIp('10.3.0.1')).toBeUndefined();
  });
});

describe.each([
  ['subnets (default)', undefined],
  ['none', 'none' as const],
])('client location %s', (label, mode) => {
  let s: Awaited<ReturnType<typeof stage>>;
  beforeAll(async () => {
    s = await stage(mode);
  });
  afterAll(async () => {
    s.r53.destroy();
    await s.cloud.close();
  });

  it('a public client subnet of a region is answered as that region', async () => {
    for (const region of Object.keys(REGION_ADDRESS)) expect(await answered(s, regionInfo(region)!.publicClientIp), region).toBe(region);
  });

  it(mode === 'none' ? 'a private subnet carries no location: the answer is the default one, whatever the 10.i' : 'the private subnet 10.i.0.0/16 stands for region i', async () => {
    const west = `10.${regionInfo('us-west-2')!.index}.0.1`;
    const eu = `10.${regionInfo('eu-west-1')!.index}.0.1`;
    if (mode === 'none') {
      expect([await answered(s, west), await answered(s, eu), await answered(s)]).toEqual(['us-east-1', 'us-east-1', 'us-east-1']);
      // With a private subnet, Route 53 places the query by the resolver's address instead.
      expect(await answered(s, west, regionInfo('eu-west-1')!.publicClientIp)).toBe('eu-west-1');
    } else {
      expect([await answered(s, west), await answered(s, eu)]).toEqual(['us-west-2', 'eu-west-1']);
    }
    expect(label).toBeTruthy();
  });
});
