import { UsageError } from '../errors.js';
import { table } from '../io/table.js';
import { isKnownRegion } from '../regions.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';

export interface DrillCommandOptions {
  action: 'simulate-unhealthy' | 'restore' | 'failover';
  region?: string;
  all?: boolean;
  objective?: string;
  deadline?: string;
}

export async function drillCommand(ctx: CommandContext, opts: DrillCommandOptions): Promise<void> {
  const config = await ctx.loadConfig();
  if (opts.region !== undefined && !config.regions.includes(opts.region)) {
    throw new UsageError(
      'UnknownRegion',
      `--region ${opts.region} is not one of the configured regions (${config.regions.join(', ')})`,
      2,
      { hint: isKnownRegion(opts.region) ? 'add it to regions in regionctl.yml or pass --regions' : 'use a region name such as us-east-1' },
    );
  }
  const { Journal, drillsDir } = await import('../drill/journal.js');
  const journal = new Journal(drillsDir(ctx.cwd));
  const common = { service: config.service, stage: config.stage, journal, io: ctx.io, clock: wallClock, signal: ctx.signal };

  if (opts.action === 'simulate-unhealthy') {
    if (!opts.region) throw new UsageError('MissingRegion', 'drill simulate-unhealthy needs --region R');
    const { injectUnhealthy } = await import('../drill/unhealthy.js');
    const aws = await ctx.aws();
    await aws.verifyCredentials(opts.region);
    const result = await injectUnhealthy({ ...common, clients: aws, region: opts.region });
    ctx.io.result(
      `${opts.region}: ${result.functionName} now answers 503 (UNHEALTHY=true${result.alreadyInjected ? ', already injected earlier' : ''})\n` +
        `undo with: regionctl drill restore --region ${opts.region}\n`,
      { region: opts.region, functionName: result.functionName, injected: true, alreadyInjected: result.alreadyInjected, journal: result.id },
    );
    return;
  }

  if (opts.action === 'restore') {
    if (!opts.region && !opts.all) throw new UsageError('MissingRegion', 'drill restore needs --region R or --all');
    const { restoreFaults } = await import('../drill/unhealthy.js');
    const pending = journal.list().filter(({ fault }) => fault.service === config.service && fault.stage === config.stage);
    const aws = await ctx.aws();
    const mismatched = pending.find(({ fault }) => (fault.endpoint ?? undefined) !== (aws.endpoint ?? undefined));
    if (mismatched) {
      throw new UsageError('EndpointMismatch', `the fault ${mismatched.id} was injected through ${mismatched.fault.endpoint ?? 'AWS'}, not ${aws.endpoint ?? 'AWS'}`, 2, {
        hint: mismatched.fault.endpoint ? `run restore with --endpoint ${mismatched.fault.endpoint} (or --local)` : 'run restore without --endpoint/--local',
      });
    }
    const outcomes = await restoreFaults({ ...common, clients: aws, region: opts.region });
    const human =
      outcomes.length === 0
        ? 'nothing to restore: no injected faults are journaled\n'
        : table(['REGION', 'FUNCTION', 'UNHEALTHY NOW', 'NOTE'], outcomes.map((o) => [o.region, o.functionName, o.restoredTo ?? '(unset)', o.note ?? ''])) + '\n';
    ctx.io.result(human, { restored: outcomes });
    return;
  }

  const { failoverCommand } = await import('./drill-failover.js');
  await failoverCommand(ctx, config, journal, opts);
}
