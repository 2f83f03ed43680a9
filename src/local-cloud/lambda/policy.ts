import { AwsError } from '../aws-error.js';
import type { PolicyStatement } from './model.js';

export interface AddPermissionInput {
  StatementId?: string;
  Action?: string;
  Principal?: string;
  SourceArn?: string;
  SourceAccount?: string;
}

// AddPermission turns a bare principal into the statement form Lambda stores: services stay
// service principals, account ids become root ARNs, '*' stays '*'.
export function buildStatement(input: AddPermissionInput, resource: string): PolicyStatement {
  const { StatementId: sid, Action: action, Principal: principal } = input;
  if (!sid || !/^([a-zA-Z0-9-_.]+)$/.test(sid) || sid.length > 100) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${sid ?? 'null'}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`,
    );
  }
  if (!action || !/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${action ?? 'null'}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`,
    );
  }
  if (!principal) {
    throw new AwsError('ValidationException', "1 validation error detected: Value null at 'principal' failed to satisfy constraint: Member must not be null");
  }
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: 'Allow',
    Principal:
      principal === '*'
        ? '*'
        : /^\d{12}$/.test(principal)
          ? { AWS: `arn:aws:iam::${principal}:root` }
          : principal.startsWith('arn:')
            ? { AWS: principal }
            : { Service: principal },
    Action: action,
    Resource: resource,
  };
  if (input.SourceArn) statement.Condition = { ArnLike: { 'AWS:SourceArn': input.SourceArn } };
  if (input.SourceAccount) {
    statement.Condition = { ...statement.Condition, StringEquals: { 'AWS:SourceAccount': input.SourceAccount } };
  }
  return statement;
}

// IAM's ArnLike: '*' matches any run of characters (including ':' and '/'), '?' one character.
export function arnLike(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

const allowsInvoke = (action: string): boolean =>
  action === '*' || action === 'lambda:*' || action === 'lambda:InvokeFunction';

/** Whether a resource policy lets `principal` (a service principal) invoke, for a call from sourceArn. */
export function policyAllows(policy: PolicyStatement[], principal: string, sourceArn?: string): boolean {
  return policy.some((s) => {
    if (!allowsInvoke(s.Action)) return false;
    const p = s.Principal;
    const principalOk = p === '*' || ('Service' in p && p.Service === principal) || ('AWS' in p && p.AWS === principal);
    if (!principalOk) return false;
    const arnCondition = s.Condition?.ArnLike?.['AWS:SourceArn'];
    if (arnCondition && (!sourceArn || !arnLike(arnCondition, sourceArn))) return false;
    const accountCondition = s.Condition?.StringEquals?.['AWS:SourceAccount'];
    if (accountCondition && sourceArn?.split(':')[4] !== accountCondition) return false;
    return true;
  });
}

export const policyDocument = (statements: PolicyStatement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
