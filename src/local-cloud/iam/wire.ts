// awsQuery adapter for IAM: each operation parses its input with its schema (validations.ts), then
// calls the domain. Policy documents go out URL-encoded, as IAM itself returns them.

import type { z } from 'zod';
import type { QueryOp } from '../protocols/query.js';
import { withInput } from '../protocols/validation.js';
import type { Iam, ManagedPolicyRecord, RoleRecord } from './domain.js';
import { IAM_VALIDATION, iamInputs as inputs } from './validations.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** An operation bound to its schema; IAM refuses broken input with ValidationError. */
const op = <S extends z.ZodType>(schema: S, fn: (input: z.output<S>) => Record<string, unknown> | void): QueryOp =>
  withInput(schema, async (input: z.output<S>) => fn(input), IAM_VALIDATION);

function roleShape(r: RoleRecord): Record<string, unknown> {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: iso(r.CreateDate),
    AssumeRolePolicyDocument: encodeURIComponent(r.AssumeRolePolicyDocument),
    Description: r.Description,
    MaxSessionDuration: r.MaxSessionDuration,
    Tags: r.Tags.length > 0 ? r.Tags : undefined,
    PermissionsBoundary: r.PermissionsBoundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.PermissionsBoundary } : undefined,
  };
}

function policyShape(p: ManagedPolicyRecord, attachments: number): Record<string, unknown> {
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: 'v1',
    AttachmentCount: attachments,
    IsAttachable: true,
    Description: p.Description,
    CreateDate: iso(p.CreateDate),
    UpdateDate: iso(p.CreateDate),
  };
}

export function iamOps(iam: Iam): Record<string, QueryOp> {
  const attachments = (arn: string): number => iam.listRoles().filter((r) => r.attachedPolicies.includes(arn)).length;
  return {
    CreateRole: op(inputs.CreateRole, (i) => ({
      Role: roleShape(iam.createRole({
        RoleName: i.RoleName,
        AssumeRolePolicyDocument: i.AssumeRolePolicyDocument,
        Path: i.Path,
        Description: i.Description,
        MaxSessionDuration: i.MaxSessionDuration,
        Tags: i.Tags,
        PermissionsBoundary: i.PermissionsBoundary,
      })),
    })),
    GetRole: op(inputs.GetRole, (i) => ({ Role: roleShape(iam.getRole(i.RoleName)) })),
    DeleteRole: op(inputs.DeleteRole, (i) => iam.deleteRole(i.RoleName)),
    ListRoles: op(inputs.ListRoles, (i) => ({ Roles: iam.listRoles(i.PathPrefix).map(roleShape), IsTruncated: false })),
    UpdateRole: op(inputs.UpdateRole, (i) => {
      iam.updateRole(i.RoleName, { Description: i.Description, MaxSessionDuration: i.MaxSessionDuration });
      return {};
    }),
    PutRolePermissionsBoundary: op(inputs.PutRolePermissionsBoundary, (i) => iam.putRolePermissionsBoundary(i.RoleName, i.PermissionsBoundary)),
    DeleteRolePermissionsBoundary: op(inputs.DeleteRolePermissionsBoundary, (i) => iam.deleteRolePermissionsBoundary(i.RoleName)),
    UpdateAssumeRolePolicy: op(inputs.UpdateAssumeRolePolicy, (i) => iam.updateAssumeRolePolicy(i.RoleName, i.PolicyDocument)),
    PutRolePolicy: op(inputs.PutRolePolicy, (i) => iam.putRolePolicy(i.RoleName, i.PolicyName, i.PolicyDocument)),
    GetRolePolicy: op(inputs.GetRolePolicy, (i) => ({ RoleName: i.RoleName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(iam.getRolePolicy(i.RoleName, i.PolicyName)) })),
    DeleteRolePolicy: op(inputs.DeleteRolePolicy, (i) => iam.deleteRolePolicy(i.RoleName, i.PolicyName)),
    ListRolePolicies: op(inputs.ListRolePolicies, (i) => ({ PolicyNames: iam.listRolePolicies(i.RoleName), IsTruncated: false })),
    AttachRolePolicy: op(inputs.AttachRolePolicy, (i) => iam.attachRolePolicy(i.RoleName, i.PolicyArn)),
    DetachRolePolicy: op(inputs.DetachRolePolicy, (i) => iam.detachRolePolicy(i.RoleName, i.PolicyArn)),
    ListAttachedRolePolicies: op(inputs.ListAttachedRolePolicies, (i) => ({ AttachedPolicies: iam.listAttachedRolePolicies(i.RoleName), IsTruncated: false })),
    CreatePolicy: op(inputs.CreatePolicy, (i) => {
      const p = iam.createPolicy({ PolicyName: i.PolicyName, PolicyDocument: i.PolicyDocument, Path: i.Path, Description: i.Description });
      return { Policy: policyShape(p, 0) };
    }),
    GetPolicy: op(inputs.GetPolicy, (i) => ({ Policy: policyShape(iam.getPolicy(i.PolicyArn), attachments(i.PolicyArn)) })),
    DeletePolicy: op(inputs.DeletePolicy, (i) => iam.deletePolicy(i.PolicyArn)),
  };
}
