// The IAM domain: roles, inline role policies, customer managed policies and attachments.
// IAM is global, so state ignores the region.

import { randomBytes } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { validatePolicyDocument } from './policy-document.js';
import { dict, keyedState } from '../keyed.js';

export interface RoleRecord {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  Tags: Array<{ Key: string; Value: string }>;
  /** Managed policy ARN that caps the role's permissions. */
  PermissionsBoundary?: string;
  inlinePolicies: Record<string, string>;
  attachedPolicies: string[];
}

export interface ManagedPolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: number;
  document: string;
}

interface IamState {
  roles: Record<string, RoleRecord>;
  policies: Record<string, ManagedPolicyRecord>;
}

export interface CreateRoleInput {
  RoleName: string;
  AssumeRolePolicyDocument: unknown;
  Path?: string;
  Description?: string;
  MaxSessionDuration?: number;
  Tags?: Array<{ Key: string; Value: string }>;
  PermissionsBoundary?: string;
}

const noSuch = (message: string): AwsError => new AwsError('NoSuchEntity', message, 404);
const conflict = (message: string): AwsError => new AwsError('DeleteConflict', message, 409);

// IAM ids: a type prefix (AROA roles, ANPA policies) and 17 upper-case base32 characters.
function iamId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return prefix + [...randomBytes(17)].map((b) => alphabet[b % 32]).join('');
}

export class Iam {
  private readonly state: IamState;

  constructor(private readonly ctx: CloudContext) {
    this.state = keyedState<IamState>(ctx.state, 'iam', () => ({ roles: dict(), policies: dict() }));
  }

  createRole(input: CreateRoleInput): RoleRecord {
    checkName(input.RoleName, 'roleName');
    if (this.state.roles[input.RoleName]) throw new AwsError('EntityAlreadyExists', `Role with name ${input.RoleName} already exists.`, 409);
    const document = validatePolicyDocument(input.AssumeRolePolicyDocument, 'trust');
    const path = input.Path ?? '/';
    if (input.PermissionsBoundary !== undefined) this.checkBoundary(input.PermissionsBoundary);
    if (!/^\/([\x21-\x7e]*\/)?$/.test(path)) throw new AwsError('ValidationError', `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`, 400);
    const role: RoleRecord = {
      RoleName: input.RoleName,
      RoleId: iamId('AROA'),
      Arn: `arn:aws:iam::${this.ctx.accountId}:role${path}${input.RoleName}`,
      Path: path,
      CreateDate: this.ctx.clock.now(),
      AssumeRolePolicyDocument: JSON.stringify(document),
      Description: input.Description,
      MaxSessionDuration: input.MaxSessionDuration ?? 3600,
      Tags: input.Tags ?? [],
      PermissionsBoundary: input.PermissionsBoundary,
      inlinePolicies: dict(),
      attachedPolicies: [],
    };
    this.state.roles[role.RoleName] = role;
    this.ctx.state.changed('iam', 'roles', role.RoleName);
    return role;
  }

  getRole(name: string): RoleRecord {
    const role = this.state.roles[name];
    if (!role) throw noSuch(`The role with name ${name} cannot be found.`);
    return role;
  }

  /** For Lambda: does a role with this ARN exist? */
  roleExists(arn: string): boolean {
    return Object.values(this.state.roles).some((r) => r.Arn === arn);
  }

  listRoles(pathPrefix = '/'): RoleRecord[] {
    return Object.values(this.state.roles).filter((r) => r.Path.startsWith(pathPrefix));
  }

  updateRole(name: string, changes: { Description?: string; MaxSessionDuration?: number }): void {
    const role = this.getRole(name);
    if (changes.Description !== undefined) role.Description = changes.Description;
    if (changes.MaxSessionDuration !== undefined) role.MaxSessionDuration = changes.MaxSessionDuration;
    this.ctx.state.changed('iam', 'roles', name);
  }

  updateAssumeRolePolicy(name: string, document: unknown): void {
    const role = this.getRole(name);
    role.AssumeRolePolicyDocument = JSON.stringify(validatePolicyDocument(document, 'trust'));
    this.ctx.state.changed('iam', 'roles', name);
  }

  putRolePermissionsBoundary(name: string, policyArn: string): void {
    const role = this.getRole(name);
    this.checkBoundary(policyArn);
    role.PermissionsBoundary = policyArn;
    this.ctx.state.changed('iam', 'roles', name);
  }

  deleteRolePermissionsBoundary(name: string): void {
    const role = this.getRole(name);
    delete role.PermissionsBoundary;
    this.ctx.state.changed('iam', 'roles', name);
  }

