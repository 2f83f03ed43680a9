import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiGatewayDomain } from '../../../src/local-cloud/apigateway/domain.js';
import { LambdaDomain } from '../../../src/local-cloud/lambda/domain.js';
import { fakeCloud, fixtureZip, ROLE, type FakeCloud } from '../lambda/fake-cloud.js';

const R = 'us-west-2';
let cloud: FakeCloud;
let lambda: LambdaDomain;
let gw: ApiGatewayDomain;

beforeEach(() => {
  cloud = fakeCloud();
  lambda = new LambdaDomain(cloud.ctx);
  gw = new ApiGatewayDomain(cloud.ctx);
  cloud.services.lambda = lambda;
  cloud.services.apigateway = gw;
});

afterEach(async () => {
  await lambda.stop();
  cloud.cleanup();
});

function fn(name: string, handler: string): string {
  return lambda.createFunction(R, { FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: handler, Code: { ZipFile: fixtureZip('handlers.js') } }).FunctionArn;
}

const uri = (arn: string) => `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/${arn}/invocations`;

/** An API with GET /check and ANY /items/{id}/{proxy+} on one function, deployed to `prod`. */
function api(functionArn: string, opts: { permission?: boolean } = {}) {
  const created = gw.createRestApi(R, { name: 'prod-svc', endpointConfiguration: { types: ['REGIONAL'] } });
  const check = gw.createResource(R, created.id, created.rootResourceId, 'check');
  gw.putMethod(R, created.id, check.id, 'GET', { authorizationType: 'NONE' });
  gw.putIntegration(R, created.id, check.id, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uri(functionArn) });
  const items = gw.createResource(R, created.id, created.rootResourceId, 'items');
  const id = gw.createResource(R, created.id, items.id, '{id}');
  const rest = gw.createResource(R, created.id, id.id, '{proxy+}');
  gw.putMethod(R, created.id, rest.id, 'ANY', { authorizationType: 'NONE' });
  gw.putIntegration(R, created.id, rest.id, 'ANY', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uri(functionArn) });
  gw.createDeployment(R, created.id, { stageName: 'prod', variables: { color: 'blue' } });
  if (opts.permission !== false) {
    lambda.addPermission(R, functionArn, {
      StatementId: 'apigw',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${R}:000000000000:${created.id}/*/*/*`,
    });
  }
  return created.id;
}

const request = (method: string, path: string, extra: { query?: string; body?: string; headers?: Record<string, string> } = {}) => ({
  method,
  path,
  query: new URLSearchParams(extra.query ?? ''),
  headers: { host: 'localhost', 'user-agent': 'test-agent', ...(extra.headers ?? {}) },
  body: Buffer.from(extra.body ?? ''),
  sourceIp: '10.3.0.7',
});

describe('API Gateway execute', () => {
  it('invokes the Lambda with a REST proxy event and maps its response', async () => {
    const apiId = api(fn('proxy', 'handlers.proxy'));
    const metrics: unknown[] = [];
    gw.onRequest = (region, name, stage, status) => metrics.push([region, name, stage, status]);
    const res = await gw.execute(apiId, 'prod', request('POST', '/items/42/a/b', { query: 'q=1&q=2&status=201', body: '{"x":1}' }));
    expect(res.status).toBe(201);
    expect(res.headers['x-region']).toBe(R);
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const event = JSON.parse(res.body.toString()).received;
    expect(event).toMatchObject({
      resource: '/items/{id}/{proxy+}',
      path: '/items/42/a/b',
      httpMethod: 'POST',
      headers: { host: 'localhost', 'user-agent': 'test-agent' },
      multiValueHeaders: { host: ['localhost'] },
      queryStringParameters: { q: '2', status: '201' },
      multiValueQueryStringParameters: { q: ['1', '2'], status: ['201'] },
      pathParameters: { id: '42', proxy: 'a/b' },
      stageVariables: { color: 'blue' },
      body: '{"x":1}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId,
        stage: 'prod',
        resourcePath: '/items/{id}/{proxy+}',
        httpMethod: 'POST',
        path: '/prod/items/42/a/b',
        requestTime: '01/Jan/2026:00:00:00 +0000',
        identity: { sourceIp: '10.3.0.7', userAgent: 'test-agent' },
      },
    });
    expect(event.requestContext.requestId).toBe(res.headers['x-amzn-requestid']);
    expect(metrics).toEqual([[R, 'prod-svc', 'prod', 201]]);
  });

  it('passes nulls for absent query, path parameters and body', async () => {
    const apiId = api(fn('proxy', 'handlers.proxy'));
    const res = await gw.execute(apiId, 'prod', request('GET', '/check'));
    const event = JSON.parse(res.body.toString()).received;
    expect(event).toMatchObject({ resource: '/check', queryStringParameters: null, pathParameters: null, body: null });
  });

  it('answers 500 when API Gateway may not invoke the function', async () => {
    const apiId = api(fn('proxy', 'handlers.proxy'), { permission: false });
    const res = await gw.execute(apiId, 'prod', request('GET', '/check'));
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Internal server error' });
  });

  it('answers 500 when the permission names another API', async () => {
    const arn = fn('proxy', 'handlers.proxy');
    const apiId = api(arn, { permission: false });
    lambda.addPermission(R, arn, {
      StatementId: 'other',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${R}:000000000000:otherapi123/*/*/*`,
    });
    expect((await gw.execute(apiId, 'prod', request('GET', '/check'))).status).toBe(500);
  });

  it('answers 403 Missing Authentication Token for paths and methods without a route', async () => {
    const apiId = api(fn('proxy', 'handlers.proxy'));
    for (const [method, path] of [['GET', '/nope'], ['POST', '/check'], ['GET', '/'], ['GET', '/items/42']]) {
      const res = await gw.execute(apiId, 'prod', request(method, path));
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(JSON.parse(res.body.toString())).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('answers 502 for a function error and for a malformed proxy response', async () => {
    const failing = api(fn('fail', 'handlers.fail'));
    expect((await gw.execute(failing, 'prod', request('GET', '/check'))).status).toBe(502);
    const malformed = api(fn('malformed', 'handlers.malformed'));
    const res = await gw.execute(malformed, 'prod', request('GET', '/check'));
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body.toString())).toEqual({ message: 'Internal server error' });
  });

  it('answers 403 Forbidden for an unknown stage and 404 for an unknown API', async () => {
    const apiId = api(fn('proxy', 'handlers.proxy'));
    expect((await gw.execute(apiId, 'staging', request('GET', '/check'))).status).toBe(403);
    expect((await gw.execute('zzzzzzzzzz', 'prod', request('GET', '/check'))).status).toBe(404);
  });

  it('serves the resource tree as deployed, not as edited since', async () => {
    const arn = fn('proxy', 'handlers.proxy');
    const apiId = api(arn);
    const root = gw.getRestApi(R, apiId).rootResourceId;
    const later = gw.createResource(R, apiId, root, 'later');
    gw.putMethod(R, apiId, later.id, 'GET', { authorizationType: 'NONE' });
    gw.putIntegration(R, apiId, later.id, 'GET', { type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: uri(arn) });
    expect((await gw.execute(apiId, 'prod', request('GET', '/later'))).status).toBe(403);
    gw.createDeployment(R, apiId, { stageName: 'prod' });
    expect((await gw.execute(apiId, 'prod', request('GET', '/later'))).status).toBe(200);
  });
});

