import type { RestCall, RestResult, RestRoute } from '../protocols/rest.js';
import { badRequest } from './errors.js';
import type { ApiGatewayDomain, PatchOperation } from './domain.js';

const A = '/restapis/{restapi_id}';
const M = `${A}/resources/{resource_id}/methods/{http_method}`;

// API Gateway's restJson1 control-plane routes; the domain does the work.
export function apiGatewayRoutes(gw: ApiGatewayDomain): RestRoute[] {
  const route = (method: string, path: string, op: string, handler: (c: RestCall, region: string, p: Record<string, string>) => RestResult | Promise<RestResult>): RestRoute => ({
    method,
    path,
    op,
    handler: async (c) => handler(c, c.req.region, c.params),
  });
  const patches = (c: RestCall): PatchOperation[] => c.json<{ patchOperations?: PatchOperation[] }>().patchOperations ?? [];
  return [
    route('POST', '/restapis', 'CreateRestApi', (c, r) => ({ status: 201, json: gw.createRestApi(r, c.json()) })),
    route('GET', '/restapis', 'GetRestApis', (_c, r) => ({ json: gw.getRestApis(r) })),
    route('GET', A, 'GetRestApi', (_c, r, p) => ({ json: gw.getRestApi(r, p.restapi_id) })),
    route('PATCH', A, 'UpdateRestApi', (c, r, p) => {
      const input: { name?: string; description?: string } = {};
      for (const op of patches(c)) {
        if (op.op !== 'replace' || (op.path !== '/name' && op.path !== '/description')) throw badRequest(`Invalid patch path ${op.path}`);
        input[op.path === '/name' ? 'name' : 'description'] = op.value;
      }
      return { json: gw.updateRestApi(r, p.restapi_id, input) };
    }),
    route('DELETE', A, 'DeleteRestApi', (_c, r, p) => {
      gw.deleteRestApi(r, p.restapi_id);
      return { status: 202 };
    }),
    route('GET', `${A}/resources`, 'GetResources', (_c, r, p) => ({ json: gw.getResources(r, p.restapi_id) })),
    route('GET', `${A}/resources/{resource_id}`, 'GetResource', (_c, r, p) => ({ json: gw.getResource(r, p.restapi_id, p.resource_id) })),
    route('POST', `${A}/resources/{parent_id}`, 'CreateResource', (c, r, p) => ({
      status: 201,
      json: gw.createResource(r, p.restapi_id, p.parent_id, c.json<{ pathPart?: string }>().pathPart),
    })),
    route('DELETE', `${A}/resources/{resource_id}`, 'DeleteResource', (_c, r, p) => {
      gw.deleteResource(r, p.restapi_id, p.resource_id);
      return { status: 202 };
    }),
    route('PUT', M, 'PutMethod', (c, r, p) => ({ status: 201, json: gw.putMethod(r, p.restapi_id, p.resource_id, p.http_method, c.json()) })),
    route('GET', M, 'GetMethod', (_c, r, p) => ({ json: gw.getMethod(r, p.restapi_id, p.resource_id, p.http_method) })),
    route('DELETE', M, 'DeleteMethod', (_c, r, p) => {
      gw.deleteMethod(r, p.restapi_id, p.resource_id, p.http_method);
      return { status: 204 };
    }),
    route('PUT', `${M}/integration`, 'PutIntegration', (c, r, p) => ({
      status: 201,
      json: gw.putIntegration(r, p.restapi_id, p.resource_id, p.http_method, c.json()),
    })),
    route('GET', `${M}/integration`, 'GetIntegration', (_c, r, p) => ({ json: gw.getIntegration(r, p.restapi_id, p.resource_id, p.http_method) })),
    route('POST', `${A}/deployments`, 'CreateDeployment', (c, r, p) => ({ status: 201, json: gw.createDeployment(r, p.restapi_id, c.json()) })),
    route('GET', `${A}/deployments`, 'GetDeployments', (_c, r, p) => ({ json: gw.getDeployments(r, p.restapi_id) })),
    route('GET', `${A}/deployments/{deployment_id}`, 'GetDeployment', (_c, r, p) => ({ json: gw.getDeployment(r, p.restapi_id, p.deployment_id) })),
    route('DELETE', `${A}/deployments/{deployment_id}`, 'DeleteDeployment', (_c, r, p) => {
      gw.deleteDeployment(r, p.restapi_id, p.deployment_id);
      return { status: 202 };
    }),
    route('POST', `${A}/stages`, 'CreateStage', (c, r, p) => ({ status: 201, json: gw.createStage(r, p.restapi_id, c.json()) })),
    route('GET', `${A}/stages`, 'GetStages', (_c, r, p) => ({ json: gw.getStages(r, p.restapi_id) })),
    route('GET', `${A}/stages/{stage_name}`, 'GetStage', (_c, r, p) => ({ json: gw.getStage(r, p.restapi_id, p.stage_name) })),
    route('PATCH', `${A}/stages/{stage_name}`, 'UpdateStage', (c, r, p) => ({ json: gw.updateStage(r, p.restapi_id, p.stage_name, patches(c)) })),
    route('DELETE', `${A}/stages/{stage_name}`, 'DeleteStage', (_c, r, p) => {
      gw.deleteStage(r, p.restapi_id, p.stage_name);
      return { status: 202 };
    }),
  ];
}
