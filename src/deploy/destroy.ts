import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ResolvedConfig } from '../config/schema.js';
import { fanOut, type RegionResult } from '../fan-out.js';
import type { Io } from '../io/types.js';
import { stackWait, type Sleeper } from '../wait.js';
import { describeStack, stackOutputs } from '../aws/stacks.js';
import { acmValidationRecords, deleteRecordSets } from '../aws/route53.js';
import type { PlannedStack, StagePlan } from '../stage/plan.js';
import { deleteStack } from './stack.js';
import { removeReplicas } from './replicas.js';
import { releaseStageMarker } from './stage-markers.js';


export interface DestroyClients {
  cloudFormation(region: string): CloudFormationClient;
  s3(region: string): S3Client;
  route53(): Route53Client;
  /** Needed to remove a global table's replicas before its stack. */
  dynamodb?(region: string): DynamoDBClient;
}

export interface RegionDestroyed {
  deleted: string[];
  /** Why the toolkit stack was kept, when it was. */
  keptToolkit?: string;
  emptiedObjects: number;
}

export interface GlobalDestroyed {
  stackName: string;
  region: string;
  deleted: boolean;
  error?: string;
}

/**
 * Remove one stage, in the plan's deploy order reversed: the `after` stacks, then every region (its
 * stacks backwards; a shared stack such as the toolkit, emptying its bucket first, only when no other
 * stage's marker says it still uses it), then the `before` stacks once every region is clean.
 */
export async function destroy(opts: {
  config: ResolvedConfig;
  plan: StagePlan;
  clients: DestroyClients;
  io: Io;
  clock: Sleeper;
  /** The cloud's own time, for the replicas' DELETING → gone wait (see DeployOptions.cloudClock). Default: clock. */
  cloudClock?: Sleeper;
  poll?: number;
  maxPoll?: number;
  deadline?: number;
  signal?: AbortSignal;
}): Promise<{ results: RegionResult<RegionDestroyed>[]; global: GlobalDestroyed[]; ok: boolean }> {
  const { plan, io } = opts;
  const global: GlobalDestroyed[] = [];
  const deleteGlobal = async (g: PlannedStack) => {
    const name = g.name;
    io.emit({ kind: 'step', id: name, state: 'start', region: g.region, label: `deleting ${name}` });
    try {
      const deleted = await deleteStack({ cfn: opts.clients.cloudFormation(g.region), region: g.region, stackName: name, io, clock: opts.clock, ...stackWait(opts) });
      io.emit({ kind: 'step', id: name, state: 'done', region: g.region, label: deleted ? `deleted ${name}` : `${name}: nothing to delete` });
      global.push({ stackName: name, region: g.region, deleted });
    } catch (error) {
      io.emit({ kind: 'step', id: name, state: 'failed', region: g.region, label: (error as Error).message });
      global.push({ stackName: name, region: g.region, deleted: false, error: (error as Error).message });
    }
  };
  // The edge depends on the regions' names: it goes first. The hosted zone goes last.
  for (const g of plan.after.slice().reverse()) await deleteGlobal(g);
  const regions = plan.regions.map((r) => r.region);
  const results = await fanOut(regions, regions.length, async (region) => {
    const stacks = plan.regions.find((r) => r.region === region)!.stacks.slice().reverse();
    const cfn = opts.clients.cloudFormation(region);
    const deleted: string[] = [];
    io.emit({ kind: 'step', id: region, state: 'start', region, label: 'destroying' });
    const common = { cfn, region, io, clock: opts.clock, ...stackWait(opts) };
    try {
      let emptiedObjects = 0;
      let keptToolkit: string | undefined;
      for (const stack of stacks) {
        if (stack.shared) {
          const kept = await releaseShared(opts, stack, region, common);
          emptiedObjects += kept.emptiedObjects;
          if (kept.keptBecause) keptToolkit = kept.keptBecause;
          if (kept.deleted) deleted.push(stack.name);
          continue;
        }
        const emptied = await deleteWithBucket(opts, stack, region, common);
        emptiedObjects += emptied.emptiedObjects;
        if (emptied.deleted) deleted.push(stack.name);
      }
      io.emit({ kind: 'step', id: region, state: 'done', region, label: deleted.length ? `deleted ${deleted.length} stack(s)` : 'nothing to delete' });
      return { deleted, keptToolkit, emptiedObjects };
    } catch (error) {
      io.emit({ kind: 'step', id: region, state: 'failed', region, label: (error as Error).message });
      throw error;
    }
  });
  if (results.every((r) => r.ok)) {
    for (const g of plan.before.slice().reverse()) {
      if (g.kind === 'dns' && !(await removeValidationRecords(opts, plan, g, global))) continue;
      if (g.kind === 'table' && !(await removeTableReplicas(opts, g, global))) continue;
      await deleteGlobal(g);
    }
  }
  return { results, global, ok: results.every((r) => r.ok) && global.every((g) => !g.error) };
}

/**
 * A global table's replicas go before its stack (AWS deletes no table that still has replicas): one
 * region per call, each gone before the next. False (and a failed entry) when they could not be removed.
 */
