import type { DoctorReport, Finding } from '../doctor/types.js';
import { ReportedFailure } from '../errors.js';
import { table } from '../io/table.js';
import type { Style } from '../io/types.js';
import type { CommandContext } from './context.js';

type DoctorCommandOptions = Record<string, never>;

// `regionctl doctor`: every finding on one line with its fix; exit 1 when any check failed (warnings pass).
export async function doctorCommand(ctx: CommandContext, _opts: DoctorCommandOptions = {}): Promise<DoctorReport> {
  const config = await ctx.loadConfig();
  const { runDoctor } = await import('../doctor/doctor.js');
  const report = await runDoctor({ config, clients: await ctx.aws(), io: ctx.io });
  ctx.io.result(renderDoctor(report, ctx.io.style), report);
  const failed = report.findings.filter((f) => f.status === 'fail').length;
  if (!report.ok) throw new ReportedFailure('DoctorFailed', `${failed} check(s) failed; fix them and run regionctl doctor again`);
  return report;
}

function renderDoctor(report: DoctorReport, s: Style): string {
  const mark = (f: Finding) => (f.status === 'pass' ? s.ok('ok') : f.status === 'warn' ? s.warn('warn') : s.bad('FAIL'));
  const rows = report.findings.map((f) => [f.region, f.check, mark(f), f.fix ? `${f.message} — ${f.fix}` : f.message]);
  const counts = (['fail', 'warn'] as const).map((status) => `${report.findings.filter((f) => f.status === status).length} ${status === 'fail' ? 'failed' : 'warning(s)'}`);
  const summary = report.ok ? s.ok(`ready to deploy (${counts[1]})`) : s.bad(`not ready: ${counts.join(', ')}`);
  return `${table(['REGION', 'CHECK', 'STATUS', 'FINDING'], rows)}\n${summary}\n`;
}
