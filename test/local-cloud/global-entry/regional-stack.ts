// Builds, through the real SDK, what the service stack deploys per region: a hello Lambda behind a
// REGIONAL API, a custom domain with a base path mapping, and a latency alias record with a health check.
import {
  APIGatewayClient,
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, Route53Client } from '@aws-sdk/client-route-53';
import { request } from 'node:http';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function deployRegion(url: string, region: string, opts: { domainName: string; zoneId: string; recordName: string }) {
  const lambda = new LambdaClient({ endpoint: url, region, credentials });
  const gw = new APIGatewayClient({ endpoint: url, region, credentials });
  const r53 = new Route53Client({ endpoint: url, region, credentials });
  const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'hello', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.proxy', Code: { ZipFile: fixtureZip('handlers.js') } }));
  const api = await gw.send(new CreateRestApiCommand({ name: 'dev-hello', endpointConfiguration: { types: ['REGIONAL'] } }));
  const [root] = (await gw.send(new GetResourcesCommand({ restApiId: api.id }))).items!;
  const res = await gw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root.id, pathPart: 'hello' }));
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
  await gw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
  await lambda.send(
    new AddPermissionCommand({ FunctionName: 'hello', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${region}:000000000000:${api.id}/*/*/*` }),
  );
  const domain = await gw.send(
    new CreateDomainNameCommand({ domainName: opts.domainName, regionalCertificateArn: `arn:aws:acm:${region}:000000000000:certificate/abc`, endpointConfiguration: { types: ['REGIONAL'] } }),
  );
  await gw.send(new CreateBasePathMappingCommand({ domainName: opts.domainName, restApiId: api.id, stage: 'prod' }));
  const check = await r53.send(
    new CreateHealthCheckCommand({
      CallerReference: `${region}-check`,
      HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Region: region as never, Name: `${region}-5xx` }, InsufficientDataHealthStatus: 'LastKnownStatus' },
    }),
  );
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: opts.zoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: opts.recordName,
              Type: 'A',
              SetIdentifier: `Region=${region}`,
              Region: region as never,
              AliasTarget: { HostedZoneId: domain.regionalHostedZoneId, DNSName: domain.regionalDomainName, EvaluateTargetHealth: false },
              HealthCheckId: check.HealthCheck!.Id,
            },
          },
        ],
      },
    }),
  );
  lambda.destroy();
  gw.destroy();
  r53.destroy();
  return { apiId: api.id!, domain, healthCheckId: check.HealthCheck!.Id! };
}

/** GET with an arbitrary Host header (fetch would not send one). */
export function getWithHost(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}
