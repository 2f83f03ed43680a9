import { RegionctlError, ReportedFailure } from '../errors.js';
import { table } from '../io/table.js';
import { wallClock } from '../wait.js';
import type { AwsProvider } from '../aws/provider.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { SynthResult } from '../deploy/synth.js';
import type { KeptHeal } from '../replication/keep-healed.js';
import type { CommandContext } from './context.js';
import type { DeployOptions as DeployCommandOptions } from './options.js';
import { lockWaitMs, withStageLock } from './stage-lock.js';

export async function deployCommand(ctx: CommandContext, opts: DeployCommandOptions = {}): Promise<void> {
  const config = await ctx.loadConfig();
  const waitMs = lockWaitMs(opts.wait);
  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  // Under the stage lock from synth on: a second deploy would rewrite the build the first is
  // uploading, and race it on the same change sets.
  await withStageLock(ctx, config, aws, { command: 'deploy', waitMs }, () => deployLocked(ctx, config, aws, opts));
}

async function deployLocked(ctx: CommandContext, config: ResolvedConfig, aws: AwsProvider, opts: DeployCommandOptions): Promise<void> {
  const { synth } = await import('../deploy/synth.js');
  const { deploy } = await import('../deploy/deploy.js');
  const synthResult = await synth({ config, cwd: ctx.cwd, io: ctx.io });
  // The cheap preflight checks (credentials, regions enabled, hosted zone) before anything is created.
  const { preflight } = await import('../doctor/doctor.js');
  const failures = (await preflight({ config, aws, io: ctx.io })).filter((f) => f.status === 'fail');
  if (failures.length > 0) {
    const lines = failures.map((f) => `${f.region}: ${f.message}${f.fix ? ` — ${f.fix}` : ''}`);
    throw new RegionctlError('PreflightFailed', `preflight found ${failures.length} problem(s); nothing was deployed:\n  ${lines.join('\n  ')}`, 1, {
      hint: 'run `regionctl doctor` for the full check',
    });
  }
  const kept = await keepHeal(ctx, config, aws, synthResult);
  ctx.io.emit({ kind: 'info', message: `deploying ${config.service}/${config.stage} to ${config.regions.join(', ')}` });
  const started = Date.now();
  // Stacks are waited for on the wall clock (or the test's); the replicas on the cloud's own time.
  const cloud = ctx.clock ?? (config.table ? await (await import('../aws/cloud-clock.js')).cloudClock(aws.endpoint) : undefined);
  const report = await deploy({ config, synthResult, clients: aws, io: ctx.io, clock: ctx.clock ?? wallClock, ...(cloud ? { cloudClock: cloud } : {}), concurrency: opts.concurrency, removeReplicas: opts.removeReplicas, signal: ctx.signal });
  const s = ctx.io.style;
  const rows: string[][] = [];
  const globalRow = (g: (typeof report.global)[number]) => [
    g.region,
    g.stackName,
    g.error ? s.bad('FAILED') : g.skipped ? s.dim(`skipped: ${g.skipped}`) : g.outcome!.type === 'no-changes' ? s.dim('no changes') : s.ok(g.outcome!.type),
    g.error ?? (g.outcome ? `${g.outcome.seconds}s` : ''),
  ];
  for (const g of report.global.filter((x) => x.phase === 'before')) rows.push(globalRow(g));
  const rep = report.replicas;
  if (rep && !rep.ok) rows.push([config.primaryRegion, 'replicas', s.bad('FAILED'), rep.error.message]);
  if (rep?.ok) {
    const r = rep.value;
    const what = [r.added.length ? `added ${r.added.join(', ')}` : '', r.removed.length ? `removed ${r.removed.join(', ')}` : '', r.kept.length ? `kept ${r.kept.join(', ')}` : ''].filter(Boolean);
    rows.push([config.primaryRegion, `${r.table} replicas`, what.length ? s.ok(what.join('; ')) : s.dim('no changes'), `${r.seconds}s`]);
  }
  for (const r of report.results) {
    for (const stack of r.stacks) {
      rows.push([r.region, stack.stackName, stack.type === 'no-changes' ? s.dim('no changes') : s.ok(stack.type), `${stack.seconds}s`]);
    }
    if (!r.ok) rows.push([r.region, '', s.bad('FAILED'), r.error.message]);
  }
  for (const g of report.global.filter((x) => x.phase === 'after')) rows.push(globalRow(g));
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const failed = [...report.global.filter((g) => g.error).map((g) => `${g.stackName} (${g.region})`), ...(rep && !rep.ok ? ['replicas'] : []), ...report.results.filter((r) => !r.ok).map((r) => r.region)];
  const human =
    table(['REGION', 'STACK', 'RESULT', 'TIME'], rows) +
    '\n' +
    (kept ? s.warn(`${keepHealMessage(kept.leftOut)}\n`) : '') +
    (report.ok
      ? s.ok(`deployed ${config.service}/${config.stage} to ${report.results.length} region(s) in ${seconds}s`)
      : s.bad(`failed: ${failed.join(', ')}`)) +
    '\n';
  ctx.io.result(human, {
    service: config.service,
    stage: config.stage,
    ok: report.ok,
    seconds,
    global: report.global.map((g) => ({
      stackName: g.stackName,
      region: g.region,
      phase: g.phase,
      ...(g.outcome ? { result: g.outcome.type, seconds: g.outcome.seconds, outputs: g.outcome.outputs } : {}),
      ...(g.error ? { error: g.error } : {}),
      ...(g.skipped ? { skipped: g.skipped } : {}),
    })),
    ...(rep ? { replicas: rep.ok ? { ...rep.value } : { error: rep.error.message } } : {}),
    ...(kept ? { replicationHealKept: { leftOut: kept.leftOut } } : {}),
    regions: report.results.map((r) => ({
      region: r.region,
      ok: r.ok,
      stacks: r.stacks.map((st) => ({ stackName: st.stackName, result: st.type, seconds: st.seconds, outputs: st.outputs })),
      ...(r.ok ? { uploaded: r.value.uploaded } : { error: r.error.message }),
    })),
  });
  if (!report.ok) throw new ReportedFailure('DeployFailed', `deploy failed in ${failed.join(', ')}`);
}

