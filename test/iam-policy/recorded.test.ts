import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand, type StackResource } from '@aws-sdk/client-cloudformation';
import { CreatePolicyCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { createContext } from '../../src/commands/context.js';
import { deployCommand } from '../../src/commands/deploy.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { doctorCommand } from '../../src/commands/doctor.js';
import { drillCommand } from '../../src/commands/drill.js';
import { statusCommand } from '../../src/commands/status.js';
import { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS } from '../../src/iam-policy/actions.js';
import { buildBoundaryPolicy, buildIamPolicy, type PolicyDocument } from '../../src/iam-policy/policy.js';
import { TAG_SERVICE, TAG_STAGE, type Scope } from '../../src/iam-policy/scopes.js';
import { plannedStacks, policyTarget, type PolicyTarget } from '../../src/iam-policy/target.js';
import { plannedResourceTypes } from '../../src/iam-policy/template-types.js';
import { createMemoryIo } from '../../src/io/index.js';
import { invokeCommand } from '../../src/commands/invoke.js';
import { replicationDrill } from '../../src/drill/replication.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import type { CloudRequest } from '../../src/local-cloud/types.js';
import { allowedBy, type AuthzRequest } from './evaluate.js';

// Both directions against the in-process local cloud: every request the deploying principal sends
// during deploy, status, doctor, a drill and destroy is allowed by the printed policy (each mapped to
// its IAM action, resource ARN and condition keys, as AWS authorises it), every SDK action the
// policy grants is actually sent, and every action CloudFormation needs on the resources the stacks
// really created is allowed on those resources (their real names, paths, ids and the stack's tags).
const ACCOUNT = '000000000000';
const DEPLOYER = 'AKIADEPLOYER';
const admin = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGIONS = ['us-east-1', 'eu-west-1'];
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/regionctl/shop/dev/permissions-boundary`;

let cloud: LocalCloud;
let clock: ManualClock;
let dir: string;
let policy: PolicyDocument;
let target: PolicyTarget;
const recorded: CloudRequest[] = [];

const context = (json = true) =>
  createContext({
    cwd: dir,
    env: { AWS_ACCESS_KEY_ID: DEPLOYER, AWS_SECRET_ACCESS_KEY: 'secret' },
    global: { json, color: false, verbose: false, endpoint: cloud.url },
    io: createMemoryIo({ json }),
  });

beforeAll(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, onRequest: (req) => recorded.push(req) });
  dir = mkdtempSync(join(tmpdir(), 'regionctl-iam-'));
  writeFileSync(
    join(dir, 'regionctl.yml'),
    `service: shop\nstage: dev\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\ncdn: true\npermissionsBoundary: ${BOUNDARY}\ntable: {}\n`,
  );
  const ctx = context();
  target = policyTarget(await ctx.loadConfig());
  policy = buildIamPolicy(target);
  // An administrator creates the boundary `iam-policy --boundary` prints, where the policy expects it.
  await new IAMClient({ region: 'us-east-1', endpoint: cloud.url, credentials: admin }).send(
    new CreatePolicyCommand({ PolicyName: 'permissions-boundary', Path: '/regionctl/shop/dev/', PolicyDocument: JSON.stringify(buildBoundaryPolicy(target)) }),
  );
}, 60_000);
afterAll(async () => {
  await cloud?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- one recorded request → what IAM authorises --------------------------------------------------

const stackArn = (region: string, nameOrArn: string) => (nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:cloudformation:${region}:${ACCOUNT}:stack/${nameOrArn}/x`);

