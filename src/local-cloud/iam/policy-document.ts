// IAM policy document checks, with IAM's own MalformedPolicyDocument messages.

import { AwsError } from '../aws-error.js';

export type PolicyKind = 'trust' | 'identity';

const malformed = (message: string): AwsError => new AwsError('MalformedPolicyDocument', message, 400);

/** Parse and check a policy document; objects (from CloudFormation) are accepted as-is. */
export function validatePolicyDocument(document: unknown, kind: PolicyKind): Record<string, any> {
  let doc: unknown = document;
  if (typeof document === 'string') {
    try {
      doc = JSON.parse(document);
    } catch {
      throw malformed('Syntax errors in policy.');
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('Syntax errors in policy.');
  const policy = doc as Record<string, any>;
  if (policy.Version !== undefined && policy.Version !== '2012-10-17' && policy.Version !== '2008-10-17') {
    throw malformed('The policy failed legacy parsing');
  }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const s of statements) checkStatement(s, kind);
  return policy;
}

function checkStatement(s: unknown, kind: PolicyKind): void {
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed('Syntax errors in policy.');
  const st = s as Record<string, any>;
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
