import { ReportedFailure } from '../errors.js';
import { table } from '../io/table.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';

export interface DeployCommandOptions {
  concurrency?: number;
}

export async function deployCommand(ctx: CommandContext, opts: DeployCommandOptions = {}): Promise<void> {
  const config = await ctx.loadConfig();
  const { synth } = await import('../deploy/synth.js');
  const { deploy } = await import('../deploy/deploy.js');
  const synthResult = await synth({ config, cwd: ctx.cwd, io: ctx.io });
  const aws = await ctx.aws();
  await aws.verifyCredentials(config.primaryRegion);
  ctx.io.emit({ kind: 'info', message: `deploying ${config.service}/${config.stage} to ${config.regions.join(', ')}` });
  const started = Date.now();
  const report = await deploy({ config, synthResult, clients: aws, io: ctx.io, clock: wallClock, concurrency: opts.concurrency, signal: ctx.signal });
  const s = ctx.io.style;
  const rows: string[][] = [];
  for (const r of report.results) {
    for (const stack of r.stacks) {
      rows.push([r.region, stack.stackName, stack.type === 'no-changes' ? s.dim('no changes') : s.ok(stack.type), `${stack.seconds}s`]);
    }
    if (!r.ok) rows.push([r.region, '', s.bad('FAILED'), r.error.message]);
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const failed = report.results.filter((r) => !r.ok).map((r) => r.region);
  const human =
    table(['REGION', 'STACK', 'RESULT', 'TIME'], rows) +
    '\n' +
    (report.ok
      ? s.ok(`deployed ${config.service}/${config.stage} to ${report.results.length} region(s) in ${seconds}s`)
      : s.bad(`${failed.length} of ${report.results.length} region(s) failed: ${failed.join(', ')}`)) +
    '\n';
  ctx.io.result(human, {
    service: config.service,
    stage: config.stage,
    ok: report.ok,
    seconds,
    regions: report.results.map((r) => ({
      region: r.region,
      ok: r.ok,
      stacks: r.stacks.map((st) => ({ stackName: st.stackName, result: st.type, seconds: st.seconds, outputs: st.outputs })),
      ...(r.ok ? { uploaded: r.value.uploaded } : { error: r.error.message }),
    })),
  });
  if (!report.ok) throw new ReportedFailure('DeployFailed', `deploy failed in ${failed.join(', ')}`);
}
