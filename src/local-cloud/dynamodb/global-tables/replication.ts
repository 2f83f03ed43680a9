// Replication between the replicas of a global table: every write is queued per region pair and
// becomes visible in the receiving region at (write time + the pair's lag) on the cloud clock,
// in write order per pair; a paused pair holds its queue and catches up on resume; conflicts
// resolve last writer wins.
//
// Visibility is exact, not "when a timer got round to it": a timer per pair delivers each write
// at its due time, and every access to a replica table first delivers what is already due into
// that region (catchUp, from the table domain's access hook). So under load, when the event loop
// runs a timer late, no reader, writer or stream poller can observe the write missing after its
// due time, and ReplicationLatency reports the time it became visible. A pause observed by the
// cloud holds only writes not yet due when it began; the ones due before it were already visible.
import { dict, own } from '../../keyed.js';
import type { CloudContext } from '../../types.js';
import { DEFAULT_REPLICATION_LAG_MS } from '../../faults.js';
import type { DynamoDbDomain, ItemChange } from '../domain.js';
import { keyString } from '../keys.js';
import type { GlobalTableState, GlobalTablesState, PendingWrite } from './model.js';

/** The global-tables document and its write barrier. */
export interface GlobalTablesDoc {
  readonly state: GlobalTablesState;
  dirty(...path: string[]): void;
}

interface MetricSink {
  putMetric(region: string, namespace: string, metricName: string, dimensions: Record<string, string>, value: number, unit?: string): void;
}

export class Replication {
  /** Set while replication applies a write, so that write is not replicated again. */
  applying = false;
  private readonly timers = new Map<string, { at: number; cancel: () => void }>();
  private stopped = false;
  /** Pair → cloud ms since which it has been paused, as last observed (faults change → observePauses). */
  private readonly pausedSince = new Map<string, number>();
  /** Pair → cloud ms it was last resumed; pairs absent have been open since `openedAt`. */
  private readonly resumedAt = new Map<string, number>();
  private openedAt = -Infinity;

  constructor(
    private readonly ctx: CloudContext,
    private readonly tables: DynamoDbDomain,
    private readonly doc: GlobalTablesDoc,
    /** Takes a replica whose table is gone out of its global table. */
    private readonly dropReplica: (g: GlobalTableState, region: string) => void,
  ) {}

  private now(): number {
    return this.ctx.clock.now();
  }

  lag(from: string, to: string): number {
    return this.ctx.faults?.replicationLag?.(from, to) ?? DEFAULT_REPLICATION_LAG_MS;
  }

  paused(from: string, to: string): boolean {
    const f = this.ctx.faults;
    return !!f && (f.isRegionDown(from) || f.isRegionDown(to) || f.isReplicationPaused?.(from, to) === true);
  }

  /** Queue a write made in `region` for every other replica (the table domain's item-change hook). */
  enqueue(g: GlobalTableState, region: string, change: ItemChange): void {
    // (The table domain runs no access hook while a write's change hooks run: no catch-up in here.)
    const key = keyString(this.tables.table(region, g.name), change.keys);
    const version = ++this.doc.state.counter;
    (g.versions[region] ??= dict())[key] = version;
    const now = this.now();
    for (const to of Object.keys(g.replicas)) {
      if (to === region || g.replicas[to]!.status === 'DELETING') continue;
      const pending: PendingWrite = { key, keys: structuredClone(change.keys), image: change.newImage ? structuredClone(change.newImage) : null, version, writtenAt: now, dueAt: now + this.lag(region, to) };
      (g.queues[`${region}>${to}`] ??= []).push(pending);
      this.schedule(g.name, `${region}>${to}`, pending.dueAt);
    }
    this.doc.dirty('counter');
    this.doc.dirty('tables', g.name, 'versions', region, key);
    for (const pair of Object.keys(g.queues)) if (pair.startsWith(`${region}>`)) this.doc.dirty('tables', g.name, 'queues', pair);
  }

  /** Before any access to `name` in `region`: deliver every write already due there (see the header). */
  catchUp(region: string, name: string): void {
    if (this.applying) return;
    const g = own(this.doc.state.tables, name);
    if (!g || !own(g.replicas, region)) return;
    const now = this.now();
    for (const [pair, queue] of Object.entries(g.queues)) if (pair.endsWith(`>${region}`) && queue.length > 0 && queue[0]!.dueAt <= now) this.deliver(name, pair);
  }

