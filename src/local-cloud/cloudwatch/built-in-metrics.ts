// The metrics AWS publishes on its own: API Gateway per request, Lambda per invocation.
import type { CloudContext } from '../types.js';
import type { CloudWatch } from './domain.js';
import { minutePublisher } from './minute-publisher.js';

/** Subscribe to the other services' hooks, keeping any subscriber that was there first. */
export function publishBuiltInMetrics(ctx: CloudContext, cw: CloudWatch): void {
  const put = minutePublisher(ctx.clock, ctx.realism, cw.putMetric.bind(cw), cw.putMetricData.bind(cw));
  const apigw = ctx.service('apigateway');
  if (apigw) {
    const previous = apigw.onRequest;
    // AWS publishes every API Gateway metric twice: per ApiName and per ApiName + Stage.
    apigw.onRequest = (region, apiName, stage, status, latencyMs) => {
      previous?.(region, apiName, stage, status, latencyMs);
      const dimensionSets: Record<string, string>[] = [{ ApiName: apiName }, { ApiName: apiName, Stage: stage }];
      for (const dims of dimensionSets) {
        put(region, 'AWS/ApiGateway', 'Count', dims, 1, 'Count');
        put(region, 'AWS/ApiGateway', '5XXError', dims, status >= 500 ? 1 : 0, 'Count');
        put(region, 'AWS/ApiGateway', '4XXError', dims, status >= 400 && status < 500 ? 1 : 0, 'Count');
        put(region, 'AWS/ApiGateway', 'Latency', dims, latencyMs, 'Milliseconds');
      }
    };
  }
  const lambda = ctx.service('lambda');
  if (lambda) {
    const previous = lambda.onInvoke;
    lambda.onInvoke = (region, name, result, durationMs) => {
      previous?.(region, name, result, durationMs);
      const dims = { FunctionName: name };
      put(region, 'AWS/Lambda', 'Invocations', dims, 1, 'Count');
      put(region, 'AWS/Lambda', 'Errors', dims, result.functionError ? 1 : 0, 'Count');
      put(region, 'AWS/Lambda', 'Duration', dims, durationMs, 'Milliseconds');
    };
  }
}
