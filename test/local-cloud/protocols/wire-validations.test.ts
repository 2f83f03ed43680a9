// Per-operation input validation at the wire, through the real AWS SDK v3 clients against an
// in-process cloud: each service refuses broken members with its own error code and AWS's wording,
// before anything is created.
import { ACMClient, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFormationClient, CreateChangeSetCommand, CreateStackCommand, DescribeStacksCommand, ListStacksCommand, type Capability, type Tag } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
const region = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cfn: CloudFormationClient;
let iam: IAMClient;
let acm: ACMClient;
let events: EventBridgeClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  const opts = { endpoint: cloud.url, region, credentials, maxAttempts: 1 };
  cfn = new CloudFormationClient(opts);
  iam = new IAMClient(opts);
  acm = new ACMClient(opts);
  events = new EventBridgeClient(opts);
  logs = new CloudWatchLogsClient(opts);
});

afterAll(async () => {
  for (const c of [cfn, iam, acm, events, logs]) c.destroy();
  await cloud.close();
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ name: 'no error', message: '', status: 0 }),
    (e: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: e.name, message: e.message, status: e.$metadata?.httpStatusCode }),
  );

const template = JSON.stringify({ Resources: { H: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('CloudFormation (awsQuery, ValidationError)', () => {
  it('refuses stack names outside the pattern or over 128 characters, creating nothing', async () => {
    expect(await refusal(cfn.send(new CreateStackCommand({ StackName: 'my_stack', TemplateBody: template })))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "1 validation error detected: Value 'my_stack' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*",
    });
    const long = `a${'b'.repeat(128)}`;
    expect((await refusal(cfn.send(new CreateStackCommand({ StackName: long, TemplateBody: template })))).message).toBe(
      `1 validation error detected: Value '${long}' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
    expect((await cfn.send(new ListStacksCommand({}))).StackSummaries).toEqual([]);
  });

  it('lists every broken member: a tag without a value, an unknown capability', async () => {
    const r = await refusal(
      cfn.send(new CreateStackCommand({ StackName: 'ok', TemplateBody: template, Tags: [{ Key: 'team' } as Tag], Capabilities: ['CAPABILITY_ALL' as Capability] })),
    );
    expect(r.name).toBe('ValidationError');
    expect(r.message).toBe(
      "2 validation errors detected: Value '[CAPABILITY_ALL]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND]]; " +
        "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
    );
  });

  it('accepts a stack ARN where an operation takes a name or id, and refuses other text', async () => {
    expect((await refusal(cfn.send(new DescribeStacksCommand({ StackName: 'bad name' })))).message).toBe(
      "1 validation error detected: Value 'bad name' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*",
    );
    expect((await refusal(cfn.send(new DescribeStacksCommand({ StackName: 'arn:aws:cloudformation:eu-west-1:000000000000:stack/none/x' })))).message).toMatch(/does not exist/);
    expect((await refusal(cfn.send(new CreateChangeSetCommand({ StackName: 's', ChangeSetName: 'cs', ChangeSetType: 'IMPORT', TemplateBody: template })))).name).toBe('NotImplemented');
  });

  it('reads empty lists ("Name=" on the wire) as empty, and valid members as typed', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'empty-lists', TemplateBody: template, Capabilities: [], Tags: [], DisableRollback: true, TimeoutInMinutes: 5 }));
    await cloud.service('cloudformation').idle();
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'empty-lists' }))).Stacks!;
    expect(stack).toMatchObject({ StackStatus: 'CREATE_COMPLETE', DisableRollback: true });
    expect(stack.Tags ?? []).toEqual([]);
  });
});

describe('IAM (awsQuery, ValidationError)', () => {
  it('refuses role names outside [\\w+=,.@-]+ and session durations outside 3600–43200', async () => {
    expect(await refusal(iam.send(new CreateRoleCommand({ RoleName: 'my role', AssumeRolePolicyDocument: trust })))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: "1 validation error detected: Value 'my role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    });
    expect((await refusal(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trust, MaxSessionDuration: 60 })))).message).toBe(
      "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
    expect((await refusal(iam.send(new GetRoleCommand({ RoleName: 'r'.repeat(65) })))).message).toBe(
      `1 validation error detected: Value '${'r'.repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'ok', AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200, Tags: [{ Key: 'team', Value: 'edge' }] }));
    expect(created.Role).toMatchObject({ RoleName: 'ok', MaxSessionDuration: 7200, Tags: [{ Key: 'team', Value: 'edge' }] });
  });
});

describe('ACM (awsJson1_1, ValidationException)', () => {
  it('refuses a malformed certificate ARN with both broken constraints, and a bad domain name', async () => {
    expect(await refusal(acm.send(new DescribeCertificateCommand({ CertificateArn: 'nope' })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message:
        "2 validation errors detected: Value 'nope' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*; " +
        "Value 'nope' at 'certificateArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    });
    expect((await refusal(acm.send(new RequestCertificateCommand({ DomainName: '-bad-.example.com' })))).name).toBe('ValidationException');
  });
});

describe('EventBridge (awsJson1_1, ValidationException)', () => {
  it('refuses rule names outside the pattern, limits over 100 and an empty target list', async () => {
    expect(await refusal(events.send(new PutRuleCommand({ Name: 'my rule', ScheduleExpression: 'rate(1 minute)' })))).toEqual({
      name: 'ValidationException',
      status: 400,
      message: "1 validation error detected: Value 'my rule' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    });
    expect((await refusal(events.send(new ListRulesCommand({ Limit: 101 })))).message).toBe(
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
    await events.send(new PutRuleCommand({ Name: 'ok', ScheduleExpression: 'rate(1 minute)' }));
    expect((await refusal(events.send(new PutTargetsCommand({ Rule: 'ok', Targets: [] })))).message).toBe(
      "1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });
});

describe('CloudWatch Logs (awsJson1_1, InvalidParameterException)', () => {
  it('refuses log group names outside the pattern and limits over 50, and requires retentionInDays', async () => {
    expect(await refusal(logs.send(new CreateLogGroupCommand({ logGroupName: 'a:b' })))).toEqual({
      name: 'InvalidParameterException',
      status: 400,
      message: "1 validation error detected: Value 'a:b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    });
    expect((await refusal(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).message).toBe(
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ok' }));
    expect((await refusal(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/ok', retentionInDays: undefined })))).message).toBe(
      "1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null",
    );
  });
});
