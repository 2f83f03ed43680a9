import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/cfn-yaml.js';
import { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS } from '../../src/iam-policy/actions.js';
import { buildBoundaryPolicy, buildIamPolicy, UnknownResourceTypeError } from '../../src/iam-policy/policy.js';
import { policyTarget, type PolicyTarget } from '../../src/iam-policy/target.js';
import { bundledResourceTypes, plannedResourceTypes } from '../../src/iam-policy/template-types.js';

const SRC = join(import.meta.dirname, '../../src');
const TEMPLATES = join(SRC, 'templates');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

// The deploying principal runs regionctl itself; the local cloud is not AWS and the Lambda handlers run
// under their own stack-defined roles.
const isRegionctlCode = (file: string) => {
  const rel = relative(SRC, file);
  return !rel.startsWith('local-cloud') && !rel.startsWith('lambdas');
};

/** `<client suffix>:<Name>Command` for every command regionctl constructs with `new X(`. */
function commandsUsed(): Map<string, string> {
  const used = new Map<string, string>();
  const importRe = /(?:import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*|\{([^}]*)\}\s*=\s*await\s+import\(\s*)'@aws-sdk\/client-([a-z0-9-]+)'/g;
  for (const file of sourceFiles(SRC).filter(isRegionctlCode)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      for (const raw of (m[1] ?? m[2]).split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
        if (name.endsWith('Command') && new RegExp(`new\\s+${name}\\s*\\(`).test(text)) used.set(`${m[3]}:${name}`, relative(SRC, file));
      }
    }
    // Commands taken from the lazily loaded SDK (src/aws/sdk.ts): new (sdk('@aws-sdk/client-x').NameCommand)(...).
    for (const m of text.matchAll(/\bsdk\('@aws-sdk\/client-([a-z0-9-]+)'\)\.(\w+Command)\b/g)) used.set(`${m[1]}:${m[2]}`, relative(SRC, file));
  }
  return used;
}

// Every optional stack on: the dns stack, the edge, certificates created by the stacks.
const FULL = {
  service: 'shop',
  stage: 'prod',
  regions: ['us-east-1', 'eu-west-1'],
  primaryRegion: 'us-east-1',
  dns: { zone: 'shop.example', createZone: true },
  cdn: true,
  permissionsBoundary: 'arn:aws:iam::123456789012:policy/regionctl/shop/prod/permissions-boundary',
  replication: { topology: 'ring' as const },
  table: { consistency: 'eventual' as const },
};
const full = policyTarget(FULL);
const actionsOf = (t: PolicyTarget) => new Set(buildIamPolicy(t).Statement.flatMap((s) => s.Action));

describe('iam-policy grants what regionctl and CloudFormation send', () => {
  it('finds the SDK commands regionctl sends (the scan itself works)', () => {
    const used = commandsUsed();
    expect(used.get('cloudformation:CreateChangeSetCommand')).toBeDefined();
    expect(used.get('s3:PutObjectCommand')).toBeDefined();
    expect(used.size).toBeGreaterThan(15);
  });

  it('maps every SDK command in src/ to IAM actions present in the policy', () => {
    const missing = [...commandsUsed()].filter(([key]) => !(key in SDK_COMMAND_GRANTS)).map(([key, file]) => `${key} (${file})`);
    expect(missing, 'add these to SDK_COMMAND_GRANTS in src/iam-policy/actions.ts').toEqual([]);
    // Describing configured certificates and an MRSC table's witness are the calls that depend on the config.
    const withCerts = policyTarget({
      ...FULL,
      dns: { ...FULL.dns, certificateArn: { 'us-east-1': 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } },
      table: { consistency: 'strong', witness: 'us-east-2' },
    });
    const allowed = actionsOf(withCerts);
    for (const [key] of commandsUsed()) {
      for (const grant of SDK_COMMAND_GRANTS[key]) for (const action of grant.actions) expect(allowed, `${key} → ${action}`).toContain(action);
    }
  });

  it('maps every resource type the stage creates to IAM actions present in the policy', () => {
    const types = plannedResourceTypes(full);
    expect(types).toEqual(bundledResourceTypes());
    const allowed = actionsOf(full);
    for (const type of types) {
      for (const grant of RESOURCE_TYPE_GRANTS[type]) for (const action of grant.actions) expect(allowed, `${type} → ${action}`).toContain(action);
    }
  });

  it('refuses a template resource type it has no actions for instead of printing a policy that fails later', () => {
    expect(() => buildIamPolicy(full, ['AWS::SQS::Queue'])).toThrow(UnknownResourceTypeError);
  });
});

