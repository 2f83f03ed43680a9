import { readFileSync } from 'node:fs';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ResolvedConfig } from '../config/schema.js';
import { fanOut, type RegionResult } from '../fan-out.js';
import type { Io } from '../io/types.js';
import type { Sleeper } from '../wait.js';
import { deployStack, type StackOutcome } from './stack.js';
import type { SynthLambda, SynthResult, SynthStack } from './synth.js';

/** The clients deploy needs; AwsProvider satisfies it, and so does anything pointed at another endpoint. */
export interface DeployClients {
  cloudFormation(region: string): CloudFormationClient;
  s3(region: string): S3Client;
}

export interface DeployOptions {
  config: ResolvedConfig;
  synthResult: SynthResult;
  clients: DeployClients;
  io: Io;
  clock: Sleeper;
  concurrency?: number;
  poll?: number;
  maxPoll?: number;
  /** Per-stack deadline, ms. */
  deadline?: number;
  signal?: AbortSignal;
}

export interface RegionDeployment {
  stacks: StackOutcome[];
  uploaded: string[];
  outputs: Record<string, string>;
}

export interface DeployReport {
  results: Array<RegionResult<RegionDeployment> & { stacks: StackOutcome[] }>;
  ok: boolean;
}

export function stackTags(config: ResolvedConfig, kind: string): Record<string, string> {
  return kind === 'toolkit'
    ? { 'regionctl:toolkit': 'true' }
    : { 'regionctl:service': config.service, 'regionctl:stage': config.stage, 'regionctl:stack': kind };
}

/**
 * Deploy every region in parallel (at most `concurrency` at once): the toolkit stack, then the
 * Lambda zips into its bucket (content-hashed keys: unchanged code is never re-uploaded), then
 * the service stacks in dependency order. A failing region never stops the others.
 */
export async function deploy(opts: DeployOptions): Promise<DeployReport> {
  const { config, synthResult, io } = opts;
  const regions = synthResult.regions.map((r) => r.region);
  const partial = new Map<string, StackOutcome[]>();
  const results = await fanOut(regions, opts.concurrency ?? regions.length, async (region) => {
    const stacks = synthResult.regions.find((r) => r.region === region)!.stacks;
    const done: StackOutcome[] = [];
    partial.set(region, done);
    io.emit({ kind: 'step', id: region, state: 'start', region, label: 'deploying' });
    try {
      const value = await deployRegion(opts, region, stacks, synthResult.lambdas, done);
      const changed = done.filter((s) => s.type !== 'no-changes').length;
      io.emit({ kind: 'step', id: region, state: 'done', region, label: changed === 0 ? 'no changes' : `${changed} stack(s) deployed` });
      return value;
    } catch (error) {
      io.emit({ kind: 'step', id: region, state: 'failed', region, label: (error as Error).message });
      throw error;
    }
  });
  return {
    results: results.map((r) => ({ ...r, stacks: r.ok ? r.value.stacks : (partial.get(r.region) ?? []) })),
    ok: results.every((r) => r.ok),
  };
}

async function deployRegion(
  opts: DeployOptions,
  region: string,
  stacks: SynthStack[],
  lambdas: SynthLambda[],
  done: StackOutcome[],
): Promise<RegionDeployment> {
  const cfn = opts.clients.cloudFormation(region);
  const outputs: Record<string, string> = {};
  let uploaded: string[] = [];
  for (const stack of stacks) {
    const parameters = { ...stack.parameters };
    if (stack.kind !== 'toolkit') {
      if (!outputs.ArtifactBucketName) throw new Error(`no artifact bucket in ${region}: the toolkit stack must deploy first`);
      if (uploaded.length === 0 && lambdas.length > 0) {
        uploaded = await uploadArtifacts(opts.clients.s3(region), outputs.ArtifactBucketName, lambdas, opts.io, region);
      }
      parameters.ArtifactBucket = outputs.ArtifactBucketName;
    }
    opts.io.emit({ kind: 'step', id: region, state: 'update', region, label: `${stack.stackName}: creating change set` });
    const outcome = await deployStack({
      cfn,
      region,
      stackName: stack.stackName,
      templateBody: stack.templateBody,
      parameters,
      tags: stackTags(opts.config, stack.kind),
      io: opts.io,
      clock: opts.clock,
      poll: opts.poll ?? 20,
      maxPoll: opts.maxPoll ?? 5000,
      deadline: opts.deadline ?? 30 * 60_000,
      signal: opts.signal,
    });
    done.push(outcome);
    Object.assign(outputs, outcome.outputs);
  }
  return { stacks: done, uploaded, outputs };
}

/** Put each zip under its content-hashed key unless it is already there. */
async function uploadArtifacts(s3: S3Client, bucket: string, lambdas: SynthLambda[], io: Io, region: string): Promise<string[]> {
  const uploaded: string[] = [];
  for (const lambda of lambdas) {
    const exists = await s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: lambda.s3Key }))
      .then(() => true)
      .catch((error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
        if (error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404) return false;
        throw error;
      });
    if (exists) continue;
    io.emit({ kind: 'debug', region, message: `uploading ${lambda.s3Key} (${lambda.size} bytes) to ${bucket}` });
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: lambda.s3Key,
        Body: readFileSync(lambda.zipPath),
        ContentType: 'application/zip',
        ServerSideEncryption: 'AES256',
      }),
    );
    uploaded.push(lambda.s3Key);
  }
  return uploaded;
}
