import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

// `gameday history`: every journal.json under the report directory (one folder per run), oldest
// first, with the headline measurements and a trend of each game day's RTO against its own earlier
// runs (different game days fail different regions, so they are not compared with each other). A
// journal that cannot be read or is not a game-day journal is listed as unreadable, never fatal.

export const DEFAULT_GAMEDAY_DIR = join('.regionctl', 'gamedays');
/** The trend's median is over this many earlier runs of the same game day. */
export const TREND_WINDOW = 5;

// Only what history shows is checked; the rest of the journal may grow without breaking old runs.
const nullableNumber = z.number().nullable().optional();
const journalHead = z.object({
  version: z.number(),
  name: z.string(),
  status: z.string(),
  start: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'start is not a date'),
  duration: z.number().optional(),
  stage: z.string().optional(),
  target: z.string().optional(),
  measurements: z
    .object({
      rtoSeconds: nullableNumber,
      failbackSeconds: nullableNumber,
      rpoSeconds: nullableNumber,
      replicationLagP99Ms: nullableNumber,
      missingItems: nullableNumber,
    })
    .partial(),
});

export interface RtoTrend {
  /** This run's RTO minus the previous run's of the same game day (seconds); null if either is missing. */
  vsPreviousSeconds: number | null;
  /** This run's RTO minus the median of up to TREND_WINDOW earlier runs' RTOs. */
  vsMedianSeconds: number | null;
  /** How many earlier RTOs that median is of. */
  medianOf: number;
  medianSeconds: number | null;
}

export interface HistoryRun {
  /** The run's folder. */
  dir: string;
  journal: string;
  name: string;
  status: string;
  start: string;
  stage: string | null;
  target: string | null;
  durationSeconds: number | null;
  rtoSeconds: number | null;
  failbackSeconds: number | null;
  rpoSeconds: number | null;
  replicationLagP99Ms: number | null;
  missingItems: number | null;
  trend: RtoTrend;
}

export interface UnreadableRun {
  journal: string;
  reason: string;
}

export interface GamedayHistory {
  dir: string;
  runs: HistoryRun[];
  unreadable: UnreadableRun[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((a - b) * 1000) / 1000);

/** RTO trend of each run against the earlier runs of the same game day (runs sorted oldest first). */
export function withTrends(runs: Array<Omit<HistoryRun, 'trend'>>): HistoryRun[] {
  const seen = new Map<string, Array<number | null>>();
  return runs.map((run) => {
    const earlier = seen.get(run.name) ?? [];
    const window = earlier.filter((v): v is number => v !== null).slice(-TREND_WINDOW);
    const previous = earlier.length ? earlier[earlier.length - 1] : null;
    const med = median(window);
    seen.set(run.name, [...earlier, run.rtoSeconds]);
    return { ...run, trend: { vsPreviousSeconds: diff(run.rtoSeconds, previous), vsMedianSeconds: diff(run.rtoSeconds, med), medianOf: window.length, medianSeconds: med } };
  });
}

function problem(err: unknown): string {
  if (err instanceof z.ZodError) return `not a game-day journal: ${err.issues.map((i) => `${i.path.join('.') || '(top)'} ${i.message}`).join('; ')}`;
  if (err instanceof SyntaxError) return `not valid JSON: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
}

async function readRun(dir: string, journal: string): Promise<Omit<HistoryRun, 'trend'>> {
  const head = journalHead.parse(JSON.parse(await readFile(journal, 'utf8')));
  const m = head.measurements;
  return {
    dir,
    journal,
    name: head.name,
    status: head.status,
    start: head.start,
    stage: head.stage ?? null,
    target: head.target ?? null,
    durationSeconds: head.duration ?? null,
    rtoSeconds: m.rtoSeconds ?? null,
    failbackSeconds: m.failbackSeconds ?? null,
    rpoSeconds: m.rpoSeconds ?? null,
    replicationLagP99Ms: m.replicationLagP99Ms ?? null,
    missingItems: m.missingItems ?? null,
  };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The runs under `dir`: every `dir/<run>/journal.json`, and `dir/journal.json` itself when `dir`
 * is one run's report folder. A missing `dir` is an empty history.
 */
export async function readHistory(dir: string): Promise<GamedayHistory> {
  const candidates: Array<[string, string]> = [];
  if (await isFile(join(dir, 'journal.json'))) candidates.push([dir, join(dir, 'journal.json')]);
  let entries: string[] = [];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { dir, runs: [], unreadable: [{ journal: dir, reason: problem(err) }] };
  }
  for (const name of entries.sort()) {
    const journal = join(dir, name, 'journal.json');
    // A folder without a journal (a run killed before it wrote one) is reported too: it is a run
    // someone will look for.
    candidates.push([join(dir, name), journal]);
  }
  const runs: Array<Omit<HistoryRun, 'trend'>> = [];
  const unreadable: UnreadableRun[] = [];
  for (const [runDir, journal] of candidates) {
    try {
      runs.push(await readRun(runDir, journal));
    } catch (err) {
      unreadable.push({ journal, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no journal.json in this folder' : problem(err) });
    }
  }
  runs.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.dir.localeCompare(b.dir));
  return { dir, runs: withTrends(runs), unreadable };
}
