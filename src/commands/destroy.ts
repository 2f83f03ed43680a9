import { ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';

export interface DestroyCommandOptions {
  yes?: boolean;
}

export async function destroyCommand(ctx: CommandContext, opts: DestroyCommandOptions = {}): Promise<void> {
  const config = await ctx.loadConfig();
  const { destroy } = await import('../deploy/destroy.js');
  const { STACK_KINDS } = await import('../deploy/plan.js');
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
  const report = await destroy({ config, stackKinds: [...STACK_KINDS], clients: aws, io: ctx.io, clock: wallClock, signal: ctx.signal });
  const rows = report.results.map((r) =>
    r.ok
      ? [r.region, r.value.deleted.join(', ') || ctx.io.style.dim('nothing to delete'), r.value.keptToolkit ? `kept regionctl-toolkit: ${r.value.keptToolkit}` : '']
      : [r.region, ctx.io.style.bad('FAILED'), r.error.message],
  );
  ctx.io.result(table(['REGION', 'DELETED', 'NOTE'], rows) + '\n', {
    deleted: true,
    ok: report.ok,
    regions: report.results.map((r) => (r.ok ? { region: r.region, ok: true, ...r.value } : { region: r.region, ok: false, error: r.error.message })),
  });
  if (!report.ok) {
    throw new ReportedFailure('DestroyFailed', `destroy failed in ${report.results.filter((r) => !r.ok).map((r) => r.region).join(', ')}; run destroy again to finish`);
  }
}
