import { randomUUID } from 'node:crypto';
import type { CloudContext } from '../types.js';
import { badRequest, conflict, notFound } from './errors.js';
import { newId } from './ids.js';
import type { ApiGatewayState, ApiRecord, DeploymentRecord, IntegrationRecord, MethodRecord, ResourceRecord } from './model.js';
import { executeRequest, type ExecuteRequest, type ExecuteResponse } from './execute.js';
import { DomainNames } from './domain-names.js';
import { dict, dictFrom, keyedState } from '../keyed.js';
import { applyStagePatches, putStage, stageOf, stageView, type PatchOperation } from './stages.js';

export type { PatchOperation } from './stages.js';

const ENDPOINT_TYPES = new Set(['REGIONAL', 'EDGE', 'PRIVATE']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);
const PATH_PART = /^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:-]+)$/;

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** API Gateway REST APIs (v1): the control plane and the execution of deployed stages. */
export class ApiGatewayDomain {
  /** Called after every executed request (CloudWatch Count/5XXError/Latency by ApiName). */
  onRequest?: (region: string, apiName: string, stage: string, status: number, latencyMs: number) => void;

  constructor(private readonly ctx: CloudContext) {}

  private customDomains?: DomainNames;

  /** Custom domain names and base path mappings (domain-names.ts). */
  get domainNames(): DomainNames {
    this.customDomains ??= new DomainNames(this.ctx, this);
    return this.customDomains;
  }

  /** Serve a request addressed to a custom domain (its name or its regional name), through its base path mappings. */
  executeForDomain(domainName: string, req: ExecuteRequest, region?: string): Promise<ExecuteResponse | undefined> {
    return this.domainNames.execute(domainName, req, region);
  }

  /** The region of a custom domain's regional name (d-xxxxxxxxxx.execute-api.R.amazonaws.com). */
  regionOfDomainTarget(regionalDomainName: string): string | undefined {
    return this.domainNames.find(regionalDomainName)?.region;
  }

  private get state(): ApiGatewayState {
    return keyedState<ApiGatewayState>(this.ctx.state, 'apigateway', () => ({ regions: dict() }));
  }

  private apis(region: string): Record<string, ApiRecord> {
    this.state.regions[region] ??= { apis: dict() };
    return this.state.regions[region].apis;
  }

  private api(region: string, apiId: string): ApiRecord {
    const api = this.state.regions[region]?.apis[apiId];
    if (!api) throw notFound(`Invalid API identifier specified ${this.ctx.accountId}:${apiId}`);
    return api;
  }

  private resourceOf(api: ApiRecord, resourceId: string): ResourceRecord {
    const r = api.resources[resourceId];
    if (!r) throw notFound('Invalid Resource identifier specified');
    return r;
  }

  private methodOf(api: ApiRecord, resourceId: string, httpMethod: string): MethodRecord {
    const m = this.resourceOf(api, resourceId).resourceMethods[httpMethod.toUpperCase()];
    if (!m) throw notFound('Invalid Method identifier specified');
    return m;
  }

  /** Declare a change to one API (its resources, deployments, stages) for the state's write barrier. */
  private dirty(region: string, apiId: string): void {
    this.ctx.state.changed('apigateway', 'regions', region, 'apis', apiId);
  }

  /** The region holding an API id (ids are unique across the local cloud). */
  regionOf(apiId: string): string | undefined {
    return Object.entries(this.state.regions).find(([, r]) => r.apis[apiId])?.[0];
  }

  invokeUrl(apiId: string, stage: string): string {
    return `${this.ctx.url()}/restapis/${apiId}/${stage}/_user_request_`;
  }

