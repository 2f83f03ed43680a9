import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { LambdaClient, ListFunctionsCommand, GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { deployCommand } from '../../src/commands/deploy.js';
import { statusCommand } from '../../src/commands/status.js';
import { destroyCommand } from '../../src/commands/destroy.js';
import { startHarness, type Harness } from './harness.js';

// Deploy → status → redeploy (no-op) → break one region through the Lambda API → destroy,
// against an in-process local cloud with the real SDK, in three regions.
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function status(): Promise<any> {
  const ctx = h.context({ json: true });
  await statusCommand(ctx);
  return JSON.parse(ctx.io.stdout);
}

describe('walking skeleton on three local regions', () => {
  it('deploys every region and reports them healthy', async () => {
    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    const out = JSON.parse(ctx.io.stdout);
    expect(out.ok).toBe(true);
    expect(out.regions.map((r: any) => r.region)).toEqual(REGIONS);
    for (const r of out.regions) {
      expect(r.stacks.map((s: any) => [s.stackName, s.result])).toEqual([
        ['regionctl-toolkit', 'created'],
        ['shop-test-health', 'created'],
        ['shop-test-service', 'created'],
      ]);
    }
    expect(out.global.map((g: any) => [g.stackName, g.region, g.result])).toEqual([['shop-test-dns', 'us-east-1', 'created']]);
    const report = await status();
    expect(report.regions).toHaveLength(3);
    for (const [i, r] of report.regions.entries()) {
      expect(r).toMatchObject({ region: REGIONS[i], healthy: true, httpStatus: 200, stackStatus: 'CREATE_COMPLETE', answeredBy: REGIONS[i] });
      expect(r.checkUrl).toMatch(new RegExp(`^${h.cloud.url}/restapis/[a-z0-9]{10}/test/_user_request_/check$`));
      const res = await fetch(r.checkUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
      expect(await res.json()).toMatchObject({ region: REGIONS[i] });
    }
  });

  it('redeploying with nothing changed reports no changes and changes nothing', async () => {
    const cfn = new CloudFormationClient({ region: 'us-west-2', endpoint: h.cloud.url, credentials });
    const before = await cfn.send(new ListStacksCommand({}));
    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    const out = JSON.parse(ctx.io.stdout);
    for (const r of out.regions) {
      expect(r.stacks.every((s: any) => s.result === 'no-changes')).toBe(true);
      expect(r.uploaded).toEqual([]);
    }
    const after = await cfn.send(new ListStacksCommand({}));
    expect(after.StackSummaries?.map((s) => [s.StackName, s.StackStatus, s.LastUpdatedTime?.getTime()])).toEqual(
      before.StackSummaries?.map((s) => [s.StackName, s.StackStatus, s.LastUpdatedTime?.getTime()]),
    );
  });

  it('UNHEALTHY=true set through the Lambda API turns only that region’s /check into 503', async () => {
    const lambda = new LambdaClient({ region: 'us-west-2', endpoint: h.cloud.url, credentials });
    const fn = (await lambda.send(new ListFunctionsCommand({}))).Functions!.find((f) => f.FunctionName === 'shop-test-check')!;
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.FunctionName }));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: fn.FunctionName,
        Environment: { Variables: { ...config.Environment?.Variables, UNHEALTHY: 'true' } },
      }),
    );
    const report = await status();
    expect(report.regions.map((r: any) => [r.region, r.healthy, r.httpStatus])).toEqual([
      ['us-east-1', true, 200],
      ['us-west-2', false, 503],
      ['eu-west-1', true, 200],
    ]);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, Environment: config.Environment }));
    expect((await status()).healthyRegions).toBe(3);
  });

  it('destroy refuses without --yes when nobody can confirm', async () => {
    const ctx = h.context();
    await expect(destroyCommand(ctx)).rejects.toMatchObject({ exitCode: 2, code: 'ConfirmationRequired' });
    expect((await status()).healthyRegions).toBe(3);
  });

  it('destroy --yes leaves no stacks, functions, tables or buckets', async () => {
    const ctx = h.context({ json: true });
    await destroyCommand(ctx, { yes: true });
    expect(JSON.parse(ctx.io.stdout).ok).toBe(true);
    for (const region of REGIONS) {
      const cfn = new CloudFormationClient({ region, endpoint: h.cloud.url, credentials });
      const live = (await cfn.send(new ListStacksCommand({}))).StackSummaries?.filter((s) => s.StackStatus !== 'DELETE_COMPLETE');
      expect(live).toEqual([]);
      const lambda = new LambdaClient({ region, endpoint: h.cloud.url, credentials });
      expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
      const ddb = new DynamoDBClient({ region, endpoint: h.cloud.url, credentials });
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    }
    const s3 = new S3Client({ region: 'us-east-1', endpoint: h.cloud.url, credentials, forcePathStyle: true });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    const report = await status();
    expect(report.regions.every((r: any) => r.stackStatus === 'NOT_DEPLOYED' && !r.healthy)).toBe(true);
  });
});

describe('status --watch', () => {
  it('refuses --json, which must stay one document', async () => {
    await expect(statusCommand(h.context({ json: true }), { watch: true })).rejects.toMatchObject({ exitCode: 2, code: 'WatchWithJson' });
  });

  it('redraws until interrupted', async () => {
    const controller = new AbortController();
    const ctx = h.context();
    const watching = statusCommand({ ...ctx, signal: controller.signal }, { watch: true, interval: 0.01 });
    // Stop as soon as a second table is out (no fixed sleep).
    while ((ctx.io.stdout.match(/region\(s\) healthy/g) ?? []).length < 2) await new Promise((r) => setImmediate(r));
    controller.abort();
    await watching;
    expect(ctx.io.stdout.match(/region\(s\) healthy/g)!.length).toBeGreaterThan(1);
  });
});
