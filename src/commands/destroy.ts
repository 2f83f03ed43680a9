import { ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';
import type { DestroyOptions as DestroyCommandOptions } from './options.js';
import { lockWaitMs, withStageLock } from './stage-lock.js';

export async function destroyCommand(ctx: CommandContext, opts: DestroyCommandOptions = {}): Promise<void> {
  const config = await ctx.loadConfig();
  const waitMs = lockWaitMs(opts.wait);
  const { destroy } = await import('../deploy/destroy.js');
  const { planStage } = await import('../stage/plan.js');
  const what = `${config.service}/${config.stage} in ${config.regions.join(', ')}`;
  if (!opts.yes) {
    if (!ctx.io.interactive) {
      throw new UsageError('ConfirmationRequired', `destroy deletes ${what} and cannot be undone; run it again with --yes to confirm`);
    }
    if (!(await ctx.io.confirm(`Delete ${what}? This cannot be undone.`))) {
      ctx.io.result('nothing deleted\n', { deleted: false, regions: [] });
      return;
    }
  }
  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  const plan = planStage(config, { everyKind: true });
  // Stacks are waited for on the wall clock (or the test's); the replicas on the cloud's own time.
  // (A table stack may be left from a config that had one: always the cloud's clock.)
  const cloud = ctx.clock ?? (await (await import('../aws/cloud-clock.js')).cloudClock(aws.endpoint));
  const report = await withStageLock(ctx, config, aws, { command: 'destroy', waitMs }, () =>
    destroy({ config, plan, clients: aws, io: ctx.io, clock: ctx.clock ?? wallClock, cloudClock: cloud, signal: ctx.signal }),
  );
  const rows = [...report.global.filter((g) => g.deleted || g.error).map((g) => [g.region, g.stackName, g.error ?? '']), ...report.results.map((r) =>
    r.ok
      ? [r.region, r.value.deleted.join(', ') || ctx.io.style.dim('nothing to delete'), r.value.keptToolkit ? `kept regionctl-toolkit: ${r.value.keptToolkit}` : '']
      : [r.region, ctx.io.style.bad('FAILED'), r.error.message],
  )];
  ctx.io.result(table(['REGION', 'DELETED', 'NOTE'], rows) + '\n', {
    deleted: true,
    ok: report.ok,
    global: report.global,
    regions: report.results.map((r) => (r.ok ? { region: r.region, ok: true, ...r.value } : { region: r.region, ok: false, error: r.error.message })),
  });
  if (!report.ok) {
    throw new ReportedFailure('DestroyFailed', `destroy failed in ${report.results.filter((r) => !r.ok).map((r) => r.region).join(', ')}; run destroy again to finish`);
  }
}
