import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud } from '../../../src/local-cloud/server.js';
import { createCloudFormationService } from '../../../src/local-cloud/cloudformation/index.js';
import { createLogsService } from '../../../src/local-cloud/logs/index.js';

const services = [createCloudFormationService, createLogsService];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let dataDir: string | undefined;

afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('CloudFormation state across restarts', () => {
  it('finds the stack, its outputs and resources after the local cloud restarts', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cfn-state-'));
    const first = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir, services });
    const client = new CloudFormationClient({ endpoint: first.url, region: 'ap-south-1', credentials });
    await client.send(new CreateStackCommand({ StackName: 'kept', TemplateBody: 'Resources: { G: { Type: AWS::Logs::LogGroup } }\nOutputs: { Name: { Value: !Ref G } }' }));
    await waitUntilStackCreateComplete({ client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { StackName: 'kept' });
    const before = (await client.send(new DescribeStacksCommand({ StackName: 'kept' }))).Stacks![0];
    client.destroy();
    await first.close();

    const second = await startLocalCloud({ port: 0, clock: new ManualClock(), dataDir, services });
    const again = new CloudFormationClient({ endpoint: second.url, region: 'ap-south-1', credentials });
    try {
      const after = (await again.send(new DescribeStacksCommand({ StackName: 'kept' }))).Stacks![0];
      expect(after.StackStatus).toBe('CREATE_COMPLETE');
      expect(after.Outputs).toEqual(before.Outputs);
      expect(after.Outputs![0].OutputValue).toMatch(/^kept-G-[0-9A-F]{12}$/);
    } finally {
      again.destroy();
      await second.close();
    }
  });
});
