import type { AccountClient } from '@aws-sdk/client-account';
import type { ACMClient } from '@aws-sdk/client-acm';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { packageVersion } from '../config/package-info.js';
import { toAccessError } from './access-errors.js';
import { sdk } from './sdk.js';

export interface AwsProviderOptions {
  profile?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  env?: NodeJS.ProcessEnv;
  maxAttempts?: number;
  /**
   * A request whose connection stays silent this long is abandoned and retried (default 2 min).
   * Without it a request nobody answers (a hung endpoint, a dropped connection) waits forever.
   */
  requestTimeoutMs?: number;
}

// Route 53, IAM and the Account API are global services signed for us-east-1.
const GLOBAL_REGION = 'us-east-1';
const CONNECT_TIMEOUT_MS = 3_000;
const VERIFY_TIMEOUT_MS = 5_000;
// Every wait has a deadline, HTTP requests included. Generous: an API call AWS answers in
// milliseconds may take seconds from a busy local cloud, never minutes. (The SDK's handler only
// logs a warning when requestTimeout passes unless throwOnRequestTimeout is set.)
const REQUEST_TIMEOUT_MS = 120_000;

interface Destroyable {
  destroy(): void;
}


// One place that knows how regionctl talks to AWS: endpoint, credentials, retries and user agent are
// decided once, and clients are cached per service and region.
export class AwsProvider {
  readonly endpoint?: string;
  readonly profile?: string;
  private readonly credentials?: AwsProviderOptions['credentials'];
  private readonly clients = new Map<string, Destroyable>();

  constructor(private readonly opts: AwsProviderOptions) {
    const env = opts.env ?? process.env;
    const endpoint = opts.endpoint ?? env.AWS_ENDPOINT_URL;
    if (endpoint) this.endpoint = endpoint;
    // Precedence as in the AWS CLI: --profile, then keys in the (injected) environment, then
    // AWS_PROFILE, then the SDK's default chain (SSO, instance roles, ...).
    const envKeys = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
      : undefined;
    if (opts.credentials) this.credentials = opts.credentials;
    else if (opts.profile) this.profile = opts.profile;
    else if (envKeys) this.credentials = envKeys;
    else if (env.AWS_PROFILE) this.profile = env.AWS_PROFILE;
    // The SDK warns on Node 20 about its 2027 support policy; regionctl supports Node 20, so the
    // warning is noise on every command. An explicit setting by the user still wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  }

  cloudFormation(region: string): CloudFormationClient {
    // Stack operations hit throttling during parallel fan-out; be patient rather than fail a deploy.
    return this.cached('cloudformation', region, (c) => new (sdk('@aws-sdk/client-cloudformation').CloudFormationClient)(c), { maxAttempts: 8 });
  }

  lambda(region: string): LambdaClient {
    return this.cached('lambda', region, (c) => new (sdk('@aws-sdk/client-lambda').LambdaClient)(c));
  }

  dynamodb(region: string): DynamoDBClient {
    return this.cached('dynamodb', region, (c) => new (sdk('@aws-sdk/client-dynamodb').DynamoDBClient)(c));
  }

  logs(region: string): CloudWatchLogsClient {
    return this.cached('logs', region, (c) => new (sdk('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient)(c));
  }

  s3(region: string): S3Client {
    // Custom endpoints (the local cloud, MinIO) route by path, not by bucket subdomain.
    return this.cached('s3', region, (c) => new (sdk('@aws-sdk/client-s3').S3Client)({ ...c, forcePathStyle: this.endpoint !== undefined }));
  }

  cloudWatch(region: string): CloudWatchClient {
    return this.cached('cloudwatch', region, (c) => new (sdk('@aws-sdk/client-cloudwatch').CloudWatchClient)(c));
  }

  route53(): Route53Client {
    return this.cached('route53', GLOBAL_REGION, (c) => new (sdk('@aws-sdk/client-route-53').Route53Client)(c));
  }

  apiGateway(region: string): APIGatewayClient {
    return this.cached('apigateway', region, (c) => new (sdk('@aws-sdk/client-api-gateway').APIGatewayClient)(c));
  }

  sts(region: string): STSClient {
    // Bad credentials should fail in seconds, not after minutes of retries.
    return this.cached('sts', region, (c) => new (sdk('@aws-sdk/client-sts').STSClient)(c), { maxAttempts: 1 });
  }

  iam(): IAMClient {
    return this.cached('iam', GLOBAL_REGION, (c) => new (sdk('@aws-sdk/client-iam').IAMClient)(c));
  }

  acm(region: string): ACMClient {
    return this.cached('acm', region, (c) => new (sdk('@aws-sdk/client-acm').ACMClient)(c));
  }

  account(): AccountClient {
    return this.cached('account', GLOBAL_REGION, (c) => new (sdk('@aws-sdk/client-account').AccountClient)(c));
  }

  serviceQuotas(region: string): ServiceQuotasClient {
    return this.cached('servicequotas', region, (c) => new (sdk('@aws-sdk/client-service-quotas').ServiceQuotasClient)(c));
  }

  private identity: Promise<{ account: string; arn: string }> | undefined;

  // One GetCallerIdentity, no retries, short timeout: the pre-flight every command runs before
  // fan-out. The identity is the same in every region, so it is asked once per provider (a
  // failure is not remembered: the next call asks again).
  verifyCredentials(region: string): Promise<{ account: string; arn: string }> {
    this.identity ??= this.callerIdentity(region).catch((err) => {
      this.identity = undefined;
      throw err;
    });
    return this.identity;
  }

  private async callerIdentity(region: string): Promise<{ account: string; arn: string }> {
    const client = new (sdk('@aws-sdk/client-sts').STSClient)({
      ...this.baseConfig(region, 1),
      requestHandler: new NodeHttpHandler({ connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: VERIFY_TIMEOUT_MS, throwOnRequestTimeout: true }),
    });
    try {
      const out = await client.send(new (sdk('@aws-sdk/client-sts').GetCallerIdentityCommand)({}));
      return { account: out.Account ?? '', arn: out.Arn ?? '' };
    } catch (err) {
      const access = toAccessError(err, {
        endpoint: this.endpoint ?? `https://sts.${region}.amazonaws.com`,
        profile: this.profile,
        local: this.endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(this.endpoint),
        secrets: [this.credentials?.secretAccessKey, this.credentials?.sessionToken],
      });
      throw access ?? err;
    } finally {
      client.destroy();
    }
  }

  // Closes every cached client's sockets so a finished command does not linger.
  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private cached<T extends Destroyable>(
    service: string,
    region: string,
    make: (config: ReturnType<AwsProvider['baseConfig']>) => T,
    overrides: { maxAttempts?: number } = {},
  ): T {
    const key = `${service}:${region}`;
    let client = this.clients.get(key) as T | undefined;
    if (!client) {
      client = make(this.baseConfig(region, this.opts.maxAttempts ?? overrides.maxAttempts ?? 3));
      this.clients.set(key, client);
    }
    return client;
  }

  private baseConfig(region: string, maxAttempts: number) {
    return {
      region,
      maxAttempts,
      retryMode: 'standard' as const,
      customUserAgent: `regionctl/${packageVersion()}`,
      requestHandler: new NodeHttpHandler({ connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: this.opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true }),
      ...(this.endpoint ? { endpoint: this.endpoint } : {}),
      ...(this.credentials ? { credentials: this.credentials } : this.profile ? { profile: this.profile } : {}),
    };
  }
}
