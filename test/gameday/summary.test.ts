import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/io/style.js';
import { renderHtml } from '../../src/gameday/html.js';
import { renderMarkdown } from '../../src/gameday/markdown.js';
import { formatDuration, formatLagP99, formatMs } from '../../src/gameday/report-format.js';
import { summaryTable } from '../../src/gameday/summary.js';
import { abortedRun, passedFailover } from './journal-fixtures.js';

describe('summaryTable', () => {
  it('shows the verdict, objectives against measurements, steps with status and durations', () => {
    const out = summaryTable(passedFailover());
    expect(out).toMatch(/^game day: regional failover PASSED — all 4 objectives met, steady state held\n/);
    expect(out).toMatch(/failoverWithin +3m +1m35s +met/);
    expect(out).toMatch(/3 +wait for failover +assert +ok +2m18s/);
    expect(out).toMatch(/1 +clear faults +rollback +ok +5s/);
    expect(out).toContain('steady state: before held, after held');
    expect(out).toContain('measured: RTO 1m35s, failback 1m50s, RPO 2s, lag p99 1.4s, missing items 0');
  });

  it('says which objective missed and by how much, and why the run stopped', () => {
    const out = summaryTable(abortedRun());
    expect(out).toMatch(/ABORTED — stopped by minHealthyRegions/);
    expect(out).toMatch(/failoverWithin +3m +4m12s +MISSED +failover took 4m12s, 1m12s over 3m/);
    expect(out).toMatch(/stopped by minHealthyRegions at 2026-12-01 10:04:10Z/);
    expect(out).toMatch(/4 +wait for failover +assert +ABORTED/);
    expect(out).toMatch(/5 +replication under load +drill +skipped/);
    expect(out).toContain('after did not hold');
  });

  it('gives the lag p99 on the objective\'s basis, and the paused pair\'s figure beside it, in every report', () => {
    const base = passedFailover().measurements;
    const j = passedFailover({ measurements: { ...base, replicationLagP99Ms: 1000, replicationLagP99InclPausedMs: 26_000 } });
    expect(j.objectives.find((o) => o.name === 'replicationLagP99Below')).toBeDefined();
    expect(summaryTable(j)).toContain('lag p99 1s (26s incl. the paused pair), missing items 0');
    expect(renderMarkdown(j)).toContain('| Replication lag p99 | 1s (26s incl. the paused pair) |');
    expect(renderHtml(j)).toContain('<td class="num">1s (26s incl. the paused pair)</td>');
    // No paused pair, or the paused pair no worse: one figure.
    expect(formatLagP99({ replicationLagP99Ms: 1400 })).toBe('1.4s');
    expect(formatLagP99({ replicationLagP99Ms: 1400, replicationLagP99InclPausedMs: 1400 })).toBe('1.4s');
    expect(formatLagP99({ replicationLagP99Ms: null, replicationLagP99InclPausedMs: 3000 })).toBe('3s (the paused pair only)');
    expect(formatLagP99({ replicationLagP99Ms: null })).toBeNull();
  });

  it('colours with the io style it is given, plain by default', () => {
    expect(summaryTable(abortedRun())).not.toContain('\u001b[');
    expect(summaryTable(abortedRun(), createStyle(true))).toContain('\u001b[31mMISSED');
  });
});

describe('formatting', () => {
  it('writes durations and lag the way the reports print them', () => {
    expect([0, 2.5, 45, 60, 95, 252, 3725].map(formatDuration)).toEqual(['0s', '2.5s', '45s', '1m00s', '1m35s', '4m12s', '1h02m05s']);
    expect([850, 1400, 12_000].map(formatMs)).toEqual(['850ms', '1.4s', '12s']);
  });
});

describe('terminal safety', () => {
  it('never passes control characters from the game-day file to the terminal', () => {
    const j = abortedRun();
    j.name = 'evil\u001b[2J\u001b]0;title\u0007 name\nsecond line';
    j.run[0].name = 'step\u001b[31m red';
    const out = summaryTable(j);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(out).toContain('game day: evil\uFFFD[2J\uFFFD]0;title\uFFFD name second line ABORTED');
  });
});
