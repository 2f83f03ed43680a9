// Global tables, version 2019.11.21: the table domain's hooks and the one document they share.
// Split by idea: replicas.ts (UpdateTable ReplicaUpdates, replica lifecycle, DescribeTable fields),
// replication.ts (per-pair queues delivered at write time + lag, pause and catch-up, last writer
// wins, ReplicationLatency), mrsc.ts (multi-Region strong consistency: majority, conflicts).
import type { CloudContext } from '../../types.js';
import { dict, keyedState, own } from '../../keyed.js';
import type { Item } from '../attribute-value.js';
import type { DynamoDbDomain, ItemChange } from '../domain.js';
import { keyString } from '../keys.js';
import type { GlobalTableState, GlobalTablesState } from './model.js';
import { acknowledgeStrongWrite, checkStrongRead, checkStrongWrite } from './mrsc.js';
import { ReplicaLifecycle, type ReplicaUpdatesInput } from './replicas.js';
import { Replication, type GlobalTablesDoc } from './replication.js';
import { AwsError } from '../../aws-error.js';

export { GLOBAL_TABLE_VERSION, REPLICA_CREATE_MS, REPLICA_DELETE_MS, type ReplicaUpdate, type ReplicaUpdatesInput } from './replicas.js';
export { MRSC_REGION_SETS } from './mrsc.js';

export class GlobalTables {
  private readonly doc: GlobalTablesDoc;
  private readonly replication: Replication;
  private readonly replicas: ReplicaLifecycle;

  constructor(
    private readonly ctx: CloudContext,
    private readonly tables: DynamoDbDomain,
  ) {
    const store = ctx.state;
    this.doc = {
      get state() {
        return keyedState<GlobalTablesState>(store, 'dynamodb-global-tables', () => ({ counter: 0, tables: dict() }));
      },
      dirty: (...path: string[]) => store.changed('dynamodb-global-tables', ...path),
    };
    const drop = (g: GlobalTableState, region: string) => this.dropReplica(g, region);
    this.replication = new Replication(ctx, tables, this.doc, drop);
    this.replicas = new ReplicaLifecycle(ctx, tables, this.doc, (region, name) => this.group(region, name), drop);
  }

  /** The global table that `name` in `region` is a replica of, if any (replicas whose table was deleted drop out). */
  group(region: string, name: string): GlobalTableState | undefined {
    const tables = this.doc.state.tables;
    const g = own(tables, name);
    if (!g || !own(g.replicas, region)) return undefined;
    this.replicas.finishDue(g);
    this.prune(g);
    return own(tables, name) && own(g.replicas, region) ? g : undefined;
  }

  /** A replica whose table was deleted directly (DeleteTable in its region) leaves the global table. */
  private prune(g: GlobalTableState): void {
    for (const region of Object.keys(g.replicas)) if (!this.tables.hasTable(region, g.name)) this.dropReplica(g, region);
  }

  private dropReplica(g: GlobalTableState, region: string): void {
    delete g.replicas[region];
    delete g.versions[region];
    for (const pair of Object.keys(g.queues)) if (pair.startsWith(`${region}>`) || pair.endsWith(`>${region}`)) delete g.queues[pair];
    if (Object.keys(g.replicas).length <= 1) delete this.doc.state.tables[g.name];
    this.doc.dirty();
  }

  // ---- the table domain's hooks ----

  /** Every item write: queue it for every other replica (MRSC: acknowledged once a second member has it). */
  onItemChange(region: string, name: string, change: ItemChange): void {
    if (this.replication.applying) return;
    const g = this.group(region, name);
    if (!g) return;
    this.replication.enqueue(g, region, change);
    if (g.consistency === 'STRONG') acknowledgeStrongWrite(this.replication, g, region);
  }

  /** Every access to a table: what replication already made due there is delivered first. */
  beforeAccess(region: string, name: string): void {
    this.replication.catchUp(region, name);
  }

  /** Before an item write: a CREATING replica has no items yet; MRSC refuses writes without a majority and writes racing another region's. */
  beforeItemWrite(region: string, name: string, keys: Item): void {
    const g = this.group(region, name);
    // A replica table still CREATING is not there yet for item writes, as any table before ACTIVE.
    if (g?.replicas[region]?.status === 'CREATING') throw new AwsError('ResourceNotFoundException', 'Requested resource not found');
    if (!g || g.consistency !== 'STRONG') return;
    checkStrongWrite(this.replication, g, region, keyString(this.tables.table(region, name), keys), this.ctx.clock.now());
  }

  /** Before a ConsistentRead: MRSC needs a majority and reads the latest write from any region. */
  beforeStrongRead(region: string, name: string): void {
    const g = this.group(region, name);
    if (g?.consistency === 'STRONG') checkStrongRead(this.replication, g, region);
  }

  /** Writes not yet delivered per pair (status, drills). */
  backlog(name: string): ReturnType<Replication['backlog']> {
    return this.replication.backlog(name);
  }

  // ---- replicas ----

  updateReplicas(region: string, input: ReplicaUpdatesInput): { TableDescription: Record<string, unknown> } {
    return this.replicas.updateReplicas(region, input);
  }

  /** DescribeTable's global-table fields: GlobalTableVersion, Replicas (the other regions), statuses. */
  decorate(region: string, description: Record<string, unknown>): Record<string, unknown> {
    return this.replicas.decorate(region, description);
  }

  // ---- lifecycle ----

  start(): void {
    const faults = this.ctx.faults;
    if (faults) {
      const previous = faults.onChange;
      faults.onChange = () => {
        previous?.();
        this.replication.resume();
      };
    }
    this.replicas.start();
    this.replication.start();
  }

  stop(): void {
    this.replicas.stop();
    this.replication.stop();
  }
}

export type { Item };
