import { AccountClient } from '@aws-sdk/client-account';
import { ACMClient } from '@aws-sdk/client-acm';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsProvider } from '../aws/provider.js';
import { packageVersion } from '../config/package-info.js';

// The Account API is global; its endpoint lives in us-east-1 like Route 53's.
const ACCOUNT_REGION = 'us-east-1';

/** Every client the doctor talks to; the provider's own plus ACM and Account, which it does not offer. */
export interface DoctorClients {
  verifyCredentials(region: string): Promise<{ account: string; arn: string }>;
  cloudFormation(region: string): CloudFormationClient;
  lambda(region: string): LambdaClient;
  dynamodb(region: string): DynamoDBClient;
  apiGateway(region: string): APIGatewayClient;
  route53(): Route53Client;
  acm(region: string): ACMClient;
  account(): AccountClient;
  close(): void;
}

// The extra clients reuse the provider's resolved credential chain (taken from its STS client's config)
// and endpoint, so --profile, --endpoint and --local reach ACM and Account exactly as they reach the rest.
export function createDoctorClients(aws: AwsProvider): DoctorClients {
  const extra = new Map<string, ACMClient | AccountClient>();
  const base = (region: string) => ({
    region,
    // Same retry budget as the provider's ordinary clients (tests lower it to fail fast).
    maxAttempts: aws.lambda(region).config.maxAttempts,
    retryMode: 'standard' as const,
    customUserAgent: `regionctl/${packageVersion()}`,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000 }),
    credentials: aws.sts(region).config.credentials,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
  });
  function cached<T extends ACMClient | AccountClient>(key: string, make: () => T): T {
    let client = extra.get(key) as T | undefined;
    if (!client) {
      client = make();
      extra.set(key, client);
    }
    return client;
  }
  return {
    verifyCredentials: (region) => aws.verifyCredentials(region),
    cloudFormation: (region) => aws.cloudFormation(region),
    lambda: (region) => aws.lambda(region),
    dynamodb: (region) => aws.dynamodb(region),
    apiGateway: (region) => aws.apiGateway(region),
    route53: () => aws.route53(),
    acm: (region) => cached(`acm:${region}`, () => new ACMClient(base(region))),
    account: () => cached('account', () => new AccountClient(base(ACCOUNT_REGION))),
    close() {
      for (const client of extra.values()) client.destroy();
      extra.clear();
    },
  };
}
