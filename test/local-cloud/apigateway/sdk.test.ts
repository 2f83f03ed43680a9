// API Gateway through the real AWS SDK v3 clients and real HTTP against the local cloud's front door.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteRestApiCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStageCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayService } from '../../../src/local-cloud/apigateway/index.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let gw: APIGatewayClient;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createLambdaService, createApiGatewayService] });
  gw = new APIGatewayClient({ endpoint: cloud.url, region, credentials });
  lambda = new LambdaClient({ endpoint: cloud.url, region, credentials });
});

afterAll(async () => {
  gw.destroy();
  lambda.destroy();
  await cloud.close();
});

describe('API Gateway over the wire', () => {
  it('builds a REGIONAL API with the SDK and serves it on the invoke URL', async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'hello', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.proxy', Code: { ZipFile: fixtureZip('handlers.js') } }),
    );
    const api = await gw.send(new CreateRestApiCommand({ name: 'dev-hello', endpointConfiguration: { types: ['REGIONAL'] } }));
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.createdDate).toEqual(new Date(Date.UTC(2026, 0, 1)));
    const [root] = (await gw.send(new GetResourcesCommand({ restApiId: api.id }))).items!;
    expect(root.path).toBe('/');
    const res = await gw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root.id, pathPart: 'hello' }));
    expect(res.path).toBe('/hello');
    await gw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await gw.send(
      new PutIntegrationCommand({
        restApiId: api.id,
        resourceId: res.id,
        httpMethod: 'GET',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations`,
      }),
    );
    const deployment = await gw.send(new CreateDeploymentCommand({ restApiId: api.id }));
    await gw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId: deployment.id }));
    expect((await gw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).deploymentId).toBe(deployment.id);

    const invokeUrl = `${cloud.url}/restapis/${api.id}/dev/_user_request_`;
    const denied = await fetch(`${invokeUrl}/hello`);
    expect(denied.status).toBe(500);

    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'hello',
        StatementId: 'apigw',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:${region}:000000000000:${api.id}/*/GET/hello`,
      }),
    );
    const ok = await fetch(`${invokeUrl}/hello?who=me`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-region')).toBe(region);
    expect(ok.headers.get('x-amzn-requestid')).toBeTruthy();
    const body = (await ok.json()) as { received: { path: string; queryStringParameters: Record<string, string> } };
    expect(body.received.path).toBe('/hello');
    expect(body.received.queryStringParameters).toEqual({ who: 'me' });

    const missing = await fetch(`${invokeUrl}/nowhere`);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ message: 'Missing Authentication Token' });

    await gw.send(new DeleteRestApiCommand({ restApiId: api.id }));
    const gone = await gw.send(new GetRestApiCommand({ restApiId: api.id })).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundException);
    expect((gone as Error).message).toBe(`Invalid API identifier specified 000000000000:${api.id}`);
  });
});
