import { createApiGatewayService } from './apigateway/index.js';
import { createCloudFormationService } from './cloudformation/index.js';
import { createDynamoDbService } from './dynamodb/index.js';
import { createIamService } from './iam/index.js';
import { createLambdaService } from './lambda/index.js';
import { createLogsService } from './logs/index.js';
import { createS3Service } from './s3/index.js';
import { createStsService } from './sts/index.js';
import { createAccountService } from './account/index.js';
import { createRoute53Service } from './route53/index.js';
import { createAcmService } from './acm/index.js';
import { createCloudFrontService } from './cloudfront/index.js';
import type { ServiceName } from './registry.js';
import type { ServiceFactory } from './types.js';
import { createCloudWatchService } from './cloudwatch/index.js';
import { createEventsService } from './events/index.js';
import { createSnsService } from './sns/index.js';

// Every service the local cloud runs, by signing name. Each lives in its own folder and exports a
// factory; the check below fails to compile when a name of the registry (registry.ts) has no
// factory or its factory offers another domain. Services are built and started in this order.
const factories = {
  sts: createStsService,
  iam: createIamService,
  s3: createS3Service,
  dynamodb: createDynamoDbService,
  logs: createLogsService,
  lambda: createLambdaService,
  apigateway: createApiGatewayService,
  cloudformation: createCloudFormationService,
  account: createAccountService,
  route53: createRoute53Service,
  monitoring: createCloudWatchService,
  events: createEventsService,
  acm: createAcmService,
  cloudfront: createCloudFrontService,
  sns: createSnsService,
} satisfies { [K in ServiceName]: ServiceFactory<K> };

export const serviceFactories: ServiceFactory[] = Object.values(factories);
