// Resource properties validated by the type's schema, end to end through the AWS SDK: a log group
// with a list for RetentionInDays and an extraneous key fails CREATE with the registry's message
// and the stack rolls back; text scalars ("7", "true") are coerced as CloudFormation coerces them.
import { CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createCloudFormationService } from '../../../src/local-cloud/cloudformation/index.js';
import { createEventsService } from '../../../src/local-cloud/events/index.js';
import { createLogsService } from '../../../src/local-cloud/logs/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'eu-central-1';
let cloud: LocalCloud;
let cfn: CloudFormationClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createCloudFormationService, createLogsService, createEventsService] });
  cfn = new CloudFormationClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  logs = new CloudWatchLogsClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  cfn.destroy();
  logs.destroy();
  await cloud.close();
});

async function settled(name: string): Promise<string> {
  await cloud.service('cloudformation').idle();
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0].StackStatus!;
}

describe('resource properties through CloudFormation', () => {
  it('fails a resource whose properties break its schema, with the registry message, and rolls back', async () => {
    const body = JSON.stringify({
      Resources: {
        Ok: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/ok' } },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/bad', RetentionInDays: [7], Retention: 7 } },
      },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'bad-props', TemplateBody: body }));
    expect(await settled('bad-props')).toBe('ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'bad-props' }))).StackEvents!;
    expect(events.find((e) => e.LogicalResourceId === 'Logs' && e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toBe(
      'Properties validation failed for resource Logs with message: #/RetentionInDays: expected type: Number, found: JSONArray #: extraneous key [Retention] is not permitted',
    );
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
  });

  it('coerces text scalars to the declared types', async () => {
    const body = [
      'Parameters:',
      '  Days: { Type: String, Default: "7" }',
      'Resources:',
      '  Group:',
      '    Type: AWS::Logs::LogGroup',
      '    Properties: { LogGroupName: /coerced, RetentionInDays: !Ref Days }',
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties: { ScheduleExpression: rate(1 hour), State: DISABLED, Targets: [{ Id: 1, Arn: !GetAtt Group.Arn }] }',
    ].join('\n');
    await cfn.send(new CreateStackCommand({ StackName: 'coerced', TemplateBody: body }));
    const waited = await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'coerced' });
    expect(waited.state).toBe('SUCCESS');
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/coerced' }))).logGroups?.[0]).toMatchObject({ logGroupName: '/coerced', retentionInDays: 7 });
    const rule = cloud.service('events').listRules(region)[0];
    expect(rule.targets).toEqual([expect.objectContaining({ Id: '1' })]);
  });
});
