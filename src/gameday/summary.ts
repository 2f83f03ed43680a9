import { plainStyle } from '../io/style.js';
import { table } from '../io/table.js';
import type { Style } from '../io/types.js';
import type { ActivityRecord, GamedayJournal } from './journal.js';
import { formatDuration, formatInstant, formatLagP99, formatMeasured, objectiveVerdict, terminalText as t, verdictReason, verdictWord } from './report-format.js';

// The terminal summary after `gameday run`: verdict, objectives against what was measured, steps and
// rollbacks with status and durations, and where the reports are. Plain by default; the command
// passes its io's style for colour.

function statusCell(a: ActivityRecord, s: Style): string {
  switch (a.status) {
    case 'succeeded':
      return s.ok('ok');
    case 'failed':
      return s.bad('FAILED');
    case 'aborted':
      return s.bad('ABORTED');
    case 'skipped':
      return s.dim('skipped');
    default:
      return String(a.status);
  }
}

function activities(title: string, list: ActivityRecord[], s: Style): string {
  if (list.length === 0) return '';
  const rows = list.map((a, i) => [String(i + 1), t(a.name), t(a.type), statusCell(a, s), formatDuration(a.duration), a.error ? `${t(a.detail)} — ${s.bad(t(a.error))}` : t(a.detail)]);
  return `\n${table(['#', title, 'TYPE', 'STATUS', 'TOOK', 'DETAIL'], rows)}\n`;
}

/** The summary table printed after a run. */
export function summaryTable(journal: GamedayJournal, style: Style = plainStyle): string {
  const s = style;
  const j = journal;
  const word = verdictWord(j.status);
  const verdict = j.status === 'passed' ? s.ok(word) : j.status === 'aborted' || j.status === 'interrupted' ? s.warn(word) : s.bad(word);
  const reason = verdictReason(j);
  let out = `${s.bold(`game day: ${t(j.name)}`)} ${verdict}${reason ? ` — ${t(reason)}` : ''}\n`;
  out += s.dim(`${t(j.service)}/${t(j.stage)} on ${t(j.target)}, ${t(j.regions.join(', '))}; ${formatInstant(j.start)}, ${formatDuration(j.duration)} cloud time, ${formatDuration(j.wallSeconds)} wall time`) + '\n';
  if (j.stopped) out += `${s.bad('stopped')} by ${t(j.stopped.condition)} at ${formatInstant(j.stopped.at)}: ${t(j.stopped.reason)}\n`;
  if (j.objectives.length) {
    const rows = j.objectives.map((o) => [t(o.name), t(o.goal), formatMeasured(o), o.met ? s.ok('met') : s.bad('MISSED'), o.met ? '' : t(objectiveVerdict(o))]);
    out += `\n${table(['OBJECTIVE', 'GOAL', 'MEASURED', 'RESULT', 'BY HOW MUCH'], rows)}\n`;
  } else out += s.dim('\nno objectives set\n');
  const before = j.steady_states.before;
  const after = j.steady_states.after;
  const held = (r: typeof before) => (r === null ? s.dim('not checked') : r.steady_state_met ? s.ok('held') : s.bad('did not hold'));
  out += `\nsteady state: before ${held(before)}, after ${held(after)}\n`;
  out += activities('STEP', j.run, s);
  out += activities('ROLLBACK', j.rollbacks, s);
  const m = j.measurements;
  const lag = formatLagP99(m);
  const parts = [
    m.rtoSeconds !== null ? `RTO ${formatDuration(m.rtoSeconds)}` : '',
    m.failbackSeconds !== null ? `failback ${formatDuration(m.failbackSeconds)}` : '',
    m.rpoSeconds !== null ? `RPO ${formatDuration(m.rpoSeconds)}` : '',
    lag !== null ? `lag p99 ${lag}` : '',
    m.missingItems !== null ? `missing items ${m.missingItems}` : '',
  ].filter(Boolean);
  if (parts.length) out += `\nmeasured: ${parts.join(', ')}\n`;
  return out;
}
