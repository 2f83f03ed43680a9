// Whether a function's execution role lets Lambda write its logs. AWS's runtime sends logs with the
// role's credentials: without logs:CreateLogGroup the group is not created, without
// logs:CreateLogStream + logs:PutLogEvents nothing is written, and the lines are silently dropped
// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs).

/** What this needs of the IAM domain (kept structural: the Lambda service does not import IAM). */
export interface IamView {
  getRole(name: string): { inlinePolicies: Record<string, string>; attachedPolicies: string[] };
  getPolicy(arn: string): { document: string };
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

// The logs part of the AWS managed policies a Lambda role commonly carries (the rest of each policy
// does not bear on logs). An AWS managed policy not listed here grants no logs permission.
const LAMBDA_LOGS: Statement = { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' };
const AWS_MANAGED: Record<string, Statement[]> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': [LAMBDA_LOGS],
  'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole': [LAMBDA_LOGS],
  'arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole': [LAMBDA_LOGS],
  'arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole': [LAMBDA_LOGS],
  'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole': [LAMBDA_LOGS],
  'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess': [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
  'arn:aws:iam::aws:policy/AdministratorAccess': [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

// Every invocation checks its role (logs are shipped per invocation): compiled patterns and parsed
// documents are kept, a bounded number of them, keyed by their text.
const CACHE_LIMIT = 1000;
function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}
const patterns = new Map<string, RegExp>();
const documents = new Map<string, Statement[]>();

// IAM wildcards: * any run of characters, ? one character. Actions compare case-insensitively.
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = cached(patterns, `${ignoreCase ? 'i' : 's'}${pattern}`, () =>
    new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, ignoreCase ? 'i' : ''));
  return re.test(value);
}

function applies(s: Statement, action: string, resource: string): boolean {
  const actionHit = s.Action !== undefined ? list(s.Action).some((p) => globMatch(p, action, true)) : !list(s.NotAction).some((p) => globMatch(p, action, true));
  const resourceHit = s.Resource !== undefined ? list(s.Resource).some((p) => globMatch(p, resource, false)) : !list(s.NotResource).some((p) => globMatch(p, resource, false));
  return actionHit && resourceHit;
}

/** The role's identity-policy statements, or undefined when the role does not exist (deleted meanwhile). */
function statementsOf(iam: IamView | undefined, roleArn: string): Statement[] | undefined {
  if (!iam) return undefined;
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  let role: ReturnType<IamView['getRole']>;
  try {
    role = iam.getRole(name);
  } catch {
    return undefined;
  }
  const statements: Statement[] = [];
  const add = (doc: string) => {
    statements.push(
      ...cached(documents, doc, () => {
        try {
          return [JSON.parse(doc).Statement ?? []].flat() as Statement[];
        } catch {
          return []; // IAM validated it when stored; an unreadable document grants nothing.
        }
      }),
    );
  };
  for (const doc of Object.values(role.inlinePolicies)) add(doc);
  for (const arn of role.attachedPolicies) {
    if (arn.startsWith('arn:aws:iam::aws:')) statements.push(...(AWS_MANAGED[arn] ?? []));
    else {
      try {
        add(iam.getPolicy(arn).document);
      } catch {
        // Deleted policy: grants nothing.
      }
    }
  }
  return statements;
}

/**
 * Explicit deny wins, then any allow; no statement means denied. Conditions are not evaluated:
 * a conditional allow does not count and a conditional deny does, so this is never kinder than IAM.
 */
export function roleAllows(iam: IamView | undefined, roleArn: string, action: string, resource: string): boolean {
  const statements = statementsOf(iam, roleArn);
  if (!statements) return false;
  const hits = statements.filter((s) => applies(s, action, resource));
  if (hits.some((s) => s.Effect === 'Deny')) return false;
  return hits.some((s) => s.Effect === 'Allow' && s.Condition === undefined);
}

/** What the role lets Lambda do with one invocation's log lines. */
export function logPermissions(iam: IamView | undefined, roleArn: string, region: string, accountId: string, group: string, stream: string): { createGroup: boolean; write: boolean } {
  const groupArn = `arn:aws:logs:${region}:${accountId}:log-group:${group}`;
  const streamArn = `${groupArn}:log-stream:${stream}`;
  return {
    createGroup: roleAllows(iam, roleArn, 'logs:CreateLogGroup', groupArn),
    write: roleAllows(iam, roleArn, 'logs:CreateLogStream', streamArn) && roleAllows(iam, roleArn, 'logs:PutLogEvents', streamArn),
  };
}
