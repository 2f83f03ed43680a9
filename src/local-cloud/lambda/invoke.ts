// Running one invocation: the checks Invoke makes on the request, the worker run with the runtime's
// environment, the log text, and shipping that text to CloudWatch Logs as the execution role allows.
import { randomUUID } from 'node:crypto';
import { regionInfo } from '../../regions.js';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { codeDirectory } from './code-dir.js';
import { invocationLog } from './invocation-log.js';
import { logPermissions, type IamView } from './log-permissions.js';
import type { FunctionConfig, FunctionRecord } from './model.js';
import { policyAllows } from './policy.js';
import type { WorkerOutcome, WorkerPool } from './worker-pool.js';

export interface InvokeOptions {
  invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** Service principal of the caller (apigateway.amazonaws.com, sns.amazonaws.com…): checks the resource policy. */
  principal?: string;
  sourceArn?: string;
}

export interface InvokeResult {
  statusCode: number;
  payload: Buffer;
  functionError?: string;
  logs: string;
}

interface LogsDomain {
  appendLog?(region: string, group: string, line: string): void;
  hasLogGroup?(region: string, group: string): boolean;
}

const SYNC_LIMIT = 6 * 1024 * 1024;
const ASYNC_LIMIT = 256 * 1024;

/** The event text of an Invoke request, after the checks Lambda makes before running anything (resource policy, size, JSON). */
export function invokeRequest(fn: FunctionRecord, config: FunctionConfig, payload: Buffer | string, opts: InvokeOptions): string {
  if (opts.principal && !policyAllows(fn.policy, opts.principal, opts.sourceArn)) {
    throw new AwsError(
      'AccessDeniedException',
      `User: ${opts.principal} is not authorized to perform: lambda:InvokeFunction on resource: ${config.FunctionArn} because no resource-based policy allows the lambda:InvokeFunction action`,
      403,
    );
  }
  const type = opts.invocationType ?? 'RequestResponse';
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const limit = type === 'Event' ? ASYNC_LIMIT : SYNC_LIMIT;
  if (body.length > limit) {
    throw new AwsError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413, true, { Type: 'User' });
  }
  const text = body.length === 0 ? '{}' : body.toString('utf8');
  try {
    JSON.parse(text);
  } catch (err) {
    throw new AwsError(
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`,
      400,
      true,
      { Type: 'User' },
    );
  }
  return text;
}

/** What running an invocation needs of the Lambda domain. */
export interface Runner {
  ctx: CloudContext;
  pool: WorkerPool;
  /** Multiplies the wall-clock budget of Timeout. */
  timeoutFactor: number;
}

/** Run `event` on a worker of the function and ship its logs; a handler error is a result, not a throw. */
export async function execute(
  runner: Runner,
  region: string,
  fn: FunctionRecord,
  config: FunctionConfig,
  event: string,
): Promise<{ result: InvokeResult; durationMs: number }> {
  const { ctx, pool, timeoutFactor } = runner;
  const requestId = randomUUID();
  const codeHex = fn.codeBlob;
  const dir = codeDirectory(ctx.workDir, codeHex, () => ctx.blobs.get(codeHex));
  const startedAt = ctx.clock.now();
  const wallStart = performance.now();
  const logGroupName = `/aws/lambda/${config.FunctionName}`;
  const day = new Date(startedAt).toISOString().slice(0, 10).replace(/-/g, '/');
  const logStreamName = `${day}/[$LATEST]${requestId.replace(/-/g, '')}`;
  const outcome: WorkerOutcome = await pool.run(
    `${region}/${config.FunctionName}`,
    {
      key: `${config.CodeSha256}|${config.RevisionId}`,
      dir,
      handler: config.Handler,
      memoryMb: config.MemorySize,
      env: () => environment(ctx, region, config, dir, logGroupName, logStreamName),
    },
    {
      event,
      context: {
        functionName: config.FunctionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: config.FunctionArn,
        memoryLimitInMB: String(config.MemorySize),
        awsRequestId: requestId,
        logGroupName,
        logStreamName,
        deadlineWallMs: Date.now() + config.Timeout * 1000 * timeoutFactor,
      },
      clockOffset: startedAt - Date.now(),
      timeoutSeconds: config.Timeout,
      timeoutMs: Math.max(1, Math.round(config.Timeout * 1000 * timeoutFactor)),
    },
  );
  const durationMs = performance.now() - wallStart;
  const logs = invocationLog({
    requestId,
    startedAt,
    console: outcome.logs,
    durationMs,
    memoryMb: config.MemorySize,
    error: outcome.ok ? undefined : outcome.error,
    timedOutAfter: !outcome.ok && outcome.timedOut ? config.Timeout : undefined,
  });
  const result: InvokeResult = outcome.ok
    ? { statusCode: 200, payload: Buffer.from(outcome.payload), logs }
    : { statusCode: 200, payload: Buffer.from(JSON.stringify(outcome.error)), functionError: 'Unhandled', logs };
  shipLogs(ctx, region, config.Role, logGroupName, logStreamName, logs);
  return { result, durationMs };
}

/**
 * Send the invocation's log lines to CloudWatch Logs with the execution role's rights, as the
 * runtime does: the group is created only if the role may create it, lines are written only if it
 * may create the stream and put events, and otherwise they are dropped without an error. (An
 * invocation finishing while its stack is deleted must not bring back a deleted log group.)
 */
function shipLogs(ctx: CloudContext, region: string, roleArn: string, group: string, stream: string, logs: string): void {
  const logsDomain: LogsDomain | undefined = ctx.service('logs');
  if (!logsDomain?.appendLog) return; // no Logs service in this cloud
  const iam: IamView | undefined = ctx.service('iam'); // absent: no role can grant anything
  const allowed = logPermissions(iam, roleArn, region, ctx.accountId, group, stream);
  if (!allowed.write) return;
  if (!(logsDomain.hasLogGroup?.(region, group) ?? true) && !allowed.createGroup) return;
  for (const line of logs.split('\n')) if (line) logsDomain.appendLog(region, group, line);
}

// Only what the Lambda runtime would set: the host's own AWS_* variables must not leak in.
function environment(ctx: CloudContext, region: string, c: FunctionConfig, dir: string, group: string, stream: string): Record<string, string> {
  return {
    ...(c.Environment?.Variables ?? {}),
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    LAMBDA_TASK_ROOT: dir,
    _HANDLER: c.Handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${c.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: c.FunctionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.MemorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: group,
    AWS_LAMBDA_LOG_STREAM_NAME: stream,
    AWS_ENDPOINT_URL: ctx.functionsUrl?.() || ctx.url(),
    // The local cloud is one HTTP server on 127.0.0.1, so a request carries no source address;
    // on AWS a function's traffic leaves from its region's public addresses. The vantage point
    // (the canary's observe) sends this as X-Forwarded-For so the global entry places it there.
    REGIONCTL_LOCAL_SOURCE_IP: regionInfo(region)?.publicClientIp ?? '',
    // On AWS the function gets its role's session; here the key pair the cloud accepts.
    AWS_ACCESS_KEY_ID: ctx.credentials?.accessKeyId ?? 'test',
    AWS_SECRET_ACCESS_KEY: ctx.credentials?.secretAccessKey ?? 'test',
  };
}
