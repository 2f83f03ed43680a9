import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeStack, stackOutputs } from '../aws/stacks.js';
import { errorReason } from '../aws/error-reason.js';
import { fanOut } from '../fan-out.js';
import { chainOf, ringLine, type Topology } from '../stage/chain.js';
import { regionalStack, type StagePlan } from '../stage/plan.js';

/** One region's replication stack as deployed: where its replicator writes now. */
export interface DeployedLink {
  region: string;
  stackName: string;
  /** NOT_DEPLOYED when there is no stack; UNKNOWN when it could not be read (the region is down). */
  stackStatus: string;
  /** The deployed TargetRegions (absent when unknown). */
  targets?: string[];
  bucket?: string;
  searchApiId?: string;
  searchStage?: string;
  error?: string;
}

/** The replication stack of every configured region, read at once. */
export async function readDeployedChain(plan: StagePlan, cfn: (region: string) => CloudFormationClient): Promise<DeployedLink[]> {
  const regions = plan.regions.map((r) => r.region);
  const results = await fanOut(regions, regions.length, async (region): Promise<DeployedLink> => {
    const stackName = regionalStack(plan, region, 'replication')?.name ?? '';
    const stack = await describeStack(cfn(region), stackName);
    if (!stack) return { region, stackName, stackStatus: 'NOT_DEPLOYED' };
    const out = stackOutputs(stack);
    return {
      region,
      stackName,
      stackStatus: stack.StackStatus ?? 'UNKNOWN',
      targets: (out.TargetRegions ?? '').split(',').filter((r) => r.length > 0),
      ...(out.BucketName ? { bucket: out.BucketName } : {}),
      ...(out.SearchApiId ? { searchApiId: out.SearchApiId, searchStage: out.SearchStageName ?? plan.stage } : {}),
    };
  });
  return results.map((r, i) =>
    r.ok ? r.value : { region: regions[i]!, stackName: regionalStack(plan, regions[i]!, 'replication')?.name ?? '', stackStatus: 'UNKNOWN', error: errorReason(r.error) },
  );
}

/** What `status` shows about replication. Field names are a contract (`status --json`): add, never rename. */
export interface ReplicationView {
  topology: Topology;
  /** The chain the configuration asks for, e.g. `us-east-1 → us-west-2 → eu-west-1 → us-east-1` (fan-out: `all ↔ all`). */
  planned: string;
  /** The chain as deployed (as healed, when heal re-chained it); null when no region could be read. */
  deployed: string | null;
  /** Every deployed link from → to, and whether it works: its target region is healthy and deployed. */
  links: Array<{ from: string; to: string; ok: boolean; reason?: string }>;
  /** Some link leads into an unhealthy or missing region: objects stop there. */
  broken: boolean;
  /** The deployed chain differs from the configured one (heal re-chained around a region, or a deploy is due). */
  rechained: boolean;
}

/** Compare the deployed chain with the configured one, marking links whose target region is unhealthy. */
export function replicationView(regions: readonly string[], topology: Topology, links: readonly DeployedLink[], unhealthy: readonly string[]): ReplicationView {
  const planned = chainOf(regions, topology);
  const known = links.filter((l) => l.targets !== undefined) as Array<DeployedLink & { targets: string[] }>;
  const edges = known.flatMap((l) =>
    l.targets.map((to) => {
      const target = links.find((t) => t.region === to);
      const reason = unhealthy.includes(to)
        ? `${to} is unhealthy`
        : target?.stackStatus === 'NOT_DEPLOYED'
          ? `${to} has no replication stack`
          : target?.stackStatus === 'UNKNOWN'
            ? `${to} cannot be read`
            : undefined;
      return { from: l.region, to, ok: reason === undefined, ...(reason ? { reason } : {}) };
    }),
  );
  const line = (chain: ReadonlyArray<{ region: string; targets: string[] }>) => (topology === 'ring' ? ringLine(chain) : chain.map((c) => `${c.region} → ${c.targets.join(', ') || '(none)'}`).join('; '));
  const rechained = known.some((l) => l.targets.join(',') !== (planned.find((p) => p.region === l.region)?.targets ?? []).join(','));
  return {
    topology,
    planned: line(planned),
    deployed: known.length > 0 ? line(regions.map((region) => ({ region, targets: known.find((k) => k.region === region)?.targets ?? [] }))) : null,
    links: edges,
    broken: edges.some((e) => !e.ok),
    rechained,
  };
}
