// CloudFormation resource providers for IAM: Role, Policy (inline, on roles) and ManagedPolicy, each
// declared with its type's full property set:
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-policy.html
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html
// The local cloud has roles only: a policy for IAM users or groups is refused, not dropped.

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { notImplemented } from '../aws-error.js';
import { cfnInteger, cfnJson, cfnString, cfnStrings, cfnTags } from '../cloudformation/property-types.js';
import { defineResource } from '../cloudformation/resource-properties.js';
import type { ResourceContext, ResourceProvider } from '../types.js';
import type { Iam } from './domain.js';

// CloudFormation's generated names: stack and logical id, truncated to fit, plus a random suffix.
export function generatedName(ctx: ResourceContext, max = 64): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const suffix = [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
  const prefix = `${ctx.stackName}-${ctx.logicalId}`.slice(0, max - suffix.length - 1);
  return `${prefix}-${suffix}`;
}

export const roleProperties = z.strictObject({
  AssumeRolePolicyDocument: cfnJson(),
  Description: cfnString().optional(),
  ManagedPolicyArns: cfnStrings().optional(),
  MaxSessionDuration: cfnInteger().optional(),
  Path: cfnString().optional(),
  PermissionsBoundary: cfnString().optional(),
  Policies: z.array(z.strictObject({ PolicyDocument: cfnJson(), PolicyName: cfnString() })).optional(),
  RoleName: cfnString().optional(),
  Tags: cfnTags().optional(),
});
type RoleProperties = z.output<typeof roleProperties>;

export const policyProperties = z.strictObject({
  Groups: cfnStrings().optional(),
  PolicyDocument: cfnJson(),
  PolicyName: cfnString(),
  Roles: cfnStrings().optional(),
  Users: cfnStrings().optional(),
});

export const managedPolicyProperties = z.strictObject({
  Description: cfnString().optional(),
  Groups: cfnStrings().optional(),
  ManagedPolicyName: cfnString().optional(),
  Path: cfnString().optional(),
  PolicyDocument: cfnJson(),
  Roles: cfnStrings().optional(),
  Users: cfnStrings().optional(),
});

/** Users and groups do not exist in the local cloud; a policy for them would silently do nothing. */
function rolesOnly(type: string, props: { Groups?: string[]; Users?: string[] }): void {
  if ((props.Groups?.length ?? 0) > 0 || (props.Users?.length ?? 0) > 0) throw notImplemented('iam', `${type} for IAM users or groups`);
}

