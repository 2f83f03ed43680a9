import { ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import type { PendingFault } from '../drill/journal.js';
import type { StatusReport } from '../observe/region-status.js';
import type { AwsProvider } from '../aws/provider.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { ReplicationView } from '../replication/deployed-chain.js';
import type { TableStatus } from '../observe/table-status.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';
import type { StatusOptions as StatusCommandOptions } from './options.js';

export async function statusCommand(ctx: CommandContext, opts: StatusCommandOptions = {}): Promise<void> {
  if (opts.watch && ctx.io.jsonMode) {
    throw new UsageError('WatchWithJson', '--watch redraws a table and cannot be combined with --json (which prints exactly one document)', 2, {
      hint: 'poll `regionctl status --json` instead',
    });
  }
  const config = await ctx.loadConfig();
  const { regionStatus } = await import('../observe/region-status.js');
  const aws = await ctx.aws();
  const { account } = await aws.verifyCredentials(config.primaryRegion);
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const { normaliseEndpoint } = await import('../aws/target.js');
  const { Journal, drillsDir, describePending } = await import('../drill/journal.js');
  const target = { endpoint: normaliseEndpoint(aws.endpoint), account };
  const cloud = await cloudClock(aws.endpoint);
  const { dnsPort } = cloud;
  // Only a stage with a global table reads it (and loads the DynamoDB SDK for it).
  const tableStatus = config.table ? (await import('../observe/table-status.js')).tableStatus : undefined;
  for (;;) {
    const report = await regionStatus({ config, clients: aws, io: ctx.io, dnsPort });
    const table = config.table && tableStatus ? await tableStatus({ ...config, table: config.table, clients: aws, now: cloud.now() }) : undefined;
    // Read-only: no lock. Every journaled fault in this project is shown, whichever cloud it was
    // applied to, because a fault left behind anywhere is what status is for.
    const journal = new Journal(drillsDir(ctx.cwd));
    const pendingFaults = journal.list().map((entry) => describePending(entry, { target, service: config.service, stage: config.stage }));
    const replication = config.replication ? await replicationStatus(config, aws, report) : undefined;
    ctx.io.result(renderStatus(ctx, report, pendingFaults, journal.unreadable) + (table ? renderTable(ctx, table) : '') + (replication ? renderReplication(ctx, replication) : ''), {
      ...report,
      pendingFaults,
      ...(table ? { table } : {}),
      ...(replication ? { replication } : {}),
    });
    if (!opts.watch || ctx.signal.aborted) {
      if (report.regions.some((r) => r.stackStatus === 'UNKNOWN')) {
        throw new ReportedFailure('StatusFailed', 'could not read the status of every region');
      }
      return;
    }
    await wallClock.sleep((opts.interval ?? 5) * 1000, ctx.signal).catch(() => undefined);
    if (ctx.signal.aborted) return;
  }
}

// The replication chain as deployed, with a break wherever a link leads into an unhealthy region.
async function replicationStatus(config: ResolvedConfig, aws: AwsProvider, report: StatusReport): Promise<ReplicationView> {
  const { planStage } = await import('../stage/plan.js');
  const { readDeployedChain, replicationView } = await import('../replication/deployed-chain.js');
  const links = await readDeployedChain(planStage(config), (r) => aws.cloudFormation(r));
  const unhealthy = report.regions.filter((r) => !r.healthy).map((r) => r.region);
  return replicationView(config.regions, config.replication!.topology, links, unhealthy);
}

function renderReplication(ctx: CommandContext, v: ReplicationView): string {
  const s = ctx.io.style;
  const breaks = v.links.filter((l) => !l.ok).map((l) => `  ${s.bad('break')}: ${l.from} → ${l.to}: ${l.reason ?? ''}\n`);
  return (
    `\nreplication (${v.topology}): ${v.deployed ?? s.dim('not deployed')}\n` +
    (v.rechained ? `  ${s.warn('healed')}: the configured chain is ${v.planned}\n` : '') +
    breaks.join('') +
    (v.topology === 's3' && v.broken ? `  ${s.warn('S3 marks objects written meanwhile FAILED for the unhealthy region(s)')}: re-replicate them with S3 Batch Replication once back\n` : '') +
    (v.topology !== 's3' && (v.broken || v.rechained) ? `  ${s.warn('run "regionctl replication heal"')} to ${v.broken ? 'chain around the unhealthy region(s)' : 'restore the configured chain and backfill'}\n` : '')
  );
}

function renderStatus(ctx: CommandContext, report: StatusReport, pending: PendingFault[], unreadable: string[]): string {
  const s = ctx.io.style;
  const rows = report.regions.map((r) => [
    r.region,
    r.stackStatus === 'NOT_DEPLOYED' ? s.dim('not deployed') : r.stackStatus,
    r.serviceStackStatus === 'NOT_DEPLOYED' ? s.dim('not deployed') : r.serviceStackStatus,
    r.healthy ? s.ok('yes') : s.bad('no'),
    r.httpStatus === null ? s.dim('-') : String(r.httpStatus),
    r.latencyMs === null ? s.dim('-') : `${r.latencyMs} ms`,
    r.alarmState === null ? s.dim('-') : r.alarmState === 'OK' ? s.ok('OK') : s.bad(r.alarmState),
    r.healthCheck === null ? s.dim('-') : r.healthCheck === 'Healthy' ? s.ok('Healthy') : s.bad('Unhealthy'),
    r.dns.answeredBy ?? s.dim('-'),
    r.dns.globalEntry ?? s.dim('-'),
    r.checkUrl ?? s.dim(r.error ?? '-'),
  ]);
  const why = report.regions.filter((r) => !r.healthy).map((r) => `${s.bad(`${r.region} is not healthy`)}: ${r.reasons.join('; ')}\n`);
  // A "-" above is either "nothing there" or one of these: a read that was denied, throttled or failed.
  const notes = [...report.notes, ...report.regions.flatMap((r) => r.notes.map((n) => `${r.region}: ${n}`))].map((n) => `${s.warn('note')}: ${n}\n`);
  const faults = pending.map(
    (p) =>
      `${s.warn('pending fault')}: ${p.functionName} in ${p.region} (${p.service}/${p.stage} on ${p.endpoint ?? 'AWS'}${p.account ? `, account ${p.account}` : ''}, since ${p.appliedAt}) — undo with: ${p.restoreCommand}${p.note ? ` (${p.note})` : ''}\n`,
  );
  return (
    `${s.bold(`${report.service}/${report.stage}`)}: ${report.healthyRegions} of ${report.regions.length} region(s) healthy\n` +
    table(['REGION', 'HEALTH STACK', 'SERVICE STACK', 'HEALTHY', 'HTTP', 'LATENCY', 'ALARM', 'HEALTH CHECK', 'DNS→', 'ENTRY→', 'CHECK URL'], rows) +
    '\n' +
    (why.length ? '\n' + why.join('') : '') +
    (notes.length ? '\n' + notes.join('') : '') +
    (faults.length ? '\n' + faults.join('') : '') +
    unreadable.map((path) => `${s.warn('unreadable fault journal file')}: ${path}\n`).join('')
  );
}

// The global table: each region's replica, and the replication latency into it from every other region.
function renderTable(ctx: CommandContext, t: TableStatus): string {
  const s = ctx.io.style;
  const into = (to: string) =>
    t.latency
      .filter((l) => l.to === to)
      .map((l) => `${l.from}: ${l.averageMs === null ? s.dim('no data') : `${l.averageMs} ms avg, ${l.maxMs} ms max`}`)
      .join('; ');
  const rows = t.replicas.map((r) => [r.region, r.witness ? s.dim(`${r.status} (witness)`) : r.status === 'ACTIVE' ? s.ok('ACTIVE') : s.bad(r.status), r.witness ? s.dim('-') : into(r.region) || s.dim('-')]);
  return (
    `\n${s.bold(t.table)} (${t.consistency === 'strong' ? 'multi-Region strong consistency' : 'multi-Region eventual consistency'}; replication latency over the last ${t.windowMinutes} min)\n` +
    table(['REGION', 'REPLICA', 'REPLICATION LATENCY FROM'], rows) +
    '\n' +
    (t.error ? `${s.warn('note')}: could not read the table: ${t.error}\n` : '')
  );
}
