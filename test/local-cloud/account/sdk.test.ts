import { AccountClient, DisableRegionCommand, EnableRegionCommand, GetRegionOptStatusCommand } from '@aws-sdk/client-account';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../../../src/local-cloud/account/index.js';
import { TRANSITION_MS } from '../../../src/local-cloud/account/domain.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let clock: ManualClock;
let client: AccountClient;

beforeAll(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: [createAccountService] });
  client = new AccountClient({ endpoint: cloud.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await cloud.close();
});

const status = async (RegionName: string) => (await client.send(new GetRegionOptStatusCommand({ RegionName }))).RegionOptStatus;

describe('Account region opt-in through the AWS SDK', () => {
  it('reports default regions as ENABLED_BY_DEFAULT and opt-in regions as ENABLED', async () => {
    expect(await status('us-west-2')).toBe('ENABLED_BY_DEFAULT');
    expect(await status('af-south-1')).toBe('ENABLED');
  });

  it('disables an opt-in region through DISABLING on the virtual clock, then enables it again', async () => {
    await client.send(new DisableRegionCommand({ RegionName: 'me-south-1' }));
    expect(await status('me-south-1')).toBe('DISABLING');
    const conflict = await client.send(new EnableRegionCommand({ RegionName: 'me-south-1' })).catch((e: unknown) => e);
    expect((conflict as Error).name).toBe('ConflictException');
    await clock.advance(TRANSITION_MS);
    expect(await status('me-south-1')).toBe('DISABLED');
    await client.send(new EnableRegionCommand({ RegionName: 'me-south-1' }));
    expect(await status('me-south-1')).toBe('ENABLING');
    await clock.advance(TRANSITION_MS);
    expect(await status('me-south-1')).toBe('ENABLED');
  });

  it('refuses to disable a region that is enabled by default, and unknown regions', async () => {
    const refused = await client.send(new DisableRegionCommand({ RegionName: 'us-east-1' })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('enabled by default') });
    const unknown = await client.send(new GetRegionOptStatusCommand({ RegionName: 'xx-nowhere-1' })).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'ValidationException', message: 'Invalid Region: xx-nowhere-1' });
  });
});