describe('iam-policy grants nothing that is not sent', () => {
  it('lists no SDK command regionctl does not send', () => {
    const used = commandsUsed();
    expect(Object.keys(SDK_COMMAND_GRANTS).filter((key) => !used.has(key)), 'remove these from SDK_COMMAND_GRANTS').toEqual([]);
  });

  it('lists no resource type the bundled templates do not declare', () => {
    const bundled = bundledResourceTypes();
    expect(Object.keys(RESOURCE_TYPE_GRANTS).filter((t) => !bundled.includes(t))).toEqual([]);
  });

  it('grants only actions some sent command or created resource type needs', () => {
    const used = commandsUsed();
    const needed = new Set([
      ...[...used.keys()].flatMap((k) => SDK_COMMAND_GRANTS[k].flatMap((g) => g.actions)),
      ...plannedResourceTypes(full).flatMap((t) => RESOURCE_TYPE_GRANTS[t].flatMap((g) => g.actions)),
    ]);
    expect([...actionsOf(full)].filter((a) => !needed.has(a))).toEqual([]);
  });

  it("invokes only the stage's own functions (each region's canary for status and drills, any of them for regionctl invoke)", () => {
    const invoke = buildIamPolicy(full).Statement.filter((s) => s.Action.includes('lambda:InvokeFunction'));
    for (const resource of invoke.flatMap((s) => [s.Resource].flat())) expect(resource).toMatch(/^arn:aws:lambda:\*:123456789012:function:shop-prod-[a-z]+$/);
    expect(invoke.flatMap((s) => [s.Resource].flat())).toContain('arn:aws:lambda:*:123456789012:function:shop-prod-canary');
    expect(invoke.flatMap((s) => s.Action)).toContain('lambda:InvokeFunction');
  });

  it('grants none of the actions regionctl never sends (item reads and writes, alarm state)', () => {
    // Without a global table: item actions and replica creation only come with one.
    const allowed = actionsOf(policyTarget({ ...FULL, table: undefined, replication: undefined }));
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'cloudwatch:SetAlarmState',
      'iam:AttachRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'dynamodb:CreateTableReplica', 'iam:CreateServiceLinkedRole', 'sns:CreateTopic']) {
      expect(allowed, action).not.toContain(action);
    }
    for (const action of ['cloudwatch:SetAlarmState', 'iam:AttachRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:CreatePolicy', 'dynamodb:CreateGlobalTableWitness']) {
      expect(actionsOf(full), action).not.toContain(action);
    }
  });

  it('scopes the global table, its replicas and events to the stage: item actions on its own table only, the replication role by service name', () => {
    const bySid = Object.fromEntries(buildIamPolicy(full).Statement.map((s) => [s.Sid, s]));
    expect(bySid.GlobalTable.Resource).toEqual(['arn:aws:dynamodb:us-east-1:123456789012:table/shop-prod-things', 'arn:aws:dynamodb:eu-west-1:123456789012:table/shop-prod-things']);
    expect(bySid.GlobalTable.Action).toContain('dynamodb:CreateTableReplica');
    expect(bySid.GlobalTableReplicationRole).toMatchObject({ Action: ['iam:CreateServiceLinkedRole'], Condition: { StringEquals: { 'iam:AWSServiceName': 'replication.dynamodb.amazonaws.com' } } });
    expect(bySid.EventTopics.Resource).toEqual(['arn:aws:sns:*:123456789012:shop-prod-events', 'arn:aws:sns:*:123456789012:shop-prod-events:*']);
    expect(bySid.TriggerMappings.Condition).toEqual({ ArnLike: { 'lambda:FunctionArn': 'arn:aws:lambda:*:123456789012:function:shop-prod-trigger' } });
    // MRSC with a witness: the witness actions, on the witness region only.
    const witness = buildIamPolicy(policyTarget({ ...FULL, regions: ['us-east-1', 'us-west-2'], table: { consistency: 'strong', witness: 'us-east-2' } })).Statement;
    expect(witness.find((s) => s.Sid === 'GlobalTableWitness')).toMatchObject({ Resource: ['arn:aws:dynamodb:us-east-2:123456789012:table/shop-prod-things'] });
  });

  it('leaves out what the stage does not deploy: the zone, the edge, certificates regionctl.yml provides', () => {
    const minimal = policyTarget({
      ...FULL,
      dns: { zone: 'shop.example', createZone: false, certificateArn: { 'us-east-1': 'arn:aws:acm:us-east-1:123456789012:certificate/a', 'eu-west-1': 'arn:aws:acm:eu-west-1:123456789012:certificate/b' } },
      cdn: false,
    });
    const policy = buildIamPolicy(minimal);
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    for (const action of ['route53:CreateHostedZone', 'route53:DeleteHostedZone', 'cloudfront:CreateDistribution', 'cloudfront:DeleteDistribution', 'acm:RequestCertificate', 'acm:DeleteCertificate']) {
      expect(allowed, action).not.toContain(action);
    }
    const describe = policy.Statement.filter((s) => s.Action.includes('acm:DescribeCertificate'));
    expect(describe.flatMap((s) => s.Resource)).toEqual(['arn:aws:acm:eu-west-1:123456789012:certificate/b', 'arn:aws:acm:us-east-1:123456789012:certificate/a']);
    expect(plannedResourceTypes(minimal)).not.toContain('AWS::CertificateManager::Certificate');
  });
});

