import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ResolvedConfig } from '../config/schema.js';
import { fanOut, type RegionResult } from '../fan-out.js';
import type { Io } from '../io/types.js';
import type { Sleeper } from '../wait.js';
import { stackName, TOOLKIT_STACK_NAME } from './plan.js';
import { deleteStack, describeStack, stackOutputs } from './stack.js';
import { releaseStageMarker } from './stage-markers.js';


export interface DestroyClients {
  cloudFormation(region: string): CloudFormationClient;
  s3(region: string): S3Client;
}

export interface RegionDestroyed {
  deleted: string[];
  /** Why the toolkit stack was kept, when it was. */
  keptToolkit?: string;
  emptiedObjects: number;
}

/** Stack names of one stage, in deploy order (toolkit excluded). Destroy walks them backwards. */
export function serviceStackNames(config: Pick<ResolvedConfig, 'service' | 'stage'>, kinds: string[]): string[] {
  return kinds.map((kind) => stackName(kind, config));
}

/**
 * Remove one stage from every region: service stacks in reverse deploy order, then the toolkit
 * stack (emptying its bucket first) unless another stage's marker says it still uses it.
 */
export async function destroy(opts: {
  config: ResolvedConfig;
  stackKinds: string[];
  /** Stacks deployed once per stage, by the region they live in. */
  globalStacks?: { before: Array<{ kind: string; region: string }>; after: Array<{ kind: string; region: string }> };
  clients: DestroyClients;
  io: Io;
  clock: Sleeper;
  poll?: number;
  maxPoll?: number;
  deadline?: number;
  signal?: AbortSignal;
}): Promise<{ results: RegionResult<RegionDestroyed>[]; global: Array<{ stackName: string; region: string; deleted: boolean; error?: string }>; ok: boolean }> {
  const { config, io } = opts;
  const global: Array<{ stackName: string; region: string; deleted: boolean; error?: string }> = [];
  const deleteGlobal = async (g: { kind: string; region: string }) => {
    const name = stackName(g.kind, config);
    io.emit({ kind: 'step', id: name, state: 'start', region: g.region, label: `deleting ${name}` });
    try {
      const deleted = await deleteStack({ cfn: opts.clients.cloudFormation(g.region), region: g.region, stackName: name, io, clock: opts.clock, poll: opts.poll ?? 20, maxPoll: opts.maxPoll ?? 5000, deadline: opts.deadline ?? 30 * 60_000, signal: opts.signal });
      io.emit({ kind: 'step', id: name, state: 'done', region: g.region, label: deleted ? `deleted ${name}` : `${name}: nothing to delete` });
      global.push({ stackName: name, region: g.region, deleted });
    } catch (error) {
      io.emit({ kind: 'step', id: name, state: 'failed', region: g.region, label: (error as Error).message });
      global.push({ stackName: name, region: g.region, deleted: false, error: (error as Error).message });
    }
  };
  // The edge depends on the regions' names: it goes first. The hosted zone goes last.
  for (const g of opts.globalStacks?.after ?? []) await deleteGlobal(g);
  const results = await fanOut(config.regions, config.regions.length, async (region) => {
    const cfn = opts.clients.cloudFormation(region);
    const deleted: string[] = [];
    io.emit({ kind: 'step', id: region, state: 'start', region, label: 'destroying' });
    const common = { cfn, region, io, clock: opts.clock, poll: opts.poll ?? 20,
      maxPoll: opts.maxPoll ?? 5000, deadline: opts.deadline ?? 30 * 60_000, signal: opts.signal };
    try {
      for (const stackName of serviceStackNames(config, opts.stackKinds).reverse()) {
        io.emit({ kind: 'step', id: region, state: 'update', region, label: `deleting ${stackName}` });
        if (await deleteStack({ ...common, stackName })) deleted.push(stackName);
      }
      let emptiedObjects = 0;
      let keptToolkit: string | undefined;
      const toolkit = await describeStack(cfn, TOOLKIT_STACK_NAME);
      const bucket = stackOutputs(toolkit).ArtifactBucketName;
      const users = bucket ? await releaseStageMarker(opts.clients.s3(region), bucket, config).catch(missingBucketIsEmpty) : [];
      if (users.length > 0) {
        keptToolkit = `still used by ${users.join(', ')}`;
      } else if (toolkit) {
        if (bucket) {
          io.emit({ kind: 'step', id: region, state: 'update', region, label: `emptying ${bucket}` });
          emptiedObjects = await emptyBucket(opts.clients.s3(region), bucket);
        }
        io.emit({ kind: 'step', id: region, state: 'update', region, label: `deleting ${TOOLKIT_STACK_NAME}` });
        if (await deleteStack({ ...common, stackName: TOOLKIT_STACK_NAME })) deleted.push(TOOLKIT_STACK_NAME);
      }
      io.emit({ kind: 'step', id: region, state: 'done', region, label: deleted.length ? `deleted ${deleted.length} stack(s)` : 'nothing to delete' });
      return { deleted, keptToolkit, emptiedObjects };
    } catch (error) {
      io.emit({ kind: 'step', id: region, state: 'failed', region, label: (error as Error).message });
      throw error;
    }
  });
  if (results.every((r) => r.ok)) for (const g of opts.globalStacks?.before ?? []) await deleteGlobal(g);
  return { results, global, ok: results.every((r) => r.ok) && global.every((g) => !g.error) };
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
