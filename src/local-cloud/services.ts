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
import type { ServiceFactory } from './types.js';
import { createCloudWatchService } from './cloudwatch/index.js';
import { createEventsService } from './events/index.js';
import { createSnsService } from './sns/index.js';

// Every service the local cloud runs. Each lives in its own folder and exports a factory.
export const serviceFactories: ServiceFactory[] = [
  createStsService,
  createIamService,
  createS3Service,
  createDynamoDbService,
  createLogsService,
  createLambdaService,
  createApiGatewayService,
  createCloudFormationService,
  createAccountService,
  createRoute53Service,
  createCloudWatchService,
  createEventsService,
  createAcmService,
  createCloudFrontService,
  createSnsService,
];
