// Global tables, version 2019.11.21: UpdateTable ReplicaUpdates adds or removes one replica per
// call (CREATING → ACTIVE on the clock); every write is replicated asynchronously to every other
// replica after a configurable lag, a pair can be paused (fault) and catches up on resume, and
// concurrent writes resolve last writer wins. Replicated writes carry no aws:rep:* attributes.
import { AwsError, validation } from '../../aws-error.js';
import type { CloudContext } from '../../types.js';
import { dict, keyedState, own } from '../../keyed.js';
import { isKnownRegion } from '../../../regions.js';
import type { Item } from '../attribute-value.js';
import type { DynamoDbDomain, ItemChange } from '../domain.js';
import { keyString } from '../keys.js';
import type { TableState } from '../model.js';
import { DEFAULT_REPLICATION_LAG_MS } from '../../faults.js';
import type { GlobalTableState, GlobalTablesState, PendingWrite, ReplicaState } from './model.js';

export const GLOBAL_TABLE_VERSION = '2019.11.21';
/** A new replica stays CREATING this long (AWS: minutes, more for large tables; local choice). */
export const REPLICA_CREATE_MS = 60_000;
/** A removed replica stays DELETING this long before its table is gone (local choice). */
export const REPLICA_DELETE_MS = 30_000;

/**
 * MRSC region sets: all replicas and the witness of a STRONG global table lie in one of them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */
export const MRSC_REGION_SETS: Record<string, string[]> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

export interface ReplicaUpdate {
  Create?: { RegionName?: string; KMSMasterKeyId?: string };
  Delete?: { RegionName?: string };
  Update?: { RegionName?: string };
}

export interface ReplicaUpdatesInput {
  TableName: string;
  ReplicaUpdates?: ReplicaUpdate[];
  MultiRegionConsistency?: string;
  GlobalTableWitnessUpdates?: Array<{ Create?: { RegionName?: string }; Delete?: { RegionName?: string } }>;
  [other: string]: unknown;
}

interface MetricSink {
  putMetric(region: string, namespace: string, metricName: string, dimensions: Record<string, string>, value: number, unit?: string): void;
}

