// Where each group of actions may act. `*` appears only where AWS offers no resource-level permission
// or the resource's id is random and unknown before it exists; each such case says why.

export type Scope =
  | 'stacks'
  | 'toolkitBucket'
  | 'toolkitObjects'
  | 'functions'
  | 'roles'
  | 'logGroups'
  | 'tables'
  | 'apiGateway'
  | 'alarms'
  | 'rules'
  | 'hostedZones'
  | 'healthChecks'
  | 'certificates'
  | 'distributions'
  | 'account'
  | 'unscoped';

export interface ScopeNames {
  service: string;
  stage: string;
  partition?: string;
}

export function scopeResources(scope: Scope, names: ScopeNames): string[] {
  const p = names.partition ?? 'aws';
  const prefix = `${names.service}-${names.stage}`;
  switch (scope) {
    case 'stacks':
      return [`arn:${p}:cloudformation:*:*:stack/${prefix}-*/*`, `arn:${p}:cloudformation:*:*:stack/regionctl-toolkit/*`];
    case 'toolkitBucket':
      // CloudFormation names the bucket <stack>-<logical id>-<random>: regionctl-toolkit-artifactbucket-....
      return [`arn:${p}:s3:::regionctl-toolkit-*`];
    case 'toolkitObjects':
      return [`arn:${p}:s3:::regionctl-toolkit-*/*`];
    case 'functions':
      return [`arn:${p}:lambda:*:*:function:${prefix}-*`];
    case 'roles':
      // Roles without RoleName are named <stack>-<logical id>-<random>, and every stack is <service>-<stage>-*.
      return [`arn:${p}:iam::*:role/${prefix}-*`];
    case 'logGroups':
      return [`arn:${p}:logs:*:*:log-group:/aws/lambda/${prefix}-*`, `arn:${p}:logs:*:*:log-group:/aws/lambda/${prefix}-*:*`];
    case 'tables':
      return [`arn:${p}:dynamodb:*:*:table/${prefix}*`, `arn:${p}:dynamodb:*:*:table/${prefix}*/*`];
    case 'apiGateway':
      // API Gateway ids are random, and its IAM resources are paths, not names: /restapis/* is the narrowest.
      return [`arn:${p}:apigateway:*::/restapis`, `arn:${p}:apigateway:*::/restapis/*`, `arn:${p}:apigateway:*::/domainnames`, `arn:${p}:apigateway:*::/domainnames/*`, `arn:${p}:apigateway:*::/tags/*`];
    case 'alarms':
      return [`arn:${p}:cloudwatch:*:*:alarm:${prefix}-*`];
    case 'rules':
      return [`arn:${p}:events:*:*:rule/${prefix}-*`];
    case 'hostedZones':
      // The zone id is only known once the zone exists (or the dns stack creates it).
      return [`arn:${p}:route53:::hostedzone/*`, `arn:${p}:route53:::change/*`];
    case 'healthChecks':
      // Health-check ids are random UUIDs assigned by Route 53.
      return [`arn:${p}:route53:::healthcheck/*`];
    case 'certificates':
      // Certificate ids are random; RequestCertificate itself is in 'unscoped'.
      return [`arn:${p}:acm:*:*:certificate/*`];
    case 'distributions':
      // Distribution ids are random; CloudFront ARNs carry no region.
      return [`arn:${p}:cloudfront::*:distribution/*`];
    case 'account':
      return [`arn:${p}:account::*:account`];
    case 'unscoped':
      // Actions AWS does not authorise per resource (List*, Describe*Limits, Create* of random-id resources).
      return ['*'];
  }
}
