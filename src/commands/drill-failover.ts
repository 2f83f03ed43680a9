import type { ResolvedConfig } from '../config/schema.js';
import type { Journal } from '../drill/journal.js';
import { Interrupted, ReportedFailure, UsageError } from '../errors.js';
import { table } from '../io/table.js';
import type { CommandContext } from './context.js';
import { drillFailoverOptions, parseDuration, type DrillOptions as DrillCommandOptions } from './options.js';

export async function failoverCommand(ctx: CommandContext, config: ResolvedConfig, journal: Journal, opts: DrillCommandOptions & { waitMs: number }): Promise<void> {
  if (!opts.region) throw new UsageError('MissingRegion', 'drill failover needs --region R');
  const region = opts.region;
  const objectiveSeconds = parseDuration('--objective', opts.objective ?? drillFailoverOptions.objective.default);
  const deadlineSeconds = parseDuration('--deadline', opts.deadline ?? drillFailoverOptions.deadline.default);
  const aws = await ctx.aws();
  await aws.verifyCredentials(opts.region);
  const { cloudClock } = await import('../aws/cloud-clock.js');
  const { failoverDrill } = await import('../drill/failover.js');
  const clock = await cloudClock(aws.endpoint);
  ctx.io.emit({
    kind: 'info',
    message: `failover drill for ${opts.region}: objective ${objectiveSeconds}s, deadline ${deadlineSeconds}s${clock.kind === 'emulator' ? `, local cloud time scale ${clock.timeScale}×` : ''}`,
  });
  const { withStageLock } = await import('./stage-lock.js');
  const report = await withStageLock(ctx, config, aws, { command: `drill failover --region ${region}`, waitMs: opts.waitMs }, (lock, target) =>
    failoverDrill({ config, region, clients: aws, journal, target, lock, io: ctx.io, clock, objectiveSeconds, deadlineSeconds, signal: ctx.signal }),
  );
  const s = ctx.io.style;
  const rows = report.timeline.map((t) => [`+${t.elapsedSeconds}s`, t.phase, t.at, t.detail ?? '']);
  const m = report.measured;
  const fmt = (x: number | null) => (x === null ? s.dim('not reached') : `${x}s`);
  const verdict =
    report.result === 'passed' ? s.ok('PASSED') : report.result === 'aborted' ? s.warn('ABORTED') : s.bad('FAILED');
  const human =
    `${s.bold(`failover drill: ${report.region}`)} ${verdict}${report.reason ? ` — ${report.reason}` : ''}\n` +
    table(['ELAPSED', 'PHASE', 'CLOUD TIME', 'DETAIL'], rows) +
    '\n\n' +
    table(
      ['MEASURE', 'SECONDS'],
      [
        ['detect (injected → alarm)', fmt(m.detectSeconds)],
        ['failover (injected → clients moved)', fmt(m.failoverSeconds)],
        ['failback (restored → clients back)', fmt(m.failbackSeconds)],
        [`theoretical bound (${report.boundFormula})`, `${report.theoreticalBoundSeconds}s`],
        ['objective', `${report.objectiveSeconds}s`],
      ],
    ) +
    `\n\nclients near ${report.region} moved to: ${report.movedTo ?? 'nowhere'}; fault restored: ${report.restored ? 'yes' : s.bad('NO — run `regionctl drill restore --all`')}\n` +
    (clock.kind === 'emulator' ? `times are local cloud time at ${report.timeScale}× (wall time ${report.wallSeconds}s)\n` : `wall time ${report.wallSeconds}s\n`);
  ctx.io.result(human, report);
  if (report.result === 'aborted') throw new Interrupted('Interrupted', 'drill interrupted; the fault was restored');
  if (report.result !== 'passed') throw new ReportedFailure('DrillFailed', `failover drill ${report.result}: ${report.reason ?? ''}`);
}
