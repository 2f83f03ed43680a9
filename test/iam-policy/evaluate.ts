import type { PolicyDocument } from '../../src/iam-policy/policy.js';

// The subset of IAM policy evaluation the printed policy uses: Allow statements only (anything not
// allowed is implicitly denied), Action/Resource with * and ? wildcards, and the condition operators
// StringEquals, StringLike, ArnLike, Null and their ForAllValues:/ForAnyValue: forms.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

export interface AuthzRequest {
  action: string;
  resource: string;
  /** Condition keys present in the request; multivalued keys as arrays. */
  context?: Record<string, string | string[]>;
}

function glob(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`, caseInsensitive ? 'is' : 's');
  return re.test(value);
}

function lookup(context: Record<string, string | string[]>, key: string): string[] | undefined {
  const hit = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!hit) return undefined;
  return Array.isArray(hit[1]) ? hit[1] : [hit[1]];
}

function conditionHolds(operator: string, block: Record<string, string | string[]>, context: Record<string, string | string[]>): boolean {
  const [qualifier, op] = operator.includes(':') ? operator.split(':') : [undefined, operator];
  const match = (wanted: string, value: string): boolean => {
    switch (op) {
      case 'StringEquals':
        return wanted === value;
      case 'StringLike':
      case 'ArnLike':
        return glob(wanted, value);
      default:
        throw new Error(`evaluator does not implement condition operator ${operator}`);
    }
  };
  return Object.entries(block).every(([key, raw]) => {
    const wanted = Array.isArray(raw) ? raw : [raw];
    const values = lookup(context, key);
    if (op === 'Null') return wanted.every((w) => (w === 'true' ? values === undefined : values !== undefined));
    if (qualifier === 'ForAllValues') return (values ?? []).every((v) => wanted.some((w) => match(w, v)));
    if (qualifier === 'ForAnyValue') return (values ?? []).some((v) => wanted.some((w) => match(w, v)));
    if (values === undefined || values.length !== 1) return false;
    return wanted.some((w) => match(w, values[0]));
  });
}

/** Which statement allows the request, or undefined (implicit deny). */
export function allowedBy(policy: PolicyDocument, req: AuthzRequest): string | undefined {
  const context = req.context ?? {};
  for (const s of policy.Statement) {
    if (!s.Action.some((a) => glob(a, req.action, true))) continue;
    if (!s.Resource.some((r) => glob(r, req.resource))) continue;
    if (!Object.entries(s.Condition ?? {}).every(([op, block]) => conditionHolds(op, block, context))) continue;
    return s.Sid;
  }
  return undefined;
}

export const isAllowed = (policy: PolicyDocument, req: AuthzRequest): boolean => allowedBy(policy, req) !== undefined;
