import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResolvedConfig } from '../config/schema.js';
import { RegionctlError } from '../errors.js';
import { fanOut, type RegionResult } from '../fan-out.js';
import type { Io } from '../io/types.js';
import { findHostedZone } from '../aws/route53.js';
import { stackWait, type Sleeper } from '../wait.js';
import { uploadArtifacts } from './artifacts.js';
import { describeStack } from '../aws/stacks.js';
import { deployStack, unchangedByHash, type StackOutcome } from './stack.js';
import type { ReplicaOptions, ReplicaReport } from './replicas.js';
import { writeStageMarker } from './stage-markers.js';
import type { SynthLambda, SynthResult, SynthStack } from './synth.js';

/** The clients deploy needs; AwsProvider satisfies it, and so does anything pointed at another endpoint. */
export interface DeployClients {
  cloudFormation(region: string): CloudFormationClient;
  s3(region: string): S3Client;
  route53(): Route53Client;
  /** Optional: without it a leftover `/aws/lambda/<fn>` log group is not cleaned up before create. */
  logs?(region: string): CloudWatchLogsClient;
  /** Needed when the stage has a global table (its replicas are added with UpdateTable). */
  dynamodb?(region: string): DynamoDBClient;
}

export interface DeployOptions {
  config: ResolvedConfig;
  synthResult: SynthResult;
  clients: DeployClients;
  io: Io;
  /** What the CloudFormation stack waits sleep on. */
  clock: Sleeper;
  /**
   * The cloud's own time, for waits on its timed transitions (a replica CREATING → ACTIVE takes a
   * minute of cloud time: seconds on a scaled local cloud, a manual clock's advance in tests). Default: clock.
   */
  cloudClock?: Sleeper;
  concurrency?: number;
  poll?: number;
  maxPoll?: number;
  /** Per-stack deadline, ms. */
  deadline?: number;
  signal?: AbortSignal;
  /** Remove replicas of regions no longer listed without asking. */
  removeReplicas?: boolean;
}

export interface RegionDeployment {
  stacks: StackOutcome[];
  uploaded: string[];
  outputs: Record<string, string>;
}

export interface GlobalStackResult {
  stackName: string;
  region: string;
  phase: 'before' | 'after';
  outcome?: StackOutcome;
  error?: string;
  skipped?: string;
}

export interface DeployReport {
  global: GlobalStackResult[];
  /** The global table's replica phase, between the `before` stacks and the regions (absent: no table). */
  replicas?: { ok: true; value: ReplicaReport } | { ok: false; error: Error };
  results: Array<RegionResult<RegionDeployment> & { stacks: StackOutcome[] }>;
  ok: boolean;
}

export function stackTags(config: ResolvedConfig, kind: string): Record<string, string> {
  return kind === 'toolkit'
    ? { 'regionctl:toolkit': 'true' }
    : { 'regionctl:service': config.service, 'regionctl:stage': config.stage, 'regionctl:stack': kind };
}

export class MissingOutput extends RegionctlError {
  constructor(stackName: string, parameter: string, output: string) {
    super('MissingOutput', `${stackName} needs ${parameter} from an earlier stack's ${output} output, which no deployed stack provides`, 1);
  }
}

/**
 * Deploy in three phases: global stacks that everything depends on (the hosted zone), then every
 * region in parallel (at most `concurrency` at once: toolkit, Lambda zips into its bucket, then
 * the stage's stacks in order, each fed the outputs of the ones before), then global stacks that
 * depend on the regions (the CloudFront edge). A failing region never stops the others.
 */