const inUse = (name: string) => new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${name}`);

export class GlobalTables {
  /** Set while replication applies a write, so that write is not replicated again. */
  private applying = false;
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();
  private stopped = false;

  constructor(
    private readonly ctx: CloudContext,
    private readonly tables: DynamoDbDomain,
  ) {}

  private get state(): GlobalTablesState {
    return keyedState<GlobalTablesState>(this.ctx.state, 'dynamodb-global-tables', () => ({ counter: 0, tables: dict() }));
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  /** Declare what changed (state write barrier): a path in this document, or all of it. */
  private dirty(...path: string[]): void {
    this.ctx.state.changed('dynamodb-global-tables', ...path);
  }

  /** The global table that `name` in `region` is a replica of, if any (replicas whose table was deleted drop out). */
  group(region: string, name: string): GlobalTableState | undefined {
    const g = own(this.state.tables, name);
    if (!g || !own(g.replicas, region)) return undefined;
    this.finishDue(g);
    this.prune(g);
    return own(this.state.tables, name) && own(g.replicas, region) ? g : undefined;
  }

  /** Transitions whose time has come (a timer not yet run, or due while the cloud was stopped) take effect now. */
  private finishDue(g: GlobalTableState): void {
    const now = this.now();
    if (g.witness?.until !== undefined && g.witness.until <= now) this.finishTransition(g.name, g.witness.region);
    for (const [region, r] of Object.entries(g.replicas)) if (r.until !== undefined && r.until <= now) this.finishTransition(g.name, region);
  }

  /** A replica whose table was deleted directly (DeleteTable in its region) leaves the global table. */
  private prune(g: GlobalTableState): void {
    for (const region of Object.keys(g.replicas)) if (!this.tables.hasTable(region, g.name)) this.dropReplica(g, region);
  }

  private dropReplica(g: GlobalTableState, region: string): void {
    delete g.replicas[region];
    delete g.versions[region];
    for (const pair of Object.keys(g.queues)) if (pair.startsWith(`${region}>`) || pair.endsWith(`>${region}`)) delete g.queues[pair];
    if (Object.keys(g.replicas).length <= 1) delete this.state.tables[g.name];
    this.dirty();
  }

  private lag(from: string, to: string): number {
    return this.ctx.faults?.replicationLag?.(from, to) ?? DEFAULT_REPLICATION_LAG_MS;
  }

  private paused(from: string, to: string): boolean {
    const f = this.ctx.faults;
    return !!f && (f.isRegionDown(from) || f.isRegionDown(to) || f.isReplicationPaused?.(from, to) === true);
  }

  // ---- writes ----

  /** The table domain's item-change hook: queue the write for every other replica. */
  onItemChange(region: string, name: string, change: ItemChange): void {
    if (this.applying) return;
    const g = this.group(region, name);
    if (!g) return;
    const table = this.tables.table(region, name);
    const key = keyString(table, change.keys);
    const version = ++this.state.counter;
    (g.versions[region] ??= dict())[key] = version;
    const now = this.now();
    for (const to of Object.keys(g.replicas)) {
      if (to === region || g.replicas[to]!.status === 'DELETING') continue;
      const pending: PendingWrite = { key, keys: structuredClone(change.keys), image: change.newImage ? structuredClone(change.newImage) : null, version, writtenAt: now, dueAt: now + this.lag(region, to) };
      (g.queues[`${region}>${to}`] ??= []).push(pending);
      this.schedule(g.name, `${region}>${to}`, pending.dueAt);
    }
    // MRSC: the write is acknowledged once a second member of the majority has it; if that member
    // is a data replica it is applied there now, the others follow after the lag.
    if (g.consistency === 'STRONG') {
      const sync = this.members(g).find((m) => m !== region && this.reachable(region, m));
      if (sync && own(g.replicas, sync)) this.flush(g, `${region}>${sync}`);
    }
    this.dirty('counter');
    this.dirty('tables', g.name, 'versions', region, key);
    for (const pair of Object.keys(g.queues)) if (pair.startsWith(`${region}>`)) this.dirty('tables', g.name, 'queues', pair);
  }

  // ---- multi-Region strong consistency ----

  /** Data replicas (not DELETING) and the witness: the members a majority is counted over. */
  private members(g: GlobalTableState): string[] {
    const replicas = Object.entries(g.replicas).filter(([, r]) => r.status !== 'DELETING').map(([region]) => region).sort();
    return g.witness ? [...replicas, g.witness.region] : replicas;
  }

  /** Two regions can talk: neither is down and replication is paused in neither direction. */
  private reachable(a: string, b: string): boolean {
    return !this.paused(a, b) && !this.paused(b, a);
  }

  private hasQuorum(g: GlobalTableState, region: string): boolean {
    const members = this.members(g);
    const reach = members.filter((m) => m === region || this.reachable(region, m)).length;
    return reach * 2 > members.length;
  }

  private isolated(g: GlobalTableState, region: string): AwsError {
    return new AwsError(
      'InternalServerError',
      `Replica ${g.name} in ${region} cannot reach a majority of the regions of its multi-Region strongly consistent global table (${this.members(g).join(', ')}); writes and strongly consistent reads are refused until it can.`,
      500,
      false,
    );
  }

  /** Deliver every write queued for a pair now, regardless of its lag (MRSC acknowledgement and catch-up). */
  private flush(g: GlobalTableState, pair: string, key?: string): void {
    const queue = own(g.queues, pair);
    if (!queue?.length) return;
    const [from, to] = pair.split('>') as [string, string];
    if (!this.tables.hasTable(to, g.name)) return;
    const table = this.tables.table(to, g.name);
    const now = this.now();
    const kept: PendingWrite[] = [];
    for (const write of queue) {
      if (key !== undefined && write.key !== key) {
        kept.push(write);
        continue;
      }
      this.apply(g, table, to, write);
      this.metric(from, to, g.name, now - write.writtenAt);
    }
    if (kept.length) g.queues[pair] = kept;
    else delete g.queues[pair];
    this.dirty('tables', g.name, 'queues', pair);
  }

  /** The table domain's pre-write hook: MRSC refuses writes without a majority and writes racing another region's. */
  beforeItemWrite(region: string, name: string, keys: Item): void {
    const g = this.group(region, name);
    // A replica table still CREATING is not there yet for item writes, as any table before ACTIVE.
    if (g?.replicas[region]?.status === 'CREATING') throw new AwsError('ResourceNotFoundException', 'Requested resource not found');
    if (!g || g.consistency !== 'STRONG') return;
    if (!this.hasQuorum(g, region)) throw this.isolated(g, region);
    const key = keyString(this.tables.table(region, name), keys);
    const now = this.now();
    for (const [pair, queue] of Object.entries(g.queues)) {
      if (!pair.endsWith(`>${region}`)) continue;
      if (queue.some((w) => w.key === key && w.dueAt > now))
        throw new AwsError('ReplicatedWriteConflictException', 'The request was rejected because one or more items in the request are being modified by a request in another Region.');
    }
    for (const pair of Object.keys(g.queues)) if (pair.endsWith(`>${region}`)) this.flush(g, pair, key);
  }

  /** The table domain's pre-read hook for ConsistentRead: MRSC needs a majority and reads the latest write from any region. */
  beforeStrongRead(region: string, name: string): void {
    const g = this.group(region, name);
    if (!g || g.consistency !== 'STRONG') return;
    if (!this.hasQuorum(g, region)) throw this.isolated(g, region);
    for (const pair of Object.keys(g.queues)) if (pair.endsWith(`>${region}`)) this.flush(g, pair);
  }

  // ---- replication ----

  private schedule(name: string, pair: string, at: number): void {
    if (this.stopped) return;
    const key = `q:${name}:${pair}`;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const cancel = this.ctx.clock.at(at, () => {
      this.timers.delete(key);
      this.deliver(name, pair);
    });
    this.timers.set(key, { at, cancel });
  }

  /** Apply every due write of one pair in order; the rest wait for their time, a paused pair for resume. */
  private deliver(name: string, pair: string): void {
    const g = own(this.state.tables, name);
    const queue = g && own(g.queues, pair);
    if (!g || !queue) return;
    const [from, to] = pair.split('>') as [string, string];
    if (this.paused(from, to)) return;
    if (!this.tables.hasTable(to, name)) {
      this.dropReplica(g, to);
      return;
    }
    const now = this.now();
    const table = this.tables.table(to, name);
    let delivered = 0;
    while (delivered < queue.length && queue[delivered]!.dueAt <= now) {
      this.apply(g, table, to, queue[delivered]!);
      this.metric(from, to, name, now - queue[delivered]!.writtenAt);
      delivered++;
    }
    if (delivered > 0) {
      queue.splice(0, delivered);
      this.dirty('tables', name, 'queues', pair);
    }
    if (queue.length === 0) delete g.queues[pair];
    else this.schedule(name, pair, queue[0]!.dueAt);
  }

  /** Last writer wins: a replicated write older than what the receiving replica holds is dropped. */
  private apply(g: GlobalTableState, table: TableState, to: string, write: PendingWrite): void {
    const versions = (g.versions[to] ??= dict());
    if ((own(versions, write.key) ?? -1) >= write.version) return;
    versions[write.key] = write.version;
    this.dirty('tables', g.name, 'versions', to, write.key);
    this.applying = true;
    try {
      this.tables.applyReplicatedItem(to, table.name, write.keys, write.image ?? undefined);
    } finally {
      this.applying = false;
    }
  }

  private metric(from: string, to: string, name: string, ms: number): void {
    let cw: MetricSink | undefined;
    try {
      cw = this.ctx.service('monitoring');
    } catch {
      cw = undefined;
    }
    cw?.putMetric?.(from, 'AWS/DynamoDB', 'ReplicationLatency', { TableName: name, ReceivingRegion: to }, ms, 'Milliseconds');
  }

  /** Writes not yet delivered per pair (status, drills). */
  backlog(name: string): Array<{ from: string; to: string; pending: number; paused: boolean; oldestWrittenAt?: number }> {
    const g = own(this.state.tables, name);
    if (!g) return [];
    const out = [];
    for (const from of Object.keys(g.replicas))
      for (const to of Object.keys(g.replicas)) {
        if (from === to) continue;
        const q = own(g.queues, `${from}>${to}`) ?? [];
        out.push({ from, to, pending: q.length, paused: this.paused(from, to), ...(q[0] ? { oldestWrittenAt: q[0].writtenAt } : {}) });
      }
    return out;
  }

  // ---- replica management ----

  updateReplicas(region: string, input: ReplicaUpdatesInput): { TableDescription: Record<string, unknown> } {
    const updates = input.ReplicaUpdates ?? [];
    const others = Object.keys(input).filter((k) => !['TableName', 'ReplicaUpdates', 'MultiRegionConsistency', 'GlobalTableWitnessUpdates'].includes(k) && input[k] !== undefined);
    if (others.length)
      throw validation(`One or more parameter values were invalid: ReplicaUpdates cannot be combined with other table updates in one UpdateTable call (${others.join(', ')})`);
    const source = this.tables.table(region, input.TableName, true);
    const existing = this.group(region, source.name);
    if (input.MultiRegionConsistency !== undefined && input.MultiRegionConsistency !== 'STRONG' && input.MultiRegionConsistency !== 'EVENTUAL')
      throw validation(`1 validation error detected: Value '${String(input.MultiRegionConsistency)}' at 'multiRegionConsistency' failed to satisfy constraint: Member must satisfy enum value set: [EVENTUAL, STRONG]`);
    if (input.MultiRegionConsistency === 'STRONG' || input.GlobalTableWitnessUpdates !== undefined || existing?.consistency === 'STRONG') {
      this.updateStrong(region, source, existing, input);
      return { TableDescription: this.decorate(region, this.tables.describeTable(region, { TableName: source.name }).Table) };
    }
    if (updates.length === 0) throw validation('1 validation error detected: Value \'[]\' at \'replicaUpdates\' failed to satisfy constraint: Member must have length greater than or equal to 1');
    if (updates.length > 1)
      throw validation('One or more parameter values were invalid: Only one replica can be created or deleted per UpdateTable call (MultiRegionConsistency STRONG aside)');
    const update = updates[0]!;
    const actions = [update.Create, update.Delete, update.Update].filter((a) => a !== undefined);
    if (actions.length !== 1) throw validation('One or more parameter values were invalid: A replica update must contain exactly one of Create, Update or Delete');
    if (update.Update) throw validation('The local cloud does not implement replica Update (per-replica settings); only Create and Delete.');
    const g = this.group(region, source.name);
    if (g && Object.values(g.replicas).some((r) => r.status !== 'ACTIVE')) throw inUse(source.name);
    if (update.Create) this.createReplica(region, source, g, update.Create.RegionName);
    else this.deleteReplica(region, source, g, update.Delete!.RegionName);
    return { TableDescription: this.decorate(region, this.tables.describeTable(region, { TableName: source.name }).Table) };
  }

  private checkTarget(region: string, source: TableState, g: GlobalTableState | undefined, target: string | undefined): asserts target is string {
    if (typeof target !== 'string' || !isKnownRegion(target)) throw validation(`One or more parameter values were invalid: Invalid region name: ${String(target)}`);
    if (target === region || (g && own(g.replicas, target)))
      throw validation(`One or more parameter values were invalid: A replica of table ${source.name} already exists in region ${target}`);
  }

  private checkSource(source: TableState, needsStream: boolean): void {
    if (source.billingMode !== 'PAY_PER_REQUEST') throw validation('Table write capacity should either be Pay-Per-Request or AutoScaled.');
    if (needsStream && (!source.stream || source.stream.viewType !== 'NEW_AND_OLD_IMAGES'))
      throw validation(
        `One or more parameter values were invalid: Table ${source.name} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES to add a replica${source.stream ? ` (it has ${source.stream.viewType})` : ''}`,
      );
  }

  private checkFree(source: TableState, target: string): void {
    if (this.tables.hasTable(target, source.name))
      throw validation(`Failed to create a the new replica of table with name: '${source.name}' because one or more replicas already existed as tables.`);
  }

  private createReplica(region: string, source: TableState, g: GlobalTableState | undefined, target: string | undefined, consistency: 'EVENTUAL' | 'STRONG' = 'EVENTUAL'): GlobalTableState {
    this.checkTarget(region, source, g, target);
    this.checkSource(source, consistency === 'EVENTUAL');
    this.checkFree(source, target);
    const now = this.now();
    const group: GlobalTableState = g ?? {
      name: source.name,
      home: region,
      consistency,
      createdAt: now,
      replicas: dict(),
      versions: dict(),
      queues: dict(),
    };
    if (!g) {
      group.replicas[region] = { status: 'ACTIVE', since: now };
      this.state.tables[source.name] = group;
    }
    this.tables.createTable(target, {
      TableName: source.name,
      KeySchema: structuredClone(source.keySchema),
      AttributeDefinitions: structuredClone(source.attributeDefinitions),
      BillingMode: 'PAY_PER_REQUEST',
      ...(source.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: source.stream.viewType } } : {}),
      ...indexesOf(source),
      ...(source.sse ? { SSESpecification: { Enabled: true, SSEType: source.sse.type } } : {}),
    });
    // The new replica starts from the source's items (AWS backfills it while CREATING); later
    // writes anywhere reach it through replication.
    const replica = this.tables.table(target, source.name);
    const versions = (group.versions[target] = dict<number>());
    const sourceVersions = group.versions[region] ?? {};
    for (const [key, item] of Object.entries(source.items)) {
      replica.items[key] = structuredClone(item);
      versions[key] = own(sourceVersions, key) ?? 0;
    }
    group.replicas[target] = { status: 'CREATING', since: now, until: now + REPLICA_CREATE_MS };
    this.dirty();
    this.armTransition(group.name, target, now + REPLICA_CREATE_MS);
    return group;
  }

  /**
   * MRSC: created in one call from an empty on-demand table with two replica Creates, or one
   * replica and one witness, all in the source's region set; removed in one call back to a single
   * region (the other replica(s), and the witness with them).
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
   */
  private updateStrong(region: string, source: TableState, g: GlobalTableState | undefined, input: ReplicaUpdatesInput): void {
    const updates = input.ReplicaUpdates ?? [];
    const witnesses = input.GlobalTableWitnessUpdates ?? [];
    if (updates.some((u) => u.Update)) throw validation('The local cloud does not implement replica Update (per-replica settings); only Create and Delete.');
    if (witnesses.length > 1) throw validation('One or more parameter values were invalid: Only one witness can be created or deleted per UpdateTable call');
    if (g) {
      if (g.consistency !== 'STRONG' || input.MultiRegionConsistency === 'EVENTUAL')
        throw validation('One or more parameter values were invalid: The consistency mode of a global table cannot be changed after it is created');
      if (Object.values(g.replicas).some((r) => r.status !== 'ACTIVE')) throw inUse(source.name);
      const deletes = updates.map((u) => u.Delete?.RegionName);
      const witnessDelete = witnesses[0]?.Delete?.RegionName;
      if (updates.some((u) => !u.Delete) || witnesses.some((w) => !w.Delete))
        throw validation('One or more parameter values were invalid: Replicas cannot be added to an existing multi-Region strongly consistent global table');
      const remaining = Object.keys(g.replicas).filter((r) => !deletes.includes(r));
      const witnessGone = !g.witness || witnessDelete === g.witness.region;
      for (const d of deletes) if (typeof d !== 'string' || !own(g.replicas, d)) throw validation('Replica specified in the Replica Update or Replica Delete action of the request was not found.');
      if (witnessDelete !== undefined && witnessDelete !== g.witness?.region) throw validation(`Witness specified in the request was not found: ${witnessDelete}`);
      if (remaining.length !== 1 || !witnessGone)
        throw validation('One or more parameter values were invalid: A multi-Region strongly consistent global table is removed in one call down to a single replica (delete the other replicas, and the witness with them)');
      const now = this.now();
      for (const d of deletes as string[]) {
        g.replicas[d] = { status: 'DELETING', since: now, until: now + REPLICA_DELETE_MS };
        this.armTransition(g.name, d, now + REPLICA_DELETE_MS);
      }
      delete g.witness;
      for (const pair of Object.keys(g.queues)) delete g.queues[pair];
      this.dirty();
      return;
    }
    if (input.MultiRegionConsistency !== 'STRONG')
      throw validation('One or more parameter values were invalid: GlobalTableWitnessUpdates requires MultiRegionConsistency STRONG');
    const creates = updates.map((u) => u.Create?.RegionName);
    const witness = witnesses[0]?.Create?.RegionName;
    if (updates.some((u) => !u.Create) || witnesses.some((w) => !w.Create))
      throw validation('One or more parameter values were invalid: A new multi-Region strongly consistent global table is created with replica and witness Create actions only');
    if (!((creates.length === 2 && witness === undefined) || (creates.length === 1 && witness !== undefined)))
      throw validation('One or more parameter values were invalid: A multi-Region strongly consistent global table needs exactly three replicas, or two replicas and one witness');
    this.checkSource(source, false);
    if (Object.keys(source.items).length > 0)
      throw validation(`One or more parameter values were invalid: Table ${source.name} must be empty to become a multi-Region strongly consistent global table`);
    const all = [region, ...creates, ...(witness ? [witness] : [])];
    for (const target of [...creates, ...(witness ? [witness] : [])]) this.checkTarget(region, source, undefined, target);
    if (new Set(all).size !== all.length) throw validation(`One or more parameter values were invalid: Regions must be distinct: ${all.join(', ')}`);
    const set = Object.entries(MRSC_REGION_SETS).find(([, regions]) => regions.includes(region));
    if (!set || all.some((r) => !set[1].includes(r as string)))
      throw validation(
        `One or more parameter values were invalid: Multi-Region strong consistency needs all replicas and the witness in one region set (${Object.entries(MRSC_REGION_SETS)
          .map(([name, regions]) => `${name}: ${regions.join(', ')}`)
          .join('; ')}); got ${all.join(', ')}`,
      );
    for (const target of creates as string[]) this.checkFree(source, target);
    let group: GlobalTableState | undefined;
    for (const target of creates) group = this.createReplica(region, source, group, target, 'STRONG');
    if (witness) {
      const now = this.now();
      group!.witness = { region: witness, status: 'CREATING', since: now, until: now + REPLICA_CREATE_MS };
      this.armTransition(group!.name, witness, now + REPLICA_CREATE_MS);
    }
    this.dirty();
  }

  private deleteReplica(_region: string, source: TableState, g: GlobalTableState | undefined, target: string | undefined): void {
    const replica = g && typeof target === 'string' ? own(g.replicas, target) : undefined;
    if (!g || !replica) throw validation('Replica specified in the Replica Update or Replica Delete action of the request was not found.');
    if (this.tables.table(target!, source.name).deletionProtection)
      throw validation(`Replica cannot be deleted because it has deletion protection enabled: Region: ${target}`);
    const now = this.now();
    g.replicas[target!] = { status: 'DELETING', since: now, until: now + REPLICA_DELETE_MS };
    for (const pair of Object.keys(g.queues)) if (pair.endsWith(`>${target}`)) delete g.queues[pair];
    this.dirty();
    this.armTransition(g.name, target!, now + REPLICA_DELETE_MS);
  }

  private armTransition(name: string, region: string, at: number): void {
    if (this.stopped) return;
    const key = `t:${name}:${region}`;
    this.timers.get(key)?.cancel();
    const cancel = this.ctx.clock.at(at, () => {
      this.timers.delete(key);
      this.finishTransition(name, region);
    });
    this.timers.set(key, { at, cancel });
  }

  private finishTransition(name: string, region: string): void {
    const g = own(this.state.tables, name);
    if (g?.witness?.region === region && g.witness.status === 'CREATING') {
      g.witness = { region, status: 'ACTIVE', since: this.now() };
      this.dirty();
      return;
    }
    const replica: ReplicaState | undefined = g ? own(g.replicas, region) : undefined;
    if (!g || !replica) return;
    if (replica.status === 'CREATING') {
      g.replicas[region] = { status: 'ACTIVE', since: this.now() };
      this.dirty();
    } else if (replica.status === 'DELETING') {
      if (this.tables.hasTable(region, name)) this.tables.deleteTable(region, { TableName: name });
      this.dropReplica(g, region);
    }
  }

  // ---- describing ----

  /** DescribeTable's global-table fields: GlobalTableVersion, Replicas (the other regions), statuses. */
  decorate(region: string, description: Record<string, unknown>): Record<string, unknown> {
    const g = this.group(region, String(description.TableName));
    if (!g) return description;
    const own_ = g.replicas[region]!;
    const busy = Object.entries(g.replicas).some(([r, s]) => r !== region && s.status !== 'ACTIVE') || (g.witness !== undefined && g.witness.status !== 'ACTIVE');
    return {
      ...description,
      ...(own_.status !== 'ACTIVE' ? { TableStatus: own_.status } : busy && description.TableStatus === 'ACTIVE' ? { TableStatus: 'UPDATING' } : {}),
      GlobalTableVersion: GLOBAL_TABLE_VERSION,
      Replicas: Object.entries(g.replicas)
        .filter(([r]) => r !== region)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([r, s]) => ({ RegionName: r, ReplicaStatus: s.status })),
      MultiRegionConsistency: g.consistency,
      ...(g.witness ? { GlobalTableWitnesses: [{ RegionName: g.witness.region, WitnessStatus: g.witness.status }] } : {}),
    };
  }

  // ---- lifecycle ----

  start(): void {
    this.stopped = false;
    const faults = this.ctx.faults;
    if (faults) {
      const previous = faults.onChange;
      faults.onChange = () => {
        previous?.();
        this.resume();
      };
    }
    for (const g of Object.values(this.state.tables))
    {
      for (const [region, r] of Object.entries(g.replicas)) if (r.until !== undefined) this.armTransition(g.name, region, r.until);
      if (g.witness?.until !== undefined) this.armTransition(g.name, g.witness.region, g.witness.until);
    }
    this.resume();
  }

  /** (Re)arm delivery for every queue: after a restart, or when a pause or outage is lifted. */
  resume(): void {
    for (const g of Object.values(this.state.tables))
      for (const [pair, queue] of Object.entries(g.queues)) if (queue.length) this.schedule(g.name, pair, Math.max(this.now(), queue[0]!.dueAt));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}

function indexesOf(table: TableState): { GlobalSecondaryIndexes?: any[]; LocalSecondaryIndexes?: any[] } {
  const of = (global: boolean) => table.indexes.filter((i) => i.global === global).map((i) => ({ IndexName: i.name, KeySchema: structuredClone(i.keySchema), Projection: structuredClone(i.projection) }));
  const gsis = of(true);
  const lsis = of(false);
  return { ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}), ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}) };
}

export type { Item };
