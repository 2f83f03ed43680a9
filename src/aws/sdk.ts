import { createRequire } from 'node:module';
import type * as Account from '@aws-sdk/client-account';
import type * as Acm from '@aws-sdk/client-acm';
import type * as ApiGateway from '@aws-sdk/client-api-gateway';
import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import type * as DynamoDB from '@aws-sdk/client-dynamodb';
import type * as Iam from '@aws-sdk/client-iam';
import type * as Lambda from '@aws-sdk/client-lambda';
import type * as Route53 from '@aws-sdk/client-route-53';
import type * as S3 from '@aws-sdk/client-s3';
import type * as ServiceQuotas from '@aws-sdk/client-service-quotas';
import type * as Sts from '@aws-sdk/client-sts';

// The AWS SDK client packages, each loaded on first use with require(). A command uses a few of
// the thirteen (`status` five, a no-change `deploy` six), and each costs tens of ms of CPU to load.
// require() rather than import: the SDK ships CommonJS, and an ESM import of a CommonJS package
// also runs Node's format detection and export lexer over its entry file (a few hundred KB per
// client), which made loading six clients ~75% dearer (0.77 vs 0.44 s of CPU on the bench machine).
// Files on the paths of deploy and status take commands from here; types stay `import type`.
const load = createRequire(import.meta.url);

interface Packages {
  '@aws-sdk/client-account': typeof Account;
  '@aws-sdk/client-acm': typeof Acm;
  '@aws-sdk/client-api-gateway': typeof ApiGateway;
  '@aws-sdk/client-cloudformation': typeof CloudFormation;
  '@aws-sdk/client-cloudwatch': typeof CloudWatch;
  '@aws-sdk/client-cloudwatch-logs': typeof CloudWatchLogs;
  '@aws-sdk/client-dynamodb': typeof DynamoDB;
  '@aws-sdk/client-iam': typeof Iam;
  '@aws-sdk/client-lambda': typeof Lambda;
  '@aws-sdk/client-route-53': typeof Route53;
  '@aws-sdk/client-s3': typeof S3;
  '@aws-sdk/client-service-quotas': typeof ServiceQuotas;
  '@aws-sdk/client-sts': typeof Sts;
}

const loaded = new Map<string, unknown>();

/**
 * One SDK client package, loaded on first use: `new (sdk('@aws-sdk/client-s3').PutObjectCommand)(...)`.
 * (The package name is spelled out at every use so test/iam-policy/coverage.test.ts finds each command sent.)
 */
export function sdk<K extends keyof Packages>(name: K): Packages[K] {
  let module = loaded.get(name);
  if (module === undefined) {
    module = load(name);
    loaded.set(name, module);
  }
  return module as Packages[K];
}
