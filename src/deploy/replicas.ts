import { DescribeTableCommand, UpdateTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { TableConfig } from '../config/schema.js';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { waitFor, type Sleeper } from '../wait.js';

// The global table's replicas (version 2019.11.21): added by UpdateTable ReplicaUpdates in the table's
// home region, one region per call, each waited for until ACTIVE before the next, as AWS requires
// ("only one replica can be added or removed per UpdateTable"):
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables.tutorial.html
// An MRSC table gets all its members in one call (AWS: created together, none added later).

export interface ReplicaClients {
  dynamodb(region: string): DynamoDBClient;
}

export interface ReplicaOptions {
  table: string;
  /** The region whose table stack made the table. */
  home: string;
  /** Every region that must hold a replica (the home region included). */
  regions: readonly string[];
  settings: TableConfig;
  clients: ReplicaClients;
  io: Io;
  clock: Sleeper;
  /** Remove replicas in regions no longer listed without asking (otherwise io.confirm asks; no answer keeps them). */
  removeUnlisted?: boolean;
  poll?: number;
  maxPoll?: number;
  deadline?: number;
  signal?: AbortSignal;
}

export interface ReplicaReport {
  table: string;
  consistency: 'eventual' | 'strong';
  added: string[];
  removed: string[];
  /** Replicas left in place in regions no longer listed (removal not confirmed). */
  kept: string[];
  /** Each listed region's stream ARN (its replica's own stream). */
  streamArns: Record<string, string>;
  seconds: number;
}

export class ReplicaPreconditionFailed extends RegionctlError {
  constructor(message: string, hint: string) {
    super('ReplicaPreconditionFailed', message, 1, { hint });
  }
}

async function describe(db: DynamoDBClient, table: string): Promise<TableDescription | undefined> {
  try {
    return (await db.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

const replicaRegions = (t: TableDescription): string[] => (t.Replicas ?? []).map((r) => r.RegionName!).filter(Boolean);

/**
 * What must hold before any replica changes, as messages that say what to fix: AWS would refuse each
 * of these halfway through (after other regions already got replicas).
 */
export async function checkReplicaPreconditions(opts: Pick<ReplicaOptions, 'table' | 'home' | 'regions' | 'settings' | 'clients'>, table: TableDescription | undefined): Promise<string[]> {
  const wanted = opts.regions.filter((r) => r !== opts.home);
  const existing = table ? replicaRegions(table) : [];
  const problems: { message: string; hint: string }[] = [];
  // No table yet (a first deploy): its stack will make it as replicas need; only other regions can be in the way.
  if (table) problems.push(...tableProblems(opts, table, existing, wanted));
  // A region that already holds a table of that name (not one of our replicas): AWS refuses the replica.
  const strangers = await Promise.all(
    wanted.filter((r) => !existing.includes(r)).map(async (r) => ((await describe(opts.clients.dynamodb(r), opts.table)) ? r : undefined)),
  );
  for (const r of strangers.filter((x): x is string => x !== undefined)) {
    problems.push({ message: `a table named ${opts.table} already exists in ${r} and is not a replica`, hint: `delete it (aws dynamodb delete-table --region ${r} --table-name ${opts.table}) or remove ${r} from regions` });
  }
  return problems.map((p) => `${p.message} — ${p.hint}`);
}

function tableProblems(opts: Pick<ReplicaOptions, 'table' | 'home' | 'settings'>, table: TableDescription, existing: string[], wanted: string[]): { message: string; hint: string }[] {
  const problems: { message: string; hint: string }[] = [];
  if (table.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST') {
    problems.push({ message: `${opts.table} in ${opts.home} uses provisioned capacity`, hint: 'replicas need on-demand (PAY_PER_REQUEST) write capacity; the table stack sets it: deploy it again' });
  }
  const mrsc = opts.settings.consistency === 'strong';
  if (!mrsc && (!table.StreamSpecification?.StreamEnabled || table.StreamSpecification.StreamViewType !== 'NEW_AND_OLD_IMAGES')) {
    problems.push({ message: `${opts.table} in ${opts.home} has no NEW_AND_OLD_IMAGES stream`, hint: 'replicas of an eventually consistent global table need it; the table stack sets it: deploy it again' });
  }
  const live = table.MultiRegionConsistency ?? 'EVENTUAL';
  if (existing.length > 0 && (live === 'STRONG') !== mrsc) {
    problems.push({
      message: `${opts.table} is ${live === 'STRONG' ? 'a strongly' : 'an eventually'} consistent global table, but regionctl.yml says consistency: ${opts.settings.consistency}`,
      hint: 'the consistency mode cannot change once replicas exist: set table.consistency back, or destroy the stage and deploy again',
    });
  }
  if (mrsc && existing.length > 0) {
    const missing = wanted.filter((r) => !existing.includes(r));
    if (missing.length > 0) {
      problems.push({ message: `${opts.table} is strongly consistent and cannot get a replica in ${missing.join(', ')}`, hint: 'MRSC members are fixed when the table becomes global: destroy the stage and deploy again with the new regions' });
    }
  }
  return problems;
}

/**
 * The preconditions, checked before deploy changes anything (its table stack included): refuses
 * with every problem and what to fix. ensureReplicas checks them again once the table stack is done.
 */
export async function preflightReplicas(opts: Pick<ReplicaOptions, 'table' | 'home' | 'regions' | 'settings' | 'clients'>): Promise<void> {
  const problems = await checkReplicaPreconditions(opts, await describe(opts.clients.dynamodb(opts.home), opts.table));
  if (problems.length > 0) throw refusal(opts.table, problems);
}

const refusal = (table: string, problems: string[]) =>
  new ReplicaPreconditionFailed(`the global table ${table} cannot get its replicas; nothing was changed:\n  ${problems.join('\n  ')}`, 'fix the above and deploy again');

/**
 * Bring the table's replicas to the listed regions: check every precondition first, then add the
 * missing ones (one UpdateTable per region, each ACTIVE before the next; MRSC members in one call),
 * then remove replicas of regions no longer listed when that is confirmed.
 */
export async function ensureReplicas(opts: ReplicaOptions): Promise<ReplicaReport> {
  const { io, clock, table: name, home } = opts;
  const started = clock.now();
  const db = opts.clients.dynamodb(home);
  const wait = <T>(what: string, check: () => Promise<T | undefined>) =>
    waitFor(check, { poll: opts.poll ?? 200, maxPoll: opts.maxPoll ?? 5000, deadline: opts.deadline ?? 30 * 60_000, what, clock, signal: opts.signal });
  const current = await describe(db, name);
  if (!current) throw new RegionctlError('TableMissing', `${name} does not exist in ${home}: the table stack must deploy first`);
  const problems = await checkReplicaPreconditions(opts, current);
  if (problems.length > 0) throw refusal(name, problems);
  const existing = replicaRegions(current);
  const missing = opts.regions.filter((r) => r !== home && !existing.includes(r));
  const added: string[] = [];
  const statusOf = async (region: string): Promise<string | undefined> => (await describe(db, name))?.Replicas?.find((r) => r.RegionName === region)?.ReplicaStatus;
  const activeIn = (region: string) =>
    wait(`the replica of ${name} in ${region}`, async () => {
      const status = await statusOf(region);
      if (status === 'ACTIVE') return status;
      io.emit({ kind: 'step', id: `replica:${region}`, state: 'update', region, label: `replica of ${name}: ${status ?? 'waiting'}` });
      return undefined;
    });
  // A replica an interrupted deploy left CREATING is waited for, not created again.
  for (const r of existing.filter((x) => opts.regions.includes(x))) {
    if ((await statusOf(r)) !== 'ACTIVE') await activeIn(r);
  }
  if (missing.length > 0 && opts.settings.consistency === 'strong') {
    io.emit({ kind: 'step', id: 'replicas', state: 'start', region: home, label: `making ${name} strongly consistent across ${[...opts.regions, ...(opts.settings.witness ? [`${opts.settings.witness} (witness)`] : [])].join(', ')}` });
    await db.send(
      new UpdateTableCommand({
        TableName: name,
        MultiRegionConsistency: 'STRONG',
        ReplicaUpdates: missing.map((RegionName) => ({ Create: { RegionName } })),
        ...(opts.settings.witness ? { GlobalTableWitnessUpdates: [{ Create: { RegionName: opts.settings.witness } }] } : {}),
      }),
    );
    for (const r of missing) {
      await activeIn(r);
      added.push(r);
    }
    io.emit({ kind: 'step', id: 'replicas', state: 'done', region: home, label: `${name}: ${missing.length} replica(s) ACTIVE (strong consistency)` });
  } else {
    for (const [i, region] of missing.entries()) {
      const id = `replica:${region}`;
      io.emit({ kind: 'step', id, state: 'start', region, label: `adding replica of ${name} (${i + 1}/${missing.length})` });
      try {
        await db.send(new UpdateTableCommand({ TableName: name, ReplicaUpdates: [{ Create: { RegionName: region } }] }));
        await activeIn(region);
      } catch (error) {
        io.emit({ kind: 'step', id, state: 'failed', region, label: (error as Error).message });
        throw error;
      }
      added.push(region);
      io.emit({ kind: 'step', id, state: 'done', region, label: `replica of ${name} ACTIVE` });
    }
  }

  const unlisted = replicaRegions((await describe(db, name)) ?? current).filter((r) => !opts.regions.includes(r));
  const removed: string[] = [];
  const kept: string[] = [];
  if (unlisted.length > 0) {
    const ok =
      opts.removeUnlisted === true ||
      (await io.confirm(`${unlisted.join(', ')} hold replicas of ${name} but are not in regions (${opts.regions.join(', ')}). Remove those replicas and their data?`));
    if (!ok) {
      kept.push(...unlisted);
      io.emit({ kind: 'warn', message: `kept the replicas of ${name} in ${unlisted.join(', ')} (not in regions); deploy with --remove-replicas to remove them` });
    } else {
      removed.push(...(await removeReplicas({ ...opts, regions: unlisted })));
    }
  }
  const streamArns: Record<string, string> = {};
  await Promise.all(
    opts.regions.map(async (r) => {
      const arn = (await describe(opts.clients.dynamodb(r), name))?.LatestStreamArn;
      if (arn) streamArns[r] = arn;
    }),
  );
  return { table: name, consistency: opts.settings.consistency, added, removed, kept, streamArns, seconds: Math.round((clock.now() - started) / 100) / 10 };
}

/**
 * Remove replicas (all but the home region's table when `regions` is omitted): one region per call,
 * each gone before the next; an MRSC table loses all its other members and its witness in one call.
 * Returns the regions whose replicas were removed.
 */
export async function removeReplicas(opts: Omit<ReplicaOptions, 'regions' | 'settings'> & { regions?: readonly string[] }): Promise<string[]> {
  const { io, clock, table: name, home } = opts;
  const db = opts.clients.dynamodb(home);
  const wait = <T>(what: string, check: () => Promise<T | undefined>) =>
    waitFor(check, { poll: opts.poll ?? 200, maxPoll: opts.maxPoll ?? 5000, deadline: opts.deadline ?? 30 * 60_000, what, clock, signal: opts.signal });
  const current = await describe(db, name);
  if (!current) return [];
  const targets = replicaRegions(current).filter((r) => opts.regions === undefined || opts.regions.includes(r));
  if (targets.length === 0) return [];
  const gone = (regions: string[]) =>
    wait(`the replicas of ${name} in ${regions.join(', ')} to be removed`, async () => {
      const left = replicaRegions((await describe(db, name)) ?? {}).filter((r) => regions.includes(r));
      return left.length === 0 ? true : undefined;
    });
  if (current.MultiRegionConsistency === 'STRONG') {
    const witnesses = (current.GlobalTableWitnesses ?? []).map((w) => w.RegionName!).filter(Boolean);
    io.emit({ kind: 'step', id: 'replicas', state: 'start', region: home, label: `removing the replicas of ${name} in ${targets.join(', ')}${witnesses.length ? ` and its witness in ${witnesses.join(', ')}` : ''}` });
    await db.send(
      new UpdateTableCommand({
        TableName: name,
        ReplicaUpdates: targets.map((RegionName) => ({ Delete: { RegionName } })),
        ...(witnesses.length ? { GlobalTableWitnessUpdates: witnesses.map((RegionName) => ({ Delete: { RegionName } })) } : {}),
      }),
    );
    await gone(targets);
    io.emit({ kind: 'step', id: 'replicas', state: 'done', region: home, label: `removed ${targets.length} replica(s) of ${name}` });
    return targets;
  }
  const removed: string[] = [];
  for (const region of targets) {
    const id = `replica:${region}`;
    io.emit({ kind: 'step', id, state: 'start', region, label: `removing the replica of ${name}` });
    // Another change may still be settling (a replica CREATING): AWS answers ResourceInUse until then.
    await wait(`${name} to accept a replica change`, async () => {
      const t = await describe(db, name);
      return (t?.Replicas ?? []).every((r) => r.ReplicaStatus === 'ACTIVE' || r.RegionName === region) ? true : undefined;
    });
    await db.send(new UpdateTableCommand({ TableName: name, ReplicaUpdates: [{ Delete: { RegionName: region } }] }));
    await gone([region]);
    removed.push(region);
    io.emit({ kind: 'step', id, state: 'done', region, label: `replica of ${name} removed` });
  }
  return removed;
}
