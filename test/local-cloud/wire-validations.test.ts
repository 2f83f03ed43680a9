// Per-operation input validation at the wire, through the real AWS SDK against an in-process cloud:
// CloudWatch (PutMetricData, GetMetricData, PutMetricAlarm limits) and SNS (Publish, Subscribe, PublishBatch).
// The SDK speaks CloudWatch's JSON protocol, so errors carry their JSON shape names: ValidationError is
// ValidationException, MissingParameter MissingRequiredParameterException, InvalidParameterValue
// InvalidParameterValueException (the query codes travel in x-amzn-query-error).
import { CloudWatchClient, GetMetricDataCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { createCloudWatchService } from '../../src/local-cloud/cloudwatch/index.js';
import { checkInput } from '../../src/local-cloud/cloudwatch/validations.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { createSnsService } from '../../src/local-cloud/sns/index.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let cw: CloudWatchClient;
let sns: SNSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createCloudWatchService, createSnsService] });
  cw = new CloudWatchClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
  sns = new SNSClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  cw.destroy();
  sns.destroy();
  await cloud.close();
});

const refused = async (p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> => {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!err) throw new Error('the request was accepted');
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
};

describe('CloudWatch wire validation', () => {
  it('PutMetricData: namespace and metric name lengths, dimension count, the MetricData limit', async () => {
    expect(await refused(cw.send(new PutMetricDataCommand({ Namespace: 'x'.repeat(256), MetricData: [{ MetricName: 'm', Value: 1 }] })))).toEqual({
      name: 'ValidationException',
      message: `1 validation error detected: Value '${'x'.repeat(256)}' at 'namespace' failed to satisfy constraint: Member must have length less than or equal to 255`,
      status: 400,
    });
    expect((await refused(cw.send(new PutMetricDataCommand({ Namespace: ':bad', MetricData: [{ MetricName: 'm', Value: 1 }] })))).message).toContain(
      "at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*",
    );
    const dims = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));
    expect((await refused(cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: '', Value: 1, Dimensions: dims }] })))).message).toBe(
      "2 validation errors detected: Value '' at 'metricData.1.member.metricName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        `Value '${JSON.stringify(dims)}' at 'metricData.1.member.dimensions' failed to satisfy constraint: Member must have length less than or equal to 30`,
    );
    // 1001 data (checked below the SDK: its request of that size does not reach the operation here).
    const data = Array.from({ length: 1001 }, () => ({ MetricName: 'm', Value: 1 }));
    expect(() => checkInput('PutMetricData', { Namespace: 'App', MetricData: data })).toThrow('The collection MetricData must not have a size greater than 1000.');
    expect(checkInput('PutMetricData', { Namespace: 'App', MetricData: data.slice(0, 1000) })).toBeDefined();
    expect(await refused(cw.send(new PutMetricDataCommand({ Namespace: undefined as unknown as string, MetricData: [] })))).toMatchObject({ name: 'MissingRequiredParameterException', message: 'The parameter Namespace is required.' });
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, Dimensions: dims.slice(0, 30) }] }));
  });

  it('GetMetricData: query ids must start with a lower-case letter; ScanBy is an enum', async () => {
    const query = (Id: string) => ({ Id, MetricStat: { Metric: { Namespace: 'App', MetricName: 'm' }, Period: 60, Stat: 'Sum' } });
    const err = await refused(cw.send(new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(60_000), MetricDataQueries: [query('Upper')] })));
    expect(err).toMatchObject({ name: 'ValidationException', message: expect.stringContaining("Value 'Upper' at 'metricDataQueries.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z][a-zA-Z0-9_]*$") });
    expect((await refused(cw.send(new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(60_000), MetricDataQueries: [query('ok')], ScanBy: 'Sideways' as never })))).message).toContain(
      'Member must satisfy enum value set: [TimestampDescending, TimestampAscending]',
    );
  });

  it('PutMetricAlarm: at most five actions per state', async () => {
    const alarm = { AlarmName: 'a', Namespace: 'App', MetricName: 'm', Statistic: 'Sum' as const, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
    const arns = Array.from({ length: 6 }, (_, i) => `arn:aws:sns:us-east-1:000000000000:t${i}`);
    expect((await refused(cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmActions: arns })))).message).toContain("at 'alarmActions' failed to satisfy constraint: Member must have length less than or equal to 5");
    expect((await refused(cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: '' })))).name).toBe('MissingRequiredParameterException');
    await cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmActions: arns.slice(0, 5) }));
  });
});

describe('SNS wire validation', () => {
  it('Publish, Subscribe and PublishBatch refuse what SNS refuses, naming the parameter', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'validated' }));
    expect(await refused(sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: 's'.repeat(101) })))).toEqual({ name: 'InvalidParameterException', message: 'Invalid parameter: Subject', status: 400 });
    expect(await refused(sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageGroupId: 'g'.repeat(129) })))).toMatchObject({ message: 'Invalid parameter: MessageGroupId' });
    expect(await refused(sns.send(new SubscribeCommand({ TopicArn, Protocol: undefined as unknown as string })))).toMatchObject({ message: 'Invalid parameter: Protocol' });
    const entries = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
    expect(await refused(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries })))).toMatchObject({ name: 'TooManyEntriesInBatchRequestException', status: 400 });
    expect(await refused(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'bad id!', Message: 'm' }] })))).toMatchObject({ message: 'Invalid parameter: PublishBatchRequestEntries' });
    await sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: 's'.repeat(100) }));
  });
});