describe('iam-policy is least privilege in shape', () => {
  const policy = buildIamPolicy(full);

  it('names every action (no wildcards in actions)', () => {
    for (const s of policy.Statement) for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
  });

  it('uses "*" resources only for account-level reads and creates of resources whose id does not exist yet', () => {
    const star = policy.Statement.filter((s) => s.Resource.includes('*'));
    expect(star.map((s) => [s.Sid, s.Action])).toEqual([
      ['AccountLevelReadsAndCreates', ['cloudformation:DescribeAccountLimits', 'cloudformation:ListStacks', 'cloudwatch:GetMetricStatistics', 'lambda:GetAccountSettings',
        'lambda:ListEventSourceMappings', 'route53:CreateHealthCheck', 'route53:CreateHostedZone', 'route53:GetAccountLimit', 'route53:ListHostedZonesByName', 'route53:TestDNSAnswer',
        'servicequotas:GetServiceQuota']],
      ['RequestStageCertificates', ['acm:RequestCertificate']],
      ['CreateTriggerMappings', ['lambda:CreateEventSourceMapping']],
    ]);
    // The mapping create is bound to the stage's trigger function.
    expect(star[2].Condition).toEqual({ ArnLike: { 'lambda:FunctionArn': 'arn:aws:lambda:*:123456789012:function:shop-prod-trigger' } });
    // The certificate request is bound to the stage's names and tags.
    expect(star[1].Condition).toEqual({
      'ForAllValues:StringEquals': { 'acm:DomainNames': ['*.shop.example', 'shop.shop.example'] },
      StringEquals: { 'acm:ValidationMethod': 'DNS', 'aws:RequestTag/regionctl:service': 'shop', 'aws:RequestTag/regionctl:stage': 'prod' },
    });
  });

  it('printing some scopes as one statement lets no action reach a resource it could not reach alone', () => {
    const pairs = (doc: typeof policy) =>
      new Set(doc.Statement.flatMap((s) => s.Action.flatMap((a) => s.Resource.filter((r) => r === '*' || r.split(':')[2] === a.split(':')[0]).map((r) => `${a} ${r} ${JSON.stringify(s.Condition ?? {})}`))));
    const separate = buildIamPolicy(full, undefined, { merge: false });
    expect(policy.Statement.length).toBeLessThan(separate.Statement.length);
    expect([...pairs(policy)].sort()).toEqual([...pairs(separate)].sort());
  });

  it('names the account when permissionsBoundary gives it', () => {
    const stacks = policy.Statement.find((s) => s.Sid === 'StageStacks')!;
    expect(stacks.Resource).toContain('arn:aws:cloudformation:*:123456789012:stack/shop-prod-health/*');
    // The shared toolkit stack only in the stage's own regions.
    expect(stacks.Resource.filter((r) => r.includes('regionctl-toolkit'))).toEqual([
      'arn:aws:cloudformation:us-east-1:123456789012:stack/regionctl-toolkit/*',
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/regionctl-toolkit/*',
    ]);
    expect(buildIamPolicy(policyTarget({ ...FULL, permissionsBoundary: undefined })).Statement.find((s) => s.Sid === 'StageStacks')!.Resource).toContain(
      'arn:aws:cloudformation:*:*:stack/shop-prod-health/*',
    );
  });

  it('lets roles be created, given policies and boundaries only with the stage boundary, and passed only to Lambda', () => {
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.StageRolesOnlyWithBoundary).toEqual({
      Sid: 'StageRolesOnlyWithBoundary',
      Effect: 'Allow',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy'],
      Resource: ['arn:aws:iam::123456789012:role/regionctl/shop/prod/*'],
      Condition: { StringEquals: { 'iam:PermissionsBoundary': FULL.permissionsBoundary } },
    });
    expect(bySid.PassStageRolesToLambda).toMatchObject({
      Action: ['iam:PassRole'],
      Resource: ['arn:aws:iam::123456789012:role/regionctl/shop/prod/*'],
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    });
    const roleActions = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith('iam:'))).map((s) => s.Sid).sort();
    expect(roleActions).toEqual(['GlobalTableReplicationRole', 'PassStageRolesToLambda', 'StageRoles', 'StageRolesOnlyWithBoundary']);
  });
});

describe('the stage roles and their boundary', () => {
  type Template = { Parameters?: Record<string, unknown>; Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const templates = readdirSync(TEMPLATES).filter((f) => f.endsWith('.yml')).map((f) => [f, parseTemplate(readFileSync(join(TEMPLATES, f), 'utf8')) as Template] as const);
  const roles = templates.flatMap(([file, t]) => Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id, r]) => ({ file, id, t, props: r.Properties })));

  it('every role sits under the stage path and takes the boundary parameter (none when it is empty)', () => {
    expect(roles.map((r) => `${r.file}:${r.id}`)).toEqual([
      'events.yml:TriggerRole',
      'events.yml:ListenerRole',
      'events.yml:CommandRole',
      'events.yml:QueryRole',
      'health.yml:CheckRole',
      'health.yml:CanaryRole',
      'replication.yml:ReplicationRole',
      'replication.yml:ReplicatorRole',
      'replication.yml:IndexerRole',
      'replication.yml:SearchRole',
      'service.yml:HelloRole',
    ]);
    for (const r of roles) {
      expect(r.props.Path, r.id).toEqual({ 'Fn::Sub': '/regionctl/${Service}/${Stage}/' });
      expect(r.props.PermissionsBoundary, r.id).toEqual({ 'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundary' }, { Ref: 'AWS::NoValue' }] });
      expect(r.t.Parameters?.PermissionsBoundary, r.id).toMatchObject({ Type: 'String', Default: '' });
    }
  });

  it('the boundary allows every action the roles\' own policies grant, and nothing else', () => {
    const granted = new Set(roles.flatMap((r) => (r.props.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()))));
    // Topology s3 adds the role S3 replicates with; the ring's boundary leaves its actions out.
    const boundary = new Set(buildBoundaryPolicy(policyTarget({ ...FULL, replication: { topology: 's3' } })).Statement.flatMap((s) => s.Action));
    expect([...boundary].sort()).toEqual([...granted].sort());
    const ring = new Set(buildBoundaryPolicy(full).Statement.flatMap((s) => s.Action));
    expect([...granted].filter((a) => !ring.has(a)).sort()).toEqual([
      's3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging', 's3:GetReplicationConfiguration', 's3:ReplicateDelete', 's3:ReplicateObject', 's3:ReplicateTags',
    ]);
  });

  it('the canary schedule has the exact name the policy scopes EventBridge to', () => {
    const health = templates.find(([f]) => f === 'health.yml')![1];
    expect(health.Resources.CanarySchedule.Properties.Name).toEqual({ 'Fn::Sub': '${Service}-${Stage}-canary' });
  });
});