async function removeTableReplicas(
  opts: { clients: DestroyClients; io: Io; clock: Sleeper; cloudClock?: Sleeper; poll?: number; maxPoll?: number; deadline?: number; signal?: AbortSignal },
  table: PlannedStack,
  global: GlobalDestroyed[],
): Promise<boolean> {
  const clients = opts.clients;
  if (!clients.dynamodb) return true;
  try {
    await removeReplicas({
      table: table.parameters.TableName,
      home: table.region,
      clients: { dynamodb: (r) => clients.dynamodb!(r) },
      io: opts.io,
      clock: opts.cloudClock ?? opts.clock,
      poll: opts.poll === undefined ? undefined : Math.max(opts.poll, 200),
      maxPoll: opts.maxPoll,
      deadline: opts.deadline,
      signal: opts.signal,
    });
    return true;
  } catch (error) {
    const message = `the replicas of ${table.parameters.TableName} could not be removed: ${(error as Error).message}`;
    opts.io.emit({ kind: 'step', id: table.name, state: 'failed', region: table.region, label: message });
    global.push({ stackName: table.name, region: table.region, deleted: false, error: message });
    return false;
  }
}

/**
 * The zone the dns stack created holds the ACM validation CNAMEs CloudFormation wrote for the
 * stage's certificates (`*.<zone>`, and `<service>.<zone>` for the edge) and left behind when it
 * deleted them; the zone cannot be deleted while they are there (HostedZoneNotEmpty). Only those
 * records go: anything else a user put in the zone still stops the delete, as it should.
 * False (and a failed entry in `global`) when they could not be removed.
 */
async function removeValidationRecords(
  opts: { clients: DestroyClients; io: Io },
  plan: StagePlan,
  dns: PlannedStack,
  global: GlobalDestroyed[],
): Promise<boolean> {
  const zone = plan.hostedZone.name;
  try {
    const zoneId = stackOutputs(await describeStack(opts.clients.cloudFormation(dns.region), dns.name)).HostedZoneId;
    if (!zoneId) return true;
    const records = await acmValidationRecords(opts.clients.route53(), zoneId, [zone, `${plan.service}.${zone}`]);
    if (records.length === 0) return true;
    opts.io.emit({ kind: 'step', id: dns.name, state: 'update', region: dns.region, label: `removing ${records.length} certificate validation record(s) from ${zone}` });
    await deleteRecordSets(opts.clients.route53(), zoneId, records);
    return true;
  } catch (error) {
    const message = `the certificate validation records in ${zone} could not be removed: ${(error as Error).message}`;
    opts.io.emit({ kind: 'step', id: dns.name, state: 'failed', region: dns.region, label: message });
    global.push({ stackName: dns.name, region: dns.region, deleted: false, error: message });
    return false;
  }
}

/**
 * A stack every stage in the region shares (the toolkit): this stage's marker goes; the stack goes
 * too, its bucket emptied first, only when no other stage's marker is left.
 */
async function releaseShared(
  opts: { config: ResolvedConfig; clients: DestroyClients; io: Io },
  stack: PlannedStack,
  region: string,
  common: Omit<Parameters<typeof deleteStack>[0], 'stackName'>,
): Promise<{ deleted: boolean; keptBecause?: string; emptiedObjects: number }> {
  const existing = await describeStack(common.cfn, stack.name);
  const bucket = stackOutputs(existing).ArtifactBucketName;
  const users = bucket ? await releaseStageMarker(opts.clients.s3(region), bucket, opts.config).catch(missingBucketIsEmpty) : [];
  if (users.length > 0) return { deleted: false, keptBecause: `still used by ${users.join(', ')}`, emptiedObjects: 0 };
  if (!existing) return { deleted: false, emptiedObjects: 0 };
  let emptiedObjects = 0;
  if (bucket) {
    opts.io.emit({ kind: 'step', id: region, state: 'update', region, label: `emptying ${bucket}` });
    emptiedObjects = await emptyBucket(opts.clients.s3(region), bucket);
  }
  opts.io.emit({ kind: 'step', id: region, state: 'update', region, label: `deleting ${stack.name}` });
  return { deleted: await deleteStack({ ...common, stackName: stack.name }), emptiedObjects };
}

/**
 * A stage stack that owns a data bucket (output `BucketName`: the replication stack's objects) has
 * it emptied, every version, before the delete; CloudFormation cannot delete a non-empty bucket.
 * Another region's replicator may still land a copy in between: then empty and delete once more.
 */
async function deleteWithBucket(
  opts: { clients: DestroyClients; io: Io },
  stack: PlannedStack,
  region: string,
  common: Omit<Parameters<typeof deleteStack>[0], 'stackName'>,
): Promise<{ deleted: boolean; emptiedObjects: number }> {
  const bucket = stack.outputs.includes('BucketName') ? stackOutputs(await describeStack(common.cfn, stack.name)).BucketName : undefined;
  let emptiedObjects = 0;
  const empty = async () => {
    if (!bucket) return;
    opts.io.emit({ kind: 'step', id: region, state: 'update', region, label: `emptying ${bucket}` });
    emptiedObjects += await emptyBucket(opts.clients.s3(region), bucket);
  };
  await empty();
  opts.io.emit({ kind: 'step', id: region, state: 'update', region, label: `deleting ${stack.name}` });
  try {
    return { deleted: await deleteStack({ ...common, stackName: stack.name }), emptiedObjects };
  } catch (error) {
    if (!bucket) throw error;
    await empty();
    return { deleted: await deleteStack({ ...common, stackName: stack.name }), emptiedObjects };
  }
}

// A toolkit stack whose bucket is already gone has no users left to protect.
function missingBucketIsEmpty(error: { name?: string }): string[] {
  if (error.name === 'NoSuchBucket') return [];
  throw error;
}

/** Delete every object version and delete marker (buckets must be empty before deletion). */
export async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let count = 0;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 })).catch((error: { name?: string }) => {
      if (error.name === 'NoSuchBucket') return undefined;
      throw error;
    });
    if (!page) return count;
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length === 0) return count;
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (out.Errors?.length) throw new Error(`could not empty ${bucket}: ${out.Errors[0].Key}: ${out.Errors[0].Message}`);
    count += objects.length;
  }
}
