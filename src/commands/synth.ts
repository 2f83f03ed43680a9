import { relative } from 'node:path';
import { table } from '../io/table.js';
import type { CommandContext } from './context.js';

export async function synthCommand(ctx: CommandContext): Promise<void> {
  const config = await ctx.loadConfig();
  const { synth } = await import('../deploy/synth.js');
  const result = await synth({ config, cwd: ctx.cwd, io: ctx.io });
  // In deploy order: the once-per-stage stacks before the regions, the regions', then those after.
  const all = [...result.before, ...result.regions.flatMap((r) => r.stacks), ...result.after];
  const rows = all.map((s) => [s.region, s.stackName, relative(ctx.cwd, s.templatePath)]);
  const entry = ({ templateBody: _t, ...rest }: (typeof all)[number]) => rest;
  const lambdas = result.lambdas.map((l) => [l.name, l.sha256.slice(0, 12), `${l.size} bytes`, relative(ctx.cwd, l.zipPath)]);
  ctx.io.result(
    table(['REGION', 'STACK', 'TEMPLATE'], rows) + '\n\n' + table(['LAMBDA', 'SHA256', 'SIZE', 'ZIP'], lambdas) + '\n',
    {
      outDir: result.outDir,
      lambdas: result.lambdas,
      regions: result.regions.map((r) => ({ region: r.region, stacks: r.stacks.map(entry) })),
      before: result.before.map(entry),
      after: result.after.map(entry),
    },
  );
}
