import path from 'node:path';
import { Interrupted, ReportedFailure, UsageError } from '../errors.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';
import type { GamedayOptions } from './options.js';
import { lockWaitMs, withStageLock } from './stage-lock.js';

/** Where a run's reports go by default: .regionctl/gamedays/<timestamp>/ (wall time, file-name safe). */
export function defaultReportDir(cwd: string, now = new Date()): string {
  return path.join(cwd, '.regionctl', 'gamedays', now.toISOString().replace(/[:.]/g, '-'));
}

export async function gamedayCommand(ctx: CommandContext, opts: GamedayOptions): Promise<void> {
  if (!opts.file) throw new UsageError('MissingFile', 'gameday run needs a game-day file, e.g. regionctl gameday run examples/gamedays/quick-failover.yml');
  const waitMs = lockWaitMs(opts.wait);
  // The whole file is validated before anything else happens (exit 2 with file:line on any problem).
  const { loadGameday, checkAgainstConfig } = await import('../gameday/load.js');
  const loaded = await loadGameday(ctx.cwd, opts.file);
  const { loadConfig } = await import('../config/load.js');
  const config = await loadConfig({ cwd: ctx.cwd, file: ctx.global.config, stage: ctx.global.stage, regions: ctx.global.regions ?? loaded.gameday.regions });
  checkAgainstConfig(loaded, config);
  const { planLines } = await import('../gameday/plan.js');
  const { runGameday } = await import('../gameday/run.js');

  if (opts.dryRun) {
    const lines = planLines(loaded, config);
    ctx.io.result(`${lines.join('\n')}\n(dry run: nothing was changed)\n`, { dryRun: true, name: loaded.gameday.name, file: loaded.display, service: config.service, stage: config.stage, regions: config.regions, gameday: loaded.gameday, plan: lines });
    return;
  }

  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const clock = await cloudClock(aws.endpoint);
  const local = aws.endpoint !== undefined && clock.kind === 'emulator';
  const needsLocal = [...loaded.gameday.steps, ...loaded.gameday.rollbacks.steps].find((s) => 'fault' in s || ('drill' in s && s.drill === 'replication' && s.duringPause));
  if (needsLocal && !local) {
    throw new UsageError('NeedsLocalCloud', `${loaded.display} injects local-cloud faults (${'fault' in needsLocal ? `fault: ${needsLocal.fault}` : 'a replication pause'}), which only the local cloud offers; nothing was changed`, 2, {
      hint: 'run it with --local (or --endpoint of a local cloud); on AWS use drills (simulate-unhealthy, failover) or AWS FIS',
    });
  }
  const { Journal, drillsDir } = await import('../drill/journal.js');
  const { localFaults } = await import('../drill/local-faults.js');
  const { packageVersion } = await import('../config/package-info.js');
  const { writeReports } = await import('../gameday/reports.js');
  const { summaryTable } = await import('../gameday/summary.js');
  const journalDir = new Journal(drillsDir(ctx.cwd));
  const reportDir = opts.reportDir ? path.resolve(ctx.cwd, opts.reportDir) : defaultReportDir(ctx.cwd);

  const journal = await withStageLock(ctx, config, aws, { command: `gameday run ${opts.file}`, waitMs }, async (lock, target) =>
    runGameday({
      loaded,
      config,
      clients: aws,
      journal: journalDir,
      target,
      lock,
      io: ctx.io,
      clock,
      ...(local ? { faults: localFaults(aws.endpoint!) } : {}),
      deploy: async (signal) => {
        const { synth } = await import('../deploy/synth.js');
        const { deploy } = await import('../deploy/deploy.js');
        const synthResult = await synth({ config, cwd: ctx.cwd, io: ctx.io });
        const report = await deploy({ config, synthResult, clients: aws, io: ctx.io, clock: wallClock, signal });
        const failed = [...report.global.filter((g) => g.error).map((g) => g.stackName), ...report.results.filter((r) => !r.ok).map((r) => r.region)];
        return { ok: report.ok, summary: report.ok ? `deployed to ${report.results.length} region(s)` : `deploy failed in ${failed.join(', ')}` };
      },
      signal: ctx.signal,
      regionctlVersion: packageVersion(),
      targetLabel: local ? 'local' : (aws.endpoint ?? `aws:${target.account}`),
    }),
  );
  const reports = await writeReports(reportDir, journal);
  ctx.io.result(`${summaryTable(journal, ctx.io.style)}reports: ${reports.map((r) => path.relative(ctx.cwd, r) || r).join(', ')}\n`, { ...journal, reportDir, reports });
  if (journal.status === 'interrupted') throw new Interrupted('Interrupted', 'game day interrupted; every fault it injected was restored');
  if (journal.status !== 'passed') {
    const missed = journal.objectives.filter((o) => !o.met).map((o) => `${o.name}: ${o.message}`);
    const why = journal.stopped ? `${journal.stopped.condition}: ${journal.stopped.reason}` : missed.length ? missed.join('; ') : journal.deviated ? 'the steady state did not hold after the run' : (journal.run.find((r) => r.status === 'failed')?.error ?? 'see the journal');
    throw new ReportedFailure('GamedayFailed', `game day ${journal.status}: ${why}`);
  }
}
