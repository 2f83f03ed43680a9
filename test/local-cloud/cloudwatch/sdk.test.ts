// CloudWatch through the real SDK v3 client (awsJson1_0) and the older awsQuery form, against the front door.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiGatewayService } from '../../../src/local-cloud/apigateway/index.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createCloudWatchService } from '../../../src/local-cloud/cloudwatch/index.js';
import { createLambdaService } from '../../../src/local-cloud/lambda/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const services = [createLambdaService, createApiGatewayService, createCloudWatchService];
const dataDir = mkdtempSync(join(tmpdir(), 'regionctl-cw-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function withCloud<T>(clock: ManualClock, fn: (cloud: LocalCloud, cw: CloudWatchClient) => Promise<T>, dir?: string): Promise<T> {
  const cloud = await startLocalCloud({ port: 0, clock, services, dataDir: dir });
  const cw = new CloudWatchClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  try {
    return await fn(cloud, cw);
  } finally {
    cw.destroy();
    await cloud.close();
  }
}

describe('CloudWatch over the wire', () => {
  it('round-trips metrics and alarms with the SDK, with AWS error codes', async () => {
    const clock = new ManualClock();
    await withCloud(clock, async (_cloud, cw) => {
      const Dimensions = [{ Name: 'Queue', Value: 'q' }];
      await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Depth', Dimensions, Value: 4, Timestamp: new Date(T0 + 5_000) }] }));
      await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Depth', Dimensions, Value: 6, Timestamp: new Date(T0 + 65_000) }] }));
      const data = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(T0),
          EndTime: new Date(T0 + 180_000),
          MetricDataQueries: [{ Id: 'd', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Depth', Dimensions }, Period: 60, Stat: 'Average' } }],
        }),
      );
      expect(data.MetricDataResults).toEqual([
        expect.objectContaining({ Id: 'd', Label: 'Depth', StatusCode: 'Complete', Timestamps: [new Date(T0 + 60_000), new Date(T0)], Values: [6, 4] }),
      ]);
      const stats = await cw.send(
        new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Depth', Dimensions, StartTime: new Date(T0), EndTime: new Date(T0 + 180_000), Period: 180, Statistics: ['Sum', 'Maximum'] }),
      );
      expect(stats.Datapoints).toEqual([expect.objectContaining({ Timestamp: new Date(T0), Sum: 10, Maximum: 6 })]);

      await cw.send(
        new PutMetricAlarmCommand({ AlarmName: 'deep', Namespace: 'App', MetricName: 'Depth', Dimensions, Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' }),
      );
      const before = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['deep'] }));
      expect(before.MetricAlarms?.[0]).toMatchObject({ AlarmName: 'deep', StateValue: 'INSUFFICIENT_DATA', AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:deep', StateUpdatedTimestamp: new Date(T0) });
      await cw.send(new SetAlarmStateCommand({ AlarmName: 'deep', StateValue: 'ALARM', StateReason: 'manual' }));
      expect((await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms?.map((a) => a.StateReason)).toEqual(['manual']);
      const missing = await cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ResourceNotFound);
      expect((missing as Error).message).toBe('Alarm nope not found');
    });
  });

  it('answers the form-encoded awsQuery protocol with XML', async () => {
    await withCloud(new ManualClock(), async (cloud) => {
      const post = (form: string) =>
        fetch(cloud.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/monitoring/aws4_request, SignedHeaders=host, Signature=x' },
          body: form,
        });
      const put = await post('Action=PutMetricAlarm&Version=2010-08-01&AlarmName=q&Namespace=App&MetricName=Hits&Statistic=Sum&Period=60&EvaluationPeriods=1&Threshold=1&ComparisonOperator=GreaterThanThreshold&Dimensions.member.1.Name=A&Dimensions.member.1.Value=b');
      expect(put.status).toBe(200);
      const text = await (await post('Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=q')).text();
      expect(text).toContain('<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
      expect(text).toMatch(/<MetricAlarms><member>.*<AlarmName>q<\/AlarmName>.*<StateUpdatedTimestamp>2026-01-01T00:00:00.000Z<\/StateUpdatedTimestamp>/s);
      expect(text).toContain('<Dimensions><member><Name>A</Name><Value>b</Value></member></Dimensions>');
      const bad = await post('Action=SetAlarmState&AlarmName=zz&StateValue=OK&StateReason=r');
      expect(bad.status).toBe(404);
      expect(await bad.text()).toContain('<Code>ResourceNotFound</Code><Message>Alarm zz not found</Message>');
    });
  });

  it('turns API Gateway 5xx responses into AWS/ApiGateway 5XXError and an ALARM one period later', async () => {
    const clock = new ManualClock();
    await withCloud(clock, async (cloud, cw) => {
      const gw = new APIGatewayClient({ endpoint: cloud.url, region, credentials });
      const lambda = new LambdaClient({ endpoint: cloud.url, region, credentials });
      try {
        const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'broken', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.fail', Code: { ZipFile: fixtureZip('handlers.js') } }));
        const api = await gw.send(new CreateRestApiCommand({ name: 'dev-hello' }));
        const [root] = (await gw.send(new GetResourcesCommand({ restApiId: api.id }))).items!;
        const res = await gw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root.id, pathPart: 'check' }));
        await gw.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
        await gw.send(
          new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations` }),
        );
        const deployment = await gw.send(new CreateDeploymentCommand({ restApiId: api.id }));
        await gw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'dev', deploymentId: deployment.id }));
        await lambda.send(new AddPermissionCommand({ FunctionName: 'broken', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${region}:000000000000:${api.id}/*/GET/check` }));

        await cw.send(
          new PutMetricAlarmCommand({ AlarmName: 'dev-hello-5xx', Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: [{ Name: 'ApiName', Value: 'dev-hello' }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }),
        );
        await clock.advance(10_000);
        const response = await fetch(`${cloud.url}/restapis/${api.id}/dev/_user_request_/check`);
        expect(response.status).toBe(502);
        await clock.advance(50_000);
        const alarms = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['dev-hello-5xx'] }));
        expect(alarms.MetricAlarms?.[0]).toMatchObject({ StateValue: 'ALARM', StateUpdatedTimestamp: new Date(T0 + 60_000) });
        expect(alarms.MetricAlarms?.[0].StateReason).toBe('Threshold Crossed: 1 datapoint [1.0 (01/01/26 00:00:00)] was greater than the threshold (0.0).');

        for (const dims of [[{ Name: 'ApiName', Value: 'dev-hello' }], [{ Name: 'ApiName', Value: 'dev-hello' }, { Name: 'Stage', Value: 'dev' }]]) {
          const count = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: dims, StartTime: new Date(T0), EndTime: new Date(T0 + 60_000), Period: 60, Statistics: ['Sum'] }));
          expect(count.Datapoints?.[0].Sum).toBe(1);
        }
        const errors = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'broken' }], StartTime: new Date(T0), EndTime: new Date(T0 + 60_000), Period: 60, Statistics: ['Sum', 'SampleCount'] }));
        expect(errors.Datapoints?.[0]).toMatchObject({ Sum: 1, SampleCount: 1 });
      } finally {
        gw.destroy();
        lambda.destroy();
      }
    });
  });

  it('keeps alarms and metrics across a restart and resumes evaluating them', async () => {
    const clock = new ManualClock();
    await withCloud(
      clock,
      async (_cloud, cw) => {
        await cw.send(new PutMetricAlarmCommand({ AlarmName: 'durable', Namespace: 'App', MetricName: 'Err', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }));
        await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Err', Value: 3 }] }));
      },
      dataDir,
    );
    await withCloud(
      clock,
      async (cloud, cw) => {
        expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.StateValue)).toEqual(['INSUFFICIENT_DATA']);
        await clock.advance(60_000);
        expect(cloud.service('monitoring').alarmState(region, 'durable')).toEqual({ state: 'ALARM', updatedAt: T0 + 60_000 });
      },
      dataDir,
    );
  });
});