describe('API Gateway control plane', () => {
  it('uses the AWS error codes and messages', () => {
    const created = gw.createRestApi(R, { name: 'x' });
    expect(created.id).toMatch(/^[a-z0-9]{10}$/);
    expect(created.endpointConfiguration).toEqual({ types: ['EDGE'] });
    expect(() => gw.getRestApi(R, 'abcdefghij')).toThrow('Invalid API identifier specified 000000000000:abcdefghij');
    expect(() => gw.getRestApi('us-east-1', created.id)).toThrow('Invalid API identifier specified');
    expect(() => gw.getResource(R, created.id, 'nope')).toThrow('Invalid Resource identifier specified');
    expect(() => gw.createDeployment(R, created.id, {})).toThrow("The REST API doesn't contain any methods");
    gw.createResource(R, created.id, created.rootResourceId, 'a');
    expect(() => gw.createResource(R, created.id, created.rootResourceId, 'a')).toThrow('Another resource with the same parent already has this name: a');
    expect(() => gw.getStage(R, created.id, 'prod')).toThrow('Invalid Stage identifier specified');
    expect(() => gw.createStage(R, created.id, { stageName: 'prod', deploymentId: 'nope' })).toThrow('Invalid Deployment identifier specified');
  });

  it('updates stage deployment and variables with patch operations', () => {
    const apiId = api(fn('proxy', 'handlers.proxy'));
    const d2 = gw.createDeployment(R, apiId, {});
    const stage = gw.updateStage(R, apiId, 'prod', [
      { op: 'replace', path: '/deploymentId', value: d2.id },
      { op: 'replace', path: '/variables/size', value: 'xl' },
      { op: 'remove', path: '/variables/color' },
    ]);
    expect(stage.deploymentId).toBe(d2.id);
    expect(stage.variables).toEqual({ size: 'xl' });
    expect(gw.getStages(R, apiId).item).toHaveLength(1);
    expect(gw.invokeUrl(apiId, 'prod')).toBe(`http://127.0.0.1:4566/restapis/${apiId}/prod/_user_request_`);
  });
});
