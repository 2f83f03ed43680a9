// The typed service registry: which domain object each service of the local cloud offers the
// others, by signing name. `ctx.service('lambda')` is a LambdaDomain at compile time; a service
// factory registered under a name must return that name's domain (ServiceFactory<'lambda'>).
import type { AccountRegions } from './account/domain.js';
import type { Certificates } from './acm/domain.js';
import type { ApiGatewayDomain } from './apigateway/domain.js';
import type { CloudFormation } from './cloudformation/domain.js';
import type { Distributions } from './cloudfront/domain.js';
import type { CloudWatch } from './cloudwatch/domain.js';
import type { DynamoDbDomain } from './dynamodb/domain.js';
import type { Events } from './events/domain.js';
import type { Iam } from './iam/domain.js';
import type { LambdaDomain } from './lambda/domain.js';
import type { Logs } from './logs/domain.js';
import type { Route53Domain } from './route53/domain.js';
import type { S3Domain } from './s3/domain.js';
import type { SnsDomain } from './sns/domain.js';
import type { StsDomain } from './sts/index.js';

/** Each service's domain object, by the signing name it answers. */
export interface ServiceDomains {
  account: AccountRegions;
  acm: Certificates;
  apigateway: ApiGatewayDomain;
  cloudformation: CloudFormation;
  cloudfront: Distributions;
  dynamodb: DynamoDbDomain;
  events: Events;
  iam: Iam;
  lambda: LambdaDomain;
  logs: Logs;
  monitoring: CloudWatch;
  route53: Route53Domain;
  s3: S3Domain;
  sns: SnsDomain;
  sts: StsDomain;
}

export type ServiceName = keyof ServiceDomains;

/** The domain a service registered under `name` offers (unknown for a name outside the registry: test fakes). */
export type DomainOf<K extends string> = K extends ServiceName ? ServiceDomains[K] : unknown;
