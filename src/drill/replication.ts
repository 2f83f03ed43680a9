import { BatchGetItemCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ListEventSourceMappingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ResolvedConfig, TableConfig } from '../config/schema.js';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { functionName, globalTableName } from '../stage/names.js';
import { waitFor, type Sleeper } from '../wait.js';
import type { CloudTarget } from '../aws/target.js';
import type { Journal, LocalFaultSpec } from './journal.js';
import { injectLocalFault, liftLocalFault, type FaultControl } from './local-faults.js';
import { bookmarkTriggerLog, logStillHolds, publishedEvents, type PublishedEvent } from './trigger-events.js';

// The replication drill: sequence-numbered canary items written in every region, each looked for in
// every other region until a deadline. Lag per pair comes from the table's ReplicationLatency metric
// (what the service measured for each delivered write); missing items at the deadline are the
// measured RPO; the trigger's log says how many events each write produced (must be exactly one).

export interface ReplicationClients {
  dynamodb(region: string): DynamoDBClient;
  logs(region: string): CloudWatchLogsClient;
  cloudWatch(region: string): CloudWatchClient;
  lambda(region: string): LambdaClient;
}

export { localFaults, type FaultControl } from './local-faults.js';

export interface PairLag {
  from: string;
  to: string;
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Items written in `from` not readable in `to` at the deadline. */
  missing: number;
}

export interface ReplicationReport {
  table: string;
  consistency: 'eventual' | 'strong';
  samples: number;
  pairs: PairLag[];
  events: { writes: number; published: number; duplicates: number };
  /** Age of the oldest acknowledged write not yet everywhere at the deadline (or, with --isolate, when the isolation ended). */
  rpoSeconds: number;
  result: 'passed' | 'failed';
  /** Why it failed (empty when passed). */
  failures: string[];
  /** Writes refused (MRSC in an isolated region; anything else is a failure). */
  refused: number;
  pause?: { from: string; to: string; heldMs: number; catchUpMs: number | null };
  isolate?: { region: string; acceptedInRegion: number; refusedInRegion: number; atRiskWrites: number; atRiskWindowSeconds: number };
  seconds: number;
}

export interface ReplicationDrillOptions {
  service: string;
  stage: string;
  regions: readonly string[];
  primaryRegion: string;
  table: TableConfig;
  clients: ReplicationClients;
  io: Io;
  clock: Sleeper;
  samples: number;
  duringPause?: [string, string];
  isolate?: string;
  /** Required with duringPause / isolate (only the local cloud can pause replication). */
  faults?: FaultControl;
  /**
   * Where the pause is journaled before it is applied (DESIGN.md: every injected fault), so that
   * `drill restore` lifts it if this process dies mid-drill. The CLI always passes it.
   */
  journal?: { journal: Journal; target: CloudTarget };
  /** Cloud ms to wait, after the last write (or after a fault is lifted), for everything to arrive. */
  deadlineMs?: number;
  /** Cloud ms a pause or isolation is held after the writes, before it is lifted. */
  holdMs?: number;
  poll?: number;
  concurrency?: number;
  /** Real (wall) milliseconds without a new event after which the event count is final (default 10 s). */
  eventsIdleMs?: number;
  /** Wall clock for eventsIdleMs (tests). */
  realNow?: () => number;
  signal?: AbortSignal;
}

interface Canary {
  id: string;
  region: string;
  writtenAt: number;
}

