import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { DescribeAccountLimitsCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import { GetAccountLimitCommand } from '@aws-sdk/client-route-53';
import { resourceCount, stackNamesIn } from '../../stage/counts.js';
import { couldNotCheck } from '../errors.js';
import { GLOBAL, type CheckContext, type CheckName, type Finding } from '../types.js';
import { restApiQuota } from './rest-api-quota.js';
// Lambda code storage regionctl's bundles need per region, with room for a few versions.
const PLANNED_CODE_BYTES = 50 * 1024 * 1024;
// A new account's Lambda concurrency; everything above one request at a time beyond it is throttled.
const NEW_ACCOUNT_CONCURRENCY = 10;

const MAX_PAGES = 50;

function headroom(region: string, check: CheckName, what: string, used: number, adding: number, limit: number, fix: string): Finding {
  const after = used + adding;
  const message = `${what}: ${used} used + ${adding} to create = ${after} of ${limit}`;
  return after <= limit ? { region, check, status: 'pass', message } : { region, check, status: 'fail', message, fix };
}

export async function checkStackQuota(ctx: CheckContext, region: string): Promise<Finding> {
  const check = 'stack-quota';
  const cfn = ctx.clients.cloudFormation(region);
  let limit: number | undefined;
  try {
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES && limit === undefined; page++) {
      const out = await cfn.send(new DescribeAccountLimitsCommand({ NextToken: token }));
      limit = out.AccountLimits?.find((l) => l.Name === 'StackLimit')?.Value;
      token = out.NextToken;
      if (!token) break;
    }
  } catch (err) {
    return couldNotCheck(region, check, 'the CloudFormation stack quota', err);
  }
  if (limit === undefined) return { region, check, status: 'warn', message: 'could not check the CloudFormation stack quota: StackLimit not reported' };
  const existing = new Set<string>();
  try {
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await cfn.send(new ListStacksCommand({ NextToken: token }));
      for (const s of out.StackSummaries ?? []) if (s.StackStatus !== 'DELETE_COMPLETE' && s.StackName) existing.add(s.StackName);
      token = out.NextToken;
      if (!token) break;
    }
  } catch (err) {
    return couldNotCheck(region, check, 'how many stacks exist', err);
  }
  const adding = stackNamesIn(ctx.plan, region).filter((name) => !existing.has(name)).length;
  return headroom(region, check, 'CloudFormation stacks', existing.size, adding, limit,
    `delete unused stacks or request a higher limit (aws service-quotas request-service-quota-increase --region ${region} --service-code cloudformation --quota-code L-0485CB21 --desired-value ${existing.size + adding + 100})`);
}

export async function checkLambdaQuota(ctx: CheckContext, region: string): Promise<Finding> {
  const check = 'lambda-quota';
  let out;
  try {
    out = await ctx.clients.lambda(region).send(new GetAccountSettingsCommand({}));
  } catch (err) {
    return couldNotCheck(region, check, 'the Lambda code storage and concurrency quotas', err);
  }
  const limit = out.AccountLimit?.TotalCodeSize;
  const used = out.AccountUsage?.TotalCodeSize ?? 0;
  if (limit !== undefined && used + PLANNED_CODE_BYTES > limit) {
    return {
      region,
      check,
      status: 'fail',
      message: `Lambda code storage: ${mb(used)} of ${mb(limit)} used; regionctl needs about ${mb(PLANNED_CODE_BYTES)}`,
      fix: `delete old function versions or layers in ${region} (aws lambda list-versions-by-function ...), or request more storage (aws service-quotas request-service-quota-increase --region ${region} --service-code lambda --quota-code L-2ACBD22F --desired-value ${Math.ceil((used + PLANNED_CODE_BYTES) / 1024 ** 3) + 10})`,
    };
  }
  const concurrency = out.AccountLimit?.ConcurrentExecutions;
  const functions = out.AccountUsage?.FunctionCount ?? 0;
  if (concurrency !== undefined && concurrency <= NEW_ACCOUNT_CONCURRENCY) {
    return {
      region,
      check,
      status: 'warn',
      message: `Lambda concurrency is ${concurrency} (a new account's default): more than ${concurrency} requests at once are throttled`,
      fix: `request an increase (aws service-quotas request-service-quota-increase --region ${region} --service-code lambda --quota-code L-B99A9384 --desired-value 1000)`,
    };
  }
  return {
    region,
    check,
    status: 'pass',
    message: `Lambda: ${functions} function(s), code storage ${mb(used)}${limit !== undefined ? ` of ${mb(limit)}` : ''}${concurrency !== undefined ? `, concurrency ${concurrency}` : ''}`,
  };
}

// Route 53 quotas are per account, so this runs once with every region's health checks added up.
export async function checkHealthCheckQuota(ctx: CheckContext): Promise<Finding> {
  const check = 'health-check-quota';
  let out;
  try {
    out = await ctx.clients.route53().send(new GetAccountLimitCommand({ Type: 'MAX_HEALTH_CHECKS_BY_OWNER' }));
  } catch (err) {
    return couldNotCheck(GLOBAL, check, 'the Route 53 health-check quota', err);
  }
  const limit = out.Limit?.Value;
  if (limit === undefined) return { region: GLOBAL, check, status: 'warn', message: 'could not check the Route 53 health-check quota: no limit reported' };
  // Counted from the templates for this config: `both` makes two checks and the CALCULATED parent per region.
  const adding = resourceCount(ctx.plan, 'AWS::Route53::HealthCheck');
  return headroom(GLOBAL, check, 'Route 53 health checks', out.Count ?? 0, adding, limit,
    'delete unused health checks (aws route53 list-health-checks) or request a higher limit (aws service-quotas request-service-quota-increase --region us-east-1 --service-code route53 --quota-code L-ACB674F3 --desired-value 400)');
}

export async function checkRestApiQuota(ctx: CheckContext, region: string): Promise<Finding> {
  const check = 'rest-api-quota';
  let count = 0;
  try {
    let position: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await ctx.clients.apiGateway(region).send(new GetRestApisCommand({ limit: 500, position }));
      count += out.items?.length ?? 0;
      position = out.position;
      if (!position) break;
    }
  } catch (err) {
    return couldNotCheck(region, check, 'how many REST APIs exist', err);
  }
  const quota = await restApiQuota(ctx.clients.serviceQuotas(region));
  // Every REST API the stage's templates create in this region, counted as new (an over-estimate on redeploy).
  const adding = resourceCount(ctx.plan, 'AWS::ApiGateway::RestApi', region);
  const finding = headroom(region, check, 'API Gateway regional REST APIs', count, adding, quota.value,
    `delete unused REST APIs (aws apigateway get-rest-apis --region ${region}) or request a higher quota (aws service-quotas request-service-quota-increase --region ${region} --service-code apigateway --quota-code ${quota.code} --desired-value ${count + adding + 100})`);
  return quota.note ? { ...finding, message: `${finding.message} (${quota.note})` } : finding;
}

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}
