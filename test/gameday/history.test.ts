import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory, withTrends, type HistoryRun } from '../../src/gameday/history.js';
import type { GamedayJournal } from '../../src/gameday/journal.js';
import { abortedRun, passedFailover } from './journal-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'gd-history-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(dir: string, folder: string, journal: GamedayJournal | string): void {
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, folder, 'journal.json'), typeof journal === 'string' ? journal : JSON.stringify(journal));
}

/** A passed run starting `day` days after the fixture's, with the given RTO. */
function passedOn(day: number, rto: number | null, name = 'regional failover'): GamedayJournal {
  const j = passedFailover({ name });
  j.start = new Date(Date.parse(j.start) + day * 86_400_000).toISOString();
  j.measurements = { ...j.measurements, rtoSeconds: rto };
  return j;
}

describe('readHistory', () => {
  it('lists every run oldest first with its measurements, and reports unreadable journals without failing', async () => {
    const dir = join(root, 'gamedays');
    // Folder names sort differently from start times on purpose: history orders by the journal.
    run(dir, 'b', passedOn(2, 120));
    run(dir, 'a', passedOn(1, 100));
    run(dir, 'c', passedOn(3, 90));
    run(dir, 'd-other', passedOn(4, 600, 'full game day'));
    run(dir, 'e', { ...abortedRun(), start: passedOn(5, 0).start, name: 'regional failover' });
    run(dir, 'broken', '{"version": 1, "name": ');
    run(dir, 'not-a-journal', JSON.stringify({ hello: 'world' }));
    mkdirSync(join(dir, 'killed-before-writing'));
    writeFileSync(join(dir, 'stray-file.txt'), 'not a run');

    const h = await readHistory(dir);
    expect(h.runs.map((r) => [r.dir.slice(dir.length + 1), r.name, r.status, r.rtoSeconds])).toEqual([
      ['a', 'regional failover', 'passed', 100],
      ['b', 'regional failover', 'passed', 120],
      ['c', 'regional failover', 'passed', 90],
      ['d-other', 'full game day', 'passed', 600],
      ['e', 'regional failover', 'aborted', 252],
    ]);
    expect(h.runs[0]).toMatchObject({ rpoSeconds: 2, replicationLagP99Ms: 1400, failbackSeconds: 110, missingItems: 0, stage: 'dev', target: 'local' });
    expect(h.unreadable.map((u) => [u.journal.slice(dir.length + 1), u.reason.split(':')[0]])).toEqual([
      ['broken/journal.json', 'not valid JSON'],
      ['killed-before-writing/journal.json', 'no journal.json in this folder'],
      ['not-a-journal/journal.json', 'not a game-day journal'],
    ]);
    expect(h.unreadable[2].reason).toMatch(/version .*; name .*; status/);
  });

  it('compares each RTO with the previous run and the median of earlier runs of the same game day only', async () => {
    const h = await readHistory(join(root, 'gamedays'));
    const trend = (i: number) => h.runs[i].trend;
    expect(trend(0)).toEqual({ vsPreviousSeconds: null, vsMedianSeconds: null, medianOf: 0, medianSeconds: null });
    expect(trend(1)).toEqual({ vsPreviousSeconds: 20, vsMedianSeconds: 20, medianOf: 1, medianSeconds: 100 });
    expect(trend(2)).toEqual({ vsPreviousSeconds: -30, vsMedianSeconds: -20, medianOf: 2, medianSeconds: 110 });
    // The other game day is not compared with this one.
    expect(trend(3)).toEqual({ vsPreviousSeconds: null, vsMedianSeconds: null, medianOf: 0, medianSeconds: null });
    expect(trend(4)).toEqual({ vsPreviousSeconds: 162, vsMedianSeconds: 152, medianOf: 3, medianSeconds: 100 });
  });

  it('takes the median over the last five measured RTOs, skipping runs that measured none', () => {
    const base = { dir: '', journal: '', name: 'n', status: 'passed', start: '', stage: null, target: null, durationSeconds: null, failbackSeconds: null, rpoSeconds: null, replicationLagP99Ms: null, missingItems: null };
    const rtos = [500, 10, 20, null, 30, 40, 50, 60];
    const runs: HistoryRun[] = withTrends(rtos.map((rtoSeconds) => ({ ...base, rtoSeconds })));
    // Before the last: 10, 20, 30, 40, 50 (500 has left the window; null is not a measurement).
    expect(runs[7].trend).toEqual({ vsPreviousSeconds: 10, vsMedianSeconds: 30, medianOf: 5, medianSeconds: 30 });
    // After a run without RTO there is no "previous" to compare with.
    expect(runs[4].trend.vsPreviousSeconds).toBeNull();
    expect(runs[3].trend.vsMedianSeconds).toBeNull();
  });

  it('reads a single run folder given directly, and treats a missing folder as no history', async () => {
    const one = join(root, 'one-run');
    mkdirSync(one);
    writeFileSync(join(one, 'journal.json'), JSON.stringify(passedOn(0, 80)));
    const h = await readHistory(one);
    expect(h.runs.map((r) => r.rtoSeconds)).toEqual([80]);
    expect(h.unreadable).toEqual([]);
    expect(await readHistory(join(root, 'nothing-here'))).toEqual({ dir: join(root, 'nothing-here'), runs: [], unreadable: [] });
  });
});
