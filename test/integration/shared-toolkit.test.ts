import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { startHarness, type Harness } from './harness.js';

// Two stages in one region share the regionctl-toolkit stack: destroying one keeps it for the
// other (it knows from the stage markers in the bucket), destroying the last removes it.
let h: Harness;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const liveStacks = async () =>
  ((await new CloudFormationClient({ region: 'us-west-2', endpoint: h.cloud.url, credentials }).send(new ListStacksCommand({}))).StackSummaries ?? [])
    .filter((s) => s.StackStatus !== 'DELETE_COMPLETE')
    .map((s) => s.StackName)
    .sort();

beforeAll(async () => {
  h = await startHarness('service: shop\nstage: blue\nregions: [us-west-2]\ndns:\n  zone: shop.example\n  createZone: true\n');
});
afterAll(async () => h?.close());

describe('shared toolkit', () => {
  it('is kept while another stage uses it and removed with the last one', async () => {
    await deployCommand(h.context());
    await deployCommand(h.context({ stage: 'green' }));
    const destroyBlue = h.context({ json: true });
    await destroyCommand(destroyBlue, { yes: true });
    const blue = JSON.parse(destroyBlue.io.stdout);
    expect(blue.regions[0]).toMatchObject({ region: 'us-west-2', ok: true, keptToolkit: 'still used by shop/green' });
    expect(await liveStacks()).toContain('regionctl-toolkit');
    expect(await liveStacks()).not.toContain('shop-blue-service');

    const destroyGreen = h.context({ json: true, stage: 'green' });
    await destroyCommand(destroyGreen, { yes: true });
    expect(JSON.parse(destroyGreen.io.stdout).regions[0].deleted).toContain('regionctl-toolkit');
    expect((await liveStacks()).filter((n) => n === 'regionctl-toolkit' || n?.startsWith('shop-green'))).toEqual([]);
    const s3 = new S3Client({ region: 'us-west-2', endpoint: h.cloud.url, credentials, forcePathStyle: true });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });
});
