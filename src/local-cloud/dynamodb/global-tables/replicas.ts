// The replicas of a global table: UpdateTable ReplicaUpdates (one Create or Delete per call, or an
// MRSC table's members in one call), the preconditions as AWS's errors, CREATING → ACTIVE and
// DELETING → gone on the cloud clock, and DescribeTable's global-table fields.
import { validation, AwsError } from '../../aws-error.js';
import { dict, own } from '../../keyed.js';
import type { CloudContext } from '../../types.js';
import { isKnownRegion } from '../../../regions.js';
import type { DynamoDbDomain } from '../domain.js';
import type { TableState } from '../model.js';
import type { GlobalTableState, ReplicaState } from './model.js';
import { MRSC_REGION_SETS } from './mrsc.js';
import type { GlobalTablesDoc } from './replication.js';

export const GLOBAL_TABLE_VERSION = '2019.11.21';
/** A new replica stays CREATING this long (AWS: minutes, more for large tables; local choice). */
export const REPLICA_CREATE_MS = 60_000;
/** A removed replica stays DELETING this long before its table is gone (local choice). */
export const REPLICA_DELETE_MS = 30_000;

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

const inUse = (name: string) => new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${name}`);

export class ReplicaLifecycle {
  private readonly timers = new Map<string, () => void>();
  private stopped = false;

  constructor(
    private readonly ctx: CloudContext,
    private readonly tables: DynamoDbDomain,
    private readonly doc: GlobalTablesDoc,
    /** The global table `name` in `region` is a replica of (transitions due are finished first). */
    private readonly group: (region: string, name: string) => GlobalTableState | undefined,
    private readonly dropReplica: (g: GlobalTableState, region: string) => void,
  ) {}

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
    const now = this.ctx.clock.now();
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
      this.doc.state.tables[source.name] = group;
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
    this.doc.dirty();
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
      const now = this.ctx.clock.now();
      for (const d of deletes as string[]) {
        g.replicas[d] = { status: 'DELETING', since: now, until: now + REPLICA_DELETE_MS };
        this.armTransition(g.name, d, now + REPLICA_DELETE_MS);
      }
      delete g.witness;
      for (const pair of Object.keys(g.queues)) delete g.queues[pair];
      this.doc.dirty();
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
      const now = this.ctx.clock.now();
      group!.witness = { region: witness, status: 'CREATING', since: now, until: now + REPLICA_CREATE_MS };
      this.armTransition(group!.name, witness, now + REPLICA_CREATE_MS);
    }
    this.doc.dirty();
  }

  private deleteReplica(_region: string, source: TableState, g: GlobalTableState | undefined, target: string | undefined): void {
    const replica = g && typeof target === 'string' ? own(g.replicas, target) : undefined;
    if (!g || !replica) throw validation('Replica specified in the Replica Update or Replica Delete action of the request was not found.');
    if (this.tables.table(target!, source.name).deletionProtection)
      throw validation(`Replica cannot be deleted because it has deletion protection enabled: Region: ${target}`);
    const now = this.ctx.clock.now();
    g.replicas[target!] = { status: 'DELETING', since: now, until: now + REPLICA_DELETE_MS };
    for (const pair of Object.keys(g.queues)) if (pair.endsWith(`>${target}`)) delete g.queues[pair];
    this.doc.dirty();
    this.armTransition(g.name, target!, now + REPLICA_DELETE_MS);
  }

  private armTransition(name: string, region: string, at: number): void {
    if (this.stopped) return;
    const key = `${name}:${region}`;
    this.timers.get(key)?.();
    const cancel = this.ctx.clock.at(at, () => {
      this.timers.delete(key);
      this.finishTransition(name, region);
    });
    this.timers.set(key, cancel);
  }

  private finishTransition(name: string, region: string): void {
    const g = own(this.doc.state.tables, name);
    if (g?.witness?.region === region && g.witness.status === 'CREATING') {
      g.witness = { region, status: 'ACTIVE', since: this.ctx.clock.now() };
      this.doc.dirty();
      return;
    }
    const replica: ReplicaState | undefined = g ? own(g.replicas, region) : undefined;
    if (!g || !replica) return;
    if (replica.status === 'CREATING') {
      g.replicas[region] = { status: 'ACTIVE', since: this.ctx.clock.now() };
      this.doc.dirty();
    } else if (replica.status === 'DELETING') {
      if (this.tables.hasTable(region, name)) this.tables.deleteTable(region, { TableName: name });
      this.dropReplica(g, region);
    }
  }


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

  /** Transitions whose time has come (a timer not yet run, or due while the cloud was stopped) take effect now. */
  finishDue(g: GlobalTableState): void {
    const now = this.ctx.clock.now();
    if (g.witness?.until !== undefined && g.witness.until <= now) this.finishTransition(g.name, g.witness.region);
    for (const [region, r] of Object.entries(g.replicas)) if (r.until !== undefined && r.until <= now) this.finishTransition(g.name, region);
  }

  start(): void {
    this.stopped = false;
    for (const g of Object.values(this.doc.state.tables)) {
      for (const [region, r] of Object.entries(g.replicas)) if (r.until !== undefined) this.armTransition(g.name, region, r.until);
      if (g.witness?.until !== undefined) this.armTransition(g.name, g.witness.region, g.witness.until);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}

type IndexInput = { IndexName: string; KeySchema: TableState['keySchema']; Projection: TableState['indexes'][number]['projection'] };

function indexesOf(table: TableState): { GlobalSecondaryIndexes?: IndexInput[]; LocalSecondaryIndexes?: IndexInput[] } {
  const of = (global: boolean): IndexInput[] => table.indexes.filter((i) => i.global === global).map((i) => ({ IndexName: i.name, KeySchema: structuredClone(i.keySchema), Projection: structuredClone(i.projection) }));
  const gsis = of(true);
  const lsis = of(false);
  return { ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}), ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}) };
}

