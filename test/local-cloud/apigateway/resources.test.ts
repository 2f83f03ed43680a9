// The CloudFormation providers of Lambda and API Gateway, driven as the CloudFormation service would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiGatewayDomain } from '../../../src/local-cloud/apigateway/domain.js';
import { apiGatewayResources } from '../../../src/local-cloud/apigateway/resources.js';
import { LambdaDomain } from '../../../src/local-cloud/lambda/domain.js';
import { lambdaResources } from '../../../src/local-cloud/lambda/resources.js';
import type { ResourceContext, ResourceProvider } from '../../../src/local-cloud/types.js';
import { fakeCloud, ROLE, type FakeCloud } from '../lambda/fake-cloud.js';

const R = 'eu-central-1';
let cloud: FakeCloud;
let lambda: LambdaDomain;
let gw: ApiGatewayDomain;
let providers: Map<string, ResourceProvider>;

beforeEach(() => {
  cloud = fakeCloud();
  lambda = new LambdaDomain(cloud.ctx);
  gw = new ApiGatewayDomain(cloud.ctx);
  cloud.services.lambda = lambda;
  providers = new Map([...lambdaResources(lambda), ...apiGatewayResources(gw)].map((p) => [p.type, p]));
});

afterEach(async () => {
  await lambda.stop();
  cloud.cleanup();
});

const rc = (logicalId: string, stackName = 'a-very-long-stack-name-for-the-health-check-of-the-service'): ResourceContext => ({
  cloud: cloud.ctx,
  region: R,
  accountId: '000000000000',
  stackName,
  stackId: `arn:aws:cloudformation:${R}:000000000000:stack/${stackName}/1`,
  logicalId,
});
const p = (type: string) => providers.get(type)!;

const INLINE = `exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'Your function executed successfully in ' + process.env.AWS_REGION + '!', mode: process.env.MODE ?? null }),
});`;

describe('CloudFormation providers', () => {
  it('creates an inline-code function with a generated name, updates it in place and deletes it', async () => {
    const props = { Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: INLINE }, Timeout: '6' };
    const created = await p('AWS::Lambda::Function').create(rc('HelloFunctionWithALongLogicalId'), props);
    expect(created.physicalId.length).toBeLessThanOrEqual(64);
    expect(created.physicalId).toMatch(/^a-very-long-stack-name.*-[A-Z0-9]{12}$/);
    expect(created.attributes.Arn).toBe(`arn:aws:lambda:${R}:000000000000:function:${created.physicalId}`);
    expect(lambda.getFunctionConfiguration(R, created.physicalId).Timeout).toBe(6);

    const next = { ...props, Environment: { Variables: { MODE: 'updated' } } };
    await p('AWS::Lambda::Function').update!(rc('HelloFunctionWithALongLogicalId'), created.physicalId, next, props);
    const out = await lambda.invoke(R, created.physicalId, '{}');
    expect(JSON.parse(JSON.parse(out.payload.toString()).body)).toEqual({ message: `Your function executed successfully in ${R}!`, mode: 'updated' });

    await p('AWS::Lambda::Function').delete(rc('HelloFunctionWithALongLogicalId'), created.physicalId, next);
    expect(lambda.findFunction(R, created.physicalId)).toBeUndefined();
    await p('AWS::Lambda::Function').delete(rc('HelloFunctionWithALongLogicalId'), created.physicalId, next); // idempotent
  });

  it('wires RestApi, Resource, Method, Permission and Deployment into a served stage', async () => {
    const fnRes = await p('AWS::Lambda::Function').create(rc('Fn', 'svc'), { FunctionName: 'hello', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: INLINE } });
    const arn = String(fnRes.attributes.Arn);
    const api = await p('AWS::ApiGateway::RestApi').create(rc('Api', 'svc'), { Name: 'dev-svc', EndpointConfiguration: { Types: ['REGIONAL'] } });
    expect(gw.getRestApi(R, api.physicalId).endpointConfiguration).toEqual({ types: ['REGIONAL'] });
    const res = await p('AWS::ApiGateway::Resource').create(rc('Res', 'svc'), { RestApiId: api.physicalId, ParentId: api.attributes.RootResourceId, PathPart: 'hello' });
    const methodProps = {
      RestApiId: api.physicalId,
      ResourceId: res.physicalId,
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: `arn:aws:apigateway:${R}:lambda:path/2015-03-31/functions/${arn}/invocations` },
    };
    await p('AWS::ApiGateway::Method').create(rc('Get', 'svc'), methodProps);
    const permProps = { FunctionName: arn, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${R}:000000000000:${api.physicalId}/*` };
    const perm = await p('AWS::Lambda::Permission').create(rc('Perm', 'svc'), permProps);
    const dep = await p('AWS::ApiGateway::Deployment').create(rc('Dep', 'svc'), { RestApiId: api.physicalId, StageName: 'dev' });

    const req = { method: 'GET', path: '/hello', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) };
    const ok = await gw.execute(api.physicalId, 'dev', req);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString()).message).toBe(`Your function executed successfully in ${R}!`);

    await p('AWS::Lambda::Permission').delete(rc('Perm', 'svc'), perm.physicalId, permProps);
    expect((await gw.execute(api.physicalId, 'dev', req)).status).toBe(500);

    await p('AWS::ApiGateway::Deployment').delete(rc('Dep', 'svc'), dep.physicalId, { RestApiId: api.physicalId, StageName: 'dev' });
    expect(gw.getStages(R, api.physicalId).item).toEqual([]);
    await p('AWS::ApiGateway::RestApi').delete(rc('Api', 'svc'), api.physicalId, {});
    expect(gw.regionOf(api.physicalId)).toBeUndefined();
  });

  it('moves a Stage resource to a new deployment on update', async () => {
    const api = await p('AWS::ApiGateway::RestApi').create(rc('Api', 'svc'), { Name: 'x' });
    const res = await p('AWS::ApiGateway::Resource').create(rc('Res', 'svc'), { RestApiId: api.physicalId, ParentId: api.attributes.RootResourceId, PathPart: 'm' });
    await p('AWS::ApiGateway::Method').create(rc('M', 'svc'), { RestApiId: api.physicalId, ResourceId: res.physicalId, HttpMethod: 'GET', Integration: { Type: 'MOCK' } });
    const d1 = await p('AWS::ApiGateway::Deployment').create(rc('D1', 'svc'), { RestApiId: api.physicalId });
    const d2 = await p('AWS::ApiGateway::Deployment').create(rc('D2', 'svc'), { RestApiId: api.physicalId });
    const old = { RestApiId: api.physicalId, StageName: 'prod', DeploymentId: d1.physicalId, Variables: { a: '1' } };
    const stage = await p('AWS::ApiGateway::Stage').create(rc('S', 'svc'), old);
    await p('AWS::ApiGateway::Stage').update!(rc('S', 'svc'), stage.physicalId, { ...old, DeploymentId: d2.physicalId, Variables: { b: '2' } }, old);
    expect(gw.getStage(R, api.physicalId, 'prod')).toMatchObject({ deploymentId: d2.physicalId, variables: { b: '2' } });
  });
});
