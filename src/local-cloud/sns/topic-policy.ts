// Evaluating a topic's access policy for a service that publishes to it (S3 event notifications):
// AWS checks the topic policy against the service principal and the request context S3 supplies
// (aws:SourceArn = the bucket ARN, aws:SourceAccount = the bucket owner). The default policy
// (`AWS:SourceOwner` = the account) does not let S3 publish: S3 sends no SourceOwner.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html

export interface ServicePublisher {
  /** Service principal, e.g. s3.amazonaws.com. */
  principal: string;
  sourceArn: string;
  sourceAccount: string;
}

type Statement = {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// IAM wildcards: '*' any run of characters, '?' one character; case-sensitive unless told otherwise.
function like(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(value);
}

function principalMatches(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as Record<string, unknown>;
  return list(p.Service).includes(service) || list(p.AWS).includes('*');
}

function actionMatches(statement: Statement): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((a) => typeof a === 'string' && like(a, 'sns:Publish', true));
  return list(statement.Action).some((a) => typeof a === 'string' && like(a, 'sns:Publish', true));
}

function resourceMatches(statement: Statement, topicArn: string): boolean {
  return list(statement.Resource ?? '*').some((r) => typeof r === 'string' && like(r, topicArn));
}

// Condition keys are case-insensitive; a key the request context lacks fails its condition.
function conditionsHold(conditions: Statement['Condition'], context: Record<string, string>): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([operator, keys]) =>
    Object.entries(keys ?? {}).every(([key, wanted]) => {
      const value = context[key.toLowerCase()];
      if (value === undefined) return operator.endsWith('IfExists');
      const op = operator.replace(/IfExists$/, '');
      const values = list(wanted).map(String);
      switch (op) {
        case 'ArnEquals':
        case 'StringEquals':
          return values.includes(value);
        case 'StringEqualsIgnoreCase':
          return values.some((w) => w.toLowerCase() === value.toLowerCase());
        case 'ArnLike':
        case 'StringLike':
          return values.some((w) => like(w, value));
        case 'ArnNotEquals':
        case 'StringNotEquals':
          return !values.includes(value);
        case 'ArnNotLike':
        case 'StringNotLike':
          return !values.some((w) => like(w, value));
        default:
          return false; // an operator this evaluator does not know never grants
      }
    }),
  );
}

/** Whether the topic policy lets the service publish: some Allow matches and no Deny does. */
export function topicPolicyAllows(policyText: string | undefined, topicArn: string, publisher: ServicePublisher): boolean {
  let statements: Statement[];
  try {
    statements = list((JSON.parse(policyText ?? '{}') as { Statement?: unknown }).Statement) as Statement[];
  } catch {
    return false;
  }
  const context = { 'aws:sourcearn': publisher.sourceArn, 'aws:sourceaccount': publisher.sourceAccount };
  const applies = (s: Statement) =>
    (s.NotPrincipal === undefined ? principalMatches(s.Principal, publisher.principal) : !principalMatches(s.NotPrincipal, publisher.principal)) &&
    actionMatches(s) &&
    resourceMatches(s, topicArn) &&
    conditionsHold(s.Condition, context);
  if (statements.some((s) => s?.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s?.Effect === 'Allow' && applies(s));
}
