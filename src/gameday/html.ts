import type { ActivityRecord, GamedayJournal, SteadyStateRecord } from './journal.js';
import {
  escapeXml as x,
  formatDuration,
  formatInstant,
  formatLagP99,
  formatMeasured,
  objectiveVerdict,
  outputText,
  verdictReason,
  verdictWord,
} from './report-format.js';
import { renderTimelineSvg } from './timeline/svg.js';

// report.html: one self-contained page (inline CSS and SVG, no script, no font or image from the
// network; its Content-Security-Policy forbids them, so a report opened from a CI artefact cannot
// phone home). Every string from the journal goes through escapeXml: step and probe names come
// from the user's game-day file.

const CSS = `
:root { color-scheme: light; --ok: #1b5e20; --bad: #b71c1c; --warn: #e65100; --muted: #555; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #212121; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.verdict { display: inline-block; font-weight: 700; padding: 4px 12px; border-radius: 4px; border: 2px solid; letter-spacing: .05em; }
.verdict-passed { color: var(--ok); border-color: var(--ok); background: #e8f5e9; }
.verdict-failed, .verdict-deviated { color: var(--bad); border-color: var(--bad); background: #ffebee; }
.verdict-aborted, .verdict-interrupted { color: var(--warn); border-color: var(--warn); background: #fff3e0; }
.reason { margin: 8px 0 0; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: 4px 0 12px; }
th, td { text-align: left; padding: 5px 8px; border: 1px solid #e0e0e0; vertical-align: top; }
th { background: #f1f3f4; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ok { color: var(--ok); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; } .muted { color: var(--muted); }
.stopped { border-left: 4px solid var(--bad); background: #fff; padding: 8px 12px; }
figure { margin: 0; background: #fff; border: 1px solid #e0e0e0; padding: 8px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
svg.timeline { display: block; font: 11px system-ui, -apple-system, "DejaVu Sans", sans-serif; }
svg .lane-bg { fill: #f5f5f5; } svg .section { font-weight: 600; font-size: 12px; fill: #212121; }
svg .lane-label { fill: #212121; } svg .tick, svg .axis-title { fill: #555; }
code { font-size: 12px; word-break: break-all; }
`;

function row(cells: string[]): string {
  return `<tr>${cells.join('')}</tr>`;
}

