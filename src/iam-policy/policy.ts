import { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS, type Grant } from './actions.js';
import { scopeSpec, type Condition, type Scope } from './scopes.js';
import { globalTableName } from '../stage/names.js';
import { accountOf, functionNames, healthTablePrefix, partitionOf, type PolicyTarget } from './target.js';
import { plannedResourceTypes } from './template-types.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export class UnknownResourceTypeError extends Error {
  readonly code = 'UnknownResourceType';
  constructor(readonly types: string[]) {
    super(`no IAM actions known for resource type(s) ${types.join(', ')}: add them to src/iam-policy/actions.ts`);
  }
}

/** The scopes in the order statements are printed. */
const ORDER: Scope[] = [
  'stacks', 'accountWide', 'regionOptStatus',
  'toolkitBucket', 'toolkitObjects', 'artifacts', 'stageMarker',
  'functions', 'rolesWithBoundary', 'roles', 'passRoles', 'logGroups', 'logGroupsDescribe', 'healthTables',
  'restApiList', 'restApiCreate', 'domainNameCreate', 'distributionCreate', 'restApis', 'certificates', 'distributions',
  'certificateTagOnCreate', 'distributionTagOnCreate', 'domainName', 'alarms', 'rules',
  'hostedZoneCreate', 'healthCheckCreate', 'hostedZone', 'serviceRecords', 'validationRecords', 'changes', 'healthChecks',
  'configuredCertificates', 'certificateRequest',
  'replicationBuckets', 'replicationObjects', 'viewTables', 'topics',
  'globalTable', 'globalTableReplicationRole', 'globalTableWitness', 'eventTopics', 'eventSourceMappingCreate', 'eventSourceMappings',
];

/**
 * The least-privilege policy for a principal that runs every regionctl command for one service and
 * stage: the SDK calls regionctl makes plus what CloudFormation calls for each resource type the
 * stage's stacks create (default: plannedResourceTypes), on that stage's resources only.
 */
