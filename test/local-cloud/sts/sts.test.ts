import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { createStsService } from '../../../src/local-cloud/sts/index.js';

let cloud: LocalCloud;
let client: STSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createStsService] });
  client = new STSClient({ endpoint: cloud.url, region: 'us-west-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await cloud.close();
});

describe('STS through the AWS SDK', () => {
  it('answers GetCallerIdentity with the local account and user', async () => {
    const who = await client.send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:user/regionctl-local',
      UserId: 'AIDALOCALCLOUD0000000',
    });
  });

  it('rejects actions it does not implement with InvalidAction', async () => {
    const error = await client.send(new GetSessionTokenCommand({})).catch((e: unknown) => e);
    expect((error as { name: string }).name).toBe('InvalidAction');
  });
});