function td(text: unknown, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${x(text)}</td>`;
}

function head(labels: string[]): string {
  return `<thead><tr>${labels.map((l) => `<th scope="col">${x(l)}</th>`).join('')}</tr></thead>`;
}

const STATUS: Record<string, [string, string]> = {
  succeeded: ['✓ succeeded', 'ok'],
  failed: ['✗ failed', 'bad'],
  skipped: ['– skipped', 'muted'],
  aborted: ['■ aborted', 'bad'],
};

function activityTable(id: string, list: ActivityRecord[], kind: 'step' | 'rollback'): string {
  if (list.length === 0) return `<p class="muted" id="${id}">No ${kind} ran.</p>`;
  const rows = list.map((a, i) => {
    const [word, cls] = STATUS[a.status] ?? [a.status, ''];
    return `<tr data-${kind}="${i + 1}" data-status="${x(a.status)}">${[
      td(i + 1, 'num'),
      td(a.name),
      td(a.type),
      `<td class="${cls}">${x(word)}</td>`,
      td(formatDuration(a.duration), 'num'),
      td(formatInstant(a.start)),
      `<td>${x(a.detail)}${a.error ? `<br><span class="bad">${x(a.error)}</span>` : ''}${a.line !== undefined ? ` <span class="muted">(line ${x(a.line)})</span>` : ''}</td>`,
    ].join('')}</tr>`;
  });
  return `<table id="${id}">${head(['#', kind === 'step' ? 'Step' : 'Rollback', 'Type', 'Status', 'Duration', 'Start (cloud time)', 'Detail'])}<tbody>${rows.join('')}</tbody></table>`;
}

function steadyState(id: string, title: string, s: SteadyStateRecord | null): string {
  if (!s) return `<h3>${x(title)}: <span class="muted">not checked</span></h3>`;
  const verdict = s.steady_state_met ? '<span class="ok">✓ held</span>' : '<span class="bad">✗ did not hold</span>';
  const rows = s.probes.map((p) =>
    row([td(p.name), `<td class="${p.tolerance_met ? 'ok' : 'bad'}">${p.tolerance_met ? '✓ yes' : '✗ no'}</td>`, `<td><code>${x(outputText(p.output))}</code></td>`, td(p.error ? `${p.detail} — ${p.error}` : p.detail)]),
  );
  return `<h3>${x(title)}: ${verdict}</h3>${rows.length ? `<table id="${id}">${head(['Probe', 'Expectation met', 'Value', 'Detail'])}<tbody>${rows.join('')}</tbody></table>` : ''}`;
}

function objectivesTable(j: GamedayJournal): string {
  if (j.objectives.length === 0) return '<p class="muted">No objectives were set.</p>';
  const rows = j.objectives.map(
    (o) =>
      `<tr data-objective="${x(o.name)}" data-met="${o.met}">${[
        td(o.name),
        td(o.goal, 'num'),
        td(formatMeasured(o), 'num'),
        `<td class="${o.met ? 'ok' : 'bad'}">${o.met ? '✓ met' : '✗ MISSED'}</td>`,
        td(objectiveVerdict(o)),
      ].join('')}</tr>`,
  );
  return `<table id="objectives">${head(['Objective', 'Goal', 'Measured', 'Result', 'Detail'])}<tbody>${rows.join('')}</tbody></table>`;
}

function measurementsTable(j: GamedayJournal): string {
  const m = j.measurements;
  const d = (v: number | null) => (v === null ? 'not measured' : formatDuration(v));
  const rows: Array<[string, string, string]> = [
    ['rto', 'RTO (failover)', d(m.rtoSeconds)],
    ['failback', 'Failback', d(m.failbackSeconds)],
    ['rpo', 'RPO', d(m.rpoSeconds)],
    ['lag-p99', 'Replication lag p99', formatLagP99(m) ?? 'not measured'],
    ['missing-items', 'Missing items', m.missingItems === null ? 'not measured' : String(m.missingItems)],
  ];
  return `<table id="measurements">${head(['Measure', 'Value'])}<tbody>${rows.map(([key, label, value]) => `<tr data-measure="${key}">${td(label)}${td(value, 'num')}</tr>`).join('')}</tbody></table>`;
}

/** report.html for one journal. */
export function renderHtml(j: GamedayJournal): string {
  const reason = verdictReason(j);
  const meta = `${j.service} / ${j.stage} on ${j.target} · regions ${j.regions.join(', ')} · ${formatInstant(j.start)} → ${formatInstant(j.end)} · ${formatDuration(j.duration)} cloud time, ${formatDuration(j.wallSeconds)} wall time`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="regionctl ${x(j.regionctl)}">
<title>${x(`${verdictWord(j.status)} — game day ${j.name}`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1 id="name">Game day: ${x(j.name)}</h1>
<p class="meta">${x(meta)}</p>
${j.description ? `<p id="description">${x(j.description)}</p>` : ''}
<p><span id="verdict" class="verdict verdict-${x(j.status)}" data-status="${x(j.status)}">${x(verdictWord(j.status))}</span></p>
${reason ? `<p class="reason" id="verdict-reason">${x(reason)}</p>` : ''}
</header>
${j.stopped ? `<section id="stopped" class="stopped"><strong>Stopped early by ${x(j.stopped.condition)}</strong> at ${x(formatInstant(j.stopped.at))}: ${x(j.stopped.reason)}</section>` : ''}
<section aria-labelledby="h-objectives"><h2 id="h-objectives">Objectives</h2>${objectivesTable(j)}</section>
<section aria-labelledby="h-measurements"><h2 id="h-measurements">Measurements</h2>${measurementsTable(j)}</section>
<section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
<figure>${renderTimelineSvg(j)}
<figcaption>Lanes share one time axis in cloud time. Hover a span or marker for its exact times. The same data is in journal.json beside this file.</figcaption></figure>
</section>
<section aria-labelledby="h-steady"><h2 id="h-steady">Steady state</h2>${steadyState('steady-before', 'Before', j.steady_states.before)}${steadyState('steady-after', 'After', j.steady_states.after)}</section>
<section aria-labelledby="h-steps"><h2 id="h-steps">Steps</h2>${activityTable('steps', j.run, 'step')}</section>
<section aria-labelledby="h-rollbacks"><h2 id="h-rollbacks">Rollbacks</h2>${activityTable('rollbacks', j.rollbacks, 'rollback')}</section>
<footer class="muted"><p>Game-day file <code>${x(j.file)}</code> · regionctl ${x(j.regionctl)} · journal version ${x(j.version)}</p></footer>
</main>
</body>
</html>
`;
}