export async function deploy(opts: DeployOptions): Promise<DeployReport> {
  const { synthResult, io } = opts;
  const globalOutputs: Record<string, string> = {};
  const global: GlobalStackResult[] = [];

  const zone = synthResult.hostedZone;
  if (zone && !zone.managed) {
    const found = await findHostedZone(opts.clients.route53(), zone.name);
    const id = found.zone?.id;
    if (!id) {
      const why = found.privateZones.length > 0 ? 'is private (clients outside its VPCs cannot resolve it)' : 'does not exist in this account';
      throw new RegionctlError('HostedZoneMissing', `hosted zone ${zone.name} ${why}`, 1, {
        hint: `create it (aws route53 create-hosted-zone --name ${zone.name} --caller-reference $(date +%s)), set dns.createZone: true to let regionctl create it, or set dns.zone`,
      });
    }
    globalOutputs.HostedZoneId = id;
  }

  // The replicas' preconditions before anything changes (the table stack included): a refusal
  // halfway, after some stacks or replicas changed, would leave the stage half-applied.
  const tableStack = synthResult.before?.find((s) => s.kind === 'table');
  const replicaTarget = tableStack && opts.config.table ? replicaOptions(opts, tableStack, opts.config.table) : undefined;
  if (replicaTarget) {
    try {
      const { preflightReplicas } = await import('./replicas.js');
      await preflightReplicas(replicaTarget);
    } catch (error) {
      io.emit({ kind: 'step', id: 'replicas', state: 'failed', region: replicaTarget.home, label: (error as Error).message });
      return { global, replicas: { ok: false, error: error as Error }, results: [], ok: false };
    }
  }

  for (const stack of synthResult.before ?? []) {
    const result = await deployGlobal(opts, stack, 'before', globalOutputs);
    global.push(result);
    if (result.error) return { global, results: [], ok: false };
  }

  // The global table's replicas, each ACTIVE before the regions' events stacks read its stream.
  let replicas: DeployReport['replicas'];
  if (replicaTarget) {
    try {
      const { ensureReplicas } = await import('./replicas.js');
      const value = await ensureReplicas({
        ...replicaTarget,
        io,
        clock: opts.cloudClock ?? opts.clock,
        removeUnlisted: opts.removeReplicas,
        poll: opts.poll === undefined ? undefined : Math.max(opts.poll, 200),
        maxPoll: opts.maxPoll,
        deadline: opts.deadline,
        signal: opts.signal,
      });
      replicas = { ok: true, value };
    } catch (error) {
      io.emit({ kind: 'step', id: 'replicas', state: 'failed', region: replicaTarget.home, label: (error as Error).message });
      return { global, replicas: { ok: false, error: error as Error }, results: [], ok: false };
    }
  }
  const regionOutputs = (region: string): Record<string, string> => {
    const arn = replicas?.ok ? replicas.value.streamArns[region] : undefined;
    return arn ? { ReplicaStreamArn: arn } : {};
  };

  const regions = synthResult.regions.map((r) => r.region);
  const partial = new Map<string, StackOutcome[]>();
  const results = await fanOut(regions, opts.concurrency ?? regions.length, async (region) => {
    const stacks = synthResult.regions.find((r) => r.region === region)!.stacks;
    const done: StackOutcome[] = [];
    partial.set(region, done);
    io.emit({ kind: 'step', id: region, state: 'start', region, label: 'deploying' });
    try {
      const value = await deployRegion(opts, region, stacks, synthResult.lambdas, done, { ...globalOutputs, ...regionOutputs(region) });
      const changed = done.filter((s) => s.type !== 'no-changes').length;
      io.emit({ kind: 'step', id: region, state: 'done', region, label: changed === 0 ? 'no changes' : `${changed} stack(s) deployed` });
      return value;
    } catch (error) {
      io.emit({ kind: 'step', id: region, state: 'failed', region, label: (error as Error).message });
      throw error;
    }
  });

  const anyRegion = results.some((r) => r.ok);
  for (const stack of synthResult.after ?? []) {
    if (!anyRegion) {
      global.push({ stackName: stack.stackName, region: stack.region, phase: 'after', skipped: 'no region deployed' });
      continue;
    }
    global.push(await deployGlobal(opts, stack, 'after', globalOutputs));
  }
  return {
    global,
    ...(replicas ? { replicas } : {}),
    results: results.map((r) => ({ ...r, stacks: r.ok ? r.value.stacks : (partial.get(r.region) ?? []) })),
    ok: results.every((r) => r.ok) && global.every((g) => !g.error),
  };
}

/** Which table the replicas phase works on, in which regions. */
function replicaOptions(opts: DeployOptions, tableStack: SynthStack, settings: NonNullable<ResolvedConfig['table']>): Pick<ReplicaOptions, 'table' | 'home' | 'regions' | 'settings' | 'clients'> {
  const clients = opts.clients;
  if (!clients.dynamodb) throw new RegionctlError('NoDynamoDbClient', 'deploy needs a DynamoDB client to add the global table replicas');
  return { table: tableStack.parameters.TableName!, home: tableStack.region, regions: opts.synthResult.regions.map((r) => r.region), settings, clients: { dynamodb: (r) => clients.dynamodb!(r) } };
}