const keepHealMessage = (leftOut: string[]) =>
  `replication: kept the healed chain around ${leftOut.join(', ')} (still unhealthy); run "regionctl replication heal" once ${leftOut.length === 1 ? 'it recovers' : 'they recover'}`;

// A heal chained around regions that are still unhealthy: deploy keeps that chain (the replication
// stacks' TargetRegions) rather than chaining back through them.
async function keepHeal(ctx: CommandContext, config: ResolvedConfig, aws: AwsProvider, synthResult: SynthResult): Promise<KeptHeal | undefined> {
  if (!config.replication) return undefined;
  const { healToKeep } = await import('../replication/keep-healed.js');
  const { planStage } = await import('../stage/plan.js');
  const kept = await healToKeep({
    config,
    plan: planStage(config),
    cfn: (r) => aws.cloudFormation(r),
    unhealthy: async () => {
      const { regionStatus } = await import('../observe/region-status.js');
      const { cloudClock } = await import('../aws/cloud-clock.js');
      const { dnsPort } = await cloudClock(aws.endpoint);
      const health = await regionStatus({ config, clients: aws, io: ctx.io, dnsPort });
      return health.regions.filter((r) => !r.healthy).map((r) => r.region);
    },
  });
  if (!kept) return undefined;
  for (const region of synthResult.regions)
    for (const stack of region.stacks) if (stack.kind === 'replication') stack.parameters.TargetRegions = (kept.targets[region.region] ?? []).join(',');
  ctx.io.emit({ kind: 'info', message: keepHealMessage(kept.leftOut) });
  return kept;
}