  createRestApi(region: string, input: { name?: string; description?: string; endpointConfiguration?: { types?: string[] } }) {
    if (!input.name) throw badRequest('Invalid REST API name specified');
    const types = input.endpointConfiguration?.types ?? ['EDGE'];
    if (types.length !== 1 || !ENDPOINT_TYPES.has(types[0])) {
      throw badRequest(`Invalid endpoint configuration type specified: ${types.join(',')}`);
    }
    let id = newId();
    while (this.regionOf(id)) id = newId();
    const rootId = newId();
    const now = this.ctx.clock.now();
    const api: ApiRecord = {
      id,
      name: input.name,
      description: input.description,
      createdDate: now,
      endpointConfiguration: { types: [...types] },
      rootResourceId: rootId,
      resources: dictFrom([[rootId, { id: rootId, path: '/', resourceMethods: dict() }]]),
      deployments: dict(),
      stages: dict(),
    };
    this.apis(region)[id] = api;
    this.dirty(region, id);
    return this.restApiView(api);
  }

  private restApiView(api: ApiRecord) {
    return {
      id: api.id,
      name: api.name,
      description: api.description,
      createdDate: seconds(api.createdDate),
      apiKeySource: 'HEADER',
      endpointConfiguration: structuredClone(api.endpointConfiguration),
      disableExecuteApiEndpoint: false,
      rootResourceId: api.rootResourceId,
    };
  }

  getRestApi(region: string, apiId: string) {
    return this.restApiView(this.api(region, apiId));
  }

  getRestApis(region: string) {
    return { item: Object.values(this.apis(region)).sort((a, b) => a.createdDate - b.createdDate).map((a) => this.restApiView(a)) };
  }

  updateRestApi(region: string, apiId: string, input: { name?: string; description?: string }) {
    const api = this.api(region, apiId);
    if (input.name !== undefined) api.name = input.name;
    if (input.description !== undefined) api.description = input.description;
    this.dirty(region, apiId);
    return this.restApiView(api);
  }

  deleteRestApi(region: string, apiId: string): void {
    this.api(region, apiId);
    delete this.apis(region)[apiId];
    this.dirty(region, apiId);
  }

  getResources(region: string, apiId: string) {
    const api = this.api(region, apiId);
    return { item: Object.values(api.resources).map((r) => structuredClone(r)) };
  }

  getResource(region: string, apiId: string, resourceId: string): ResourceRecord {
    return structuredClone(this.resourceOf(this.api(region, apiId), resourceId));
  }

