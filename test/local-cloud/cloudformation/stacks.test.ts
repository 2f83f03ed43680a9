import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/local-cloud/aws-error.js';
import { fakeCloud } from './fake-cloud.js';

const R = 'us-east-1';

const base = `
Parameters:
  Stage: { Type: String, AllowedValues: [dev, prod], Default: dev }
  Secret: { Type: String, NoEcho: true, Default: hidden }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Role:
    Type: Test::Thing
    Properties: { Value: !Sub "role-\${Stage}" }
  Table:
    Type: Test::Thing
    Properties: { Value: !GetAtt Role.Arn }
  Api:
    Type: Test::Thing
    DependsOn: Table
    Properties: { Value: !Ref Role }
  ProdOnly:
    Type: Test::Thing
    Condition: IsProd
Outputs:
  RoleArn: { Value: !GetAtt Role.Arn, Export: { Name: !Sub "\${AWS::StackName}-role" } }
  ApiId: { Value: !Ref Api }
  Extra: { Condition: IsProd, Value: !Ref ProdOnly }
`;

function statuses(events: Array<Record<string, unknown>>, logicalId: string): unknown[] {
  return events.filter((e) => e.LogicalResourceId === logicalId).map((e) => e.ResourceStatus).reverse();
}

function code(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AwsError);
    return { code: (err as AwsError).code, message: (err as AwsError).message };
  }
  throw new Error('expected an AwsError');
}

