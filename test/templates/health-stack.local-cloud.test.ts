// The bundled stacks and Lambdas, end to end: synth, create both stacks in two regions of the local
// cloud through the real SDK, then call GET /check over HTTP and flip UNHEALTHY.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { synth, type SynthResult, type SynthStack } from '../../src/deploy/synth.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { serviceFactories } from '../../src/local-cloud/services.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const config = configSchema.parse({ service: 'orders', regions: REGIONS, dns: { zone: 'regionctl.local', createZone: true } });

let cloud: LocalCloud;
let clock: ManualClock;
let cwd: string;
let built: SynthResult;
const outputs: Record<string, Record<string, string>> = {};

const client = <T extends { destroy(): void }>(make: new (cfg: any) => T, region: string): T =>
  new make({ endpoint: cloud.url, region, credentials, forcePathStyle: true });

// The local CloudFormation works in the background; each poll also moves virtual time on, so
// clock-driven statuses (tables CREATING → ACTIVE) settle without sleeping on the wall clock.
async function createStack(region: string, stack: SynthStack, parameters: Record<string, string>): Promise<Record<string, string>> {
  const cfn = client(CloudFormationClient, region);
  try {
    await cfn.send(
      new CreateStackCommand({
        StackName: stack.stackName,
        TemplateBody: stack.templateBody,
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    let described: Stack | undefined;
    for (let i = 0; i < 200; i++) {
      await cloud.service('cloudformation').idle();
      described = (await cfn.send(new DescribeStacksCommand({ StackName: stack.stackName }))).Stacks?.[0];
      if (!described?.StackStatus?.endsWith('_IN_PROGRESS')) break;
      await clock.advance(1000);
    }
    expect(described?.StackStatus, `${stack.stackName} in ${region}: ${described?.StackStatusReason}`).toBe('CREATE_COMPLETE');
    return Object.fromEntries((described!.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  } finally {
    cfn.destroy();
  }
}

async function check(region: string): Promise<{ status: number; headers: Headers; body: any }> {
  const o = outputs[region];
  const res = await fetch(`${cloud.url}/restapis/${o.RestApiId}/${o.StageName}/_user_request_/check`);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

beforeAll(async () => {
  clock = new ManualClock();
  cloud = await startLocalCloud({ port: 0, clock, services: serviceFactories });
  cwd = mkdtempSync(join(tmpdir(), 'regionctl-health-e2e-'));
  built = await synth({ config, cwd });
  for (const { region, stacks } of built.regions) {
    const [toolkit, health] = stacks;
    const { ArtifactBucketName } = await createStack(region, toolkit, toolkit.parameters);
    const s3 = client(S3Client, region);
    for (const l of built.lambdas) {
      await s3.send(new PutObjectCommand({ Bucket: ArtifactBucketName, Key: l.s3Key, Body: readFileSync(l.zipPath) }));
    }
    s3.destroy();
    outputs[region] = { ArtifactBucketName, ...(await createStack(region, health, { ...health.parameters, ArtifactBucket: ArtifactBucketName })) };
  }
});

afterAll(async () => {
  await cloud?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe('health stack on the local cloud', () => {
  it('outputs the names other commands rely on', () => {
    for (const region of REGIONS) {
      expect(outputs[region]).toMatchObject({
        RestApiName: 'dev-orders',
        StageName: 'dev',
        CheckFunctionName: 'orders-dev-check',
        CheckUrl: `https://${outputs[region].RestApiId}.execute-api.${region}.amazonaws.com/dev/check`,
        AlarmName: `orders-dev-${region}-5xx`,
        HealthCheckType: 'cloudwatch',
        HealthCheckId: expect.stringMatching(/\S/),
      });
    }
  });

  it('answers GET /check with 200 from each region, uncached, after writing the probe item', async () => {
    for (const region of REGIONS) {
      const res = await check(region);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ timestamp: expect.any(String), region });
      expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
      const ddb = client(DynamoDBClient, region);
      const item = await ddb.send(new GetItemCommand({ TableName: outputs[region].HealthTableName, Key: { id: { S: region } } }));
      ddb.destroy();
      expect(item.Item?.timestamp?.S).toBe(res.body.timestamp);
    }
  });

  it('answers 503 in one region only when UNHEALTHY=true is set on its function', async () => {
    const lambda = client(LambdaClient, 'us-east-1');
    const name = outputs['us-east-1'].CheckFunctionName;
    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { ...current.Environment?.Variables, UNHEALTHY: 'true' } } }),
    );
    lambda.destroy();
    const sick = await check('us-east-1');
    expect(sick.status).toBe(503);
    expect(sick.body).toMatchObject({ region: 'us-east-1', error: expect.stringMatching(/UNHEALTHY/) });
    expect((await check('eu-west-1')).status).toBe(200);
  });
});
