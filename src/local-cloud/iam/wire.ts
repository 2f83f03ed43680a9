// awsQuery adapter for IAM. Policy documents go out URL-encoded, as IAM itself returns them.

import type { QueryOp } from '../protocols/query.js';
import type { Iam, ManagedPolicyRecord, RoleRecord } from './domain.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const list = <T>(v: unknown): T[] | undefined => (Array.isArray(v) ? (v as T[]) : v === undefined ? undefined : []);

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
    CreateRole: async (i) => ({
      Role: roleShape(iam.createRole({
        RoleName: i.RoleName,
        AssumeRolePolicyDocument: i.AssumeRolePolicyDocument,
        Path: i.Path,
        Description: i.Description,
        MaxSessionDuration: i.MaxSessionDuration === undefined ? undefined : Number(i.MaxSessionDuration),
        Tags: list(i.Tags),
        PermissionsBoundary: i.PermissionsBoundary,
      })),
    }),
    GetRole: async (i) => ({ Role: roleShape(iam.getRole(i.RoleName)) }),
    DeleteRole: async (i) => iam.deleteRole(i.RoleName),
    ListRoles: async (i) => ({ Roles: iam.listRoles(i.PathPrefix).map(roleShape), IsTruncated: false }),
    UpdateRole: async (i) => {
      iam.updateRole(i.RoleName, { Description: i.Description, MaxSessionDuration: i.MaxSessionDuration === undefined ? undefined : Number(i.MaxSessionDuration) });
      return {};
    },
    PutRolePermissionsBoundary: async (i) => iam.putRolePermissionsBoundary(i.RoleName, i.PermissionsBoundary),
    DeleteRolePermissionsBoundary: async (i) => iam.deleteRolePermissionsBoundary(i.RoleName),
    UpdateAssumeRolePolicy: async (i) => iam.updateAssumeRolePolicy(i.RoleName, i.PolicyDocument),
    PutRolePolicy: async (i) => iam.putRolePolicy(i.RoleName, i.PolicyName, i.PolicyDocument),
    GetRolePolicy: async (i) => ({ RoleName: i.RoleName, PolicyName: i.PolicyName, PolicyDocument: encodeURIComponent(iam.getRolePolicy(i.RoleName, i.PolicyName)) }),
    DeleteRolePolicy: async (i) => iam.deleteRolePolicy(i.RoleName, i.PolicyName),
    ListRolePolicies: async (i) => ({ PolicyNames: iam.listRolePolicies(i.RoleName), IsTruncated: false }),
    AttachRolePolicy: async (i) => iam.attachRolePolicy(i.RoleName, i.PolicyArn),
    DetachRolePolicy: async (i) => iam.detachRolePolicy(i.RoleName, i.PolicyArn),
    ListAttachedRolePolicies: async (i) => ({ AttachedPolicies: iam.listAttachedRolePolicies(i.RoleName), IsTruncated: false }),
    CreatePolicy: async (i) => {
      const p = iam.createPolicy({ PolicyName: i.PolicyName, PolicyDocument: i.PolicyDocument, Path: i.Path, Description: i.Description });
      return { Policy: policyShape(p, 0) };
    },
    GetPolicy: async (i) => ({ Policy: policyShape(iam.getPolicy(i.PolicyArn), attachments(i.PolicyArn)) }),
    DeletePolicy: async (i) => iam.deletePolicy(i.PolicyArn),
  };
}
