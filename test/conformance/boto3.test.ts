import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { skipWithoutTool } from '../support/require-tool.js';

// The same operations as the AWS CLI suite, through boto3 (botocore's parsers and its modeled
// error codes), one small Python script per protocol family under py/. Each script records every
// call's parsed response, or the error code/status boto3 extracted, or a crash when botocore could
// not parse the answer at all; the assertions live here.
const PY = join(import.meta.dirname, 'py');
const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const missing = probe.error ? `python3 is not installed (${probe.error.message})` : probe.status !== 0 ? 'boto3 is not installed for python3' : undefined;
const skip = skipWithoutTool('boto3', missing);

type Recorded = { ok?: any; error?: { code: string; message: string; status: number }; crash?: string };

function runScript(script: string, endpoint: string): Promise<Record<string, Recorded>> {
  return new Promise((resolve, reject) => {
    execFile('python3', [join(PY, script), endpoint], { cwd: PY, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${script} failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as Record<string, Recorded>);
    });
  });
}

const ok = (r: Record<string, Recorded>, name: string) => {
  expect(r[name], name).toBeDefined();
  expect({ name, error: r[name].error, crash: r[name].crash }).toEqual({ name, error: undefined, crash: undefined });
  return r[name].ok;
};
const err = (r: Record<string, Recorded>, name: string) => {
  expect(r[name]?.error, `${name} should fail: ${JSON.stringify(r[name])}`).toBeDefined();
  return r[name].error!;
};