  /** Deliver every write queued for a pair now, regardless of its lag (MRSC acknowledgement and catch-up). */
  flush(g: GlobalTableState, pair: string, key?: string): void {
    const queue = own(g.queues, pair);
    if (!queue?.length) return;
    const [from, to] = pair.split('>') as [string, string];
    if (!this.tables.hasTable(to, g.name)) return;
    const now = this.now();
    const kept: PendingWrite[] = [];
    for (const write of queue) {
      if (key !== undefined && write.key !== key) {
        kept.push(write);
        continue;
      }
      this.apply(g, to, write);
      this.metric(from, to, g.name, now - write.writtenAt);
    }
    if (kept.length) g.queues[pair] = kept;
    else delete g.queues[pair];
    this.doc.dirty('tables', g.name, 'queues', pair);
  }

  private schedule(name: string, pair: string, at: number): void {
    if (this.stopped) return;
    const key = `${name}:${pair}`;
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
    const g = own(this.doc.state.tables, name);
    const queue = g && own(g.queues, pair);
    if (!g || !queue) return;
    const [from, to] = pair.split('>') as [string, string];
    if (!this.tables.hasTable(to, name)) {
      this.dropReplica(g, to);
      return;
    }
    const now = this.now();
    // Paused: only what was due before the pause began (it was visible then) goes through.
    const until = this.paused(from, to) ? Math.min(now, this.pausedSince.get(pair) ?? -Infinity) : now;
    const opened = this.resumedAt.get(pair) ?? this.openedAt;
    let delivered = 0;
    while (delivered < queue.length && queue[delivered]!.dueAt <= until) {
      const write = queue[delivered]!;
      this.apply(g, to, write);
      // Visible from its due time, or from the resume that let it through, whichever is later.
      this.metric(from, to, name, Math.min(now, Math.max(write.dueAt, opened)) - write.writtenAt);
      delivered++;
    }
    if (delivered > 0) {
      queue.splice(0, delivered);
      this.doc.dirty('tables', name, 'queues', pair);
    }
    if (queue.length === 0) delete g.queues[pair];
    else if (!this.paused(from, to)) this.schedule(name, pair, queue[0]!.dueAt);
  }

  /** Last writer wins: a replicated write older than what the receiving replica holds is dropped. */
  private apply(g: GlobalTableState, to: string, write: PendingWrite): void {
    const versions = (g.versions[to] ??= dict());
    if ((own(versions, write.key) ?? -1) >= write.version) return;
    versions[write.key] = write.version;
    this.doc.dirty('tables', g.name, 'versions', to, write.key);
    this.applying = true;
    try {
      this.tables.applyReplicatedItem(to, g.name, write.keys, write.image ?? undefined);
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
    const g = own(this.doc.state.tables, name);
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

  /**
   * The faults changed (or the cloud started): note when each pair's pause began or ended, then
   * (re)arm delivery for every queue. Writes due before a pause began are delivered first: they
   * were visible before it.
   */
  resume(): void {
    const now = this.now();
    for (const g of Object.values(this.doc.state.tables)) {
      const regions = Object.keys(g.replicas);
      for (const from of regions)
        for (const to of regions) {
          if (from === to) continue;
          const pair = `${from}>${to}`;
          const isPaused = this.paused(from, to);
          if (isPaused && !this.pausedSince.has(pair)) this.pausedSince.set(pair, now);
          if (!isPaused && this.pausedSince.delete(pair)) this.resumedAt.set(pair, now);
        }
      for (const [pair, queue] of Object.entries(g.queues)) {
        if (!queue.length) continue;
        if (queue[0]!.dueAt <= now) this.deliver(g.name, pair);
        const rest = own(g.queues, pair);
        const [from, to] = pair.split('>') as [string, string];
        if (rest?.length && !this.paused(from, to)) this.schedule(g.name, pair, Math.max(now, rest[0]!.dueAt));
      }
    }
  }

  start(): void {
    this.stopped = false;
    // Writes that fell due while the cloud was stopped became visible when it started.
    this.openedAt = this.now();
    this.resume();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
