// CLOUDWATCH_METRIC health checks against the real local CloudWatch: SetAlarmState moves DNS answers.
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, CreateHostedZoneCommand, GetHealthCheckStatusCommand, Route53Client, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createCloudWatchService } from '../../../src/local-cloud/cloudwatch/index.js';
import { createRoute53Service } from '../../../src/local-cloud/route53/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const regions = ['us-east-1', 'us-west-2'];
let cloud: LocalCloud;
let r53: Route53Client;
let zoneId: string;
const checks: Record<string, string> = {};
const cw = (region: string) => new CloudWatchClient({ endpoint: cloud.url, region, credentials });

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createCloudWatchService, createRoute53Service] });
  r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
  zoneId = (await r53.send(new CreateHostedZoneCommand({ Name: 'cw.example.com', CallerReference: 'cw' }))).HostedZone!.Id!;
  for (const region of regions) {
    const client = cw(region);
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: 'api-5xx',
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Dimensions: [{ Name: 'ApiName', Value: 'dev-hello' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await client.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'OK', StateReason: 'test' }));
    client.destroy();
    const hc = await r53.send(new CreateHealthCheckCommand({ CallerReference: region, HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Region: region as never, Name: 'api-5xx' }, InsufficientDataHealthStatus: 'Unhealthy' } }));
    checks[region] = hc.HealthCheck!.Id!;
  }
  await r53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: regions.map((region, i) => ({
          Action: 'CREATE' as const,
          ResourceRecordSet: { Name: 'api.cw.example.com', Type: 'A' as const, SetIdentifier: region, Region: region as never, TTL: 60, ResourceRecords: [{ Value: `192.0.2.${i + 1}` }], HealthCheckId: checks[region] },
        })),
      },
    }),
  );
});

afterAll(async () => {
  r53.destroy();
  await cloud.close();
});

const answer = async (subnet: string) => (await r53.send(new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: 'api.cw.example.com', RecordType: 'A', EDNS0ClientSubnetIP: subnet }))).RecordData;

describe('CLOUDWATCH_METRIC health checks', () => {
  it('fail over when the alarm goes to ALARM and fail back on OK', async () => {
    expect(await answer('10.0.0.0')).toEqual(['192.0.2.1']);
    const east = cw('us-east-1');
    await east.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'drill' }));
    expect(await answer('10.0.0.0')).toEqual(['192.0.2.2']);
    const status = await r53.send(new GetHealthCheckStatusCommand({ HealthCheckId: checks['us-east-1'] }));
    expect(status.HealthCheckObservations?.[0].StatusReport?.Status).toMatch(/^Failure: CloudWatch alarm api-5xx is in state ALARM/);
    await east.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'OK', StateReason: 'restore' }));
    expect(await answer('10.0.0.0')).toEqual(['192.0.2.1']);
    east.destroy();
  });
});
