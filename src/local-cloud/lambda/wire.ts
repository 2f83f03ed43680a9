import type { RestCall, RestResult, RestRoute } from '../protocols/rest.js';
import type { LambdaDomain } from './domain.js';
import { tailLog } from './invocation-log.js';
import { validateInput } from '../protocols/validation.js';
import { createFunctionInput, invokeInput, updateFunctionConfigurationInput } from './validations.js';

const F = '/2015-03-31/functions';

// Lambda's restJson1 routes; the domain does the work, these only map the wire.
export function lambdaRoutes(lambda: LambdaDomain): RestRoute[] {
  const route = (method: string, path: string, op: string, handler: (call: RestCall) => RestResult | Promise<RestResult>): RestRoute => ({
    method,
    path,
    op,
    handler: async (call) => handler(call),
  });
  return [
    route('POST', `${F}`, 'CreateFunction', (c) => ({ status: 201, json: lambda.createFunction(c.req.region, validateInput(createFunctionInput, c.json())) })),
    route('GET', `${F}/`, 'ListFunctions', (c) => {
      const max = c.query.get('MaxItems');
      return { json: lambda.listFunctions(c.req.region, c.query.get('Marker') ?? undefined, max === null ? undefined : Number(max)) };
    }),
    route('GET', `${F}/{FunctionName}`, 'GetFunction', (c) => ({ json: lambda.getFunction(c.req.region, c.params.FunctionName) })),
    route('DELETE', `${F}/{FunctionName}`, 'DeleteFunction', async (c) => {
      await lambda.deleteFunction(c.req.region, c.params.FunctionName);
      return { status: 204 };
    }),
    route('GET', `${F}/{FunctionName}/configuration`, 'GetFunctionConfiguration', (c) => ({
      json: lambda.getFunctionConfiguration(c.req.region, c.params.FunctionName),
    })),
    route('PUT', `${F}/{FunctionName}/configuration`, 'UpdateFunctionConfiguration', (c) => ({
      json: lambda.updateFunctionConfiguration(c.req.region, c.params.FunctionName, validateInput(updateFunctionConfigurationInput, c.json())),
    })),
    route('PUT', `${F}/{FunctionName}/code`, 'UpdateFunctionCode', (c) => ({
      json: lambda.updateFunctionCode(c.req.region, c.params.FunctionName, c.json()),
    })),
    route('POST', `${F}/{FunctionName}/invocations`, 'Invoke', async (c) => {
      const type = validateInput(invokeInput, { InvocationType: c.req.headers['x-amz-invocation-type'] ?? 'RequestResponse' }).InvocationType;
      const result = await lambda.invoke(c.req.region, c.params.FunctionName, c.body, { invocationType: type });
      const headers: Record<string, string> = { 'x-amz-executed-version': '$LATEST' };
      if (result.functionError) headers['x-amz-function-error'] = result.functionError;
      if (type === 'RequestResponse' && c.req.headers['x-amz-log-type'] === 'Tail') headers['x-amz-log-result'] = tailLog(result.logs);
      if (result.statusCode !== 200) return { status: result.statusCode, headers };
      return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: result.payload };
    }),
    route('POST', `${F}/{FunctionName}/policy`, 'AddPermission', (c) => ({
      status: 201,
      json: { Statement: JSON.stringify(lambda.addPermission(c.req.region, c.params.FunctionName, c.json())) },
    })),
    route('GET', `${F}/{FunctionName}/policy`, 'GetPolicy', (c) => ({ json: lambda.getPolicy(c.req.region, c.params.FunctionName) })),
    route('DELETE', `${F}/{FunctionName}/policy/{StatementId}`, 'RemovePermission', (c) => {
      lambda.removePermission(c.req.region, c.params.FunctionName, c.params.StatementId);
      return { status: 204 };
    }),
    route('GET', '/2016-08-19/account-settings/', 'GetAccountSettings', (c) => ({ json: lambda.getAccountSettings(c.req.region) })),
    route('POST', '/2017-03-31/tags/{ARN}', 'TagResource', (c) => {
      lambda.tagResource(c.req.region, c.params.ARN, c.json<{ Tags?: Record<string, string> }>().Tags ?? {});
      return { status: 204 };
    }),
    route('DELETE', '/2017-03-31/tags/{ARN}', 'UntagResource', (c) => {
      lambda.untagResource(c.req.region, c.params.ARN, c.query.getAll('tagKeys'));
      return { status: 204 };
    }),
    route('GET', '/2017-03-31/tags/{ARN}', 'ListTags', (c) => ({ json: { Tags: lambda.listTags(c.req.region, c.params.ARN) } })),
  ];
}
