import { ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import type { StatusReport } from '../routing/region-status.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';

export interface StatusCommandOptions {
  watch?: boolean;
  /** Seconds between refreshes with --watch. */
  interval?: number;
}

export async function statusCommand(ctx: CommandContext, opts: StatusCommandOptions = {}): Promise<void> {
  if (opts.watch && ctx.io.jsonMode) {
    throw new UsageError('WatchWithJson', '--watch redraws a table and cannot be combined with --json (which prints exactly one document)', 2, {
      hint: 'poll `regionctl status --json` instead',
    });
  }
  const config = await ctx.loadConfig();
  const { regionStatus } = await import('../routing/region-status.js');
  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const { dnsPort } = await cloudClock(aws.endpoint);
  for (;;) {
    const report = await regionStatus({ config, clients: aws, io: ctx.io, dnsPort });
    ctx.io.result(renderStatus(ctx, report), report);
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

function renderStatus(ctx: CommandContext, report: StatusReport): string {
  const s = ctx.io.style;
  const rows = report.regions.map((r) => [
    r.region,
    r.stackStatus === 'NOT_DEPLOYED' ? s.dim('not deployed') : r.stackStatus,
    r.healthy ? s.ok('yes') : s.bad('no'),
    r.httpStatus === null ? s.dim('-') : String(r.httpStatus),
    r.latencyMs === null ? s.dim('-') : `${r.latencyMs} ms`,
    r.alarmState === null ? s.dim('-') : r.alarmState === 'OK' ? s.ok('OK') : s.bad(r.alarmState),
    r.healthCheck === null ? s.dim('-') : r.healthCheck === 'Healthy' ? s.ok('Healthy') : s.bad('Unhealthy'),
    r.dns.answeredBy ?? s.dim('-'),
    r.dns.globalEntry ?? s.dim('-'),
    r.checkUrl ?? s.dim(r.error ?? '-'),
  ]);
  return (
    `${s.bold(`${report.service}/${report.stage}`)}: ${report.healthyRegions} of ${report.regions.length} region(s) healthy\n` +
    table(['REGION', 'STACK', 'HEALTHY', 'HTTP', 'LATENCY', 'ALARM', 'HEALTH CHECK', 'DNS→', 'ENTRY→', 'CHECK URL'], rows) +
    '\n'
  );
}
