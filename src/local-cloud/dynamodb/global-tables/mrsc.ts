// Multi-Region strong consistency (MultiRegionConsistency: STRONG): who the majority is counted
// over, when a region has it, and the write and read checks a member makes before serving.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
import { AwsError } from '../../aws-error.js';
import { own } from '../../keyed.js';
import type { GlobalTableState } from './model.js';
import type { Replication } from './replication.js';

/**
 * MRSC region sets: all replicas and the witness of a STRONG global table lie in one of them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */
export const MRSC_REGION_SETS: Record<string, string[]> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

/** Data replicas (not DELETING) and the witness: the members a majority is counted over. */
export function members(g: GlobalTableState): string[] {
  const replicas = Object.entries(g.replicas)
    .filter(([, r]) => r.status !== 'DELETING')
    .map(([region]) => region)
    .sort();
  return g.witness ? [...replicas, g.witness.region] : replicas;
}

/** Two regions can talk: neither is down and replication is paused in neither direction. */
export function reachable(replication: Replication, a: string, b: string): boolean {
  return !replication.paused(a, b) && !replication.paused(b, a);
}

function hasQuorum(replication: Replication, g: GlobalTableState, region: string): boolean {
  const all = members(g);
  const reach = all.filter((m) => m === region || reachable(replication, region, m)).length;
  return reach * 2 > all.length;
}

function isolated(g: GlobalTableState, region: string): AwsError {
  return new AwsError(
    'InternalServerError',
    `Replica ${g.name} in ${region} cannot reach a majority of the regions of its multi-Region strongly consistent global table (${members(g).join(', ')}); writes and strongly consistent reads are refused until it can.`,
    500,
    false,
  );
}

/** Before a write to `key` in `region`: a majority, and no other region's write to that key still in flight. */
export function checkStrongWrite(replication: Replication, g: GlobalTableState, region: string, key: string, now: number): void {
  if (!hasQuorum(replication, g, region)) throw isolated(g, region);
  for (const [pair, queue] of Object.entries(g.queues)) {
    if (!pair.endsWith(`>${region}`)) continue;
    if (queue.some((w) => w.key === key && w.dueAt > now))
      throw new AwsError('ReplicatedWriteConflictException', 'The request was rejected because one or more items in the request are being modified by a request in another Region.');
  }
  for (const pair of Object.keys(g.queues)) if (pair.endsWith(`>${region}`)) replication.flush(g, pair, key);
}

/** Before a strongly consistent read in `region`: a majority, and the latest write from any region. */
export function checkStrongRead(replication: Replication, g: GlobalTableState, region: string): void {
  if (!hasQuorum(replication, g, region)) throw isolated(g, region);
  for (const pair of Object.keys(g.queues)) if (pair.endsWith(`>${region}`)) replication.flush(g, pair);
}

/** After a write in `region`: it is acknowledged once a second member of the majority has it (applied there now if a data replica). */
export function acknowledgeStrongWrite(replication: Replication, g: GlobalTableState, region: string): void {
  const sync = members(g).find((m) => m !== region && reachable(replication, region, m));
  if (sync && own(g.replicas, sync)) replication.flush(g, `${region}>${sync}`);
}