export function buildIamPolicy(target: PolicyTarget, resourceTypes: readonly string[] = plannedResourceTypes(target), opts: { merge?: boolean } = {}): PolicyDocument {
  const unknown = resourceTypes.filter((t) => !RESOURCE_TYPE_GRANTS[t]);
  if (unknown.length > 0) throw new UnknownResourceTypeError(unknown);
  const grants: Grant[] = [...Object.values(SDK_COMMAND_GRANTS).flat(), ...resourceTypes.flatMap((t) => RESOURCE_TYPE_GRANTS[t])];
  const byScope = new Map<Scope, Set<string>>();
  for (const grant of grants) {
    const actions = byScope.get(grant.scope) ?? new Set<string>();
    for (const a of grant.actions) actions.add(a);
    byScope.set(grant.scope, actions);
  }
  const statements: PolicyStatement[] = [];
  const merged = new Map<string, PolicyStatement>();
  for (const scope of ORDER) {
    const actions = byScope.get(scope);
    if (!actions || actions.size === 0) continue;
    const spec = scopeSpec(scope, target);
    if (!spec) continue;
    const group = opts.merge === false ? undefined : MERGED.find((m) => m.scopes.includes(scope));
    const existing = group && merged.get(group.sid);
    if (existing) {
      existing.Action = [...new Set([...existing.Action, ...actions])].sort();
      existing.Resource = [...new Set([...existing.Resource, ...spec.resources])];
      continue;
    }
    const statement: PolicyStatement = { Sid: group?.sid ?? spec.sid, Effect: 'Allow', Action: [...actions].sort(), Resource: spec.resources, ...(spec.condition ? { Condition: spec.condition } : {}) };
    if (group) merged.set(group.sid, statement);
    statements.push(statement);
  }
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Scopes printed as one statement to stay within IAM's policy size quotas. Each group shares one
 * condition, and either the resource (`*`) or no service (API Gateway, ACM, CloudFront), so no
 * action reaches a resource it could not reach in its own statement (test/iam-policy/coverage.test.ts).
 */
const MERGED: Array<{ sid: string; scopes: Scope[] }> = [
  { sid: 'AccountLevelReadsAndCreates', scopes: ['accountWide', 'hostedZoneCreate', 'healthCheckCreate'] },
  { sid: 'CreateOnlyWithStageTags', scopes: ['restApiCreate', 'domainNameCreate', 'distributionCreate'] },
  { sid: 'TagOnCreateWithStageTags', scopes: ['certificateTagOnCreate', 'distributionTagOnCreate'] },
  { sid: 'StageTaggedResources', scopes: ['restApis', 'certificates', 'distributions'] },
];

/** IAM's quota for a customer managed policy, counted without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

export const policySize = (doc: PolicyDocument): number => JSON.stringify(doc).replace(/\s/g, '').length;

/**
 * The same statements spread over as few documents as fit the managed-policy quota (first fit,
 * largest first), for attaching as several managed policies: together they grant exactly `doc`.
 */
export function splitPolicy(doc: PolicyDocument, max = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
  const parts: PolicyDocument[] = [];
  const bySize = [...doc.Statement].sort((x, y) => policySize({ ...doc, Statement: [y] }) - policySize({ ...doc, Statement: [x] }));
  for (const statement of bySize) {
    if (policySize({ ...doc, Statement: [statement] }) > max) throw new Error(`statement ${statement.Sid} alone exceeds ${max} characters`);
    const part = parts.find((p) => policySize({ ...p, Statement: [...p.Statement, statement] }) <= max);
    if (part) part.Statement.push(statement);
    else parts.push({ Version: doc.Version, Statement: [statement] });
  }
  return parts;
}

/**
 * The permissions boundary every role of the stage's stacks must carry: the most any of its
 * functions may ever do (write its own logs; the check function's probe item), whatever inline
 * policy a template or a compromised deployer gives the role.
 */
export function buildBoundaryPolicy(target: PolicyTarget): PolicyDocument {
  const p = partitionOf(target);
  const a = accountOf(target);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: functionNames(target).map((f) => `arn:${p}:logs:*:${a}:log-group:/aws/lambda/${f}:*`),
      },
      {
        Sid: 'HealthProbeItem',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: [`arn:${p}:dynamodb:*:${a}:table/${healthTablePrefix(target)}*`],
      },
      // The events functions (events.yml): command, listener and query on the stage's global table,
      // the trigger reading its stream and publishing to the region's event topic.
      ...(target.table
        ? [
            {
              Sid: 'GlobalTableItems',
              Effect: 'Allow' as const,
              Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
              Resource: [`arn:${p}:dynamodb:*:${a}:table/${globalTableName(target)}`],
            },
            {
              Sid: 'GlobalTableStream',
              Effect: 'Allow' as const,
              Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
              Resource: [`arn:${p}:dynamodb:*:${a}:table/${globalTableName(target)}/stream/*`],
            },
            { Sid: 'PublishEvents', Effect: 'Allow' as const, Action: ['sns:Publish'], Resource: [`arn:${p}:sns:*:${a}:${target.service}-${target.stage}-events`] },
          ]
        : []),
      ...replicationBoundary(target),
    ],
  };
}

// The replicator reads and copies objects between the stage's buckets; the indexer writes and the
// search function scans the regional view table.
function replicationBoundary(target: PolicyTarget): PolicyStatement[] {
  const buckets = scopeSpec('replicationBuckets', target);
  const objects = scopeSpec('replicationObjects', target);
  const views = scopeSpec('viewTables', target);
  if (!buckets || !objects || !views) return [];
  return [
    { Sid: 'ReplicateObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: objects.resources },
    { Sid: 'ListReplicationBuckets', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: buckets.resources },
    { Sid: 'ReplicationView', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:Scan'], Resource: views.resources },
    // topology s3: S3 replicates with the stack's replication role.
    ...(target.replication?.topology === 's3'
      ? [
          { Sid: 'S3ReplicationRead', Effect: 'Allow' as const, Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: buckets.resources },
          {
            Sid: 'S3ReplicationCopy',
            Effect: 'Allow' as const,
            Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
            Resource: objects.resources,
          },
        ]
      : []),
  ];
}
