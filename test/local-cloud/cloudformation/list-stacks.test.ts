// ListStacks' StackStatusFilter through the real AWS SDK v3: an unknown status is refused, not an empty page.
import { CloudFormationClient, CloudFormationServiceException, CreateStackCommand, ListStacksCommand, type StackStatus } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let cfn: CloudFormationClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  cfn = new CloudFormationClient({ endpoint: cloud.url, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  cfn.destroy();
  await cloud.close();
});

describe('ListStacks StackStatusFilter', () => {
  it('filters by known statuses and refuses unknown ones with ValidationError (boto3 showed an empty page)', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'filtered', TemplateBody: JSON.stringify({ Resources: { H: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } }) }));
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'] }));
    expect(listed.StackSummaries?.map((s) => s.StackName)).toEqual(['filtered']);
    expect((await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries).toEqual([]);

    const err = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE', 'NOT_A_STATUS' as StackStatus] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudFormationServiceException);
    expect((err as CloudFormationServiceException).name).toBe('ValidationError');
    expect((err as CloudFormationServiceException).$metadata.httpStatusCode).toBe(400);
    expect((err as Error).message).toMatch(
      /^1 validation error detected: Value '\[CREATE_COMPLETE, NOT_A_STATUS\]' at 'stackStatusFilter' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[CREATE_COMPLETE, .*UPDATE_ROLLBACK_IN_PROGRESS\]\]$/,
    );
  });
});
