import { GetTemplateCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeStack } from '../aws/stacks.js';
import { errorReason } from '../aws/error-reason.js';
import type { ResolvedConfig } from '../config/schema.js';
import { deployStack } from '../deploy/stack.js';
import { fanOut } from '../fan-out.js';
import type { Io } from '../io/types.js';
import { chainOf, type Topology } from '../stage/chain.js';
import type { StagePlan } from '../stage/plan.js';
import { stackWait, type Sleeper } from '../wait.js';
import { backfill, type BackfillResult } from './backfill.js';
import { readDeployedChain, replicationView, type ReplicationView } from './deployed-chain.js';

export interface HealClients {
  cloudFormation(region: string): CloudFormationClient;
  s3(region: string): S3Client;
}

export interface HealReport {
  topology: Topology;
  /** Regions left out of the chain (unhealthy when heal ran). */
  leftOut: string[];
  before: ReplicationView;
  after: ReplicationView;
  /** Replication stacks whose targets heal changed, and how that went. */
  rechained: Array<{ region: string; from: string[]; to: string[]; ok: boolean; error?: string }>;
  /** Objects copied into live buckets that lacked them (absent when fewer than two regions are live). */
  backfill?: BackfillResult;
  ok: boolean;
}

/**
 * Re-chain replication around the unhealthy regions and backfill what the live ones missed:
 * every healthy region's replication stack is pointed at its target in the chain of the healthy
 * regions (the configured chain once every region is healthy again: the ring is restored), then
 * every live bucket gets every object any live bucket has. Unhealthy regions are not touched
 * (their stacks may not even answer); run heal again once they recover.
 */
export async function heal(opts: {
  config: ResolvedConfig;
  plan: StagePlan;
  clients: HealClients;
  unhealthy: readonly string[];
  io: Io;
  clock: Sleeper;
  poll?: number;
  maxPoll?: number;
  deadline?: number;
  signal?: AbortSignal;
}): Promise<HealReport> {
  const { config, plan, io } = opts;
  const topology = config.replication?.topology ?? 'ring';
  const unhealthy = config.regions.filter((r) => opts.unhealthy.includes(r));
  const links = await readDeployedChain(plan, (r) => opts.clients.cloudFormation(r));
  const before = replicationView(config.regions, topology, links, unhealthy);
  // A region whose stack cannot be read or is missing is left out too: nothing can be sent there.
  const leftOut = config.regions.filter((r) => unhealthy.includes(r) || links.find((l) => l.region === r)?.bucket === undefined);
  const desired = chainOf(config.regions, topology, leftOut);
  const changes = links.filter((l) => !leftOut.includes(l.region) && l.targets?.join(',') !== desired.find((d) => d.region === l.region)!.targets.join(','));
  const outcomes = await fanOut(
    changes.map((c) => c.region),
    changes.length,
    async (region) => {
      const to = desired.find((d) => d.region === region)!.targets;
      io.emit({ kind: 'step', id: region, state: 'start', region, label: `replication → ${to.join(', ') || '(none)'}` });
      await setTargets(opts, region, links.find((l) => l.region === region)!.stackName, to);
      io.emit({ kind: 'step', id: region, state: 'done', region, label: `replication → ${to.join(', ') || '(none)'}` });
    },
  );
  const rechained = outcomes.map((o) => {
    const link = links.find((l) => l.region === o.region)!;
    const to = desired.find((d) => d.region === o.region)!.targets;
    return { region: o.region, from: link.targets ?? [], to, ok: o.ok, ...(o.ok ? {} : { error: errorReason(o.error) }) };
  });
  const live = links
    .filter((l) => !leftOut.includes(l.region) && l.bucket !== undefined)
    .map((l) => ({ region: l.region, bucket: l.bucket!, targets: desired.find((d) => d.region === l.region)!.targets }));
  let filled: BackfillResult | undefined;
  if (live.length >= 2 && rechained.every((r) => r.ok)) {
    io.emit({ kind: 'step', id: 'backfill', state: 'start', label: `backfilling ${live.map((l) => l.region).join(', ')}` });
    filled = await backfill({ s3: (r) => opts.clients.s3(r), links: live, topology });
    io.emit({ kind: 'step', id: 'backfill', state: 'done', label: `${filled.missing} object(s) missing somewhere, ${filled.seeded.length} copied` });
  }
  const after = replicationView(config.regions, topology, await readDeployedChain(plan, (r) => opts.clients.cloudFormation(r)), unhealthy);
  return { topology, leftOut, before, after, rechained, ...(filled ? { backfill: filled } : {}), ok: rechained.every((r) => r.ok) };
}

// Update only TargetRegions of a deployed replication stack: its own template and every other
// parameter as they are, through a change set like any deploy.
async function setTargets(
  opts: { clients: HealClients; io: Io; clock: Sleeper; poll?: number; maxPoll?: number; deadline?: number; signal?: AbortSignal },
  region: string,
  stackName: string,
  targets: string[],
): Promise<void> {
  const cfn = opts.clients.cloudFormation(region);
  const stack = await describeStack(cfn, stackName);
  if (!stack) throw new Error(`${stackName} does not exist in ${region}`);
  const template = await cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
  const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue ?? '']));
  parameters.TargetRegions = targets.join(',');
  await deployStack({
    cfn,
    region,
    stackName,
    templateBody: template.TemplateBody ?? '',
    parameters,
    tags: Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
    io: opts.io,
    clock: opts.clock,
    ...stackWait(opts),
    current: stack,
  });
}
