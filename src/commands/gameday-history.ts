import { isAbsolute, join, relative } from 'node:path';
import { table } from '../io/table.js';
import type { Style } from '../io/types.js';
import type { CommandContext } from './context.js';
import type { GamedayHistoryOptions } from './options.js';

// `regionctl gameday history [--report-dir D] [--json]`: past game-day runs and how each game
// day's RTO moves. Reads files only (no config, no AWS). Unreadable journals are listed and warned
// about but do not fail the command: history is for looking, and one bad file should not hide the rest.

/** "+12s", "-3s", "±0s" with colour: a longer RTO than before is worse. */
function delta(seconds: number | null, s: Style, fmt: (n: number) => string): string | null {
  if (seconds === null) return null;
  if (seconds === 0) return '±0s';
  const text = `${seconds > 0 ? '+' : '-'}${fmt(Math.abs(seconds))}`;
  return seconds > 0 ? s.bad(text) : s.ok(text);
}

export async function gamedayHistoryCommand(ctx: CommandContext, opts: GamedayHistoryOptions): Promise<void> {
  const { readHistory, DEFAULT_GAMEDAY_DIR } = await import('../gameday/history.js');
  const { formatDuration, formatInstant, formatMs, terminalText, verdictWord } = await import('../gameday/report-format.js');
  const given = opts.reportDir;
  const dir = given === undefined ? join(ctx.cwd, DEFAULT_GAMEDAY_DIR) : isAbsolute(given) ? given : join(ctx.cwd, given);
  const history = await readHistory(dir);
  const s = ctx.io.style;
  const shown = relative(ctx.cwd, dir) || '.';
  for (const u of history.unreadable) ctx.io.emit({ kind: 'warn', message: terminalText(`skipped ${relative(ctx.cwd, u.journal) || u.journal}: ${u.reason}`) });

  const d = (v: number | null) => (v === null ? s.dim('-') : formatDuration(v));
  const rows = history.runs.map((r) => {
    const word = terminalText(verdictWord(r.status));
    const verdict = r.status === 'passed' ? s.ok(word) : r.status === 'aborted' || r.status === 'interrupted' ? s.warn(word) : s.bad(word);
    const prev = delta(r.trend.vsPreviousSeconds, s, formatDuration);
    const med = delta(r.trend.vsMedianSeconds, s, formatDuration);
    const trend =
      r.rtoSeconds === null
        ? s.dim('no RTO')
        : r.trend.medianOf === 0 && r.trend.vsPreviousSeconds === null
          ? s.dim('first RTO')
          : [prev !== null ? `${prev} vs previous` : '', med !== null ? `${med} vs median of ${r.trend.medianOf}` : ''].filter(Boolean).join(', ');
    return [
      formatInstant(r.start),
      terminalText(r.name),
      verdict,
      d(r.rtoSeconds),
      d(r.rpoSeconds),
      r.replicationLagP99Ms === null ? s.dim('-') : formatMs(r.replicationLagP99Ms),
      trend,
      terminalText(relative(dir, r.dir) || '.'),
    ];
  });
  let human: string;
  if (history.runs.length === 0) {
    human = `no game-day runs under ${shown}${history.unreadable.length ? ` (${history.unreadable.length} unreadable)` : ''}; \`regionctl gameday run FILE\` records one there\n`;
  } else {
    human =
      table(['DATE (CLOUD TIME)', 'GAME DAY', 'VERDICT', 'RTO', 'RPO', 'LAG P99', 'RTO TREND', 'RUN'], rows) +
      `\n\n${history.runs.length} run${history.runs.length === 1 ? '' : 's'} under ${shown}` +
      (history.unreadable.length ? s.warn(`; ${history.unreadable.length} unreadable journal${history.unreadable.length === 1 ? '' : 's'} skipped (see the warnings above)`) : '') +
      '\n';
  }
  ctx.io.result(human, history);
}
