import type { ActivityRecord, GamedayJournal, GamedayStatus, ObjectiveRecord } from './journal.js';

// What every report (markdown, HTML, JUnit, terminal, history) says the same way: durations,
// measured values, verdict words, and the escaping of text that came from the user's game-day file.

/** Seconds as people read them: 45s, 4m12s, 1h02m05s; fractions below a minute keep one decimal. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(seconds);
  if (abs < 60) return `${sign}${Number.isInteger(abs) ? abs : abs.toFixed(1).replace(/\.0$/, '')}s`;
  const total = Math.round(abs);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${sign}${h}h${String(m).padStart(2, '0')}m${ss}s` : `${sign}${m}m${ss}s`;
}

/** Milliseconds of lag: 850ms below a second, 2.3s above. */
export function formatMs(ms: number): string {
  return Math.abs(ms) < 1000 ? `${Math.round(ms)}ms` : formatDuration(Math.round(ms / 100) / 10);
}

/**
 * Replication lag p99 on the objective's basis (without the pair a drill paused on purpose), with
 * the paused pair's figure beside it when that is higher: "1s (26s incl. the paused pair)".
 */
export function formatLagP99(m: Pick<GamedayJournal['measurements'], 'replicationLagP99Ms' | 'replicationLagP99InclPausedMs'>): string | null {
  const all = m.replicationLagP99InclPausedMs ?? null;
  if (m.replicationLagP99Ms === null) return all === null ? null : `${formatMs(all)} (the paused pair only)`;
  const lag = formatMs(m.replicationLagP99Ms);
  return all !== null && all > m.replicationLagP99Ms ? `${lag} (${formatMs(all)} incl. the paused pair)` : lag;
}

/** An objective's measured value in its unit, or "not measured". */
export function formatMeasured(o: Pick<ObjectiveRecord, 'measured' | 'unit'>): string {
  if (o.measured === null) return 'not measured';
  switch (o.unit) {
    case 's':
      return formatDuration(o.measured);
    case 'ms':
      return formatMs(o.measured);
    case 'items':
      return `${o.measured} item${o.measured === 1 ? '' : 's'}`;
    default:
      // A unit a newer journal may use: the number as it is, with its unit.
      return `${o.measured} ${String(o.unit)}`;
  }
}

const VERDICT: Record<GamedayStatus, string> = { passed: 'PASSED', failed: 'FAILED', deviated: 'DEVIATED', aborted: 'ABORTED', interrupted: 'INTERRUPTED' };

/** Also takes a status from an older or newer journal that this version does not know. */
export function verdictWord(status: GamedayStatus | string): string {
  return (VERDICT as Record<string, string>)[status] ?? status.toUpperCase();
}

/** One sentence under the verdict: what decided it. */
export function verdictReason(j: GamedayJournal): string {
  const missed = j.objectives.filter((o) => !o.met);
  const failedSteps = j.run.filter((a) => a.status === 'failed');
  const parts: string[] = [];
  if (j.stopped) parts.push(`stopped by ${j.stopped.condition}: ${j.stopped.reason}`);
  if (missed.length) parts.push(`${missed.length} of ${j.objectives.length} objective${j.objectives.length === 1 ? '' : 's'} missed`);
  if (failedSteps.length) parts.push(`${failedSteps.length} step${failedSteps.length === 1 ? '' : 's'} failed`);
  const failedRollbacks = j.rollbacks.filter((a) => a.status === 'failed').length;
  if (failedRollbacks) parts.push(`${failedRollbacks} rollback${failedRollbacks === 1 ? '' : 's'} failed`);
  if (j.deviated) parts.push('steady state did not hold after the run');
  if (parts.length === 0) return j.status === 'passed' ? `all ${j.objectives.length} objective${j.objectives.length === 1 ? '' : 's'} met, steady state held` : '';
  return parts.join('; ');
}

/** "in 4m12s" for an objective that missed, from its own message when the runner wrote one. */
export function objectiveVerdict(o: ObjectiveRecord): string {
  if (o.met) return o.message || 'met';
  return o.message || (o.measured === null ? 'never measured' : `measured ${formatMeasured(o)}, goal ${o.goal}`);
}

export function activityDuration(a: Pick<ActivityRecord, 'duration'>): string {
  return formatDuration(a.duration);
}

/** A journal instant as "2026-12-01 18:06:02Z" (UTC, seconds); the raw text when it does not parse. */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

// XML 1.0 allows tab, newline and carriage return below U+0020 and nothing else; lone surrogates
// and U+FFFE/U+FFFF are not characters either. A step name or probe output holding one would make
// the whole junit.xml (or the SVG) unreadable, so it becomes U+FFFD.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for XML, SVG and HTML, in element content and in quoted attributes alike. */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text inside one Markdown table cell or line: every ASCII punctuation that CommonMark gives a
 * meaning (and raw HTML) is backslash-escaped, newlines become spaces, so a step named
 * "<script>" or "a | b" stays text.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

// Control characters (ESC above all) in a name from the game-day file would let it recolour or
// rewrite the user's terminal; they are shown as U+FFFD.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Text from the journal for the terminal: one line, no control characters. */
export function terminalText(value: unknown): string {
  return String(value).replace(/\r?\n|\r|\t/g, ' ').replace(CONTROL, '\uFFFD');
}

/** A probe's or step's output, compactly, for a table cell (long outputs cut). */
export function outputText(output: unknown, max = 160): string {
  if (output === undefined) return '';
  let text: string;
  try {
    text = typeof output === 'string' ? output : JSON.stringify(output);
  } catch {
    text = String(output);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