  // A boundary must be a managed policy that exists (AWS managed ones always do).
  private checkBoundary(policyArn: string): void {
    if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(policyArn)) throw new AwsError('InvalidInput', `ARN ${policyArn} is not valid.`, 400);
    if (!policyArn.includes(':iam::aws:') && !this.state.policies[policyArn]) {
      throw noSuch(`Scope ARN: ${policyArn} does not exist or is not attachable.`);
    }
  }

  deleteRole(name: string): void {
    const role = this.getRole(name);
    if (role.attachedPolicies.length > 0) throw conflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(role.inlinePolicies).length > 0) throw conflict('Cannot delete entity, must delete policies first.');
    delete this.state.roles[name];
    this.ctx.state.changed('iam', 'roles', name);
  }

  putRolePolicy(roleName: string, policyName: string, document: unknown): void {
    checkName(policyName, 'policyName', 128);
    const role = this.getRole(roleName);
    role.inlinePolicies[policyName] = JSON.stringify(validatePolicyDocument(document, 'identity'));
    this.ctx.state.changed('iam', 'roles', roleName);
  }

  getRolePolicy(roleName: string, policyName: string): string {
    const doc = this.getRole(roleName).inlinePolicies[policyName];
    if (doc === undefined) throw noSuch(`The role policy with name ${policyName} cannot be found.`);
    return doc;
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    const role = this.getRole(roleName);
    if (!Object.hasOwn(role.inlinePolicies, policyName)) throw noSuch(`The role policy with name ${policyName} cannot be found.`);
    delete role.inlinePolicies[policyName];
    this.ctx.state.changed('iam', 'roles', roleName);
  }

  listRolePolicies(roleName: string): string[] {
    return Object.keys(this.getRole(roleName).inlinePolicies);
  }

  attachRolePolicy(roleName: string, policyArn: string): void {
    const role = this.getRole(roleName);
    if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/.test(policyArn)) throw new AwsError('InvalidInput', `ARN ${policyArn} is not valid.`, 400);
    // AWS managed policies always exist; customer managed ones must have been created here.
    if (!policyArn.includes(':iam::aws:') && !this.state.policies[policyArn]) {
      throw noSuch(`Policy ${policyArn} does not exist or is not attachable.`);
    }
    if (!role.attachedPolicies.includes(policyArn)) role.attachedPolicies.push(policyArn);
    this.ctx.state.changed('iam', 'roles', roleName);
  }

  detachRolePolicy(roleName: string, policyArn: string): void {
    const role = this.getRole(roleName);
    if (!role.attachedPolicies.includes(policyArn)) throw noSuch(`Policy ${policyArn} was not found.`);
    role.attachedPolicies = role.attachedPolicies.filter((a) => a !== policyArn);
    this.ctx.state.changed('iam', 'roles', roleName);
  }

  listAttachedRolePolicies(roleName: string): Array<{ PolicyName: string; PolicyArn: string }> {
    return this.getRole(roleName).attachedPolicies.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
  }

  createPolicy(input: { PolicyName: string; PolicyDocument: unknown; Path?: string; Description?: string }): ManagedPolicyRecord {
    checkName(input.PolicyName, 'policyName', 128);
    const path = input.Path ?? '/';
    const arn = `arn:aws:iam::${this.ctx.accountId}:policy${path}${input.PolicyName}`;
    if (this.state.policies[arn]) throw new AwsError('EntityAlreadyExists', `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`, 409);
    const policy: ManagedPolicyRecord = {
      PolicyName: input.PolicyName,
      PolicyId: iamId('ANPA'),
      Arn: arn,
      Path: path,
      Description: input.Description,
      CreateDate: this.ctx.clock.now(),
      document: JSON.stringify(validatePolicyDocument(input.PolicyDocument, 'identity')),
    };
    this.state.policies[arn] = policy;
    this.ctx.state.changed('iam', 'policies', arn);
    return policy;
  }

  getPolicy(arn: string): ManagedPolicyRecord {
    const policy = this.state.policies[arn];
    if (!policy) throw noSuch(`Policy ${arn} was not found.`);
    return policy;
  }

  setPolicyDocument(arn: string, document: unknown): void {
    this.getPolicy(arn).document = JSON.stringify(validatePolicyDocument(document, 'identity'));
    this.ctx.state.changed('iam', 'policies', arn);
  }

  deletePolicy(arn: string): void {
    this.getPolicy(arn);
    if (Object.values(this.state.roles).some((r) => r.attachedPolicies.includes(arn) || r.PermissionsBoundary === arn)) {
      throw conflict('Cannot delete a policy attached to entities.');
    }
    delete this.state.policies[arn];
    this.ctx.state.changed('iam', 'policies', arn);
  }
}

function checkName(name: string | undefined, field: string, max = 64): void {
  if (!name || name.length > max || !/^[\w+=,.@-]+$/.test(name)) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`, 400);
  }
}