describe.skipIf(skip)('boto3 against the local cloud', () => {
  let cloud: LocalCloud;
  let query: Record<string, Recorded>;
  let json: Record<string, Recorded>;
  let rest: Record<string, Recorded>;
  let globals: Record<string, Recorded>;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
    // Independent resources (distinct names and regions), so the three scripts run at once.
    [query, json, rest, globals] = await Promise.all(['query_services.py', 'json_services.py', 'rest_services.py', 'global_services.py'].map((s) => runScript(s, cloud.url)));
  }, 90_000);
  afterAll(async () => cloud?.close());

  it('nothing crashed botocore’s parsers', () => {
    const crashes = Object.entries({ ...query, ...json, ...rest, ...globals }).flatMap(([name, r]) => (r.crash ? [`${name}: ${r.crash}`] : []));
    expect(crashes).toEqual([]);
  });

  it('STS and IAM (awsQuery)', () => {
    expect(ok(query, 'sts.GetCallerIdentity')).toMatchObject({ Account: '000000000000', Arn: expect.stringMatching(/^arn:aws:iam::000000000000:/) });
    expect(err(query, 'sts.GetSessionToken')).toMatchObject({ code: 'InvalidAction', status: 400 });
    expect(ok(query, 'iam.GetRole').Role).toMatchObject({ RoleName: 'boto-role', AssumeRolePolicyDocument: { Statement: [expect.objectContaining({ Action: 'sts:AssumeRole' })] } });
    expect(err(query, 'iam.GetRole.missing')).toEqual({ code: 'NoSuchEntity', message: 'The role with name no-such-role cannot be found.', status: 404 });
  });

  it('CloudFormation (awsQuery): change sets, stacks, events, templates, and the errors regionctl matches on', () => {
    expect(ok(query, 'cfn.DescribeChangeSet')).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    expect(ok(query, 'cfn.ExecuteChangeSet')).toEqual({});
    const stack = ok(query, 'cfn.DescribeStacks').Stacks[0];
    expect(stack).toMatchObject({ StackName: 'boto-stack', StackStatus: 'CREATE_COMPLETE', Tags: [{ Key: 'regionctl:stage', Value: 'test' }] });
    expect(stack.Outputs).toEqual([expect.objectContaining({ OutputKey: 'TableName', OutputValue: expect.stringMatching(/^boto-stack-Table-/) })]);
    const events = ok(query, 'cfn.DescribeStackEvents').StackEvents;
    expect(events[0]).toMatchObject({ LogicalResourceId: 'boto-stack', ResourceStatus: 'CREATE_COMPLETE', ResourceType: 'AWS::CloudFormation::Stack', PhysicalResourceId: stack.StackId });
    expect(events.at(-1)).toMatchObject({ ResourceStatus: 'REVIEW_IN_PROGRESS' });
    // botocore turns a JSON TemplateBody into a dict, as it does for AWS.
    expect(ok(query, 'cfn.GetTemplate').TemplateBody).toMatchObject({ Resources: { Table: { Type: 'AWS::DynamoDB::Table' } } });
    expect(ok(query, 'cfn.DescribeChangeSet.unchanged')).toMatchObject({
      Status: 'FAILED',
      StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    expect(ok(query, 'cfn.DeleteChangeSet')).toEqual({});
    expect(err(query, 'cfn.DescribeChangeSet.deleted')).toMatchObject({ code: 'ChangeSetNotFound', status: 404 });
    // boto3's typed exception matches on the wire code: it catches only AWS's ChangeSetNotFound.
    expect(ok(query, 'cfn.DescribeChangeSet.typedException')).toEqual({ caught: 'ChangeSetNotFoundException' });
    for (const name of ['cfn.DescribeStacks.missing', 'cfn.DescribeStackEvents.missing', 'cfn.GetTemplate.missing']) {
      expect(err(query, name)).toEqual({ code: 'ValidationError', message: 'Stack with id no-such-stack does not exist', status: 400 });
    }
    expect(err(query, 'cfn.CreateChangeSet.badParameter')).toEqual({ code: 'ValidationError', message: 'Parameters: [Nope] do not exist in the template', status: 400 });
    expect(err(query, 'cfn.CreateChangeSet.badTemplate')).toMatchObject({ code: 'ValidationError', message: expect.stringMatching(/^Template format error: /) });
    expect(err(query, 'cfn.ListStackSets')).toMatchObject({ code: 'InvalidAction' });
    expect(ok(query, 'cfn.DescribeStacks.deleted').Stacks[0].StackStatus).toBe('DELETE_COMPLETE');
    expect(err(query, 'cfn.DescribeStacks.deletedByName')).toMatchObject({ code: 'ValidationError', message: 'Stack with id boto-stack does not exist' });
    // doctor: ListStacks counts live stacks, DescribeAccountLimits gives StackLimit.
    expect(ok(query, 'cfn.ListStacks').StackSummaries).toEqual([expect.objectContaining({ StackName: 'boto-stack', StackStatus: 'DELETE_COMPLETE', StackId: stack.StackId })]);
    expect(err(query, 'cfn.ListStacks.badFilter')).toMatchObject({ code: 'ValidationError', status: 400, message: expect.stringContaining("at 'stackStatusFilter' failed to satisfy constraint") });
    expect(ok(query, 'cfn.DescribeAccountLimits')).toEqual({ AccountLimits: [{ Name: 'StackLimit', Value: 2000 }, { Name: 'StackOutputsLimit', Value: 200 }] });
  });

  it('DynamoDB (awsJson1_0): tables, items and typed errors', () => {
    expect(ok(json, 'ddb.CreateTable').TableDescription).toMatchObject({ TableName: 'boto-health', TableArn: 'arn:aws:dynamodb:us-west-2:000000000000:table/boto-health' });
    expect(err(json, 'ddb.CreateTable.duplicate')).toMatchObject({ code: 'ResourceInUseException', status: 400 });
    expect(ok(json, 'ddb.DescribeTable').Table).toMatchObject({ TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } });
    expect(err(json, 'ddb.DescribeTable.missing')).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
    expect(ok(json, 'ddb.ListTables')).toEqual({ TableNames: ['boto-health'] });
    expect(ok(json, 'ddb.PutItem')).toEqual({});
    expect(ok(json, 'ddb.GetItem')).toEqual({ Item: { id: { S: 'healthcheck' }, timestamp: { S: '2026-01-01T00:00:00.000Z' } } });
    expect(ok(json, 'ddb.GetItem.absent')).toEqual({});
    expect(err(json, 'ddb.GetItem.missingTable')).toEqual({ code: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 });
    expect(err(json, 'ddb.GetItem.wrongKey')).toEqual({ code: 'ValidationException', message: 'The provided key element does not match the schema', status: 400 });
    expect(err(json, 'ddb.PutItem.missingKey')).toEqual({ code: 'ValidationException', message: 'One or more parameter values were invalid: Missing the key id in the item', status: 400 });
    expect(err(json, 'ddb.PutItem.emptyString')).toMatchObject({ code: 'ValidationException' });
    expect(err(json, 'ddb.ListBackups')).toMatchObject({ code: 'UnknownOperationException', status: 400 });
  });

  it('CloudWatch Logs (awsJson1_1)', () => {
    expect(ok(json, 'logs.CreateLogGroup')).toEqual({});
    expect(err(json, 'logs.CreateLogGroup.duplicate')).toMatchObject({ code: 'ResourceAlreadyExistsException', status: 400 });
    expect(ok(json, 'logs.DescribeLogGroups').logGroups).toEqual([expect.objectContaining({ logGroupName: '/regionctl/boto' })]);
    expect(err(json, 'logs.FilterLogEvents.missing')).toMatchObject({ code: 'ResourceNotFoundException' });
    expect(err(json, 'logs.DescribeDestinations')).toMatchObject({ code: 'UnknownOperationException' });
  });

  it('S3 (restXml): artifact upload, versions, DeleteObjects and errors', () => {
    expect(ok(rest, 's3.CreateBucket')).toEqual({ Location: expect.any(String) });
    expect(err(rest, 's3.CreateBucket.invalid')).toMatchObject({ code: 'InvalidBucketName', status: 400 });
    const put = ok(rest, 's3.PutObject');
    expect(put).toMatchObject({ ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/), ServerSideEncryption: 'AES256', VersionId: expect.any(String) });
    expect(ok(rest, 's3.HeadObject')).toMatchObject({ ContentLength: 9, ContentType: 'application/zip', ServerSideEncryption: 'AES256', ETag: put.ETag, VersionId: put.VersionId });
    expect(err(rest, 's3.HeadObject.missingKey')).toEqual({ code: '404', message: 'Not Found', status: 404 });
    expect(err(rest, 's3.HeadObject.missingBucket')).toEqual({ code: '404', message: 'Not Found', status: 404 });
    expect(err(rest, 's3.GetObject.missingKey')).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(err(rest, 's3.PutObject.missingBucket')).toMatchObject({ code: 'NoSuchBucket', status: 404 });
    expect(ok(rest, 's3.ListBuckets').Buckets).toEqual([expect.objectContaining({ Name: 'boto-artifacts', BucketRegion: 'eu-west-1' })]);
    // botocore sends encoding-type=url and decodes the keys back.
    expect(ok(rest, 's3.ListObjectVersions').Versions).toEqual([
      expect.objectContaining({ Key: 'lambdas/check-0123456789ab.zip', VersionId: put.VersionId, IsLatest: true, ETag: put.ETag, Size: 9 }),
    ]);
    expect(err(rest, 's3.ListObjectVersions.missingBucket')).toMatchObject({ code: 'NoSuchBucket', status: 404 });
    expect(ok(rest, 's3.DeleteObjects').Errors).toBeUndefined();
    expect(ok(rest, 's3.ListObjectVersions.empty').Versions).toBeUndefined();
    expect(err(rest, 's3.ListBucketInventoryConfigurations')).toMatchObject({ code: 'NotImplemented', status: 501 });
  });

  it('Lambda (restJson1): configuration, invoke and validation errors', () => {
    expect(ok(rest, 'lambda.CreateFunction')).toMatchObject({ FunctionName: 'boto-check', FunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:boto-check' });
    expect(ok(rest, 'lambda.ListFunctions').Functions.map((f: any) => f.FunctionName)).toEqual(['boto-check']);
    expect(ok(rest, 'lambda.GetFunctionConfiguration')).toMatchObject({ Environment: { Variables: { MODE: 'one' } }, Timeout: 3, MemorySize: 128 });
    expect(err(rest, 'lambda.GetFunctionConfiguration.missing')).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
    expect(ok(rest, 'lambda.UpdateFunctionConfiguration')).toMatchObject({ Environment: { Variables: { MODE: 'one', FLAG: 'on' } } });
    // AWS's pattern for variable names needs two characters: [a-zA-Z]([a-zA-Z0-9_])+
    expect(err(rest, 'lambda.UpdateFunctionConfiguration.badKey')).toMatchObject({ code: 'ValidationException', status: 400 });
    expect(err(rest, 'lambda.UpdateFunctionConfiguration.badTimeout')).toMatchObject({ code: 'ValidationException', status: 400 });
    const invoked = ok(rest, 'lambda.Invoke');
    expect(invoked).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(invoked.Payload)).toEqual({ got: { ping: 1 }, flag: 'on' });
    expect(err(rest, 'lambda.Invoke.missing')).toMatchObject({ code: 'ResourceNotFoundException', status: 404 });
    expect(err(rest, 'lambda.ListLayers')).toMatchObject({ code: 'UnknownOperationException' });
    expect(ok(rest, 'lambda.GetAccountSettings')).toEqual({
      AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 },
      AccountUsage: { TotalCodeSize: ok(rest, 'lambda.CreateFunction').CodeSize, FunctionCount: 1 },
    });
  });

  it('API Gateway (restJson1)', () => {
    const api = ok(rest, 'apigw.CreateRestApi');
    expect(ok(rest, 'apigw.GetRestApis').items).toEqual([expect.objectContaining({ id: api.id, name: 'boto-api' })]);
    expect(ok(rest, 'apigw.GetResources').items).toEqual([expect.objectContaining({ id: api.rootResourceId, path: '/' })]);
    expect(err(rest, 'apigw.GetResources.missing')).toMatchObject({ code: 'NotFoundException', status: 404 });
    expect(err(rest, 'apigw.GetApiKeys')).toMatchObject({ code: 'UnknownOperationException' });
  });

  it('ACM (awsJson1_1): DescribeCertificate as doctor reads it', () => {
    const arn = ok(json, 'acm.RequestCertificate').CertificateArn;
    expect(arn).toMatch(/^arn:aws:acm:us-west-2:000000000000:certificate\/[0-9a-f-]{36}$/);
    expect(ok(json, 'acm.DescribeCertificate').Certificate).toMatchObject({
      CertificateArn: arn,
      DomainName: 'api.boto.test',
      SubjectAlternativeNames: ['api.boto.test', '*.boto.test'],
      Status: 'ISSUED',
      DomainValidationOptions: expect.arrayContaining([expect.objectContaining({ DomainName: '*.boto.test', ValidationMethod: 'DNS' })]),
    });
    expect(err(json, 'acm.DescribeCertificate.otherRegion')).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
    expect(err(json, 'acm.DescribeCertificate.missing')).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
    expect(err(json, 'acm.DescribeCertificate.malformed')).toMatchObject({ code: 'ValidationException', status: 400 });
  });

  it('CloudWatch (awsJson1_0, as botocore 1.43 picks): alarms and their errors', () => {
    expect(ok(json, 'cw.PutMetricAlarm')).toEqual({});
    expect(ok(json, 'cw.SetAlarmState')).toEqual({});
    expect(ok(json, 'cw.DescribeAlarms').MetricAlarms).toEqual([
      expect.objectContaining({ AlarmName: 'boto-5xx', StateValue: 'ALARM', StateReason: 'boto', Threshold: 1, Dimensions: [{ Name: 'ApiName', Value: 'boto-shop' }] }),
    ]);
    expect(ok(json, 'cw.DescribeAlarms.none')).toEqual({ MetricAlarms: [], CompositeAlarms: [] });
    expect(err(json, 'cw.SetAlarmState.missing')).toMatchObject({ code: 'ResourceNotFound', status: 404 });
    expect(err(json, 'cw.PutMetricAlarm.badPeriod')).toMatchObject({ code: 'ValidationError', status: 400 });
  });

  it('Route 53 (restXml, global): zones by name, TestDNSAnswer, health-check status, account limits', () => {
    const zoneId = ok(globals, 'r53.CreateHostedZone').HostedZone.Id;
    expect(ok(globals, 'r53.ListHostedZonesByName')).toMatchObject({ DNSName: 'boto.test.', HostedZones: [expect.objectContaining({ Id: zoneId, Name: 'boto.test.' })] });
    expect(ok(globals, 'r53.ChangeResourceRecordSets').ChangeInfo).toMatchObject({ Status: expect.stringMatching(/^(PENDING|INSYNC)$/) });
    expect(err(globals, 'r53.ChangeResourceRecordSets.badDelete')).toMatchObject({ code: 'InvalidChangeBatch', status: 400 });
    // Latency Region values: AWS's fixed list (API_ResourceRecordSet.html "Valid Values"), texts as AWS's.
    expect(ok(globals, 'r53.ChangeResourceRecordSets.latencyNewRegion').ChangeInfo).toMatchObject({ Status: expect.stringMatching(/^(PENDING|INSYNC)$/) });
    const bad = err(globals, 'r53.ChangeResourceRecordSets.latencyBadRegion');
    expect(bad).toMatchObject({ code: 'InvalidInput', status: 400 });
    expect(bad.message).toMatch(/^1 validation error detected: Value 'mars-east-1' at 'changeBatch\.changes\.1\.member\.resourceRecordSet\.region' failed to satisfy constraint: Member must satisfy enum value set: \[us-east-1, us-east-2, .*mx-central-1, ap-southeast-7, .*\]$/);
    expect(err(globals, 'r53.ChangeResourceRecordSets.latencyGovRegion')).toEqual({ code: 'InvalidChangeBatch', status: 400, message: "[Cannot find region 'us-gov-west-1'. No changes made.]" });
    expect(err(globals, 'r53.ChangeResourceRecordSets.latencySameRegion')).toEqual({
      code: 'InvalidChangeBatch',
      status: 400,
      message: '[RRSet with DNS name lat.boto.test., type A, SetIdentifier bangkok-2, and Region Name=ap-southeast-7 cannot be created because a latency RRSet with the same name, type and region already exists.]',
    });
    expect(err(globals, 'r53.ChangeResourceRecordSets.noSetIdentifier')).toEqual({
      code: 'InvalidInput',
      status: 400,
      message: 'Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with [Action=DELETE, Name=x.boto.test, Type=A, SetIdentifier=x]',
    });
    expect(ok(globals, 'r53.TestDNSAnswer')).toEqual({
      Nameserver: expect.any(String), RecordName: 'api.boto.test.', RecordType: 'A', RecordData: ['192.0.2.20'], ResponseCode: 'NOERROR', Protocol: 'UDP',
    });
    expect(err(globals, 'r53.TestDNSAnswer.missingZone')).toMatchObject({ code: 'NoSuchHostedZone', status: 404 });
    const observations = ok(globals, 'r53.GetHealthCheckStatus').HealthCheckObservations;
    expect(observations.length).toBeGreaterThan(0);
    for (const o of observations) expect(o).toEqual({ Region: expect.any(String), IPAddress: expect.any(String), StatusReport: { Status: expect.stringMatching(/^Success: /), CheckedTime: expect.any(String) } });
    expect(err(globals, 'r53.GetHealthCheckStatus.missing')).toMatchObject({ code: 'NoSuchHealthCheck', status: 404 });
    expect(ok(globals, 'r53.GetAccountLimit.healthChecks')).toEqual({ Limit: { Type: 'MAX_HEALTH_CHECKS_BY_OWNER', Value: 200 }, Count: 1 });
    expect(ok(globals, 'r53.GetAccountLimit.hostedZones')).toEqual({ Limit: { Type: 'MAX_HOSTED_ZONES_BY_OWNER', Value: 500 }, Count: 1 });
    expect(err(globals, 'r53.GetAccountLimit.badType')).toMatchObject({ code: 'InvalidInput', status: 400 });
  });

  it('Account (restJson1, global): GetRegionOptStatus', () => {
    expect(ok(globals, 'account.GetRegionOptStatus')).toEqual({ RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' });
    expect(ok(globals, 'account.GetRegionOptStatus.optIn')).toEqual({ RegionName: 'me-south-1', RegionOptStatus: 'ENABLED' });
    expect(err(globals, 'account.GetRegionOptStatus.unknown')).toEqual({ code: 'ValidationException', message: 'Invalid Region: xx-nowhere-1', status: 400 });
  });
});
