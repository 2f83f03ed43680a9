import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  GetTemplateSummaryCommand,
  UpdateStackCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { createCloudFormationService } from '../../../src/local-cloud/cloudformation/index.js';
import { createIamService } from '../../../src/local-cloud/iam/index.js';
import { createLogsService } from '../../../src/local-cloud/logs/index.js';
import type { ServiceFactory } from '../../../src/local-cloud/types.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const templateBody = `
Parameters:
  Stage: { Type: String, Default: dev }
  Token: { Type: String, NoEcho: true, Default: s3cr3t }
Resources:
  Group:
    Type: AWS::Logs::LogGroup
    Properties: { LogGroupName: !Sub "/regionctl/\${Stage}", RetentionInDays: 7 }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      Policies:
        - PolicyName: logs
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Action: logs:PutLogEvents, Resource: !GetAtt Group.Arn }] }
Outputs:
  RoleArn: { Value: !GetAtt Role.Arn, Export: { Name: !Sub "\${AWS::StackName}-role" } }
  Group: { Value: !Ref Group }
`;

// A stand-in S3 whose domain serves one template, so TemplateURL is exercised without the real S3.
const fakeS3: ServiceFactory = () => ({
  names: ['s3'],
  handle: async () => ({ status: 501 }),
  domain: {
    getObjectBody(_region: string, bucket: string, key: string): Buffer {
      if (bucket === 'artifacts' && key === 'stacks/t.yml') return Buffer.from(templateBody);
      throw new Error('The specified key does not exist.');
    },
  },
});

describe('CloudFormation through the AWS SDK', () => {
  let cloud: LocalCloud;
  let cfn: CloudFormationClient;
  let iam: IAMClient;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createCloudFormationService, createIamService, createLogsService, fakeS3] });
    cfn = new CloudFormationClient({ endpoint: cloud.url, region: 'eu-central-1', credentials });
    iam = new IAMClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
  });
  afterAll(async () => {
    cfn?.destroy();
    iam?.destroy();
    await cloud?.close();
  });

  it('creates a stack, waits for CREATE_COMPLETE and reads outputs, masked parameters and events', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: templateBody, Capabilities: ['CAPABILITY_IAM'], Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }], Tags: [{ Key: 'team', Value: 'ops' }] }));
    const waited = await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'app' });
    expect(waited.state).toBe('SUCCESS');
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(stack.StackId).toBe(StackId);
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack.CreationTime).toBeInstanceOf(Date);
    expect(stack.Parameters).toEqual(expect.arrayContaining([{ ParameterKey: 'Stage', ParameterValue: 'prod' }, { ParameterKey: 'Token', ParameterValue: '****' }]));
    expect(stack.Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o]));
    expect(outputs.Group.OutputValue).toBe('/regionctl/prod');
    expect(outputs.RoleArn.ExportName).toBe('app-role');
    const roleName = outputs.RoleArn.OutputValue!.split('/').pop()!;
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(role.Role?.Arn).toBe(outputs.RoleArn.OutputValue);
    expect(JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).Statement[0].Principal.Service).toBe('lambda.amazonaws.com');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'app' }))).StackEvents!;
    expect(events[0]).toMatchObject({ LogicalResourceId: 'app', ResourceStatus: 'CREATE_COMPLETE' });
    expect(events.at(-1)).toMatchObject({ LogicalResourceId: 'app', ResourceStatus: 'CREATE_IN_PROGRESS' });
  });

  it('answers errors in the awsQuery shape the SDK maps to exceptions', async () => {
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'ghost' }))).rejects.toMatchObject({ name: 'ValidationError', message: 'Stack with id ghost does not exist' });
    await expect(cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Capabilities: ['CAPABILITY_IAM'], Parameters: [{ ParameterKey: 'Stage', UsePreviousValue: true }, { ParameterKey: 'Token', UsePreviousValue: true }] })))
      .rejects.toMatchObject({ name: 'ValidationError', message: 'No updates are to be performed.' });
    await expect(cfn.send(new CreateStackCommand({ StackName: 'noiam', TemplateBody: templateBody })))
      .rejects.toMatchObject({ name: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_IAM]' });
    await expect(iam.send(new PutRolePolicyCommand({ RoleName: 'x', PolicyName: 'p', PolicyDocument: '{' })))
      .rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });

  it('reads a template from S3 by URL, reports no-change change sets, and deletes', async () => {
    const url = 'https://artifacts.s3.eu-central-1.amazonaws.com/stacks/t.yml';
    const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: url }));
    expect(summary.Parameters?.map((p) => p.ParameterKey)).toEqual(['Stage', 'Token']);
    expect(summary.Capabilities).toEqual(['CAPABILITY_IAM']);
    const cs = await cfn.send(new CreateChangeSetCommand({ StackName: 'app', ChangeSetName: 'same', TemplateURL: url, Capabilities: ['CAPABILITY_IAM'], Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }] }));
    const waited = await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 5, minDelay: 1, maxDelay: 1 }, { ChangeSetName: cs.Id! }).catch((err) => err);
    expect(String(waited)).toMatch(/FAILURE|didn't contain changes/);
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: cs.Id! }));
    expect(described).toMatchObject({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });
    await expect(cfn.send(new CreateStackCommand({ StackName: 'missing', TemplateURL: 'https://s3.amazonaws.com/artifacts/nope.yml' })))
      .rejects.toMatchObject({ name: 'ValidationError', message: 'S3 error: The specified key does not exist.' });
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    const deleted = await waitUntilStackDeleteComplete({ client: cfn, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StackName: 'app' });
    expect(deleted.state).toBe('SUCCESS');
  });
});
