import { ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';
import type { ReplicationOptions } from './options.js';
import { lockWaitMs, withStageLock } from './stage-lock.js';

/** `regionctl replication heal`: re-chain around unhealthy regions, restore the chain after recovery, backfill. */
export async function replicationCommand(ctx: CommandContext, opts: ReplicationOptions): Promise<void> {
  const config = await ctx.loadConfig();
  if (!config.replication) {
    throw new UsageError('NoReplication', `${config.service}/${config.stage} has no replication configured`, 2, {
      hint: 'add "replication:\\n  topology: ring" to regionctl.yml and deploy',
    });
  }
  if (config.replication.topology === 's3') {
    // S3 Cross-Region Replication is a full mesh of independent rules: nothing routes through another
    // region, so there is no chain to mend; what a down region missed is FAILED in its sources.
    throw new UsageError('NothingToHeal', 'topology s3 has no chain to heal: every bucket replicates to every other directly, so a down region only stops the links into it', 2, {
      hint: 'objects written while a region was down carry x-amz-replication-status FAILED; on AWS re-replicate them with S3 Batch Replication (the local cloud does not implement it)',
    });
  }
  const waitMs = lockWaitMs(opts.wait);
  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  const { planStage } = await import('../stage/plan.js');
  const { regionStatus } = await import('../observe/region-status.js');
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const { heal } = await import('../replication/heal.js');
  const plan = planStage(config);
  const { dnsPort } = await cloudClock(aws.endpoint);
  // The regions status calls unhealthy are the ones the chain must go around.
  const health = await regionStatus({ config, clients: aws, io: ctx.io, dnsPort });
  const unhealthy = health.regions.filter((r) => !r.healthy).map((r) => r.region);
  if (unhealthy.length > 0) ctx.io.emit({ kind: 'info', message: `unhealthy: ${unhealthy.join(', ')}; chaining around ${unhealthy.length === 1 ? 'it' : 'them'}` });
  const report = await withStageLock(ctx, config, aws, { command: 'replication heal', waitMs }, () =>
    heal({ config, plan, clients: aws, unhealthy, io: ctx.io, clock: wallClock, signal: ctx.signal }),
  );
  const s = ctx.io.style;
  const rows = report.rechained.map((r) => [r.region, r.from.join(', ') || '-', r.to.join(', ') || '-', r.ok ? s.ok('re-chained') : s.bad(`FAILED: ${r.error ?? ''}`)]);
  const human =
    `chain before: ${report.before.deployed ?? s.dim('unknown')}\n` +
    `chain now:    ${report.after.deployed ?? s.dim('unknown')}${report.after.rechained ? s.warn(' (healed: differs from the configured chain)') : ''}\n` +
    (rows.length ? table(['REGION', 'WAS', 'NOW', 'RESULT'], rows) + '\n' : s.dim('no replication stack needed changing\n')) +
    (report.backfill
      ? `backfill: ${report.backfill.keys} object(s) seen, ${report.backfill.missing} missing somewhere, ${report.backfill.seeded.length} copied (the chain carries them on)\n`
      : s.dim('backfill: skipped (fewer than two live regions, or re-chaining failed)\n')) +
    (report.leftOut.length ? s.warn(`left out: ${report.leftOut.join(', ')}; run "regionctl replication heal" again once ${report.leftOut.length === 1 ? 'it recovers' : 'they recover'}\n`) : '');
  ctx.io.result(human, { service: config.service, stage: config.stage, unhealthy, ...report });
  if (!report.ok) throw new ReportedFailure('HealFailed', `re-chaining failed in ${report.rechained.filter((r) => !r.ok).map((r) => r.region).join(', ')}`);
}
