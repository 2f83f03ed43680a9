// The realism profile (startLocalCloud({ realism: 'aws' })): AWS's delays on the virtual clock,
// next to the fast default, through the real AWS SDK v3.
import { CreateDistributionCommand, CloudFrontClient, GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { ACMClient, DescribeCertificateCommand, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ResourceConflictException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Rig {
  cloud: LocalCloud;
  clock: ManualClock;
  r53: Route53Client;
  lambda: LambdaClient;
  cf: CloudFrontClient;
  cw: CloudWatchClient;
  acm: ACMClient;
}

async function rig(realism?: 'aws'): Promise<Rig> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
  const cloud = await startLocalCloud({ port: 0, clock, ...(realism ? { realism } : {}) });
  const opts = { endpoint: cloud.url, region: 'us-east-1', credentials };
  return { cloud, clock, r53: new Route53Client(opts), lambda: new LambdaClient(opts), cf: new CloudFrontClient(opts), cw: new CloudWatchClient(opts), acm: new ACMClient(opts) };
}

async function close(r: Rig | undefined): Promise<void> {
  if (!r) return;
  for (const c of [r.r53, r.lambda, r.cf, r.cw, r.acm]) c.destroy();
  await r.cloud.close();
}

async function record(r: Rig, zone: string, name: string, type: 'A' | 'CNAME', value: string) {
  return r.r53.send(
    new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: type, TTL: 60, ResourceRecords: [{ Value: value }] } }] } }),
  );
}

