import { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS, type Grant } from './actions.js';
import { scopeResources, type Scope, type ScopeNames } from './scopes.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export class UnknownResourceTypeError extends Error {
  constructor(readonly types: string[]) {
    super(`no IAM actions known for resource type(s) ${types.join(', ')}: add them to src/iam-policy/actions.ts`);
  }
}

const SIDS: Record<Scope, string> = {
  stacks: 'RegionctlStacks',
  toolkitBucket: 'ToolkitBucket',
  toolkitObjects: 'ToolkitObjects',
  functions: 'Functions',
  roles: 'FunctionRoles',
  logGroups: 'FunctionLogGroups',
  tables: 'Tables',
  apiGateway: 'ApiGateway',
  alarms: 'Alarms',
  rules: 'ScheduleRules',
  hostedZones: 'HostedZoneRecords',
  healthChecks: 'HealthChecks',
  certificates: 'Certificates',
  distributions: 'EdgeDistribution',
  account: 'RegionOptStatus',
  unscoped: 'AccountWideReadsAndCreates',
};

/**
 * The least-privilege policy for a principal that runs every regionctl command for one service and stage:
 * the SDK calls regionctl makes plus what CloudFormation needs for each resource type in `resourceTypes`
 * (pass bundledResourceTypes()).
 */
export function buildIamPolicy(names: ScopeNames, resourceTypes: readonly string[]): PolicyDocument {
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
  for (const scope of Object.keys(SIDS) as Scope[]) {
    const actions = byScope.get(scope);
    if (!actions || actions.size === 0) continue;
    const all = [...actions].sort();
    // PassRole gets its own statement so it can only hand the stack's roles to Lambda.
    const pass = all.filter((a) => a === 'iam:PassRole');
    const rest = all.filter((a) => a !== 'iam:PassRole');
    if (rest.length > 0) statements.push({ Sid: SIDS[scope], Effect: 'Allow', Action: rest, Resource: scopeResources(scope, names) });
    if (pass.length > 0) {
      statements.push({
        Sid: 'PassFunctionRolesToLambda',
        Effect: 'Allow',
        Action: pass,
        Resource: scopeResources(scope, names),
        Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      });
    }
  }
  return { Version: '2012-10-17', Statement: statements };
}
