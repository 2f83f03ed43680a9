import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../e2e/regionctl.js';
import { SCRIPTS } from '../../bench/run.js';
import { stats } from '../../bench/lib.js';

// Every benchmark script runs (BENCH_QUICK=1: one short iteration, one region) and writes a
// well-formed result document. Nothing here depends on how fast anything is.

const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-smoke-'));
let run: ReturnType<typeof spawnSync>;

beforeAll(async () => {
  await ensureBuilt();
  run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'run.ts')], {
    cwd: root,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS_DIR: dir },
    encoding: 'utf8',
    timeout: 600_000,
  });
}, 620_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench scripts (BENCH_QUICK=1)', () => {
  it('all ran and the runner printed the table', () => {
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('| figure | measured | ratio | goal | pass |');
    expect(run.stdout).not.toContain('(not run)');
  });

  it.each(Object.entries(SCRIPTS).flatMap(([script, names]) => names.map((name) => [script, name])))('%s wrote %s.json with machine, runs, statistics, ratio, goal and verdict', (_script, name) => {
    const doc = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
    expect(doc).toMatchObject({ name, quick: true, figure: expect.any(String), measured: expect.any(String), unit: expect.any(String) });
    expect(doc.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(Number.isFinite(doc.ratio)).toBe(true);
    expect(Object.keys(doc.runs).length).toBeGreaterThan(0);
    for (const [variant, xs] of Object.entries(doc.runs as Record<string, number[]>)) {
      expect(xs.length, variant).toBeGreaterThan(0);
      expect(doc[variant], variant).toMatchObject({ min: expect.any(Number), median: expect.any(Number), max: expect.any(Number) });
      expect(doc[variant].min).toBeLessThanOrEqual(doc[variant].max);
    }
    if (doc.goal === null) expect(doc.pass).toBeNull();
    else {
      expect(doc.goal).toMatch(/^(<=|>=) \d+(\.\d+)?$/);
      expect(typeof doc.pass).toBe('boolean');
    }
  });

  it('wrote nothing else', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.values(SCRIPTS).flat().map((n) => `${n}.json`).sort());
  });
});

describe('bench statistics', () => {
  it('median of an even count is the mean of the middle two; min and max are the extremes', () => {
    expect(stats([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(stats([5, 1, 9])).toEqual({ min: 1, median: 5, max: 9 });
  });
});