async function deployGlobal(opts: DeployOptions, stack: SynthStack, phase: 'before' | 'after', outputs: Record<string, string>): Promise<GlobalStackResult> {
  const id = `${stack.stackName}@${stack.region}`;
  opts.io.emit({ kind: 'step', id, state: 'start', region: stack.region, label: `${stack.stackName}: deploying` });
  try {
    const outcome = await deployOne(opts, stack, stack.region, outputs, id);
    Object.assign(outputs, outcome.outputs);
    opts.io.emit({ kind: 'step', id, state: 'done', region: stack.region, label: `${stack.stackName}: ${outcome.type}` });
    return { stackName: stack.stackName, region: stack.region, phase, outcome };
  } catch (error) {
    opts.io.emit({ kind: 'step', id, state: 'failed', region: stack.region, label: (error as Error).message });
    return { stackName: stack.stackName, region: stack.region, phase, error: (error as Error).message };
  }
}

async function deployRegion(
  opts: DeployOptions,
  region: string,
  stacks: SynthStack[],
  lambdas: SynthLambda[],
  done: StackOutcome[],
  globalOutputs: Record<string, string>,
): Promise<RegionDeployment> {
  const outputs: Record<string, string> = { ...globalOutputs };
  let uploaded: string[] | undefined;
  let marked = false;
  // Every stack of the region described at once: one round trip instead of one per stack (each
  // stack's state is its own; deploying an earlier one does not change a later one's).
  const cfn = opts.clients.cloudFormation(region);
  const current = await Promise.all(stacks.map((s) => describeStack(cfn, s.stackName)));
  for (const [i, stack] of stacks.entries()) {
    if (stack.kind !== 'toolkit' && lambdas.length > 0 && !outputs.ArtifactBucketName) throw new Error(`no artifact bucket in ${region}: the toolkit stack must deploy first`);
    const parameters = stackParameters(stack, outputs);
    // The zips are verified (and uploaded) before the first stack that will be created or updated:
    // a stack whose template hash, parameters (the zips' content-addressed keys among them) and
    // tags are as deployed makes no change set, so nothing reads the zips for it, and a no-change
    // deploy spends no HeadObject per function and region.
    const needsZips = stack.kind !== 'toolkit' && lambdas.length > 0 && !(current[i] && unchangedByHash(current[i]!, { templateBody: stack.templateBody, parameters, tags: stackTags(opts.config, stack.kind) }) === true);
    if (stack.kind !== 'toolkit' && ((!marked && lambdas.length > 0) || (needsZips && uploaded === undefined))) {
      const s3 = opts.clients.s3(region);
      const bucket = outputs.ArtifactBucketName!;
      const [zips] = await Promise.all([
        needsZips && uploaded === undefined ? uploadArtifacts(s3, bucket, lambdas, opts.io, region) : undefined,
        marked ? undefined : writeStageMarker(s3, bucket, opts.config, opts.config.regions),
      ]);
      marked = true;
      if (zips) uploaded = zips;
    }
    const outcome = await deployOne(opts, stack, region, outputs, region, current[i] ?? null, parameters);
    done.push(outcome);
    Object.assign(outputs, outcome.outputs);
  }
  return { stacks: done, uploaded: uploaded ?? [], outputs };
}

/** A stack's parameters plus those wired from earlier stacks' outputs. */
function stackParameters(stack: SynthStack, outputs: Record<string, string>): Record<string, string> {
  const parameters = { ...stack.parameters };
  const wiring: Record<string, string> = { ...(stack.outputParameters ?? {}) };
  if (stack.kind !== 'toolkit' && !stack.outputParameters && 'ArtifactBucket' in parameters === false) wiring.ArtifactBucket = 'ArtifactBucketName';
  for (const [parameter, output] of Object.entries(wiring)) {
    const value = outputs[output];
    if (value === undefined) throw new MissingOutput(stack.stackName, parameter, output);
    parameters[parameter] = value;
  }
  return parameters;
}

/** One stack: its parameters plus those wired from earlier stacks' outputs. */
async function deployOne(
  opts: DeployOptions,
  stack: SynthStack,
  region: string,
  outputs: Record<string, string>,
  progressId: string,
  current?: Stack | null,
  parameters: Record<string, string> = stackParameters(stack, outputs),
): Promise<StackOutcome> {
  opts.io.emit({ kind: 'step', id: progressId, state: 'update', region, label: `${stack.stackName}: checking for changes` });
  return deployStack({
    cfn: opts.clients.cloudFormation(region),
    ...(opts.clients.logs ? { logs: () => opts.clients.logs!(region) } : {}),
    region,
    stackName: stack.stackName,
    templateBody: stack.templateBody,
    parameters,
    tags: stackTags(opts.config, stack.kind),
    io: opts.io,
    clock: opts.clock,
    ...stackWait(opts),
    current,
  });
}
