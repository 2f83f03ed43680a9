// CloudFormation resource providers for IAM: Role, Policy (inline, on roles) and ManagedPolicy.

import { randomBytes } from 'node:crypto';
import type { ResourceContext, ResourceProvider } from '../types.js';
import type { Iam } from './domain.js';

// CloudFormation's generated names: stack and logical id, truncated to fit, plus a random suffix.
export function generatedName(ctx: ResourceContext, max = 64): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const suffix = [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
  const prefix = `${ctx.stackName}-${ctx.logicalId}`.slice(0, max - suffix.length - 1);
  return `${prefix}-${suffix}`;
}

const inlinePolicies = (props: Record<string, any>): Array<{ PolicyName: string; PolicyDocument: unknown }> => props.Policies ?? [];

export function iamResources(iam: Iam): ResourceProvider[] {
  const syncRole = (name: string, props: Record<string, any>, old: Record<string, any>): void => {
    for (const p of inlinePolicies(old)) {
      if (!inlinePolicies(props).some((n) => n.PolicyName === p.PolicyName)) iam.deleteRolePolicy(name, p.PolicyName);
    }
    for (const p of inlinePolicies(props)) iam.putRolePolicy(name, p.PolicyName, p.PolicyDocument);
    const wanted: string[] = props.ManagedPolicyArns ?? [];
    for (const arn of old.ManagedPolicyArns ?? []) if (!wanted.includes(arn)) iam.detachRolePolicy(name, arn);
    for (const arn of wanted) iam.attachRolePolicy(name, arn);
  };

  const role: ResourceProvider = {
    type: 'AWS::IAM::Role',
    replaceOn: ['RoleName', 'Path'],
    async create(ctx, props) {
      const name = props.RoleName ?? generatedName(ctx);
      const created = iam.createRole({
        RoleName: name,
        AssumeRolePolicyDocument: props.AssumeRolePolicyDocument,
        Path: props.Path,
        Description: props.Description,
        MaxSessionDuration: props.MaxSessionDuration === undefined ? undefined : Number(props.MaxSessionDuration),
        Tags: props.Tags,
        PermissionsBoundary: props.PermissionsBoundary,
      });
      try {
        syncRole(name, props, {});
      } catch (err) {
        await role.delete(ctx, name, props);
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
      iam.updateRole(name, { Description: props.Description ?? '', MaxSessionDuration: props.MaxSessionDuration === undefined ? 3600 : Number(props.MaxSessionDuration) });
      syncRole(name, props, old);
      const r = iam.getRole(name);
      return { physicalId: name, attributes: { Arn: r.Arn, RoleId: r.RoleId } };
    },
    async delete(_ctx, name) {
      let r;
      try {
        r = iam.getRole(name);
      } catch {
        return;
      }
      for (const arn of [...r.attachedPolicies]) iam.detachRolePolicy(name, arn);
      for (const p of Object.keys(r.inlinePolicies)) iam.deleteRolePolicy(name, p);
      iam.deleteRole(name);
    },
  };

  // AWS::IAM::Policy has no ARN: it is an inline policy put on each listed role.
  const policy: ResourceProvider = {
    type: 'AWS::IAM::Policy',
    async create(ctx, props) {
      for (const roleName of props.Roles ?? []) iam.putRolePolicy(roleName, props.PolicyName, props.PolicyDocument);
      return { physicalId: generatedName({ ...ctx, stackName: ctx.stackName.slice(0, 5), logicalId: ctx.logicalId.slice(0, 5) }), attributes: {} };
    },
    async update(_ctx, physicalId, props, old) {
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
  };

  const managedPolicy: ResourceProvider = {
    type: 'AWS::IAM::ManagedPolicy',
    replaceOn: ['ManagedPolicyName', 'Path'],
    async create(ctx, props) {
      const created = iam.createPolicy({ PolicyName: props.ManagedPolicyName ?? generatedName(ctx, 128), PolicyDocument: props.PolicyDocument, Path: props.Path, Description: props.Description });
      for (const roleName of props.Roles ?? []) iam.attachRolePolicy(roleName, created.Arn);
      return { physicalId: created.Arn, attributes: { PolicyArn: created.Arn } };
    },
    async update(_ctx, arn, props, old) {
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
  };

  return [role, policy, managedPolicy];
}
