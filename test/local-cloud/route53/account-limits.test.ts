// GetAccountLimit through the real AWS SDK v3 (regionctl doctor's health-check quota check reads it).
import { CreateHealthCheckCommand, CreateHostedZoneCommand, GetAccountLimitCommand, InvalidInput, Route53Client, type AccountLimitType } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { FakeAlarms, fakeMonitoring } from './fake-services.js';

let cloud: LocalCloud;
let r53: Route53Client;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [fakeMonitoring(new FakeAlarms()), createRoute53Service] });
  r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  r53.destroy();
  await cloud.close();
});

const limit = (Type: string) => r53.send(new GetAccountLimitCommand({ Type: Type as AccountLimitType }));

describe('GetAccountLimit', () => {
  it("answers AWS's default limits with the account's current counts", async () => {
    expect(await limit('MAX_HEALTH_CHECKS_BY_OWNER')).toMatchObject({ Limit: { Type: 'MAX_HEALTH_CHECKS_BY_OWNER', Value: 200 }, Count: 0 });
    expect(await limit('MAX_HOSTED_ZONES_BY_OWNER')).toMatchObject({ Limit: { Type: 'MAX_HOSTED_ZONES_BY_OWNER', Value: 500 }, Count: 0 });
    expect(await limit('MAX_REUSABLE_DELEGATION_SETS_BY_OWNER')).toMatchObject({ Limit: { Value: 100 }, Count: 0 });
    expect(await limit('MAX_TRAFFIC_POLICIES_BY_OWNER')).toMatchObject({ Limit: { Value: 50 }, Count: 0 });
    expect(await limit('MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER')).toMatchObject({ Limit: { Value: 5 }, Count: 0 });

    await r53.send(new CreateHostedZoneCommand({ Name: 'limits.test', CallerReference: 'limits-zone' }));
    for (const ref of ['hc-1', 'hc-2']) {
      await r53.send(new CreateHealthCheckCommand({ CallerReference: ref, HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: `${ref}.limits.test`, ResourcePath: '/' } }));
    }
    expect((await limit('MAX_HEALTH_CHECKS_BY_OWNER')).Count).toBe(2);
    expect((await limit('MAX_HOSTED_ZONES_BY_OWNER')).Count).toBe(1);
  });

  it('refuses an unknown limit type with InvalidInput', async () => {
    const err = await limit('MAX_NOTHING').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toBe(
      "1 validation error detected: Value 'MAX_NOTHING' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [MAX_HEALTH_CHECKS_BY_OWNER, MAX_HOSTED_ZONES_BY_OWNER, MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER, MAX_REUSABLE_DELEGATION_SETS_BY_OWNER, MAX_TRAFFIC_POLICIES_BY_OWNER]",
    );
    expect((err as InvalidInput).$metadata.httpStatusCode).toBe(400);
  });
});
