import type { ActivityRecord, GamedayJournal, SteadyStateRecord } from './journal.js';
import {
  escapeMarkdown as md,
  formatDuration,
  formatInstant,
  formatLagP99,
  formatMeasured,
  objectiveVerdict,
  outputText,
  verdictReason,
  verdictWord,
} from './report-format.js';

// report.md: the same facts as report.html, for a pull request, a wiki page or a terminal pager.
// Everything that came from the game-day file or a probe is escaped (names are user input).

function mdTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

const STATUS_MARK: Record<string, string> = { succeeded: '✅ succeeded', failed: '❌ failed', skipped: '⏭ skipped', aborted: '⛔ aborted' };

function activityRows(list: ActivityRecord[]): string[][] {
  return list.map((a, i) => [
    String(i + 1),
    md(a.name),
    md(a.type),
    STATUS_MARK[a.status] ?? md(a.status),
    formatDuration(a.duration),
    md(formatInstant(a.start)),
    md(a.detail) + (a.error ? ` — **${md(a.error)}**` : ''),
  ]);
}

function steadyState(title: string, s: SteadyStateRecord | null): string[] {
  if (!s) return [`**${title}:** not checked`, ''];
  const head = `**${title}:** ${s.steady_state_met ? '✅ held' : '❌ did not hold'}`;
  if (s.probes.length === 0) return [head, ''];
  return [
    head,
    '',
    ...mdTable(
      ['Probe', 'Expectation met', 'Value', 'Detail'],
      s.probes.map((p) => [md(p.name), p.tolerance_met ? '✅ yes' : '❌ no', md(outputText(p.output)), md(p.detail) + (p.error ? ` — ${md(p.error)}` : '')]),
    ),
    '',
  ];
}

function measurementRows(j: GamedayJournal): string[][] {
  const m = j.measurements;
  const s = (v: number | null) => (v === null ? 'not measured' : formatDuration(v));
  return [
    ['RTO (failover)', s(m.rtoSeconds)],
    ['Failback', s(m.failbackSeconds)],
    ['RPO', s(m.rpoSeconds)],
    ['Replication lag p99', formatLagP99(m) ?? 'not measured'],
    ['Missing items', m.missingItems === null ? 'not measured' : String(m.missingItems)],
  ];
}

/** report.md for one journal. */
export function renderMarkdown(j: GamedayJournal): string {
  const lines: string[] = [];
  lines.push(`# Game day: ${md(j.name)}`, '');
  lines.push(`**Verdict: ${verdictWord(j.status)}**${verdictReason(j) ? ` — ${md(verdictReason(j))}` : ''}`, '');
  if (j.description) lines.push(md(j.description), '');
  lines.push(
    ...mdTable(
      ['Service', 'Stage', 'Target', 'Regions', 'Start (cloud time)', 'End', 'Duration', 'Wall time'],
      [[md(j.service), md(j.stage), md(j.target), md(j.regions.join(', ')), md(formatInstant(j.start)), md(formatInstant(j.end)), formatDuration(j.duration), formatDuration(j.wallSeconds)]],
    ),
    '',
  );
  lines.push(`Game-day file: \`${j.file.replace(/`/g, "'")}\` · regionctl ${md(j.regionctl)}`, '');

  if (j.stopped) {
    lines.push('## Stopped early', '', `**${md(j.stopped.condition)}** at ${md(formatInstant(j.stopped.at))}: ${md(j.stopped.reason)}`, '');
  }

  lines.push('## Objectives', '');
  if (j.objectives.length === 0) lines.push('No objectives were set.', '');
  else {
    lines.push(
      ...mdTable(
        ['Objective', 'Goal', 'Measured', 'Result', 'Detail'],
        j.objectives.map((o) => [md(o.name), md(o.goal), md(formatMeasured(o)), o.met ? '✅ met' : '❌ MISSED', md(objectiveVerdict(o))]),
      ),
      '',
    );
  }

  lines.push('## Measurements', '', ...mdTable(['Measure', 'Value'], measurementRows(j)), '');

  lines.push('## Steady state', '', ...steadyState('Before', j.steady_states.before), ...steadyState('After', j.steady_states.after));

  lines.push('## Steps', '');
  if (j.run.length === 0) lines.push('No step ran.', '');
  else lines.push(...mdTable(['#', 'Step', 'Type', 'Status', 'Duration', 'Start', 'Detail'], activityRows(j.run)), '');

  lines.push('## Rollbacks', '');
  if (j.rollbacks.length === 0) lines.push('No rollback ran.', '');
  else lines.push(...mdTable(['#', 'Rollback', 'Type', 'Status', 'Duration', 'Start', 'Detail'], activityRows(j.rollbacks)), '');

  const faults = j.timeline.faults;
  if (faults.length) {
    lines.push('## Injected faults', '');
    lines.push(
      ...mdTable(
        ['Fault', 'Where', 'From', 'Until', 'Detail'],
        faults.map((f) => [
          md(f.kind),
          md(f.region ?? (f.from && f.to ? `${f.from} → ${f.to}` : '')),
          md(formatInstant(f.start)),
          f.end === null ? '**still in place at the end**' : md(formatInstant(f.end)),
          md(f.detail),
        ]),
      ),
      '',
    );
  }
  lines.push('The timeline chart (region health, client routing, alarms, faults, replication lag) is in report.html beside this file.', '');
  return lines.join('\n');
}
