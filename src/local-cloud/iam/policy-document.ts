// IAM policy document checks, with IAM's own MalformedPolicyDocument messages.

import { AwsError } from '../aws-error.js';

export type PolicyKind = 'trust' | 'identity';

const malformed = (message: string): AwsError => new AwsError('MalformedPolicyDocument', message, 400);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parse and check a policy document; objects (from CloudFormation) are accepted as-is. */
export function validatePolicyDocument(document: unknown, kind: PolicyKind): Record<string, unknown> {
  let doc: unknown = document;
  if (typeof document === 'string') {
    try {
      doc = JSON.parse(document);
    } catch {
      throw malformed('Syntax errors in policy.');
    }
  }
  if (!isObject(doc)) throw malformed('Syntax errors in policy.');
  const { Version: version, Statement: statement } = doc;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    throw malformed('The policy failed legacy parsing');
  }
  const statements: unknown[] = Array.isArray(statement) ? statement : statement ? [statement] : [];
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const s of statements) checkStatement(s, kind);
  return doc;
}

function checkStatement(s: unknown, kind: PolicyKind): void {
  if (!isObject(s)) throw malformed('Syntax errors in policy.');
  const st = s;
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
  const actions = st.Action ?? st.NotAction;
  if (actions === undefined) throw malformed('Policy statement must contain actions.');
  for (const action of [actions].flat()) {
    if (typeof action !== 'string') throw malformed('Syntax errors in policy.');
    if (action !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(action)) {
      throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    }
  }
  if (kind === 'identity') {
    if (st.Principal !== undefined || st.NotPrincipal !== undefined) throw malformed('Policy document should not specify a principal.');
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed('Policy statement must contain resources.');
  } else {
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw malformed('Missing required field Principal');
    if (st.Resource !== undefined || st.NotResource !== undefined) throw malformed('Has prohibited field Resource');
  }
}