async function zone(r: Rig, name: string): Promise<string> {
  const z = await r.r53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Math.random()}` }));
  return z.HostedZone!.Id!;
}

async function fn(r: Rig, name: string) {
  return r.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
}

const distribution = (ref: string) =>
  new CreateDistributionCommand({
    DistributionConfig: {
      CallerReference: ref,
      Comment: '',
      Enabled: true,
      Origins: { Quantity: 1, Items: [{ Id: 'api', DomainName: 'dev-shop.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
      DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'redirect-to-https' },
    },
  });

describe('realism aws', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig('aws');
  });
  afterAll(async () => close(r));

  it('Route 53: a change is PENDING for 60 s, then INSYNC (GetChange)', async () => {
    const z = await zone(r, 'pending.realism.dev');
    const change = (await record(r, z, 'a.pending.realism.dev', 'A', '192.0.2.1')).ChangeInfo!;
    expect(change.Status).toBe('PENDING');
    await r.clock.advance(59_000);
    expect((await r.r53.send(new GetChangeCommand({ Id: change.Id }))).ChangeInfo?.Status).toBe('PENDING');
    await r.clock.advance(1_000);
    expect((await r.r53.send(new GetChangeCommand({ Id: change.Id }))).ChangeInfo?.Status).toBe('INSYNC');
  });

  it('Lambda: an update is InProgress for 5 s, and a second update meanwhile is a ResourceConflictException', async () => {
    await fn(r, 'busy');
    const updated = await r.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'busy', Environment: { Variables: { AB: '1' } } }));
    expect(updated).toMatchObject({ LastUpdateStatus: 'InProgress', State: 'Active' });
    const again = await r.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'busy', ZipFile: fixtureZip('handlers.js') })).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ResourceConflictException);
    expect((again as Error).message).toBe('The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:000000000000:function:busy');
    await r.clock.advance(4_999);
    expect((await r.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'busy' }))).LastUpdateStatus).toBe('InProgress');
    await r.clock.advance(1);
    const done = await r.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'busy' }));
    expect(done).toMatchObject({ LastUpdateStatus: 'Successful', Environment: { Variables: { AB: '1' } } });
    await expect(r.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'busy', ZipFile: fixtureZip('handlers.js') }))).resolves.toMatchObject({ LastUpdateStatus: 'InProgress' });
  });

  it('CloudFront: a new distribution is InProgress for 5 minutes, then Deployed', async () => {
    const d = (await r.cf.send(distribution('realism-1'))).Distribution!;
    expect(d.Status).toBe('InProgress');
    await r.clock.advance(5 * 60_000 - 1);
    expect((await r.cf.send(new GetDistributionCommand({ Id: d.Id }))).Distribution?.Status).toBe('InProgress');
    await r.clock.advance(1);
    expect((await r.cf.send(new GetDistributionCommand({ Id: d.Id }))).Distribution?.Status).toBe('Deployed');
  });

  it('CloudWatch: API Gateway metrics are one-minute points, visible 30 s after their minute ends', async () => {
    const apigw = r.cloud.service('apigateway');
    const minute = Math.ceil(r.clock.now() / 60_000) * 60_000;
    await r.clock.advance(minute - r.clock.now() + 5_000);
    apigw.onRequest!('us-east-1', 'metrics-api', 'dev', 500, 10);
    await r.clock.advance(20_000);
    apigw.onRequest!('us-east-1', 'metrics-api', 'dev', 200, 30);
    const stats = async () =>
      (
        await r.cw.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/ApiGateway',
            MetricName: '5XXError',
            Dimensions: [{ Name: 'ApiName', Value: 'metrics-api' }],
            StartTime: new Date(minute - 60_000),
            EndTime: new Date(minute + 120_000),
            Period: 10,
            Statistics: ['Sum', 'SampleCount'],
          }),
        )
      ).Datapoints ?? [];
    expect(await stats()).toEqual([]);
    // The minute ends at minute + 60 s; its point arrives 30 s later.
    await r.clock.advance(minute + 89_999 - r.clock.now());
    expect(await stats()).toEqual([]);
    await r.clock.advance(1);
    const points = await stats();
    expect(points.map((p) => [p.Timestamp?.getTime(), p.Sum, p.SampleCount])).toEqual([[minute, 1, 2]]);
  });

  it('ACM: DNS validation waits for the CNAME in a delegated zone; a reserved name never validates', async () => {
    const z = await zone(r, 'shop.realism.dev');
    const arn = (await r.acm.send(new RequestCertificateCommand({ DomainName: '*.shop.realism.dev', ValidationMethod: 'DNS' }))).CertificateArn!;
    const describe = async () => (await r.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!;
    const pending = await describe();
    expect(pending).toMatchObject({ Status: 'PENDING_VALIDATION', DomainValidationOptions: [expect.objectContaining({ ValidationStatus: 'PENDING_VALIDATION' })] });
    expect(pending.IssuedAt).toBeUndefined();
    await r.clock.advance(10 * 60_000);
    expect((await describe()).Status).toBe('PENDING_VALIDATION');
    const cname = pending.DomainValidationOptions![0].ResourceRecord!;
    await record(r, z, cname.Name!, 'CNAME', cname.Value!);
    expect((await describe()).Status).toBe('PENDING_VALIDATION');
    await r.clock.advance(60_000);
    const issued = await describe();
    expect(issued).toMatchObject({ Status: 'ISSUED', DomainValidationOptions: [expect.objectContaining({ ValidationStatus: 'SUCCESS' })] });

    // shop.example is under a reserved TLD: no registry delegates to it, so its record never resolves.
    const reserved = await zone(r, 'shop.example');
    const arn2 = (await r.acm.send(new RequestCertificateCommand({ DomainName: 'api.shop.example', ValidationMethod: 'DNS' }))).CertificateArn!;
    const rec2 = (await r.acm.send(new DescribeCertificateCommand({ CertificateArn: arn2 }))).Certificate!.DomainValidationOptions![0].ResourceRecord!;
    await record(r, reserved, rec2.Name!, 'CNAME', rec2.Value!);
    await r.clock.advance(71 * 3600_000);
    expect((await r.acm.send(new DescribeCertificateCommand({ CertificateArn: arn2 }))).Certificate?.Status).toBe('PENDING_VALIDATION');
    await r.clock.advance(3600_000);
    expect((await r.acm.send(new DescribeCertificateCommand({ CertificateArn: arn2 }))).Certificate?.Status).toBe('VALIDATION_TIMED_OUT');
  });
});

describe('fast (default)', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(async () => close(r));

  it('answers at once: INSYNC, Successful, Deployed, ISSUED', async () => {
    const z = await zone(r, 'fast.realism.dev');
    expect((await record(r, z, 'a.fast.realism.dev', 'A', '192.0.2.1')).ChangeInfo?.Status).toBe('INSYNC');
    await fn(r, 'quick');
    expect(await r.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'quick', Description: 'x' }))).toMatchObject({ LastUpdateStatus: 'Successful' });
    await expect(r.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'quick', Description: 'y' }))).resolves.toBeDefined();
    expect((await r.cf.send(distribution('fast-1'))).Distribution?.Status).toBe('Deployed');
    const arn = (await r.acm.send(new RequestCertificateCommand({ DomainName: 'x.shop.example', ValidationMethod: 'DNS' }))).CertificateArn!;
    expect((await r.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.Status).toBe('ISSUED');
  });
});
