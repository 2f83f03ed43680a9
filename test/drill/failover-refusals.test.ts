import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, DeleteStackCommand, waitUntilStackDeleteComplete } from '@aws-sdk/client-cloudformation';
import { deployCommand } from '../../src/commands/deploy.js';
import { drillCommand } from '../../src/commands/drill.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { startHarness, type Harness } from '../integration/harness.js';

// A drill that could not see where clients are served would burn its whole deadline and then
// report "failed"; it refuses up front instead, and injects nothing.
let h: Harness;
beforeAll(async () => {
  h = await startHarness('service: shop\nstage: test\nregions: [us-east-1, us-west-2]\ndns:\n  zone: shop.example\n  createZone: true\n');
  await deployCommand(h.context());
  for (const region of ['us-east-1', 'us-west-2']) {
    const cfn = new CloudFormationClient({ region, endpoint: h.cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await cfn.send(new DeleteStackCommand({ StackName: 'shop-test-service' }));
    await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: 30, minDelay: 1 }, { StackName: 'shop-test-service' });
  }
});
afterAll(async () => h?.close());

describe('drill failover refusals', () => {
  it('refuses when the service (latency record, custom domain) is gone: the region does not serve its clients', async () => {
    await expect(drillCommand(h.context(), { action: 'failover', region: 'us-east-1' })).rejects.toMatchObject({
      code: 'DrillRefused',
      message: expect.stringMatching(/us-east-1 is not healthy now \(the service stack shop-test-service does not exist/),
    });
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
  });

  it('refuses a region that is not configured, as a usage error', async () => {
    await expect(drillCommand(h.context(), { action: 'failover', region: 'eu-west-1' })).rejects.toMatchObject({ exitCode: 2, code: 'UnknownRegion' });
  });
});
