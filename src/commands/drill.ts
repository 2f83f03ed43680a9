import { UsageError } from '../errors.js';
import { table } from '../io/table.js';
import { isKnownRegion } from '../regions.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';
import type { DrillOptions as DrillCommandOptions } from './options.js';
import { lockWaitMs, withStageLock } from './stage-lock.js';

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
  if (opts.action === 'replication') {
    const { replicationCommand } = await import('./drill-replication.js');
    await replicationCommand(ctx, config, opts);
    return;
  }
  const waitMs = lockWaitMs(opts.wait);
  const { Journal, drillsDir } = await import('../drill/journal.js');
  const journal = new Journal(drillsDir(ctx.cwd));
  const common = { service: config.service, stage: config.stage, journal, io: ctx.io, clock: wallClock, signal: ctx.signal };

  if (opts.action === 'simulate-unhealthy') {
    if (!opts.region) throw new UsageError('MissingRegion', 'drill simulate-unhealthy needs --region R');
    const region = opts.region;
    const { injectUnhealthy } = await import('../drill/unhealthy.js');
    const { guardInjection } = await import('../drill/guard.js');
    const { cloudClock } = await import('../aws/cloud-clock.js');
    const aws = await ctx.aws();
    await aws.verifyCredentials(region);
    const { dnsPort } = await cloudClock(aws.endpoint);
    const result = await withStageLock(ctx, config, aws, { command: `drill simulate-unhealthy --region ${region}`, waitMs }, (lock, target) =>
      injectUnhealthy({
        ...common,
        clients: aws,
        target,
        region,
        lock,
        guard: () => guardInjection({ config, clients: aws, journal, target, io: ctx.io, dnsPort, region, requireHealthy: false }),
      }),
    );
    ctx.io.result(
      `${region}: ${result.functionName} now answers 503 (UNHEALTHY=true${result.alreadyInjected ? ', already injected earlier' : ''})\n` +
        `undo with: regionctl drill restore --region ${region}${aws.endpoint ? ` --endpoint ${aws.endpoint}` : ''}\n`,
      { region, functionName: result.functionName, injected: true, alreadyInjected: result.alreadyInjected, journal: result.id },
    );
    return;
  }

  if (opts.action === 'restore') {
    if (!opts.region && !opts.all) throw new UsageError('MissingRegion', 'drill restore needs --region R or --all');
    const { restoreFaults } = await import('../drill/unhealthy.js');
    const { describePending } = await import('../drill/journal.js');
    const aws = await ctx.aws();
    await aws.verifyCredentials(config.primaryRegion);
    const { outcomes, others } = await withStageLock(ctx, config, aws, { command: `drill restore ${opts.region ? `--region ${opts.region}` : '--all'}`, waitMs }, async (_lock, target) => {
      const outcomes = await restoreFaults({ ...common, clients: aws, target, region: opts.region, adoptLegacy: true });
      // Records of other clouds, accounts or stages are never applied here: list them with the
      // command that restores each where it belongs.
      const others = journal
        .list()
        .filter(({ fault }) => !opts.region || fault.region === opts.region)
        .map((entry) => describePending(entry, { target, service: config.service, stage: config.stage }));
      return { outcomes, others };
    });
    for (const o of others) {
      ctx.io.emit({ kind: 'warn', region: o.region, message: `not restored here (applied to ${o.endpoint ?? 'AWS'}${o.account ? `, account ${o.account}` : ''}, stage ${o.service}/${o.stage}): ${o.restoreCommand}${o.note ? ` (${o.note})` : ''}` });
    }
    for (const path of journal.unreadable) ctx.io.emit({ kind: 'warn', message: `unreadable journal file left alone: ${path}` });
    const human =
      (outcomes.length === 0
        ? 'nothing to restore here: no injected faults are journaled for this endpoint and account\n'
        : table(['REGION', 'FUNCTION', 'UNHEALTHY NOW', 'NOTE'], outcomes.map((o) => [o.region, o.functionName, o.functionName.startsWith('localcloud-') ? '-' : (o.restoredTo ?? '(unset)'), o.note ?? ''])) + '\n') +
      (others.length === 0
        ? ''
        : `\n${others.length} fault(s) recorded against another endpoint, account or stage were left alone; restore each where it was applied:\n` +
          others.map((o) => `  ${o.restoreCommand}${o.note ? `   # ${o.note}` : ''}\n`).join(''));
    ctx.io.result(human, { restored: outcomes, notRestored: others });
    return;
  }

  const { failoverCommand } = await import('./drill-failover.js');
  await failoverCommand(ctx, config, journal, { ...opts, waitMs });
}