function authorised(req: CloudRequest): AuthzRequest[] {
  const r = req.region;
  const body = req.body.toString('utf8');
  const target = req.headers['x-amz-target'] ?? '';
  const json = () => (body ? (JSON.parse(body) as Record<string, any>) : {});
  switch (req.service) {
    case 'sts':
      return []; // GetCallerIdentity needs no permission
    case 'cloudformation': {
      const p = new URLSearchParams(body);
      const action = p.get('Action')!;
      const stack = p.get('StackName');
      return [{ action: `cloudformation:${action}`, resource: stack ? stackArn(r, stack) : '*' }];
    }
    case 'monitoring': {
      const op = target.split('.')[1] ?? new URLSearchParams(body).get('Action');
      const names: string[] = target ? (json().AlarmNames ?? []) : [...new URLSearchParams(body).entries()].filter(([k]) => k.startsWith('AlarmNames.member')).map(([, v]) => v);
      return names.length ? names.map((n) => ({ action: `cloudwatch:${op}`, resource: `arn:aws:cloudwatch:${r}:${ACCOUNT}:alarm:${n}` })) : [{ action: `cloudwatch:${op}`, resource: '*' }];
    }
    case 'logs': {
      const op = target.split('.')[1];
      if (op === 'DescribeLogGroups') return [{ action: 'logs:DescribeLogGroups', resource: `arn:aws:logs:${r}:${ACCOUNT}:log-group:*` }];
      return [{ action: `logs:${op}`, resource: `arn:aws:logs:${r}:${ACCOUNT}:log-group:${json().logGroupName}` }];
    }
    case 'dynamodb': {
      const tables: string[] = json().TableName ? [json().TableName] : Object.keys(json().RequestItems ?? {});
      return tables.map((t) => ({ action: `dynamodb:${target.split('.')[1]}`, resource: `arn:aws:dynamodb:${r}:${ACCOUNT}:table/${t}` }));
    }
    case 'acm':
      return [{ action: `acm:${target.split('.')[1]}`, resource: json().CertificateArn ?? '*' }];
    case 'lambda': {
      const fn = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/.exec(req.path);
      if (fn) return [{ action: req.method === 'PUT' ? 'lambda:UpdateFunctionConfiguration' : 'lambda:GetFunctionConfiguration', resource: `arn:aws:lambda:${r}:${ACCOUNT}:function:${fn[1]}` }];
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.path);
      if (invoke) return [{ action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:${r}:${ACCOUNT}:function:${decodeURIComponent(invoke[1])}` }];
      if (req.path === '/2016-08-19/account-settings' || req.path === '/2016-08-19/account-settings/') return [{ action: 'lambda:GetAccountSettings', resource: '*' }];
      if (/^\/2015-03-31\/event-source-mappings\/?$/.test(req.path) && req.method === 'GET') return [{ action: 'lambda:ListEventSourceMappings', resource: '*' }];
      break;
    }
    case 'apigateway':
      return [{ action: `apigateway:${req.method}`, resource: `arn:aws:apigateway:${r}::${req.path}` }];
    case 'route53': {
      const path = req.path.replace(/^\/2013-04-01/, '');
      if (path === '/hostedzonesbyname') return [{ action: 'route53:ListHostedZonesByName', resource: '*' }];
      if (path === '/testdnsanswer') return [{ action: 'route53:TestDNSAnswer', resource: '*' }];
      if (path.startsWith('/accountlimit/')) return [{ action: 'route53:GetAccountLimit', resource: '*' }];
      const rrset = /^\/hostedzone\/([^/]+)\/rrset$/.exec(path);
      if (rrset && req.method === 'GET') return [{ action: 'route53:ListResourceRecordSets', resource: `arn:aws:route53:::hostedzone/${rrset[1]}` }];
      if (rrset && req.method === 'POST') return [{ action: 'route53:ChangeResourceRecordSets', resource: `arn:aws:route53:::hostedzone/${rrset[1]}` }];
      const status = /^\/healthcheck\/([^/]+)\/status$/.exec(path);
      if (status) return [{ action: 'route53:GetHealthCheckStatus', resource: `arn:aws:route53:::healthcheck/${status[1]}` }];
      const zone = /^\/hostedzone\/([^/]+)$/.exec(path);
      if (zone && req.method === 'GET') return [{ action: 'route53:GetHostedZone', resource: `arn:aws:route53:::hostedzone/${zone[1]}` }];
      const check = /^\/healthcheck\/([^/]+)$/.exec(path);
      if (check && req.method === 'GET') return [{ action: 'route53:GetHealthCheck', resource: `arn:aws:route53:::healthcheck/${check[1]}` }];
      break;
    }
    case 's3': {
      const [, bucket, ...rest] = req.path.split('/');
      const key = rest.join('/');
      const bucketArn = `arn:aws:s3:::${bucket}`;
      if (req.method === 'POST' && req.query.has('delete')) {
        return [...body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].flatMap((m) => {
          const k = /<Key>([^<]*)<\/Key>/.exec(m[1])![1];
          return [{ action: /<VersionId>/.test(m[1]) ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: `${bucketArn}/${k}` }];
        });
      }
      if (req.method === 'GET' && !key && req.query.has('versions')) return [{ action: 's3:ListBucketVersions', resource: bucketArn }];
      if (req.method === 'GET' && !key) return [{ action: 's3:ListBucket', resource: bucketArn, context: { 's3:prefix': req.query.get('prefix') ?? '' } }];
      if (req.method === 'HEAD' && key) return [{ action: 's3:GetObject', resource: `${bucketArn}/${key}` }, { action: 's3:ListBucket', resource: bucketArn }];
      if (req.method === 'PUT' && key) return [{ action: 's3:PutObject', resource: `${bucketArn}/${key}` }];
      if (req.method === 'GET' && key) return [{ action: 's3:GetObject', resource: `${bucketArn}/${key}` }];
      break;
    }
    case 'servicequotas':
      // GetServiceQuota takes no resource-level scope: IAM authorises it on "*".
      return [{ action: `servicequotas:${target.split('.')[1]}`, resource: '*' }];
    case 'account':
      if (req.path === '/getRegionOptStatus') return [{ action: 'account:GetRegionOptStatus', resource: `arn:aws:account::${ACCOUNT}:account` }];
      break;
  }
  throw new Error(`no IAM mapping for ${req.service} ${req.method} ${req.path} ${target}: extend authorised() in this test`);
}

const deployerRequests = () => recorded.filter((r) => /Credential=([^/]+)\//.exec(r.headers.authorization ?? '')?.[1] === DEPLOYER);

// ---- one created resource → the requests CloudFormation makes on it ------------------------------

interface Found {
  stack: string;
  region: string;
  resource: StackResource;
  tags: Record<string, string>;
}

async function createdResources(): Promise<Found[]> {
  const found: Found[] = [];
  for (const s of plannedStacks(target)) {
    const cfn = new CloudFormationClient({ region: s.region, endpoint: cloud.url, credentials: admin });
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: s.name }))).Stacks![0];
    const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key!, t.Value!]));
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: s.name }))).StackResources ?? [];
    for (const resource of resources) found.push({ stack: s.name, region: s.region, resource, tags });
  }
  return found;
}

const stageTags = (kind: 'ResourceTag' | 'RequestTag', tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:${kind}/${k}`, v]));

/** Where CloudFormation acts for a grant of `scope` on this resource, as AWS would see it. */
async function scopeRequest(scope: Scope, f: Found, all: Found[]): Promise<Omit<AuthzRequest, 'action'> | null | undefined> {
  const r = f.region;
  const id = f.resource.PhysicalResourceId!;
  const sibling = (type: string) => all.find((o) => o.stack === f.stack && o.region === f.region && o.resource.ResourceType === type)!.resource.PhysicalResourceId!;
  const zoneId = all.find((o) => o.resource.ResourceType === 'AWS::Route53::HostedZone')!.resource.PhysicalResourceId!;
  const bucket = all.find((o) => o.region === r && o.resource.ResourceType === 'AWS::S3::Bucket')!.resource.PhysicalResourceId!;
  switch (scope) {
    // Grants for the replication stack's resources (this stage deploys none): not this resource's.
    case 'replicationBuckets':
    case 'replicationObjects':
    case 'viewTables':
    case 'topics':
      return f.stack.endsWith('-replication') ? undefined : null;
    case 'toolkitBucket':
      return { resource: `arn:aws:s3:::${f.resource.ResourceType === 'AWS::S3::Bucket' ? id : bucket}` };
    case 'artifacts':
      return { resource: `arn:aws:s3:::${bucket}/artifacts/shop/dev/lambdas/check-0123456789ab.zip` };
    case 'healthTables':
      return { resource: `arn:aws:dynamodb:${r}:${ACCOUNT}:table/${id}` };
    case 'eventTopics': {
      const topic = all.find((o) => o.stack === f.stack && o.region === r && o.resource.ResourceType === 'AWS::SNS::Topic')!.resource.PhysicalResourceId!;
      return { resource: f.resource.ResourceType === 'AWS::SNS::Subscription' ? id : topic };
    }
    case 'eventSourceMappingCreate':
      return { resource: '*', context: { 'lambda:FunctionArn': `arn:aws:lambda:${r}:${ACCOUNT}:function:${sibling('AWS::Lambda::Function')}` } };
    case 'eventSourceMappings': {
      const trigger = all.find((o) => o.stack === f.stack && o.region === r && o.resource.LogicalResourceId === 'TriggerFunction')!.resource.PhysicalResourceId!;
      return { resource: `arn:aws:lambda:${r}:${ACCOUNT}:event-source-mapping:${id}`, context: { 'lambda:FunctionArn': `arn:aws:lambda:${r}:${ACCOUNT}:function:${trigger}` } };
    }
    case 'logGroups':
      return { resource: `arn:aws:logs:${r}:${ACCOUNT}:log-group:${id}` };
    case 'logGroupsDescribe':
      return { resource: `arn:aws:logs:${r}:${ACCOUNT}:log-group:*` };
    case 'roles':
    case 'rolesWithBoundary':
    case 'passRoles': {
      const roleName = f.resource.ResourceType === 'AWS::IAM::Role' ? id : undefined;
      const names = roleName ? [roleName] : all.filter((o) => o.stack === f.stack && o.region === r && o.resource.ResourceType === 'AWS::IAM::Role').map((o) => o.resource.PhysicalResourceId!);
      const role = (await new IAMClient({ region: 'us-east-1', endpoint: cloud.url, credentials: admin }).send(new GetRoleCommand({ RoleName: names[0] }))).Role!;
      const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
      return { resource: role.Arn!, context: { ...(boundary ? { 'iam:PermissionsBoundary': boundary } : {}), 'iam:PassedToService': 'lambda.amazonaws.com' } };
    }
    case 'functions':
      return { resource: `arn:aws:lambda:${r}:${ACCOUNT}:function:${f.resource.ResourceType === 'AWS::Lambda::Function' ? id : sibling('AWS::Lambda::Function')}` };
    case 'alarms':
      return { resource: `arn:aws:cloudwatch:${r}:${ACCOUNT}:alarm:${id}` };
    case 'rules':
      return { resource: id.startsWith('arn:') ? id : `arn:aws:events:${r}:${ACCOUNT}:rule/${id}` };
    case 'restApiCreate':
      return { resource: `arn:aws:apigateway:${r}::/restapis`, context: stageTags('RequestTag', f.tags) };
    case 'restApis': {
      const api = f.resource.ResourceType === 'AWS::ApiGateway::RestApi' ? id : sibling('AWS::ApiGateway::RestApi');
      const sub = f.resource.ResourceType === 'AWS::ApiGateway::RestApi' ? '' : `/${f.resource.ResourceType!.split('::')[2].toLowerCase()}s/${id}`;
      return { resource: `arn:aws:apigateway:${r}::/restapis/${api}${sub}`, context: stageTags('ResourceTag', f.tags) };
    }
    case 'domainNameCreate':
      return { resource: `arn:aws:apigateway:${r}::/domainnames`, context: stageTags('RequestTag', f.tags) };
    case 'domainName': {
      const domain = sibling('AWS::ApiGateway::DomainName');
      return { resource: `arn:aws:apigateway:${r}::/domainnames/${domain}${f.resource.ResourceType === 'AWS::ApiGateway::BasePathMapping' ? '/basepathmappings' : ''}` };
    }
    case 'hostedZone':
      return { resource: `arn:aws:route53:::hostedzone/${zoneId}` };
    case 'hostedZoneCreate':
    case 'healthCheckCreate':
      return { resource: '*' };
    case 'serviceRecords': {
      // The record's name, as the stack declares it, normalised as Route 53 does (lower case, no final dot).
      const name = f.stack.endsWith('-edge') ? `${target.service}.${target.zone}` : `${target.stage}-${target.service}.${target.zone}`;
      return { resource: `arn:aws:route53:::hostedzone/${zoneId}`, context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [name], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] } };
    }
    case 'changes':
      return { resource: 'arn:aws:route53:::change/C0123456789' };
    case 'healthChecks':
      return { resource: `arn:aws:route53:::healthcheck/${id}` };
    case 'certificateRequest': {
      const cert = (await new ACMClient({ region: r, endpoint: cloud.url, credentials: admin }).send(new DescribeCertificateCommand({ CertificateArn: id }))).Certificate!;
      return { resource: '*', context: { 'acm:DomainNames': [cert.DomainName!, ...(cert.SubjectAlternativeNames ?? [])], 'acm:ValidationMethod': 'DNS', ...stageTags('RequestTag', f.tags) } };
    }
    case 'certificateTagOnCreate':
      return { resource: id, context: stageTags('RequestTag', f.tags) };
    case 'certificates':
      return { resource: id, context: stageTags('ResourceTag', f.tags) };
    case 'validationRecords': {
      const cert = (await new ACMClient({ region: r, endpoint: cloud.url, credentials: admin }).send(new DescribeCertificateCommand({ CertificateArn: id }))).Certificate!;
      const names = (cert.DomainValidationOptions ?? []).map((o) => o.ResourceRecord?.Name?.replace(/\.$/, '').toLowerCase() ?? `_0f3a.${cert.DomainName!.replace(/^\*\./, '')}`);
      return { resource: `arn:aws:route53:::hostedzone/${zoneId}`, context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names, 'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'] } };
    }
    case 'distributionCreate':
      return { resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`, context: stageTags('RequestTag', f.tags) };
    case 'distributionTagOnCreate':
      return { resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`, context: stageTags('RequestTag', f.tags) };
    case 'distributions':
      return { resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`, context: stageTags('ResourceTag', f.tags) };
    default:
      return undefined;
  }
}

describe('the printed policy against what a deploying principal and CloudFormation really send', () => {
  let resources: Found[] = [];

  it('deploys, shows status, runs doctor and a drill with only the deployer key', async () => {
    // Replicas become ACTIVE on the cloud clock, which deploy (on the wall clock) waits for: keep it moving.
    const ticking = setInterval(() => void clock.advance(2000), 5);
    const deploy = context();
    await deployCommand(deploy).finally(() => clearInterval(ticking));
    expect(JSON.parse(deploy.io.stdout).ok).toBe(true);
    // Again with nothing changed: the path that compares the deployed template (GetTemplate).
    const again = context();
    await deployCommand(again);
    expect(JSON.parse(again.io.stdout).ok).toBe(true);
    resources = await createdResources();
    await statusCommand(context());
    await doctorCommand(context()).catch(() => undefined); // some checks warn locally; the calls are what count
    await drillCommand(context(), { action: 'simulate-unhealthy', region: 'eu-west-1' });
    await drillCommand(context(), { action: 'restore', all: true });
    await invokeCommand(context(), { function: 'query', region: 'eu-west-1', data: '{"id":"nothing"}' });
    // The replication drill's calls (a few samples), on the cloud clock.
    const aws = await context().aws();
    const drill = await replicationDrill({
      service: 'shop', stage: 'dev', regions: REGIONS, primaryRegion: 'us-east-1', table: { consistency: 'eventual' }, clients: aws, io: createMemoryIo(),
      clock: { now: () => clock.now(), sleep: (ms) => clock.advance(Math.ceil(ms)).then(() => new Promise((r) => setTimeout(r, 20))) },
      samples: 2,
    });
    expect(drill.events.writes).toBe(4);
  }, 300_000);

  it('tagged every stage stack with the tags the policy conditions on (CloudFormation propagates them)', () => {
    const stacks = new Map(resources.map((f) => [`${f.region}/${f.stack}`, f.tags]));
    expect(stacks.size).toBe(plannedStacks(target).length);
    for (const [name, tags] of stacks) {
      if (name.endsWith('/regionctl-toolkit')) continue;
      expect(tags, name).toMatchObject({ [TAG_SERVICE]: 'shop', [TAG_STAGE]: 'dev' });
    }
  });

  it("created the roles under the stage path with the stage's boundary", async () => {
    const iam = new IAMClient({ region: 'us-east-1', endpoint: cloud.url, credentials: admin });
    const roles = resources.filter((f) => f.resource.ResourceType === 'AWS::IAM::Role');
    expect(roles).toHaveLength(REGIONS.length * 7);
    for (const f of roles) {
      const role = (await iam.send(new GetRoleCommand({ RoleName: f.resource.PhysicalResourceId }))).Role!;
      expect(role.Path).toBe('/regionctl/shop/dev/');
      expect(role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(BOUNDARY);
    }
  });

  it('allows every action CloudFormation needs on each resource the stacks created, as created', async () => {
    expect(new Set(resources.map((f) => f.resource.ResourceType)).size).toBe(plannedResourceTypes(target).length);
    const denied: string[] = [];
    for (const f of resources) {
      for (const grant of RESOURCE_TYPE_GRANTS[f.resource.ResourceType!]) {
        const where = await scopeRequest(grant.scope, f, resources);
        if (where === null) continue;
        if (!where) throw new Error(`no request shape for scope ${grant.scope}: extend scopeRequest() in this test`);
        for (const action of grant.actions) {
          if (!allowedBy(policy, { action, ...where })) denied.push(`${f.stack}/${f.resource.LogicalResourceId} (${f.region}): ${action} on ${where.resource}`);
        }
      }
    }
    expect(denied).toEqual([]);
  });
  it('destroys with only the deployer key', async () => {
    const ticking = setInterval(() => void clock.advance(2000), 5);
    await destroyCommand(context(), { yes: true }).finally(() => clearInterval(ticking));
    expect(deployerRequests().length).toBeGreaterThan(50);
  }, 300_000);

  it('allows every request the deployer sent', () => {
    expect(new Set(deployerRequests().flatMap((req) => authorised(req).map((a) => a.action))).size).toBeGreaterThan(20);
    const denied = deployerRequests().flatMap((req) => authorised(req).filter((a) => !allowedBy(policy, a)).map((a) => `${req.service} ${req.method} ${req.path}: ${a.action} on ${a.resource}`));
    expect([...new Set(denied)]).toEqual([]);
  });

  it('grants no SDK action the deployer never sent (except calls that depend on state this run does not reach)', () => {
    const sent = new Set(deployerRequests().flatMap((req) => authorised(req).map((a) => a.action)));
    // DeleteChangeSet: only for a change set that found no changes (the template hash skips those);
    // GetTemplate: only for stacks deployed before the template hash output existed;
    // DescribeCertificate: only for certificates regionctl.yml names (none here);
    // ContinueUpdateRollback, ListChangeSets, DeleteLogGroup: only when deploy recovers a stack a killed or
    // failed run left behind, or a leftover log group (test/deploy/recovery tests send them);
    // ChangeResourceRecordSets: only when destroy finds ACM validation records in the zone it created
    // (CloudFormation writes them on AWS and under --realism aws; test/integration/realism.test.ts).
    const conditional = new Set([
      'route53:ChangeResourceRecordSets',
      'cloudformation:DeleteChangeSet',
      'cloudformation:GetTemplate',
      'acm:DescribeCertificate',
      'cloudformation:ContinueUpdateRollback',
      'cloudformation:ListChangeSets',
      'logs:DeleteLogGroup',
    ]);
    // UpdateTable with ReplicaUpdates is authorised as the actions DynamoDB then performs for the caller
    // (V2gt_IAM: the new replica's table and items, the replication service-linked role); the request
    // itself shows only UpdateTable. The MRSC witness actions: only for a strong table with a witness.
    const impliedByReplicas = new Set(SDK_COMMAND_GRANTS['dynamodb:UpdateTableCommand'].flatMap((g) => g.actions));
    const conditionalOnMrsc = new Set(['dynamodb:CreateGlobalTableWitness', 'dynamodb:DeleteGlobalTableWitness']);
    const granted = new Set(Object.values(SDK_COMMAND_GRANTS).flat().flatMap((g) => g.actions));
    expect(sent.has('dynamodb:UpdateTable')).toBe(true);
    expect([...granted].filter((a) => !sent.has(a) && !conditional.has(a) && !conditionalOnMrsc.has(a) && !impliedByReplicas.has(a)).sort()).toEqual([]);
  });

});
