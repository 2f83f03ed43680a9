import { AwsError } from '../aws-error.js';
import { malformedPolicy } from './errors.js';

const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (isObject(principal)) return asArray(principal.AWS).includes('*');
  return false;
}

/**
 * Validate a bucket policy the way PutBucketPolicy does (MalformedPolicy with S3's messages),
 * and refuse public grants when the bucket blocks public policies (AccessDenied, as AWS does).
 */
export function checkBucketPolicy(bucket: string, text: string, blockPublicPolicy: boolean): void {
  let policy: Record<string, unknown>;
  try {
    if (!text.trimStart().startsWith('{')) throw new Error('not an object');
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error('not an object');
    policy = parsed;
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (policy.Statement === undefined) throw malformedPolicy('Missing required field Statement');
  const statements = asArray(policy.Statement);
  if (statements.length === 0) throw malformedPolicy('Could not parse the policy: Statement is empty!');
  for (const st of statements) {
    if (!isObject(st)) throw malformedPolicy('Statement is not an object');
    if (st.Effect === undefined) throw malformedPolicy('Missing required field Effect');
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformedPolicy(`Invalid effect: ${String(st.Effect)}`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal');
    const actions = asArray(st.Action ?? st.NotAction);
    if (actions.length === 0) throw malformedPolicy('Missing required field Action');
    if (actions.some((a) => typeof a !== 'string' || (a !== '*' && !/^s3:[A-Za-z*]+$/.test(a)))) throw malformedPolicy('Policy has invalid action');
    const resources = asArray(st.Resource ?? st.NotResource);
    if (resources.length === 0) throw malformedPolicy('Missing required field Resource');
    const ownArn = `arn:aws:s3:::${bucket}`;
    if (resources.some((r) => typeof r !== 'string' || (r !== ownArn && !r.startsWith(`${ownArn}/`))))
      throw malformedPolicy('Policy has invalid resource');
    if (blockPublicPolicy && st.Effect === 'Allow' && isPublicPrincipal(st.Principal) && !st.Condition)
      throw new AwsError('AccessDenied', 'Access Denied', 403);
  }
}
