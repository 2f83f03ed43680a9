import { describe, expect, it } from 'vitest';
import { buildIamPolicy } from '../../src/iam-policy/policy.js';
import { policyTarget } from '../../src/iam-policy/target.js';
import { allowedBy, isAllowed, type AuthzRequest } from './evaluate.js';

// The policy for stage `dev` against requests on `dev`'s own resources and on `dev-eu`'s (a stage
// whose names start with `dev-`), evaluated as IAM would (test/iam-policy/evaluate.ts).
const ACCOUNT = '123456789012';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/regionctl/shop/dev/permissions-boundary`;
const config = (stage: string) => ({
  service: 'shop',
  stage,
  regions: ['us-east-1', 'eu-west-1'],
  primaryRegion: 'us-east-1',
  dns: { zone: 'shop.example', createZone: true },
  cdn: true,
  permissionsBoundary: BOUNDARY.replace('/dev/', `/${stage}/`),
});
const dev = buildIamPolicy(policyTarget(config('dev')));

const tags = (kind: 'ResourceTag' | 'RequestTag', stage: string) => ({ [`aws:${kind}/regionctl:service`]: 'shop', [`aws:${kind}/regionctl:stage`]: stage });

/** One request per kind of resource the stage owns, named or tagged for `stage`. */
function stageRequests(stage: string): Record<string, AuthzRequest> {
  const r = 'eu-west-1';
  const fn = `arn:aws:lambda:${r}:${ACCOUNT}:function:shop-${stage}-check`;
  const role = `arn:aws:iam::${ACCOUNT}:role/regionctl/shop/${stage}/shop-${stage}-health-CheckRole-ABC123`;
  const bucket = 'arn:aws:s3:::regionctl-toolkit-artifactbucket-1a2b3c';
  return {
    'deploy a stack': { action: 'cloudformation:CreateChangeSet', resource: `arn:aws:cloudformation:${r}:${ACCOUNT}:stack/shop-${stage}-health/0f3e` },
    'delete a stack': { action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/shop-${stage}-edge/0f3e` },
    'drill a function': { action: 'lambda:UpdateFunctionConfiguration', resource: fn },
    'replace function code': { action: 'lambda:UpdateFunctionCode', resource: fn },
    'create a role': { action: 'iam:CreateRole', resource: role, context: { 'iam:PermissionsBoundary': BOUNDARY.replace('/dev/', `/${stage}/`) } },
    'delete a role': { action: 'iam:DeleteRole', resource: role },
    'pass a role to Lambda': { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    'delete a log group': { action: 'logs:DeleteLogGroup', resource: `arn:aws:logs:${r}:${ACCOUNT}:log-group:/aws/lambda/shop-${stage}-hello` },
    'delete the health table': { action: 'dynamodb:DeleteTable', resource: `arn:aws:dynamodb:${r}:${ACCOUNT}:table/shop-${stage}-health-HealthTable-XYZ987` },
    'delete the alarm': { action: 'cloudwatch:DeleteAlarms', resource: `arn:aws:cloudwatch:${r}:${ACCOUNT}:alarm:shop-${stage}-${r}-5xx` },
    'delete the canary rule': { action: 'events:DeleteRule', resource: `arn:aws:events:${r}:${ACCOUNT}:rule/shop-${stage}-canary` },
    'delete a REST API': { action: 'apigateway:DELETE', resource: `arn:aws:apigateway:${r}::/restapis/a1b2c3d4e5`, context: tags('ResourceTag', stage) },
    'create a REST API': { action: 'apigateway:POST', resource: `arn:aws:apigateway:${r}::/restapis`, context: tags('RequestTag', stage) },
    'map the custom domain': { action: 'apigateway:POST', resource: `arn:aws:apigateway:${r}::/domainnames/${stage}-shop.shop.example/basepathmappings` },
    'change the latency record': {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/Z0123456789',
      context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`${stage}-shop.shop.example`], 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] },
    },
    'delete a certificate': { action: 'acm:DeleteCertificate', resource: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/1234`, context: tags('ResourceTag', stage) },
    'update the distribution': { action: 'cloudfront:UpdateDistribution', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E123`, context: tags('ResourceTag', stage) },
    'delete the distribution': { action: 'cloudfront:DeleteDistribution', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E123`, context: tags('ResourceTag', stage) },
    'write the stage marker': { action: 's3:PutObject', resource: `${bucket}/stages/shop/${stage}` },
  };
}

describe('the dev policy acts on dev and never on dev-eu', () => {
  for (const [what, req] of Object.entries(stageRequests('dev'))) {
    it(`allows dev to ${what}`, () => expect(allowedBy(dev, req), JSON.stringify(req)).toBeDefined());
  }
  for (const [what, req] of Object.entries(stageRequests('dev-eu'))) {
    it(`denies dev the right to ${what} of dev-eu`, () => expect(allowedBy(dev, req), JSON.stringify(req)).toBeUndefined());
  }

  it('denies stage names that merely share a prefix, whatever follows', () => {
    for (const stage of ['dev2', 'devx', 'de', 'dev-check']) {
      for (const [what, req] of Object.entries(stageRequests(stage))) expect(isAllowed(dev, req), `${stage}: ${what}`).toBe(false);
    }
  });
});

describe('no privilege escalation through roles', () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/regionctl/shop/dev/shop-dev-health-CheckRole-ABC123`;

  it('creates and extends roles only with the stage boundary', () => {
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:PutRolePermissionsBoundary']) {
      expect(isAllowed(dev, { action, resource: role, context: { 'iam:PermissionsBoundary': BOUNDARY } }), action).toBe(true);
      expect(isAllowed(dev, { action, resource: role }), `${action} without a boundary`).toBe(false);
      expect(isAllowed(dev, { action, resource: role, context: { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' } }), `${action} with another boundary`).toBe(false);
    }
  });

  it('cannot attach managed policies, drop a boundary, or touch roles outside the stage path', () => {
    expect(isAllowed(dev, { action: 'iam:AttachRolePolicy', resource: role, context: { 'iam:PermissionsBoundary': BOUNDARY } })).toBe(false);
    expect(isAllowed(dev, { action: 'iam:DeleteRolePermissionsBoundary', resource: role })).toBe(false);
    expect(isAllowed(dev, { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/admin`, context: { 'iam:PermissionsBoundary': BOUNDARY } })).toBe(false);
    expect(isAllowed(dev, { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/shop-dev-health-CheckRole-X`, context: { 'iam:PermissionsBoundary': BOUNDARY } })).toBe(false);
  });

  it('passes the stage roles only to Lambda', () => {
    expect(isAllowed(dev, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe(false);
    expect(isAllowed(dev, { action: 'iam:PassRole', resource: role })).toBe(false);
    expect(isAllowed(dev, { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/admin`, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe(false);
  });
});

describe('Route 53, certificates and distributions', () => {
  const zone = 'arn:aws:route53:::hostedzone/Z0123456789';
  const change = (names: string[], types: string[]) => ({
    action: 'route53:ChangeResourceRecordSets',
    resource: zone,
    context: { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names, 'route53:ChangeResourceRecordSetsRecordTypes': types },
  });

  it("changes only the stage's own record names (and ACM validation CNAMEs), nothing else in the zone", () => {
    expect(isAllowed(dev, change(['dev-shop.shop.example'], ['A']))).toBe(true);
    expect(isAllowed(dev, change(['shop.shop.example'], ['A']))).toBe(true);
    expect(isAllowed(dev, change(['_3f9a.shop.example'], ['CNAME']))).toBe(true);
    expect(isAllowed(dev, change(['dev-shop.shop.example', 'www.shop.example'], ['A']))).toBe(false);
    expect(isAllowed(dev, change(['shop.example'], ['A']))).toBe(false);
    expect(isAllowed(dev, change(['dev-shop.shop.example'], ['NS']))).toBe(false);
    expect(isAllowed(dev, change(['www.shop.example'], ['CNAME']))).toBe(false);
    expect(isAllowed(dev, change(['_3f9a.other.example'], ['CNAME']))).toBe(false);
  });

  it('deletes hosted zones only when it creates one, and only the zone named with --hosted-zone-id when given', () => {
    const del = { action: 'route53:DeleteHostedZone', resource: zone };
    expect(isAllowed(dev, del)).toBe(true);
    expect(isAllowed(buildIamPolicy(policyTarget({ ...config('dev'), dns: { zone: 'shop.example', createZone: false } })), del)).toBe(false);
    const pinned = buildIamPolicy(policyTarget(config('dev'), { hostedZoneId: 'Z999' }));
    expect(isAllowed(pinned, del)).toBe(false);
    expect(isAllowed(pinned, { ...del, resource: 'arn:aws:route53:::hostedzone/Z999' })).toBe(true);
    expect(isAllowed(pinned, { ...change(['dev-shop.shop.example'], ['A']), resource: 'arn:aws:route53:::hostedzone/Z999' })).toBe(true);
    expect(isAllowed(pinned, change(['dev-shop.shop.example'], ['A']))).toBe(false);
  });

  it('requests certificates only for the stage names, by DNS, tagged for the stage', () => {
    const request = (domains: string[], extra: Record<string, string> = {}) => ({
      action: 'acm:RequestCertificate',
      resource: '*',
      context: { 'acm:DomainNames': domains, 'acm:ValidationMethod': 'DNS', ...tags('RequestTag', 'dev'), ...extra },
    });
    expect(isAllowed(dev, request(['*.shop.example']))).toBe(true);
    expect(isAllowed(dev, request(['shop.shop.example']))).toBe(true);
    expect(isAllowed(dev, request(['bank.example']))).toBe(false);
    expect(isAllowed(dev, request(['*.shop.example'], { 'acm:ValidationMethod': 'EMAIL' }))).toBe(false);
    expect(isAllowed(dev, request(['*.shop.example'], { 'aws:RequestTag/regionctl:stage': 'prod' }))).toBe(false);
  });

  it('deletes no untagged certificate or distribution, and cannot re-tag another stage\'s to take it over', () => {
    const cert = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/1234`;
    expect(isAllowed(dev, { action: 'acm:DeleteCertificate', resource: cert })).toBe(false);
    expect(isAllowed(dev, { action: 'cloudfront:DeleteDistribution', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1` })).toBe(false);
    // Tagging a resource being created (no stage tag yet) with dev's tags is how CloudFormation tags on create.
    expect(isAllowed(dev, { action: 'acm:AddTagsToCertificate', resource: cert, context: tags('RequestTag', 'dev') })).toBe(true);
    expect(isAllowed(dev, { action: 'acm:AddTagsToCertificate', resource: cert, context: { ...tags('RequestTag', 'dev'), ...tags('ResourceTag', 'dev-eu') } })).toBe(false);
    expect(isAllowed(dev, { action: 'cloudfront:TagResource', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1`, context: { ...tags('RequestTag', 'dev'), ...tags('ResourceTag', 'dev-eu') } })).toBe(false);
  });

  it('creates REST APIs, domain names and distributions only tagged for the stage', () => {
    expect(isAllowed(dev, { action: 'apigateway:POST', resource: 'arn:aws:apigateway:eu-west-1::/restapis' })).toBe(false);
    expect(isAllowed(dev, { action: 'apigateway:POST', resource: 'arn:aws:apigateway:eu-west-1::/domainnames', context: tags('RequestTag', 'dev-eu') })).toBe(false);
    expect(isAllowed(dev, { action: 'cloudfront:CreateDistribution', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/*`, context: tags('RequestTag', 'dev') })).toBe(true);
    expect(isAllowed(dev, { action: 'cloudfront:CreateDistribution', resource: `arn:aws:cloudfront::${ACCOUNT}:distribution/*` })).toBe(false);
    // Listing REST APIs (doctor's quota check) is allowed; reading one that is not the stage's is not.
    expect(isAllowed(dev, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:eu-west-1::/restapis' })).toBe(true);
    expect(isAllowed(dev, { action: 'apigateway:GET', resource: 'arn:aws:apigateway:eu-west-1::/restapis/zzz' })).toBe(false);
  });
});

describe('the evaluator itself', () => {
  it('can say yes and no (so the tests above can fail)', () => {
    const policy = { Version: '2012-10-17' as const, Statement: [{ Sid: 'A', Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'], Condition: { StringEquals: { 'aws:RequestTag/k': 'v' } } }] };
    expect(allowedBy(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/x', context: { 'aws:RequestTag/k': 'v' } })).toBe('A');
    expect(allowedBy(policy, { action: 's3:getobject', resource: 'arn:aws:s3:::b/x', context: { 'aws:RequestTag/k': 'v' } })).toBe('A');
    expect(allowedBy(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/x' })).toBeUndefined();
    expect(allowedBy(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::bb/x', context: { 'aws:RequestTag/k': 'v' } })).toBeUndefined();
    expect(allowedBy(policy, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/x', context: { 'aws:RequestTag/k': 'v' } })).toBeUndefined();
  });
});