  createResource(region: string, apiId: string, parentId: string, pathPart: string | undefined): ResourceRecord {
    const api = this.api(region, apiId);
    const parent = this.resourceOf(api, parentId);
    if (!pathPart || !PATH_PART.test(pathPart)) {
      throw badRequest(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
      );
    }
    const siblings = Object.values(api.resources).filter((r) => r.parentId === parentId);
    if (siblings.some((s) => s.pathPart === pathPart)) {
      throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
    }
    const variable = (p?: string) => p?.startsWith('{');
    if (variable(pathPart) && siblings.some((s) => variable(s.pathPart))) {
      throw badRequest(`A sibling (${siblings.find((s) => variable(s.pathPart))!.pathPart}) of this resource already has a variable path part -- only one is allowed`);
    }
    if (/\+\}$/.test(parent.pathPart ?? '')) throw badRequest('Cannot create a child of a resource with a greedy path variable');
    let id = newId();
    while (api.resources[id]) id = newId();
    const resource: ResourceRecord = {
      id,
      parentId,
      pathPart,
      path: `${parent.path === '/' ? '' : parent.path}/${pathPart}`,
      resourceMethods: dict(),
    };
    api.resources[id] = resource;
    this.dirty(region, apiId);
    return structuredClone(resource);
  }

  deleteResource(region: string, apiId: string, resourceId: string): void {
    const api = this.api(region, apiId);
    this.resourceOf(api, resourceId);
    if (resourceId === api.rootResourceId) throw badRequest('Cannot delete the root resource');
    const doomed = new Set([resourceId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of Object.values(api.resources)) {
        if (r.parentId && doomed.has(r.parentId) && !doomed.has(r.id)) {
          doomed.add(r.id);
          grew = true;
        }
      }
    }
    for (const id of doomed) delete api.resources[id];
    this.dirty(region, apiId);
  }

  putMethod(region: string, apiId: string, resourceId: string, httpMethod: string, input: { authorizationType?: string; apiKeyRequired?: boolean }): MethodRecord {
    const api = this.api(region, apiId);
    const resource = this.resourceOf(api, resourceId);
    const method = httpMethod.toUpperCase();
    if (!METHODS.has(method)) throw badRequest('Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
    if (resource.resourceMethods[method]) throw conflict('Method already exists for this resource');
    if (!input.authorizationType) throw badRequest('Invalid authorization type specified');
    const record: MethodRecord = { httpMethod: method, authorizationType: input.authorizationType, apiKeyRequired: Boolean(input.apiKeyRequired) };
    resource.resourceMethods[method] = record;
    this.dirty(region, apiId);
    return structuredClone(record);
  }

  getMethod(region: string, apiId: string, resourceId: string, httpMethod: string): MethodRecord {
    return structuredClone(this.methodOf(this.api(region, apiId), resourceId, httpMethod));
  }

  deleteMethod(region: string, apiId: string, resourceId: string, httpMethod: string): void {
    const api = this.api(region, apiId);
    this.methodOf(api, resourceId, httpMethod);
    delete api.resources[resourceId].resourceMethods[httpMethod.toUpperCase()];
    this.dirty(region, apiId);
  }

  putIntegration(
    region: string,
    apiId: string,
    resourceId: string,
    httpMethod: string,
    input: { type?: string; integrationHttpMethod?: string; httpMethod?: string; uri?: string; timeoutInMillis?: number },
  ): IntegrationRecord {
    const method = this.methodOf(this.api(region, apiId), resourceId, httpMethod);
    const type = input.type;
    if (!type || !['AWS_PROXY', 'AWS', 'HTTP', 'HTTP_PROXY', 'MOCK'].includes(type)) throw badRequest('Invalid integration type specified');
    const integrationMethod = input.integrationHttpMethod ?? input.httpMethod;
    if (type !== 'MOCK' && !integrationMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
    if (type !== 'MOCK' && !input.uri) throw badRequest('Invalid integration URI specified');
    if (type === 'AWS_PROXY' && !/^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/.+\/invocations$/.test(input.uri!)) {
      throw badRequest('Integrations of type \'AWS_PROXY\' currently only supports Lambda function and Firehose stream invocations.');
    }
    const integration: IntegrationRecord = {
      type,
      httpMethod: integrationMethod,
      uri: input.uri,
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: input.timeoutInMillis ?? 29000,
      cacheNamespace: resourceId,
      cacheKeyParameters: [],
    };
    method.methodIntegration = integration;
    this.dirty(region, apiId);
    return structuredClone(integration);
  }

  getIntegration(region: string, apiId: string, resourceId: string, httpMethod: string): IntegrationRecord {
    const method = this.methodOf(this.api(region, apiId), resourceId, httpMethod);
    if (!method.methodIntegration) throw notFound('No integration defined for method');
    return structuredClone(method.methodIntegration);
  }

  createDeployment(
    region: string,
    apiId: string,
    input: { stageName?: string; stageDescription?: string; description?: string; variables?: Record<string, string> },
  ) {
    const api = this.api(region, apiId);
    const methods = Object.values(api.resources).flatMap((r) => Object.values(r.resourceMethods));
    if (methods.length === 0) throw badRequest("The REST API doesn't contain any methods");
    if (methods.some((m) => !m.methodIntegration)) throw badRequest('No integration defined for method');
    let id = newId(6);
    while (api.deployments[id]) id = newId(6);
    const deployment: DeploymentRecord = {
      id,
      description: input.description,
      createdDate: this.ctx.clock.now(),
      resources: structuredClone(Object.values(api.resources)),
    };
    api.deployments[id] = deployment;
    if (input.stageName) {
      const existing = api.stages[input.stageName];
      if (existing) {
        existing.deploymentId = id;
        existing.lastUpdatedDate = this.ctx.clock.now();
        if (input.variables) existing.variables = { ...existing.variables, ...input.variables };
      } else {
        putStage(api, this.ctx.clock.now(), { stageName: input.stageName, deploymentId: id, description: input.stageDescription, variables: input.variables });
      }
    }
    this.dirty(region, apiId);
    return { id, description: deployment.description, createdDate: seconds(deployment.createdDate) };
  }

  getDeployments(region: string, apiId: string) {
    const api = this.api(region, apiId);
    return { item: Object.values(api.deployments).map((d) => ({ id: d.id, description: d.description, createdDate: seconds(d.createdDate) })) };
  }

  getDeployment(region: string, apiId: string, deploymentId: string) {
    const d = this.api(region, apiId).deployments[deploymentId];
    if (!d) throw notFound('Invalid Deployment identifier specified');
    return { id: d.id, description: d.description, createdDate: seconds(d.createdDate) };
  }

  deleteDeployment(region: string, apiId: string, deploymentId: string): void {
    const api = this.api(region, apiId);
    if (!api.deployments[deploymentId]) throw notFound('Invalid Deployment identifier specified');
    if (Object.values(api.stages).some((s) => s.deploymentId === deploymentId)) {
      throw badRequest('Active stages pointing to this deployment must be moved or deleted');
    }
    delete api.deployments[deploymentId];
    this.dirty(region, apiId);
  }

  createStage(region: string, apiId: string, input: { stageName?: string; deploymentId?: string; description?: string; variables?: Record<string, string> }) {
    const api = this.api(region, apiId);
    if (!input.stageName || !/^[a-zA-Z0-9_-]+$/.test(input.stageName)) {
      throw badRequest('Stage name only allows a-zA-Z0-9_');
    }
    if (!input.deploymentId || !api.deployments[input.deploymentId]) throw notFound('Invalid Deployment identifier specified');
    if (api.stages[input.stageName]) throw conflict('Stage already exists');
    const stage = putStage(api, this.ctx.clock.now(), { stageName: input.stageName, deploymentId: input.deploymentId, description: input.description, variables: input.variables });
    this.dirty(region, apiId);
    return stageView(stage);
  }

  getStage(region: string, apiId: string, stageName: string) {
    return stageView(stageOf(this.api(region, apiId), stageName));
  }

  getStages(region: string, apiId: string) {
    return { item: Object.values(this.api(region, apiId).stages).map((s) => stageView(s)) };
  }

  updateStage(region: string, apiId: string, stageName: string, patches: PatchOperation[]) {
    const api = this.api(region, apiId);
    const stage = stageOf(api, stageName);
    applyStagePatches(api, stage, patches);
    stage.lastUpdatedDate = this.ctx.clock.now();
    this.dirty(region, apiId);
    return stageView(stage);
  }

  deleteStage(region: string, apiId: string, stageName: string): void {
    const api = this.api(region, apiId);
    stageOf(api, stageName);
    delete api.stages[stageName];
    this.dirty(region, apiId);
  }

  /** Serve one request to a deployed stage, as https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/… would. */
  async execute(apiId: string, stage: string, req: ExecuteRequest): Promise<ExecuteResponse> {
    const started = performance.now();
    const requestId = randomUUID();
    const region = this.regionOf(apiId);
    const api = region ? this.state.regions[region].apis[apiId] : undefined;
    const response = await executeRequest({
      ctx: this.ctx,
      lambda: this.ctx.service('lambda'),
      region,
      api,
      stageName: stage,
      req,
      requestId,
    });
    response.headers['x-amzn-requestid'] = requestId;
    if (region && api && api.stages[stage]) this.onRequest?.(region, api.name, stage, response.status, performance.now() - started);
    return response;
  }
}