export async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(width, items.length)) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Refuse before writing anything: the table must be global across the regions and every trigger listening. */
async function preflight(opts: ReplicationDrillOptions, table: string): Promise<void> {
  // Only "no such table" means the table is missing: a denied or throttled call says so itself.
  const home = (
    await opts.clients
      .dynamodb(opts.primaryRegion)
      .send(new DescribeTableCommand({ TableName: table }))
      .catch((error: Error) => {
        if (error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      })
  )?.Table;
  if (!home) throw new RegionctlError('TableMissing', `${table} does not exist in ${opts.primaryRegion}`, 1, { hint: 'run `regionctl deploy` first (regionctl.yml needs a table: section)' });
  const active = new Set((home.Replicas ?? []).filter((r) => r.ReplicaStatus === 'ACTIVE').map((r) => r.RegionName));
  const missing = opts.regions.filter((r) => r !== opts.primaryRegion && !active.has(r));
  if (missing.length > 0) throw new RegionctlError('ReplicaMissing', `${table} has no ACTIVE replica in ${missing.join(', ')}`, 1, { hint: 'run `regionctl deploy` to add it' });
  const trigger = functionName(opts, 'trigger');
  await Promise.all(
    opts.regions.map((region) =>
      waitFor(
        async () => {
          const out = await opts.clients.lambda(region).send(new ListEventSourceMappingsCommand({ FunctionName: trigger }));
          const states = (out.EventSourceMappings ?? []).map((m) => m.State);
          if (states.length === 0) throw new RegionctlError('TriggerMissing', `${trigger} in ${region} reads no stream`, 1, { hint: 'run `regionctl deploy`' });
          return states.includes('Enabled') ? true : undefined;
        },
        { poll: 1000, deadline: 120_000, what: `the trigger's stream mapping in ${region} to be Enabled`, clock: opts.clock, signal: opts.signal },
      ),
    ),
  );
}

/** The stage fields of a drill's options, from the resolved config and its table (the caller checked it has one). */
export function replicationStage(config: Pick<ResolvedConfig, 'service' | 'stage' | 'regions' | 'primaryRegion'>, table: TableConfig): Pick<ReplicationDrillOptions, 'service' | 'stage' | 'regions' | 'primaryRegion' | 'table'> {
  return { service: config.service, stage: config.stage, regions: config.regions, primaryRegion: config.primaryRegion, table };
}

export async function replicationDrill(opts: ReplicationDrillOptions): Promise<ReplicationReport> {
  const { io, clock, regions } = opts;
  const table = globalTableName(opts);
  const started = clock.now();
  const deadlineMs = opts.deadlineMs ?? 60_000;
  const poll = opts.poll ?? 250;
  if ((opts.duringPause || opts.isolate) && !opts.faults) {
    throw new RegionctlError('NeedsLocalCloud', '--during-pause and --isolate need the local cloud: AWS offers no switch to pause replication', 2);
  }
  for (const r of [...(opts.duringPause ?? []), ...(opts.isolate ? [opts.isolate] : [])]) {
    if (!regions.includes(r)) throw new RegionctlError('UnknownRegion', `${r} is not one of the configured regions (${regions.join(', ')})`, 2);
  }
  if (opts.duringPause && opts.duringPause[0] === opts.duringPause[1]) throw new RegionctlError('BadPause', '--during-pause needs two different regions, e.g. us-east-1,us-west-2', 2);
  io.emit({ kind: 'step', id: 'drill', state: 'start', label: `checking ${table} and the triggers in ${regions.join(', ')}` });
  await preflight(opts, table);
  // Bookmarks in the trigger logs the events are counted from: a log that dropped its bookmark by the
  // count dropped lines of the drill too, and its count would be short (or hide a duplicate).
  const bookmarks = new Map<string, string>();
  await Promise.all(
    regions.map(async (region) => {
      const id = await bookmarkTriggerLog({ clients: opts.clients, service: opts.service, stage: opts.stage, region }).catch((error: Error) => {
        io.emit({ kind: 'warn', region, message: `could not bookmark the trigger's log (${error.message}); its event count goes unchecked for lost lines` });
        return undefined;
      });
      if (id) bookmarks.set(region, id);
    }),
  );

  const original = opts.faults && !opts.journal ? await opts.faults.get() : undefined;
  const pausedPairs = opts.duringPause
    ? [`${opts.duringPause[0]}>${opts.duringPause[1]}`]
    : opts.isolate
      ? regions.filter((r) => r !== opts.isolate).flatMap((r) => [`${opts.isolate}>${r}`, `${r}>${opts.isolate}`])
      : [];
  // Journaled: each pair is recorded, then paused; lifting removes exactly those pairs.
  const applied: Array<{ id: string; spec: LocalFaultSpec }> = [];
  const applyPause = async () => {
    if (opts.journal) {
      for (const pair of pausedPairs) {
        const [from, to] = pair.split('>') as [string, string];
        const spec: LocalFaultSpec = { fault: 'replication-pause', region: from, to };
        const id = await injectLocalFault({ ...opts.journal, service: opts.service, stage: opts.stage, control: opts.faults!, io, now: () => clock.now() }, spec);
        applied.push({ id, spec });
      }
      return;
    }
    const current = (original?.replicationPaused as string[] | undefined) ?? [];
    await opts.faults!.set({ ...original, replicationPaused: [...new Set([...current, ...pausedPairs])] });
  };
  const lift = async () => {
    if (opts.journal) {
      while (applied.length > 0) {
        const { id, spec } = applied[applied.length - 1]!;
        await liftLocalFault({ journal: opts.journal.journal, control: opts.faults!, io }, id, spec);
        applied.pop();
      }
      return;
    }
    if (opts.faults && original) await opts.faults.set(original);
  };

  const run = `drill-${started.toString(36)}`;
  const canaries: Canary[] = [];
  let refused = 0;
  let refusedInIsolated = 0;
  try {
    if (pausedPairs.length > 0) {
      io.emit({ kind: 'step', id: 'drill', state: 'update', label: `pausing replication ${pausedPairs.join(', ')}` });
      await applyPause();
    }
    io.emit({ kind: 'step', id: 'drill', state: 'update', label: `writing ${opts.samples} canary item(s) in each of ${regions.length} region(s)` });
    const jobs = regions.flatMap((region) => Array.from({ length: opts.samples }, (_, seq) => ({ region, seq })));
    // Interleave regions so every region writes throughout the run, as live traffic would.
    jobs.sort((a, b) => a.seq - b.seq || regions.indexOf(a.region) - regions.indexOf(b.region));
    await pool(jobs, opts.concurrency ?? 16, async ({ region, seq }) => {
      const id = `${run}-${region}-${String(seq).padStart(6, '0')}`;
      const writtenAt = clock.now();
      try {
        await opts.clients.dynamodb(region).send(
          new PutItemCommand({
            TableName: table,
            Item: { id: { S: id }, origin: { S: region }, latch: { S: 'open' }, drill: { S: run }, seq: { N: String(seq) }, writtenAt: { N: String(writtenAt) } },
          }),
        );
        canaries.push({ id, region, writtenAt });
      } catch (error) {
        refused++;
        if (region === opts.isolate) refusedInIsolated++;
        else io.emit({ kind: 'warn', region, message: `write ${id} refused: ${(error as Error).message}` });
      }
    });
    const written = clock.now();
    io.emit({ kind: 'debug', message: `replication drill: ${canaries.length} write(s) acknowledged` });

    // Who has what: per receiving region, the canaries still not seen there.
    const pending = new Map(regions.map((to) => [to, new Map(canaries.filter((c) => c.region !== to).map((c) => [c.id, c]))]));
    const look = async (): Promise<void> => {
      await Promise.all(
        regions.map(async (to) => {
          const left = pending.get(to)!;
          const ids = [...left.keys()];
          for (let i = 0; i < ids.length; i += 100) {
            const out = await opts.clients.dynamodb(to).send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: ids.slice(i, i + 100).map((id) => ({ id: { S: id } })), ProjectionExpression: 'id' } } }));
            for (const item of out.Responses?.[table] ?? []) left.delete(item.id?.S ?? '');
            // Unprocessed keys simply stay pending for the next look.
          }
        }),
      );
    };
    const waitAll = (what: string, until: number, done: () => boolean) =>
      waitFor(
        async () => {
          await look();
          return done() || clock.now() >= until ? true : undefined;
        },
        { poll, maxPoll: poll, deadline: Math.max(until - clock.now(), 0) + poll, what, clock, signal: opts.signal },
      ).catch(() => undefined);
    const allArrived = () => [...pending.values()].every((m) => m.size === 0);

    let pauseReport: ReplicationReport['pause'];
    let isolateReport: ReplicationReport['isolate'];
    if (pausedPairs.length > 0) {
      // Everything not held back by the fault arrives; what is held back is the window at risk.
      const held = (c: Canary, to: string) => pausedPairs.includes(`${c.region}>${to}`);
      const holdUntil = clock.now() + (opts.holdMs ?? 10_000);
      await waitAll('the unpaused replicas', holdUntil, () => false);
      const heldMs = clock.now() - written;
      const atRisk = canaries.filter((c) => regions.some((to) => to !== c.region && held(c, to) && pending.get(to)!.has(c.id)));
      if (opts.isolate) {
        const own = atRisk.filter((c) => c.region === opts.isolate);
        const now = clock.now();
        isolateReport = {
          region: opts.isolate,
          acceptedInRegion: canaries.filter((c) => c.region === opts.isolate).length,
          refusedInRegion: refusedInIsolated,
          atRiskWrites: own.length,
          atRiskWindowSeconds: own.length === 0 ? 0 : Math.round((now - Math.min(...own.map((c) => c.writtenAt))) / 100) / 10,
        };
      }
      io.emit({ kind: 'step', id: 'drill', state: 'update', label: `lifting the fault after ${Math.round(heldMs / 1000)} s; ${atRisk.length} write(s) held back` });
      await lift();
      const resumed = clock.now();
      await waitAll('replication to catch up', resumed + deadlineMs, allArrived);
      if (opts.duringPause) {
        const [from, to] = opts.duringPause;
        pauseReport = { from, to, heldMs, catchUpMs: pending.get(to)!.size === 0 || [...pending.get(to)!.values()].every((c) => c.region !== from) ? clock.now() - resumed : null };
      }
    } else {
      await waitAll('every canary in every region', written + deadlineMs, allArrived);
    }
    const end = clock.now();
    io.emit({ kind: 'debug', message: `replication drill: arrivals settled, ${[...pending.values()].reduce((n, m) => n + m.size, 0)} missing` });

    // Events: every acknowledged write published exactly once, by its own region's trigger.
    const ids = new Set(canaries.map((c) => c.id));
    // The triggers run as Lambdas, at the pace of real work rather than cloud time (on a fast or manual
    // cloud clock the deadline passes long before they are done): keep waiting past the deadline while
    // events still come in, and stop once none came for eventsIdleMs of real time.
    let published: PublishedEvent[] = [];
    const realNow = opts.realNow ?? Date.now;
    let lastProgress = realNow();
    const eventsDue = clock.now() + deadlineMs;
    for (;;) {
      const before = published.length;
      published = (await publishedEvents({ clients: opts.clients, service: opts.service, stage: opts.stage, regions, since: started - 1000 })).filter((e) => ids.has(e.partitionKey));
      io.emit({ kind: 'debug', message: `replication drill: ${published.length} event(s) published so far` });
      if (published.length >= canaries.length) break;
      if (published.length > before) lastProgress = realNow();
      if (clock.now() >= eventsDue && realNow() - lastProgress >= (opts.eventsIdleMs ?? 10_000)) break;
      await clock.sleep(Math.max(poll, 1000), opts.signal);
    }
    const unique = new Set(published.map((e) => e.partitionKey));
    const wrongRegion = published.filter((e) => canaries.find((c) => c.id === e.partitionKey)?.region !== e.region).length;

    const pairs = await lagPerPair(opts, table, started, end, pending);
    const missingAll = [...pending.values()].flatMap((m) => [...m.values()]);
    const rpoSeconds = isolateReport
      ? isolateReport.atRiskWindowSeconds
      : missingAll.length === 0
        ? 0
        : Math.round((end - Math.min(...missingAll.map((c) => c.writtenAt))) / 100) / 10;
    const failures: string[] = [];
    if (missingAll.length > 0) failures.push(`${missingAll.length} acknowledged write(s) missing at the deadline`);
    if (published.length - unique.size > 0) failures.push(`${published.length - unique.size} duplicate event(s)`);
    if (unique.size < canaries.length) failures.push(`${canaries.length - unique.size} write(s) produced no event`);
    if (wrongRegion > 0) failures.push(`${wrongRegion} event(s) published outside their origin region`);
    const truncated: string[] = [];
    for (const [region, requestId] of bookmarks) {
      if (!(await logStillHolds({ clients: opts.clients, service: opts.service, stage: opts.stage, region, requestId, since: started - 1000 }))) truncated.push(region);
    }
    if (truncated.length > 0) failures.push(`the trigger log in ${truncated.join(', ')} lost lines written during the drill: its event count is incomplete (run fewer --samples)`);
    const unexpectedRefusals = refused - (opts.isolate && opts.table.consistency === 'strong' ? refusedInIsolated : 0);
    if (unexpectedRefusals > 0) failures.push(`${unexpectedRefusals} write(s) refused`);
    if (opts.isolate && opts.table.consistency === 'strong' && isolateReport && isolateReport.acceptedInRegion > 0) {
      failures.push(`${isolateReport.acceptedInRegion} write(s) accepted by the isolated region of a strongly consistent table`);
    }
    const report: ReplicationReport = {
      table,
      consistency: opts.table.consistency,
      samples: opts.samples,
      pairs,
      events: { writes: canaries.length, published: published.length, duplicates: published.length - unique.size },
      rpoSeconds,
      result: failures.length === 0 ? 'passed' : 'failed',
      failures,
      refused,
      ...(pauseReport ? { pause: pauseReport } : {}),
      ...(isolateReport ? { isolate: isolateReport } : {}),
      seconds: Math.round((clock.now() - started) / 100) / 10,
    };
    io.emit({ kind: 'step', id: 'drill', state: report.result === 'passed' ? 'done' : 'failed', label: `replication drill ${report.result}` });
    return report;
  } finally {
    await lift().catch((error: Error) => io.emit({ kind: 'warn', message: `could not lift the replication fault: ${error.message}` }));
  }
}