export function iamResources(iam: Iam): ResourceProvider[] {
  const syncRole = (name: string, props: RoleProperties, old: Partial<RoleProperties>): void => {
    const wantedPolicies = props.Policies ?? [];
    for (const p of old.Policies ?? []) {
      if (!wantedPolicies.some((n) => n.PolicyName === p.PolicyName)) iam.deleteRolePolicy(name, p.PolicyName);
    }
    for (const p of wantedPolicies) iam.putRolePolicy(name, p.PolicyName, p.PolicyDocument);
    const wanted = props.ManagedPolicyArns ?? [];
    for (const arn of old.ManagedPolicyArns ?? []) if (!wanted.includes(arn)) iam.detachRolePolicy(name, arn);
    for (const arn of wanted) iam.attachRolePolicy(name, arn);
  };

  const removeRole = (name: string): void => {
    let r;
    try {
      r = iam.getRole(name);
    } catch {
      return;
    }
    for (const arn of [...r.attachedPolicies]) iam.detachRolePolicy(name, arn);
    for (const p of Object.keys(r.inlinePolicies)) iam.deleteRolePolicy(name, p);
    iam.deleteRole(name);
  };

  const role = defineResource({
    type: 'AWS::IAM::Role',
    properties: roleProperties,
    replaceOn: ['RoleName', 'Path'],
    async create(ctx, props) {
      const name = props.RoleName ?? generatedName(ctx);
      const created = iam.createRole({
        RoleName: name,
        AssumeRolePolicyDocument: props.AssumeRolePolicyDocument,
        Path: props.Path,
        Description: props.Description,
        MaxSessionDuration: props.MaxSessionDuration,
        Tags: props.Tags,
        PermissionsBoundary: props.PermissionsBoundary,
      });
      try {
        syncRole(name, props, {});
      } catch (err) {
        removeRole(name);
        throw err;
      }
      return { physicalId: name, attributes: { Arn: created.Arn, RoleId: created.RoleId } };
    },
    async update(_ctx, name, props, old) {
      iam.updateAssumeRolePolicy(name, props.AssumeRolePolicyDocument);
      // PermissionsBoundary updates in place (no interruption), as on AWS.
      if (props.PermissionsBoundary !== old.PermissionsBoundary) {
        if (props.PermissionsBoundary) iam.putRolePermissionsBoundary(name, props.PermissionsBoundary);
        else iam.deleteRolePermissionsBoundary(name);
      }
      iam.updateRole(name, { Description: props.Description ?? '', MaxSessionDuration: props.MaxSessionDuration ?? 3600 });
      syncRole(name, props, old);
      const r = iam.getRole(name);
      return { physicalId: name, attributes: { Arn: r.Arn, RoleId: r.RoleId } };
    },
    async delete(_ctx, name) {
      removeRole(name);
    },
  });

  // AWS::IAM::Policy has no ARN: it is an inline policy put on each listed role.
  const policy = defineResource({
    type: 'AWS::IAM::Policy',
    properties: policyProperties,
    async create(ctx, props) {
      rolesOnly('AWS::IAM::Policy', props);
      for (const roleName of props.Roles ?? []) iam.putRolePolicy(roleName, props.PolicyName, props.PolicyDocument);
      return { physicalId: generatedName({ ...ctx, stackName: ctx.stackName.slice(0, 5), logicalId: ctx.logicalId.slice(0, 5) }), attributes: {} };
    },
    async update(_ctx, physicalId, props, old) {
      rolesOnly('AWS::IAM::Policy', props);
      for (const roleName of old.Roles ?? []) {
        try {
          iam.deleteRolePolicy(roleName, old.PolicyName);
        } catch {
          // already gone
        }
      }
      for (const roleName of props.Roles ?? []) iam.putRolePolicy(roleName, props.PolicyName, props.PolicyDocument);
      return { physicalId, attributes: {} };
    },
    async delete(_ctx, _physicalId, props) {
      for (const roleName of props.Roles ?? []) {
        try {
          iam.deleteRolePolicy(roleName, props.PolicyName);
        } catch {
          // the role or policy is already gone
        }
      }
    },
  });

  const managedPolicy = defineResource({
    type: 'AWS::IAM::ManagedPolicy',
    properties: managedPolicyProperties,
    replaceOn: ['ManagedPolicyName', 'Path'],
    async create(ctx, props) {
      rolesOnly('AWS::IAM::ManagedPolicy', props);
      const created = iam.createPolicy({ PolicyName: props.ManagedPolicyName ?? generatedName(ctx, 128), PolicyDocument: props.PolicyDocument, Path: props.Path, Description: props.Description });
      for (const roleName of props.Roles ?? []) iam.attachRolePolicy(roleName, created.Arn);
      return { physicalId: created.Arn, attributes: { PolicyArn: created.Arn } };
    },
    async update(_ctx, arn, props, old) {
      rolesOnly('AWS::IAM::ManagedPolicy', props);
      iam.setPolicyDocument(arn, props.PolicyDocument);
      for (const roleName of old.Roles ?? []) if (!(props.Roles ?? []).includes(roleName)) iam.detachRolePolicy(roleName, arn);
      for (const roleName of props.Roles ?? []) iam.attachRolePolicy(roleName, arn);
      return { physicalId: arn, attributes: { PolicyArn: arn } };
    },
    async delete(_ctx, arn, props) {
      for (const roleName of props.Roles ?? []) {
        try {
          iam.detachRolePolicy(roleName, arn);
        } catch {
          // already detached
        }
      }
      try {
        iam.deletePolicy(arn);
      } catch {
        // already deleted
      }
    },
  });

  return [role, policy, managedPolicy];
}
