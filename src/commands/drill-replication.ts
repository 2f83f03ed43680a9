import type { ResolvedConfig } from '../config/schema.js';
import { ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import type { CommandContext } from './context.js';
import { drillReplicationOptions, type DrillOptions as DrillCommandOptions } from './options.js';

/** The drill journal and the target it is keyed by: a pause is journaled before it is applied. */
async function faultJournal(ctx: CommandContext, aws: { readonly endpoint?: string; verifyCredentials(region: string): Promise<{ account: string }> }) {
  const { Journal, drillsDir } = await import('../drill/journal.js');
  const { cloudTarget } = await import('../aws/target.js');
  const config = await ctx.loadConfig();
  return { journal: new Journal(drillsDir(ctx.cwd)), target: await cloudTarget(aws, config.primaryRegion) };
}

/** drill replication: canaries in every region, lag per pair, missing at the deadline (RPO), events per write. */
export async function replicationCommand(ctx: CommandContext, config: ResolvedConfig, opts: DrillCommandOptions): Promise<void> {
  if (opts.buckets) return bucketsCommand(ctx, config, opts);
  if (!config.table) {
    throw new UsageError('NoTable', 'drill replication needs a global table, and regionctl.yml has no table: section', 2, { hint: 'add "table: {}" to regionctl.yml and run regionctl deploy' });
  }
  const pause = opts.duringPause;
  if (pause && pause.length !== 2) throw new UsageError('BadPause', '--during-pause takes two regions, from and to: e.g. --during-pause us-east-1,us-west-2');
  if (pause && opts.isolate) throw new UsageError('ConflictingFaults', '--during-pause and --isolate cannot be combined: run one drill for each');
  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const { replicationDrill, replicationStage, localFaults } = await import('../drill/replication.js');
  const clock = await cloudClock(aws.endpoint);
  if ((pause || opts.isolate) && clock.kind !== 'emulator') {
    throw new UsageError('NeedsLocalCloud', '--during-pause and --isolate need the local cloud (--local or --endpoint): AWS offers no switch to pause replication', 2);
  }
  const samples = opts.samples ?? drillReplicationOptions.samples.default;
  ctx.io.emit({ kind: 'info', message: `replication drill on ${config.service}/${config.stage}: ${samples} sample(s) per region in ${config.regions.join(', ')}${clock.kind === 'emulator' ? `, local cloud time scale ${clock.timeScale}×` : ''}` });
  const report = await replicationDrill({
    ...replicationStage(config, config.table),
    clients: aws,
    io: ctx.io,
    clock,
    samples,
    ...(pause ? { duringPause: [pause[0]!, pause[1]!] as [string, string] } : {}),
    ...(opts.isolate ? { isolate: opts.isolate } : {}),
    ...(aws.endpoint && clock.kind === 'emulator' ? { faults: localFaults(aws.endpoint), journal: await faultJournal(ctx, aws) } : {}),
    signal: ctx.signal,
  });
  const s = ctx.io.style;
  const ms = (v: number | null) => (v === null ? s.dim('-') : `${v}`);
  const rows = report.pairs.map((p) => [p.from, p.to, String(p.samples), ms(p.p50Ms), ms(p.p95Ms), ms(p.p99Ms), ms(p.maxMs), p.missing === 0 ? '0' : s.bad(String(p.missing))]);
  const lines = [
    table(['FROM', 'TO', 'SAMPLES', 'P50 MS', 'P95 MS', 'P99 MS', 'MAX MS', 'MISSING'], rows),
    '',
    `events: ${report.events.writes} write(s), ${report.events.published} published, ${report.events.duplicates} duplicate(s)`,
    `RPO (oldest acknowledged write not everywhere${report.isolate ? ' while isolated' : ' at the deadline'}): ${report.rpoSeconds}s`,
  ];
  if (report.pause) lines.push(`paused ${report.pause.from} → ${report.pause.to} for ${Math.round(report.pause.heldMs / 100) / 10}s; caught up ${report.pause.catchUpMs === null ? s.bad('not within the deadline') : `${Math.round(report.pause.catchUpMs / 100) / 10}s after resume`}`);
  if (report.isolate) {
    const i = report.isolate;
    lines.push(
      report.consistency === 'strong'
        ? `isolated ${i.region} (strong consistency): ${i.refusedInRegion} write(s) refused there, ${i.acceptedInRegion} accepted; nothing acknowledged was lost`
        : `isolated ${i.region} (eventual consistency): ${i.acceptedInRegion} write(s) accepted there; ${i.atRiskWrites} would be lost with the region (window ${i.atRiskWindowSeconds}s)`,
    );
  }
  lines.push(report.result === 'passed' ? s.ok('passed') : s.bad(`failed: ${report.failures.join('; ')}`));
  ctx.io.result(`${lines.join('\n')}\n`, report);
  if (report.result !== 'passed') throw new ReportedFailure('DrillFailed', `replication drill failed: ${report.failures.join('; ')}`);
}

/** drill replication --buckets: canary objects in every region's bucket, lag per pair, missing at the deadline, copies per object per bucket. */
async function bucketsCommand(ctx: CommandContext, config: ResolvedConfig, opts: DrillCommandOptions): Promise<void> {
  if (!config.replication) {
    throw new UsageError('NoReplication', 'drill replication --buckets needs replication buckets, and regionctl.yml has no replication: section', 2, {
      hint: 'add "replication: { topology: ring }" (or fanout, s3) to regionctl.yml and run regionctl deploy',
    });
  }
  if (opts.duringPause || opts.isolate) throw new UsageError('ConflictingFaults', '--during-pause and --isolate drill the table: they cannot be combined with --buckets');
  const aws = await ctx.aws();
  const { account } = await aws.verifyCredentials(config.primaryRegion);
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const { bucketReplicationDrill } = await import('../drill/bucket-replication.js');
  const clock = ctx.clock ?? (await cloudClock(aws.endpoint));
  const samples = opts.samples ?? drillReplicationOptions.samples.default;
  const topology = config.replication.topology;
  ctx.io.emit({ kind: 'info', message: `bucket replication drill on ${config.service}/${config.stage} (${topology}): ${samples} canary object(s) per region in ${config.regions.join(', ')}` });
  const report = await bucketReplicationDrill({ service: config.service, stage: config.stage, regions: config.regions, topology, account, clients: aws, io: ctx.io, clock, samples, signal: ctx.signal });
  const s = ctx.io.style;
  const ms = (v: number | null) => (v === null ? s.dim('-') : `${v}`);
  const rows = report.pairs.map((p) => [p.from, p.to, String(p.samples), ms(p.p50Ms), ms(p.p95Ms), ms(p.p99Ms), ms(p.maxMs), p.missing === 0 ? '0' : s.bad(String(p.missing))]);
  const how = report.copies.method === 'versions' ? 'counted as object versions' : "counted from the replicators' logs";
  const lines = [
    table(['FROM', 'TO', 'SAMPLES', 'P50 MS', 'P95 MS', 'P99 MS', 'MAX MS', 'MISSING'], rows),
    '',
    `lag: write acknowledged → listed in the other bucket (resolution ${report.resolutionMs} ms)`,
    `copies: ${report.copies.found} of ${report.copies.expected} expected (one per object per bucket, ${how}), ${report.copies.duplicates === 0 ? '0' : s.bad(String(report.copies.duplicates))} duplicate(s)`,
    `cleaned up: ${report.cleanedUp} canary object version(s) deleted`,
    report.result === 'passed' ? s.ok('passed') : s.bad(`failed: ${report.failures.join('; ')}`),
  ];
  ctx.io.result(`${lines.join('\n')}\n`, report);
  if (report.result !== 'passed') throw new ReportedFailure('DrillFailed', `bucket replication drill failed: ${report.failures.join('; ')}`);
}
