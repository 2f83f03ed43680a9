import type { GamedayJournal } from './journal.js';

// The terminal summary after a run. PLACEHOLDER: a few lines; the summary table replaces this body
// (helper gd-report).
export function summaryTable(journal: GamedayJournal): string {
  const lines = [`game day "${journal.name}": ${journal.status.toUpperCase()}${journal.stopped ? ` (${journal.stopped.condition}: ${journal.stopped.reason})` : ''}`];
  for (const r of journal.run) lines.push(`  ${r.status.padEnd(9)} ${r.name}${r.error ? ` — ${r.error}` : ''}`);
  for (const r of journal.rollbacks) lines.push(`  ${r.status.padEnd(9)} ${r.name}${r.error ? ` — ${r.error}` : ''}`);
  for (const o of journal.objectives) lines.push(`  ${o.met ? 'met' : 'MISSED'}  ${o.name} ${String(o.goal)}: ${o.message}`);
  if (journal.steady_states.after) lines.push(`  steady state after: ${journal.steady_states.after.steady_state_met ? 'met' : 'NOT met'}`);
  return `${lines.join('\n')}\n`;
}
