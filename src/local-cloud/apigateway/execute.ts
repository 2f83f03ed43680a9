import type { CloudContext } from '../types.js';
import type { ApiRecord } from './model.js';
import { proxyEvent, proxyResponse, type ProxyRequest } from './proxy.js';
import { matchRoute } from './route-match.js';

export type ExecuteRequest = ProxyRequest;

export interface ExecuteResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The part of the Lambda domain API Gateway needs. */
export interface LambdaInvoker {
  hasPermission(region: string, functionNameOrArn: string, principal: string, sourceArn?: string): boolean;
  findFunction(region: string, functionNameOrArn: string): unknown;
  invoke(
    region: string,
    functionNameOrArn: string,
    payload: Buffer | string,
    opts?: { invocationType?: 'RequestResponse' | 'Event' },
  ): Promise<{ statusCode: number; payload: Buffer; functionError?: string }>;
}

const gatewayError = (status: number, message: string, errorType?: string): ExecuteResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
  body: Buffer.from(JSON.stringify({ message })),
});

// Both are what clients of a real REST API see; the detail only shows up in execution logs.
const internalError = (): ExecuteResponse => gatewayError(500, 'Internal server error', 'InternalServerErrorException');
const badGateway = (): ExecuteResponse => gatewayError(502, 'Internal server error', 'InternalServerErrorException');

/** The function ARN inside a Lambda integration URI, with ${stageVariables.x} substituted. */
export function integrationFunction(uri: string, stageVariables: Record<string, string>): string | undefined {
  const m = /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri);
  if (!m) return undefined;
  return m[1].replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => stageVariables[name] ?? '');
}

export async function executeRequest(opts: {
  ctx: CloudContext;
  lambda: LambdaInvoker | undefined;
  region: string | undefined;
  api: ApiRecord | undefined;
  stageName: string;
  req: ExecuteRequest;
  requestId: string;
}): Promise<ExecuteResponse> {
  const { ctx, lambda, region, api, stageName, req, requestId } = opts;
  // On AWS an unknown API id has no DNS name at all; the nearest HTTP answer is a 404.
  if (!region || !api) return gatewayError(404, 'Not Found', 'NotFoundException');
  const stage = api.stages[stageName];
  if (!stage) return gatewayError(403, 'Forbidden', 'ForbiddenException');
  const deployment = api.deployments[stage.deploymentId];
  const path = req.path === '' ? '/' : req.path;
  const match = deployment && matchRoute(deployment.resources, req.method, path);
  if (!match || !match.method) return gatewayError(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException');

  const integration = match.method.methodIntegration;
  if (integration?.type === 'MOCK') return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(0) };
  if (!integration || integration.type !== 'AWS_PROXY' || !lambda) return internalError();
  const fn = integrationFunction(integration.uri ?? '', stage.variables);
  if (!fn || !lambda.findFunction(region, fn)) return internalError();

  const sourceArn = `arn:aws:execute-api:${region}:${ctx.accountId}:${api.id}/${stageName}/${req.method.toUpperCase()}${path}`;
  if (!lambda.hasPermission(region, fn, 'apigateway.amazonaws.com', sourceArn)) return internalError();

  const event = proxyEvent({
    req: { ...req, path },
    accountId: ctx.accountId,
    apiId: api.id,
    stage: stageName,
    resourceId: match.resource.id,
    resourcePath: match.resource.path,
    pathParameters: match.pathParameters,
    stageVariables: stage.variables,
    requestId,
    nowMs: ctx.clock.now(),
  });
  let result: Awaited<ReturnType<LambdaInvoker['invoke']>>;
  try {
    result = await lambda.invoke(region, fn, JSON.stringify(event));
  } catch {
    return internalError();
  }
  if (result.functionError) return badGateway();
  let payload: unknown;
  try {
    payload = JSON.parse(result.payload.toString('utf8'));
  } catch {
    return badGateway();
  }
  const response = proxyResponse(payload);
  if (!response) return badGateway();
  response.headers['content-type'] ??= 'application/json';
  return response;
}
