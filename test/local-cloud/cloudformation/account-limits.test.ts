// DescribeAccountLimits through the real AWS SDK v3 (regionctl doctor's stack quota check reads it).
import { CloudFormationClient, DescribeAccountLimitsCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let cfn: CloudFormationClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  cfn = new CloudFormationClient({ endpoint: cloud.url, region: 'ap-southeast-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  cfn.destroy();
  await cloud.close();
});

describe('DescribeAccountLimits', () => {
  it("answers a fresh account's stack and output limits on one page", async () => {
    const out = await cfn.send(new DescribeAccountLimitsCommand({}));
    expect(out.AccountLimits).toEqual([
      { Name: 'StackLimit', Value: 2000 },
      { Name: 'StackOutputsLimit', Value: 200 },
    ]);
    expect(out.NextToken).toBeUndefined();
  });
});
