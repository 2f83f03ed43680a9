import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GamedayHistory } from '../../src/gameday/history.js';
import type { GamedayJournal } from '../../src/gameday/journal.js';
import { abortedRun, passedFailover } from '../gameday/journal-fixtures.js';
import { cleanEnv, describeExit, ensureBuilt, jsonOf, regionctl, type Exit } from './regionctl.js';

// `regionctl gameday history` as a user runs it (node bin/regionctl, the built dist/): journals
// written where `gameday run` keeps them (.regionctl/gamedays/<run>/journal.json) in a temp cwd,
// one of them corrupt, then the table, --json and --report-dir. Reads files only: no local cloud.

const cwd = mkdtempSync(join(tmpdir(), 'regionctl-e2e-gd-history-'));
const env = cleanEnv(cwd);
const run = (args: string[]): Promise<Exit> => regionctl(args, { cwd, env, timeoutMs: 60_000 });

function record(base: string, folder: string, journal: GamedayJournal | string): void {
  mkdirSync(join(cwd, base, folder), { recursive: true });
  writeFileSync(join(cwd, base, folder, 'journal.json'), typeof journal === 'string' ? journal : JSON.stringify(journal, null, 2));
}

function onDay(day: number, j: GamedayJournal, rto: number | null): GamedayJournal {
  return { ...j, start: `2026-11-${String(day).padStart(2, '0')}T09:00:00.000Z`, measurements: { ...j.measurements, rtoSeconds: rto } };
}

beforeAll(async () => {
  await ensureBuilt();
  const dir = join('.regionctl', 'gamedays');
  record(dir, '2026-11-01T09-00-00Z', onDay(1, passedFailover(), 100));
  record(dir, '2026-11-02T09-00-00Z', onDay(2, passedFailover(), 130));
  record(dir, '2026-11-03T09-00-00Z', onDay(3, { ...abortedRun(), name: 'regional failover' }, 252));
  record(dir, '2026-11-04T09-00-00Z', '{ truncated');
  record('elsewhere', 'only-run', onDay(5, passedFailover({ name: 'full game day' }), 61));
}, 180_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('regionctl gameday history', () => {
  it('lists past runs with verdict, RTO, RPO, lag p99 and the RTO trend; warns about the unreadable journal', async () => {
    const args = ['gameday', 'history'];
    const exit = await run(args);
    expect(exit.code, describeExit(args, exit)).toBe(0);
    const lines = exit.stdout.split('\n');
    expect(lines[0]).toMatch(/^DATE \(CLOUD TIME\) +GAME DAY +VERDICT +RTO +RPO +LAG P99 +RTO TREND +RUN$/);
    expect(lines[1]).toMatch(/^2026-11-01 09:00:00Z +regional failover +PASSED +1m40s +2s +1\.4s +first RTO +2026-11-01T09-00-00Z$/);
    expect(lines[2]).toMatch(/^2026-11-02 09:00:00Z +regional failover +PASSED +2m10s +2s +1\.4s +\+30s vs previous, \+30s vs median of 1 /);
    expect(lines[3]).toMatch(/^2026-11-03 09:00:00Z +regional failover +ABORTED +4m12s +- +- +\+2m02s vs previous, \+2m17s vs median of 2 /);
    expect(exit.stdout).toContain('3 runs under .regionctl/gamedays; 1 unreadable journal skipped');
    expect(exit.stderr).toMatch(/warning: skipped \.regionctl\/gamedays\/2026-11-04T09-00-00Z\/journal\.json: not valid JSON/);
  });

  it('--json prints one document with every run, its trend and the unreadable journals', async () => {
    const args = ['gameday', 'history', '--json'];
    const exit = await run(args);
    expect(exit.code, describeExit(args, exit)).toBe(0);
    const doc = jsonOf<GamedayHistory>(exit);
    expect(doc.dir).toBe(join(cwd, '.regionctl', 'gamedays'));
    expect(doc.runs.map((r) => [r.name, r.status, r.rtoSeconds, r.rpoSeconds, r.replicationLagP99Ms])).toEqual([
      ['regional failover', 'passed', 100, 2, 1400],
      ['regional failover', 'passed', 130, 2, 1400],
      ['regional failover', 'aborted', 252, null, null],
    ]);
    expect(doc.runs[2].trend).toEqual({ vsPreviousSeconds: 122, vsMedianSeconds: 137, medianOf: 2, medianSeconds: 115 });
    expect(doc.unreadable).toEqual([{ journal: join(cwd, '.regionctl', 'gamedays', '2026-11-04T09-00-00Z', 'journal.json'), reason: expect.stringMatching(/^not valid JSON/) }]);
  });

  it('--report-dir reads another folder; an empty one is no history, not an error', async () => {
    const other = await run(['gameday', 'history', '--report-dir', 'elsewhere']);
    expect(other.code, describeExit(['--report-dir', 'elsewhere'], other)).toBe(0);
    expect(other.stdout).toMatch(/full game day +PASSED +1m01s/);
    expect(other.stdout).toContain('1 run under elsewhere');

    const none = await run(['gameday', 'history', '--report-dir', 'no-such-folder']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('no game-day runs under no-such-folder');
  });

  it('a missing --report-dir value is a usage error', async () => {
    const exit = await run(['gameday', 'history', '--report-dir']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/argument missing/);
  });
});