/** Per pair: the ReplicationLatency statistics for the drill's window (sending region's CloudWatch), and the items missing. */
async function lagPerPair(opts: ReplicationDrillOptions, table: string, start: number, end: number, pending: Map<string, Map<string, Canary>>): Promise<PairLag[]> {
  const pairs = opts.regions.flatMap((from) => opts.regions.filter((to) => to !== from).map((to) => ({ from, to })));
  // One datapoint for the drill's window: a period (whole minutes, CloudWatch's standard resolution)
  // long enough that the window falls in one period bucket, buckets being aligned to multiples of the
  // period; StartTime/EndTime keep every point outside the window out of it.
  const windowStart = start - 1000;
  const windowEnd = end + 1000;
  let period = 60;
  while (period < 604_800 && Math.floor(windowStart / (period * 1000)) !== Math.floor(windowEnd / (period * 1000))) period += 60;
  const window = { StartTime: new Date(windowStart), EndTime: new Date(windowEnd) };
  return Promise.all(
    pairs.map(async ({ from, to }) => {
      const base = { Namespace: 'AWS/DynamoDB', MetricName: 'ReplicationLatency', Dimensions: [{ Name: 'TableName', Value: table }, { Name: 'ReceivingRegion', Value: to }], Period: period, ...window };
      const cw = opts.clients.cloudWatch(from);
      const [ext, basic] = await Promise.all([
        cw.send(new GetMetricStatisticsCommand({ ...base, ExtendedStatistics: ['p50', 'p95', 'p99'] })),
        cw.send(new GetMetricStatisticsCommand({ ...base, Statistics: ['Maximum', 'SampleCount'] })),
      ]);
      const e = ext.Datapoints?.[0]?.ExtendedStatistics ?? {};
      const b = basic.Datapoints?.[0];
      const missing = [...(pending.get(to)?.values() ?? [])].filter((c) => c.region === from).length;
      const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
      return { from, to, samples: b?.SampleCount ?? 0, p50Ms: round(e.p50), p95Ms: round(e.p95), p99Ms: round(e.p99), maxMs: round(b?.Maximum), missing };
    }),
  );
}
