import { describe, expect, it } from 'vitest';
import { CloudFormation } from '../../../src/local-cloud/cloudformation/domain.js';
import { Iam } from '../../../src/local-cloud/iam/domain.js';
import { iamResources } from '../../../src/local-cloud/iam/resources.js';
import { fakeCloud } from '../cloudformation/fake-cloud.js';

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] });

function setup(): { iam: Iam; cfn: CloudFormation } {
  const cloud = fakeCloud();
  const iam = new Iam(cloud.ctx);
  const providers = iamResources(iam);
  const resource = cloud.ctx.resource;
  cloud.ctx.resource = (type) => providers.find((p) => p.type === type) ?? resource(type);
  return { iam, cfn: new CloudFormation(cloud.ctx) };
}

describe('IAM roles', () => {
  it('creates roles with ARNs and ids, refuses duplicates and finds roles by ARN', () => {
    const { iam } = setup();
    const role = iam.createRole({ RoleName: 'fn-role', AssumeRolePolicyDocument: trust, Path: '/service/' });
    expect(role.Arn).toBe('arn:aws:iam::000000000000:role/service/fn-role');
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(iam.roleExists(role.Arn)).toBe(true);
    expect(iam.roleExists('arn:aws:iam::000000000000:role/other')).toBe(false);
    expect(() => iam.createRole({ RoleName: 'fn-role', AssumeRolePolicyDocument: trust })).toThrow('Role with name fn-role already exists.');
    expect(() => iam.getRole('nope')).toThrow('The role with name nope cannot be found.');
  });

  it('refuses to delete a role while policies are attached or inline', () => {
    const { iam } = setup();
    iam.createRole({ RoleName: 'r', AssumeRolePolicyDocument: trust });
    iam.attachRolePolicy('r', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    iam.putRolePolicy('r', 'inline', policy);
    expect(() => iam.deleteRole('r')).toThrow(expect.objectContaining({ code: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' }));
    iam.detachRolePolicy('r', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    expect(() => iam.deleteRole('r')).toThrow('Cannot delete entity, must delete policies first.');
    iam.deleteRolePolicy('r', 'inline');
    iam.deleteRole('r');
    expect(iam.listRoles()).toEqual([]);
    expect(() => iam.attachRolePolicy('x', 'arn:aws:iam::000000000000:policy/missing')).toThrow('The role with name x cannot be found.');
  });

  it('creates a role from a template with generated name, inline policies and managed policies, and deletes it with the stack', async () => {
    const { iam, cfn } = setup();
    const template = `
Resources:
  FunctionRoleWithAVeryLongLogicalIdThatWillNeedTruncationToFitSixtyFour:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
      Policies:
        - PolicyName: table
          PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: !Sub "arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/t" }] }
Outputs:
  Arn: { Value: !GetAtt FunctionRoleWithAVeryLongLogicalIdThatWillNeedTruncationToFitSixtyFour.Arn }
`;
    expect(() => cfn.createStack('us-east-1', { StackName: 'svc', TemplateBody: template })).toThrow('Requires capabilities : [CAPABILITY_IAM]');
    cfn.createStack('us-east-1', { StackName: 'svc', TemplateBody: template, Capabilities: ['CAPABILITY_IAM'] });
    await cfn.idle();
    expect(cfn.describeStacks('us-east-1', { StackName: 'svc' }).Stacks[0].StackStatus).toBe('CREATE_COMPLETE');
    const [role] = iam.listRoles();
    expect(role.RoleName).toMatch(/^svc-FunctionRoleWithAVeryLong[A-Za-z]*-[A-Z0-9]{12}$/);
    expect(role.RoleName.length).toBeLessThanOrEqual(64);
    expect(cfn.outputs('us-east-1', 'svc').Arn).toBe(role.Arn);
    expect(JSON.parse(iam.getRolePolicy(role.RoleName, 'table')).Statement[0].Resource).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/t');
    expect(iam.listAttachedRolePolicies(role.RoleName)).toEqual([{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }]);
    cfn.deleteStack('us-east-1', { StackName: 'svc' });
    await cfn.idle();
    expect(iam.listRoles()).toEqual([]);
  });

  it('keeps a permissions boundary that must exist, cannot be deleted while in use, and updates in place from a template', async () => {
    const { iam, cfn } = setup();
    const missing = 'arn:aws:iam::000000000000:policy/regionctl/none';
    expect(() => iam.createRole({ RoleName: 'r', AssumeRolePolicyDocument: trust, PermissionsBoundary: missing })).toThrow(
      expect.objectContaining({ code: 'NoSuchEntity', message: `Scope ARN: ${missing} does not exist or is not attachable.` }),
    );
    expect(() => iam.createRole({ RoleName: 'r', AssumeRolePolicyDocument: trust, PermissionsBoundary: 'not-an-arn' })).toThrow('ARN not-an-arn is not valid.');
    const boundary = iam.createPolicy({ PolicyName: 'boundary', Path: '/regionctl/', PolicyDocument: policy }).Arn;
    const template = (withBoundary: boolean) => `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Path: /regionctl/shop/dev/
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
${withBoundary ? `      PermissionsBoundary: ${boundary}
` : ''}`;
    cfn.createStack('us-east-1', { StackName: 'svc', TemplateBody: template(true), Capabilities: ['CAPABILITY_IAM'] });
    await cfn.idle();
    const [role] = iam.listRoles();
    expect(role).toMatchObject({ Path: '/regionctl/shop/dev/', PermissionsBoundary: boundary });
    expect(role.Arn).toMatch(/^arn:aws:iam::000000000000:role\/regionctl\/shop\/dev\/svc-Role-[A-Z0-9]{12}$/);
    expect(() => iam.deletePolicy(boundary)).toThrow(expect.objectContaining({ code: 'DeleteConflict' }));
    cfn.updateStack('us-east-1', { StackName: 'svc', TemplateBody: template(false), Capabilities: ['CAPABILITY_IAM'] });
    await cfn.idle();
    expect(iam.listRoles().map((r) => [r.RoleName, r.PermissionsBoundary])).toEqual([[role.RoleName, undefined]]);
    iam.deletePolicy(boundary);
  });

  it('fails the stack on a malformed inline policy and leaves no role behind', async () => {
    const { iam, cfn } = setup();
    const template = `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: named
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      Policies: [{ PolicyName: bad, PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:GetObject }] } }]
`;
    cfn.createStack('us-east-1', { StackName: 'bad', TemplateBody: template, Capabilities: ['CAPABILITY_NAMED_IAM'] });
    await cfn.idle();
    const failed = cfn.describeStackEvents('us-east-1', { StackName: 'bad' }).StackEvents.find((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed?.ResourceStatusReason).toBe('Policy statement must contain resources.');
    expect(iam.listRoles()).toEqual([]);
  });
});