describe('CloudFormation stacks', () => {
  it('creates resources in dependency order and resolves outputs, conditions and NoEcho parameters', async () => {
    const { cfn, calls } = fakeCloud();
    const { StackId } = cfn.createStack(R, { StackName: 'demo', TemplateBody: base });
    expect(StackId).toMatch(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/demo\/[0-9a-f-]{36}$/);
    expect(cfn.describeStacks(R, { StackName: 'demo' }).Stacks[0].StackStatus).toBe('CREATE_IN_PROGRESS');
    await cfn.idle();
    const stack = cfn.describeStacks(R, { StackName: 'demo' }).Stacks[0];
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(calls.filter((c) => !c.startsWith('start'))).toEqual(['create:Role', 'create:Table', 'create:Api']);
    expect(stack.Parameters).toEqual([{ ParameterKey: 'Stage', ParameterValue: 'dev' }, { ParameterKey: 'Secret', ParameterValue: '****' }]);
    expect(cfn.outputs(R, 'demo')).toEqual({ RoleArn: expect.stringMatching(/^arn:aws:test:us-east-1:000000000000:thing\/demo-Role-\d+$/), ApiId: expect.stringMatching(/^demo-Api-/) });
    expect((stack.Outputs as any[])[0].ExportName).toBe('demo-role');
    const events = cfn.describeStackEvents(R, { StackName: 'demo' }).StackEvents;
    expect(events[0]).toMatchObject({ LogicalResourceId: 'demo', ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'AWS::CloudFormation::Stack', Timestamp: '2026-01-01T00:00:00.000Z' });
    expect(statuses(events, 'Table')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(cfn.listStackResources(R, { StackName: 'demo' }).StackResourceSummaries.map((r) => r.LogicalResourceId)).toEqual(['Role', 'Table', 'Api']);
  });

  it('creates independent resources concurrently', async () => {
    const { cfn, calls } = fakeCloud();
    cfn.createStack(R, { StackName: 'par', TemplateBody: 'Resources: { A: { Type: Test::Thing }, B: { Type: Test::Thing } }' });
    await cfn.idle();
    expect(calls.slice(0, 2)).toEqual(['start:create:A', 'start:create:B']);
  });

  it('validates parameters, capabilities and names before starting', () => {
    const { cfn } = fakeCloud();
    expect(code(() => cfn.createStack(R, { StackName: 'p', TemplateBody: base, Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'qa' }] })))
      .toEqual({ code: 'ValidationError', message: "Parameter 'Stage' must be one of AllowedValues" });
    expect(code(() => cfn.createStack(R, { StackName: 'p', TemplateBody: base, Parameters: [{ ParameterKey: 'Nope', ParameterValue: 'x' }] })).message)
      .toBe('Parameters: [Nope] do not exist in the template');
    const needs = 'Parameters: { N: { Type: Number } }\nResources: { R: { Type: AWS::IAM::Role, Properties: { RoleName: x } } }';
    expect(code(() => cfn.createStack(R, { StackName: 'p', TemplateBody: needs })).message).toBe('Parameters: [N] must have values');
    expect(code(() => cfn.createStack(R, { StackName: 'p', TemplateBody: needs, Parameters: [{ ParameterKey: 'N', ParameterValue: 'ten' }] })).message).toBe("Parameter 'N' must be a number.");
    expect(code(() => cfn.createStack(R, { StackName: 'p', TemplateBody: needs, Parameters: [{ ParameterKey: 'N', ParameterValue: '1' }], Capabilities: ['CAPABILITY_IAM'] })))
      .toEqual({ code: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]' });
    expect(code(() => cfn.createStack(R, { StackName: 'p', TemplateBody: 'Resources: { R: { Type: AWS::IAM::Role } }' })).message).toBe('Requires capabilities : [CAPABILITY_IAM]');
    expect(code(() => cfn.createStack(R, { StackName: '1bad', TemplateBody: base })).message).toMatch(/at 'stackName' failed to satisfy constraint/);
    expect(code(() => cfn.createStack(R, { StackName: 'c', TemplateBody: 'Resources: { A: { Type: Test::Thing, DependsOn: B }, B: { Type: Test::Thing, DependsOn: A } }' })).message)
      .toBe('Circular dependency between resources: [A, B]');
    expect(code(() => cfn.createStack(R, { StackName: 'c', TemplateBody: 'Resources: { A: { Type: Test::Thing, Properties: { X: !Ref Ghost } } }' })).message)
      .toBe('Template format error: Unresolved resource dependencies [Ghost] in the Resources block of the template');
    expect(cfn.describeStacks(R, {}).Stacks).toEqual([]);
  });

  it('rolls back a failed create, deleting what it created, and then only allows deletion', async () => {
    const { cfn, existing } = fakeCloud();
    cfn.createStack(R, { StackName: 'bad', TemplateBody: 'Resources: { Ok: { Type: Test::Thing }, Broken: { Type: Test::Thing, DependsOn: Ok, Properties: { Fail: true } }, Never: { Type: Test::Thing, DependsOn: Broken } }' });
    await cfn.idle();
    const stack = cfn.describeStacks(R, { StackName: 'bad' }).Stacks[0];
    expect(stack.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect(existing.size).toBe(0);
    const events = cfn.describeStackEvents(R, { StackName: 'bad' }).StackEvents;
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')).toMatchObject({ LogicalResourceId: 'Broken', ResourceStatusReason: 'Broken refused to be created' });
    expect(events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason).toBe('The following resource(s) failed to create: [Broken]. Rollback requested by user.');
    expect(statuses(events, 'Ok')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(statuses(events, 'Never')).toEqual([]);
    expect(code(() => cfn.updateStack(R, { StackName: 'bad', UsePreviousTemplate: true })).message)
      .toBe(`Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`);
    cfn.deleteStack(R, { StackName: 'bad' });
    await cfn.idle();
    expect(code(() => cfn.describeStacks(R, { StackName: 'bad' })).message).toBe('Stack with id bad does not exist');
    expect(cfn.describeStacks(R, { StackName: stack.StackId as string }).Stacks[0].StackStatus).toBe('DELETE_COMPLETE');
  });

  // AWS refuses unknown types before anything runs (the AWS CLI conformance suite showed the
  // local cloud accepting them and failing at execution instead).
  it('refuses unrecognized resource types up front, creating nothing', async () => {
    const { cfn } = fakeCloud();
    expect(code(() => cfn.createStack(R, { StackName: 'u', TemplateBody: 'Resources: { Dist: { Type: AWS::Nope::Thing }, Ok: { Type: Test::Thing } }' }))).toEqual({
      code: 'ValidationError',
      message: 'Template format error: Unrecognized resource types: [AWS::Nope::Thing] (not an AWS type, or not implemented by the local cloud)',
    });
    expect(code(() => cfn.createChangeSet(R, { StackName: 'u', ChangeSetName: 'cs', ChangeSetType: 'CREATE', TemplateBody: 'Resources: { Dist: { Type: AWS::Nope::Thing } }' })).code).toBe('ValidationError');
    expect(cfn.describeStacks(R, {}).Stacks).toEqual([]);
  });

  it('updates in place, replaces on replaceOn properties, removes dropped resources, and says when nothing changes', async () => {
    const { cfn, calls, existing } = fakeCloud();
    const v1 = 'Resources: { A: { Type: Test::Thing, Properties: { Value: one } }, B: { Type: Test::Thing, Properties: { Name: b-1, Value: !Ref A } }, C: { Type: Test::Thing } }\nOutputs: { B: { Value: !Ref B } }';
    cfn.createStack(R, { StackName: 'up', TemplateBody: v1 });
    await cfn.idle();
    expect(code(() => cfn.updateStack(R, { StackName: 'up', TemplateBody: v1 })).message).toBe('No updates are to be performed.');
    calls.length = 0;
    const v2 = 'Resources: { A: { Type: Test::Thing, Properties: { Value: two } }, B: { Type: Test::Thing, Properties: { Name: b-2, Value: !Ref A } } }\nOutputs: { B: { Value: !Ref B } }';
    cfn.updateStack(R, { StackName: 'up', TemplateBody: v2 });
    await cfn.idle();
    expect(cfn.describeStacks(R, { StackName: 'up' }).Stacks[0].StackStatus).toBe('UPDATE_COMPLETE');
    expect(calls.filter((c) => !c.startsWith('start'))).toEqual(['update:A', 'create:B', 'delete:B', 'delete:C']);
    expect(cfn.outputs(R, 'up')).toEqual({ B: 'b-2' });
    expect([...existing].filter((id) => id.startsWith('b-'))).toEqual(['b-2']);
    const events = cfn.describeStackEvents(R, { StackName: 'up' }).StackEvents.map((e) => `${e.LogicalResourceId}:${e.ResourceStatus}`);
    expect(events.indexOf('up:UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBeGreaterThan(events.indexOf('up:UPDATE_COMPLETE'));
  });

  it('rolls back a failed update, restoring previous resources and outputs', async () => {
    const { cfn, calls, existing } = fakeCloud();
    const v1 = 'Resources: { A: { Type: Test::Thing, Properties: { Value: one } }, K: { Type: Test::Immutable, Properties: { Value: k1 } } }\nOutputs: { K: { Value: !Ref K } }';
    cfn.createStack(R, { StackName: 'rb', TemplateBody: v1 });
    await cfn.idle();
    const before = cfn.outputs(R, 'rb');
    calls.length = 0;
    const v2 = 'Resources: { A: { Type: Test::Thing, Properties: { Value: two } }, K: { Type: Test::Immutable, Properties: { Value: k2 } }, N: { Type: Test::Thing, DependsOn: [A, K] }, X: { Type: Test::Thing, DependsOn: N, Properties: { Fail: true } } }\nOutputs: { K: { Value: !Ref K } }';
    cfn.updateStack(R, { StackName: 'rb', TemplateBody: v2 });
    await cfn.idle();
    const stack = cfn.describeStacks(R, { StackName: 'rb' }).Stacks[0];
    expect(stack.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(cfn.outputs(R, 'rb')).toEqual(before);
    expect(cfn.getTemplate(R, { StackName: 'rb' }).TemplateBody).toBe(v1);
    expect(existing.size).toBe(2);
    expect(cfn.listStackResources(R, { StackName: 'rb' }).StackResourceSummaries.map((r) => r.LogicalResourceId).sort()).toEqual(['A', 'K']);
    expect(calls).toContain('delete:N');
    expect(calls.filter((c) => c === 'update:A')).toHaveLength(2);
    const stackEvents = cfn.describeStackEvents(R, { StackName: 'rb' }).StackEvents.filter((e) => e.LogicalResourceId === 'rb').map((e) => e.ResourceStatus).reverse();
    expect(stackEvents.slice(-4)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
  });

  it('refuses to update a stack whose operation is still running', () => {
    const { cfn } = fakeCloud();
    const { StackId } = cfn.createStack(R, { StackName: 'busy', TemplateBody: 'Resources: { A: { Type: Test::Thing } }' });
    expect(code(() => cfn.updateStack(R, { StackName: 'busy', TemplateBody: 'Resources: { B: { Type: Test::Thing } }' })).message)
      .toBe(`Stack:${StackId} is in CREATE_IN_PROGRESS state and can not be updated.`);
    expect(code(() => cfn.createStack(R, { StackName: 'busy', TemplateBody: 'Resources: { B: { Type: Test::Thing } }' })))
      .toEqual({ code: 'AlreadyExistsException', message: 'Stack [busy] already exists' });
  });

  it('imports values exported by another stack and refuses to delete an export in use', async () => {
    const { cfn } = fakeCloud();
    cfn.createStack(R, { StackName: 'net', TemplateBody: 'Resources: { V: { Type: Test::Thing } }\nOutputs: { V: { Value: !Ref V, Export: { Name: shared-v } } }' });
    await cfn.idle();
    expect(code(() => cfn.createStack(R, { StackName: 'app', TemplateBody: 'Resources: { A: { Type: Test::Thing, Properties: { Value: !ImportValue nope } } }' })).message).toBe('No export named nope found.');
    cfn.createStack(R, { StackName: 'app', TemplateBody: 'Resources: { A: { Type: Test::Thing, Properties: { Value: !ImportValue shared-v } } }\nOutputs: { Got: { Value: !GetAtt A.Value } }' });
    await cfn.idle();
    expect(cfn.outputs(R, 'app').Got).toBe(cfn.outputs(R, 'net').V);
    cfn.deleteStack(R, { StackName: 'net' });
    await cfn.idle();
    const net = cfn.describeStacks(R, { StackName: 'net' }).Stacks[0];
    expect(net).toMatchObject({ StackStatus: 'DELETE_FAILED', StackStatusReason: 'Export shared-v cannot be deleted as it is in use by app' });
  });

  it('keeps regions apart', async () => {
    const { cfn } = fakeCloud();
    cfn.createStack('us-east-1', { StackName: 'same', TemplateBody: 'Resources: { A: { Type: Test::Thing } }' });
    cfn.createStack('eu-west-1', { StackName: 'same', TemplateBody: 'Resources: { A: { Type: Test::Thing } }' });
    await cfn.idle();
    expect(cfn.describeStacks('eu-west-1', {}).Stacks).toHaveLength(1);
    expect(cfn.describeStacks('eu-west-1', {}).Stacks[0].StackId).toMatch(/:eu-west-1:/);
    expect(cfn.describeStacks('ap-south-1', {}).Stacks).toHaveLength(0);
  });
});
