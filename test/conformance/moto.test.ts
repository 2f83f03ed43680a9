import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { AwsProvider } from '../../src/aws/provider.js';
import { createContext } from '../../src/commands/context.js';
import type { ResolvedConfig } from '../../src/config/schema.js';
import { deploy, type DeployClients } from '../../src/deploy/deploy.js';
import { destroy, emptyBucket } from '../../src/deploy/destroy.js';
import { deployStack } from '../../src/deploy/stack.js';
import { synth, type SynthResult } from '../../src/deploy/synth.js';
import { createMemoryIo, type MemoryIo } from '../../src/io/index.js';
import { regionStatus } from '../../src/observe/region-status.js';
import { planStage, type StagePlan } from '../../src/stage/plan.js';
import type { RoutingClients } from '../../src/observe/routing-view.js';
import { wallClock } from '../../src/wait.js';
import { motoMissing, startMoto, type MotoServer } from './moto-server.js';
import { skipWithoutTool } from '../support/require-tool.js';

// regionctl's deploy / status / destroy code paths against moto, an AWS emulator nobody on this
// project wrote: every request regionctl sends must be accepted by it. Run with the wall clock:
// moto completes stack operations synchronously, so the waits end on their first poll.
const missing = motoMissing();
const skip = skipWithoutTool('moto', missing);

const REGIONS = ['us-east-1', 'eu-west-1'];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const shimmed = new WeakSet<CloudFormationClient>();

/**
 * moto gap (5.2.x, cloudformation/models.py execute_change_set): a stack created or updated through
 * ExecuteChangeSet keeps the Outputs computed before its resources existed, so DescribeStacks
 * returns none; CreateStack/UpdateStack recompute them. AWS documents Outputs as available once
 * the stack is *_COMPLETE however it got there. This shim fills Ref-valued outputs from
 * DescribeStackResources so the rest of the flow can be checked; it never touches requests.
 */
function withMotoOutputs(cfn: CloudFormationClient): CloudFormationClient {
  if (shimmed.has(cfn)) return cfn;
  shimmed.add(cfn);
  cfn.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName !== 'DescribeStacksCommand') return out;
      for (const stack of (out.output as DescribeStacksCommandOutput).Stacks ?? []) {
        if (stack.Outputs?.length || !/_COMPLETE$/.test(stack.StackStatus ?? '') || /^DELETE/.test(stack.StackStatus ?? '')) continue;
        const template = JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: stack.StackId }))).TemplateBody ?? '{}');
        const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: stack.StackId }))).StackResources ?? [];
        const physical = new Map(resources.map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
        stack.Outputs = Object.entries<{ Value: { Ref?: string } }>(template.Outputs ?? {})
          .filter(([, o]) => typeof o.Value?.Ref === 'string' && physical.has(o.Value.Ref))
          .map(([OutputKey, o]) => ({ OutputKey, OutputValue: physical.get(o.Value.Ref!) }));
      }
      return out;
    },
    { step: 'initialize', name: 'motoChangeSetOutputs' },
  );
  return cfn;
}

