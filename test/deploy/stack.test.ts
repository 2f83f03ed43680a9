import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { deployStack } from '../../src/deploy/stack.js';
import { withTemplateHash } from '../../src/deploy/template-hash.js';
import { createMemoryIo } from '../../src/io/index.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { wallClock } from '../../src/wait.js';

// deployStack's outcomes as values: created, no-changes (skipped without a change set), updated
// whenever the template, a parameter or a tag differs.
let cloud: LocalCloud;
let cfn: CloudFormationClient;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => cloud.close());

const body = (retention: number) =>
  JSON.stringify(
    withTemplateHash({
      Parameters: { Suffix: { Type: 'String', Default: 'a' } },
      Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Sub': '/regionctl/test-${Suffix}' }, RetentionInDays: retention } } },
      Outputs: { Name: { Value: { Ref: 'Logs' } } },
    }),
  );

const run = (templateBody: string, parameters: Record<string, string> = {}, tags: Record<string, string> = { a: '1' }) =>
  deployStack({ cfn, region: 'us-east-1', stackName: 'unit', templateBody, parameters, tags, io: createMemoryIo(), clock: wallClock, poll: 5, deadline: 30_000 });

describe('deployStack', () => {
  it('creates, then skips an identical redeploy, then updates on any difference', async () => {
    expect(await run(body(7))).toMatchObject({ type: 'created', outputs: { Name: '/regionctl/test-a' } });
    expect(await run(body(7))).toMatchObject({ type: 'no-changes', outputs: { Name: '/regionctl/test-a' } });
    expect(await run(body(7), { Suffix: 'a' })).toMatchObject({ type: 'no-changes' }); // explicit default = same
    expect((await run(body(14))).type).toBe('updated');
    expect((await run(body(14), { Suffix: 'b' })).outputs.Name).toBe('/regionctl/test-b');
    expect((await run(body(14), { Suffix: 'b' }, { a: '2' })).type).toBe('updated');
    expect((await run(body(14), { Suffix: 'b' }, { a: '2' })).type).toBe('no-changes');
  });
});
