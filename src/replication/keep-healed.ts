import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ResolvedConfig } from '../config/schema.js';
import { chainOf } from '../stage/chain.js';
import type { StagePlan } from '../stage/plan.js';
import { readDeployedChain, replicationView } from './deployed-chain.js';

export interface KeptHeal {
  /** Regions heal chained around that are still unhealthy: deploy keeps them out of the chain. */
  leftOut: string[];
  /** Every region's targets in the chain around them. */
  targets: Record<string, string[]>;
}

/**
 * What `deploy` must keep of a heal: when `replication heal` chained around regions (no deployed
 * link leads into them, so the deployed chain differs from the configured one) and those regions
 * are still unhealthy, deploy keeps the chain around them instead of chaining back through a region
 * that would swallow every object. The deployed chain itself is heal's record: heal changes only
 * the replication stacks' TargetRegions. Undefined when there is nothing to keep (no heal, or the
 * regions recovered: deploy then restores the configured chain, and heal backfills).
 * Health is asked only when a heal is deployed (`unhealthy` is the status check heal uses).
 */
export async function healToKeep(opts: {
  config: ResolvedConfig;
  plan: StagePlan;
  cfn: (region: string) => CloudFormationClient;
  unhealthy: () => Promise<string[]>;
}): Promise<KeptHeal | undefined> {
  const { config } = opts;
  const topology = config.replication?.topology;
  if (!topology || topology === 's3') return undefined;
  const links = await readDeployedChain(opts.plan, opts.cfn);
  if (!replicationView(config.regions, topology, links, []).rechained) return undefined;
  const targeted = new Set(links.flatMap((l) => l.targets ?? []));
  // A region without a replication stack yet (just added to regionctl.yml) is being chained in, not around.
  const hasStack = (r: string) => links.find((l) => l.region === r)?.stackStatus !== 'NOT_DEPLOYED';
  const aroundBy = config.regions.filter((r) => !targeted.has(r) && hasStack(r));
  if (aroundBy.length === 0) return undefined;
  const unhealthy = await opts.unhealthy();
  const leftOut = aroundBy.filter((r) => unhealthy.includes(r));
  if (leftOut.length === 0) return undefined;
  // As heal does, a left-out region keeps what it has deployed (heal does not touch it).
  const deployed = (region: string) => links.find((l) => l.region === region)?.targets;
  const targets = chainOf(config.regions, topology, leftOut).map((c) => [c.region, (leftOut.includes(c.region) ? deployed(c.region) : undefined) ?? c.targets] as const);
  return { leftOut, targets: Object.fromEntries(targets) };
}