describe.skipIf(skip)('regionctl against moto', () => {
  let moto: MotoServer;
  let dir: string;
  let provider: AwsProvider;
  let clients: DeployClients & RoutingClients & { endpoint: string };
  let config: ResolvedConfig;
  let synthResult: SynthResult;
  let bucketByRegion: Record<string, string> = {};

  beforeAll(async () => {
    moto = await startMoto();
    dir = mkdtempSync(join(tmpdir(), 'regionctl-moto-'));
    writeFileSync(join(dir, 'regionctl.yml'), `service: shop\nstage: test\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\n`);
    const ctx = createContext({ cwd: dir, env: {}, global: { json: true, color: false, verbose: false }, io: createMemoryIo() });
    config = await ctx.loadConfig();
    const full = await synth({ config, cwd: dir });
    // The toolkit and health stacks only: the stacks after them read HealthCheckId, a conditional
    // (Fn::If) output that moto never computes for change-set-created stacks (see withMotoOutputs).
    synthResult = { ...full, regions: full.regions.map((r) => ({ ...r, stacks: r.stacks.filter((st) => st.kind === 'toolkit' || st.kind === 'health') })) };
    provider = new AwsProvider({ endpoint: moto.url, credentials, env: {} });
    // deploy wires latency records into the configured zone and refuses to start without it.
    await provider.route53().send(new CreateHostedZoneCommand({ Name: config.dns.zone, CallerReference: 'moto-suite' }));
    clients = {
      endpoint: moto.url,
      cloudFormation: (region) => withMotoOutputs(provider.cloudFormation(region)),
      s3: (region) => provider.s3(region),
      route53: () => provider.route53(),
      cloudWatch: (region) => provider.cloudWatch(region),
      lambda: (region) => provider.lambda(region),
    };
  }, 60_000);

  afterAll(async () => {
    provider?.close();
    await moto?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The stacks this suite deploys (see beforeAll): destroy walks exactly these, backwards.
  const toolkitAndHealth = (): StagePlan => {
    const full = planStage(config);
    return { ...full, regions: full.regions.map((r) => ({ ...r, stacks: r.stacks.filter((st) => st.kind === 'toolkit' || st.kind === 'health') })) };
  };

  const run = () => {
    const io = createMemoryIo({ json: true });
    return { io, common: { config, clients, io, clock: wallClock, poll: 10, maxPoll: 50, deadline: 20_000 } };
  };

  it('accepts the caller-identity preflight', async () => {
    await expect(provider.verifyCredentials('us-east-1')).resolves.toMatchObject({ account: expect.stringMatching(/^\d{12}$/) });
  });

  it('creates the toolkit stack through a change set (bucket + policy) and streams its events', async () => {
    const io: MemoryIo = createMemoryIo({ json: true });
    const toolkit = synthResult.regions[0].stacks.find((s) => s.kind === 'toolkit')!;
    const cfn = clients.cloudFormation('us-east-1');
    const outcome = await deployStack({
      cfn,
      region: 'us-east-1',
      stackName: toolkit.stackName,
      templateBody: toolkit.templateBody,
      parameters: toolkit.parameters,
      tags: { 'regionctl:toolkit': 'true' },
      io,
      clock: wallClock,
      poll: 10,
      maxPoll: 50,
      deadline: 20_000,
    });
    expect(outcome.type).toBe('created');
    const bucket = outcome.outputs.ArtifactBucketName;
    expect(bucket).toMatch(/^regionctl-toolkit-artifactbucket-/);
    bucketByRegion['us-east-1'] = bucket;
    const labels = io.events.flatMap((e) => (e.kind === 'step' ? [e.label] : []));
    expect(labels).toContain('regionctl-toolkit CREATE_COMPLETE');
    const s3 = clients.s3('us-east-1');
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    // moto gap: it has no CloudFormation model for AWS::S3::BucketPolicy (moto/s3/models.py defines
    // none), so the stack accepts the resource as an anonymous placeholder (no logical id, no type)
    // and S3 never gets the policy. The local cloud and cfn-lint cover the policy itself.
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'regionctl-toolkit' }))).StackResources ?? [];
    expect(resources).toHaveLength(2);
    expect(resources.find((r) => r.LogicalResourceId === 'ArtifactBucket')).toMatchObject({ ResourceType: 'AWS::S3::Bucket', PhysicalResourceId: bucket });
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).catch((e: Error) => e);
    expect((policy as Error).name).toBe('NoSuchBucketPolicy');
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'regionctl-toolkit' }))).Stacks![0];
    expect(stack.Tags).toEqual([{ Key: 'regionctl:toolkit', Value: 'true' }]);
  });

  it('deploys both regions: toolkit, artifacts with HeadObject/PutObject, and the health stack', async () => {
    const { io, common } = run();
    const report = await deploy({ ...common, synthResult });
    const errors = report.results.flatMap((r) => (r.ok ? [] : [`${r.region}: ${r.error.message}`]));
    expect(errors).toEqual([]);
    for (const r of report.results) {
      if (!r.ok) continue;
      const kinds = r.value.stacks.map((s) => [s.stackName, s.type]);
      // us-east-1's toolkit came from the previous test and is skipped without a change set.
      expect(kinds).toEqual([
        ['regionctl-toolkit', r.region === 'us-east-1' ? 'no-changes' : 'created'],
        ['shop-test-health', 'created'],
      ]);
      expect(r.value.uploaded.sort()).toEqual(synthResult.lambdas.map((l) => l.s3Key).sort());
      bucketByRegion[r.region] = r.value.outputs.ArtifactBucketName;
      expect(r.value.outputs.RestApiId).toMatch(/^[a-z0-9]{10}$/);
      expect(r.value.outputs.CheckFunctionName).toBe('shop-test-check');
      const s3 = clients.s3(r.region);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucketByRegion[r.region], Prefix: 'artifacts/shop/test/lambdas/' }));
      expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(synthResult.lambdas.map((l) => l.s3Key).sort());
      const zip = await s3.send(new GetObjectCommand({ Bucket: bucketByRegion[r.region], Key: synthResult.lambdas[0].s3Key }));
      expect(zip.ContentType).toBe('application/zip');
      expect(zip.ServerSideEncryption).toBe('AES256');
    }
    expect(io.events.some((e) => e.kind === 'step' && /HealthTable CREATE_COMPLETE|shop-test-health CREATE_COMPLETE/.test(e.label))).toBe(true);
  });

  it('redeploying unchanged stacks takes the no-change path and uploads nothing', async () => {
    const { common } = run();
    const report = await deploy({ ...common, synthResult });
    for (const r of report.results) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value.stacks.map((s) => s.type)).toEqual(['no-changes', 'no-changes']);
      expect(r.value.uploaded).toEqual([]);
    }
  });

  it('a changed parameter goes through an UPDATE change set', async () => {
    const { common } = run();
    const changed: SynthResult = {
      ...synthResult,
      regions: synthResult.regions
        .filter((r) => r.region === 'eu-west-1')
        .map((r) => ({ ...r, stacks: r.stacks.filter((s) => s.kind === 'toolkit').map((s) => ({ ...s, parameters: { ...s.parameters, Versioning: 'true' } })) })),
    };
    const report = await deploy({ ...common, synthResult: changed });
    expect(report.results.map((r) => (r.ok ? r.value.stacks.map((s) => s.type) : r.error.message))).toEqual([['updated']]);
  });

  it('status reads the health stack; the check does not answer because moto runs Lambdas only in Docker', async () => {
    const { io } = run();
    const report = await regionStatus({ config, clients, io, timeoutMs: 3000 });
    expect(report.regions.map((r) => [r.region, r.stackStatus])).toEqual(REGIONS.map((r) => [r, expect.stringMatching(/^(CREATE|UPDATE)_COMPLETE$/)]));
    for (const r of report.regions) {
      expect(r.checkUrl).toBe(`${moto.url}/restapis/${r.checkUrl!.split('/')[4]}/test/_user_request_/check`);
      expect(r.healthy).toBe(false);
    }
  });

  it('emptyBucket removes every version and delete marker with ListObjectVersions + DeleteObjects', async () => {
    const s3: S3Client = clients.s3('eu-west-1');
    const bucket = bucketByRegion['eu-west-1'];
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'extra.txt', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'extra.txt', Body: 'two' }));
    const removed = await emptyBucket(s3, bucket);
    // the Lambda zips, deploy's stage marker, and both versions of extra.txt
    expect(removed).toBe(synthResult.lambdas.length + 1 + 2);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
    expect(await emptyBucket(s3, 'regionctl-no-such-bucket-anywhere')).toBe(0);
  });

  it('destroys the health and toolkit stacks in every region, and a second destroy finds nothing', async () => {
    const { common } = run();
    const first = await destroy({ ...common, plan: toolkitAndHealth() });
    expect(first.results.map((r) => (r.ok ? [r.region, r.value.deleted] : [r.region, r.error.message]))).toEqual(
      REGIONS.map((r) => [r, ['shop-test-health', 'regionctl-toolkit']]),
    );
    for (const region of REGIONS) {
      const err = await clients.s3(region).send(new HeadBucketCommand({ Bucket: bucketByRegion[region] })).catch((e: Error) => e);
      expect((err as Error).name).toBe('NotFound');
    }
    const second = await destroy({ ...common, plan: toolkitAndHealth() });
    expect(second.results.map((r) => (r.ok ? r.value.deleted : r.error.message))).toEqual([[], []]);
  });
});
