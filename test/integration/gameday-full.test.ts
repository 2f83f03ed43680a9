import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, type TestSuites } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommand } from '../../src/commands/deploy.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { localFaults } from '../../src/drill/local-faults.js';
import type { GamedayJournal } from '../../src/gameday/journal.js';
import { loadGameday } from '../../src/gameday/load.js';
import { formatLagP99 } from '../../src/gameday/report-format.js';
import { writeReports } from '../../src/gameday/reports.js';
import { summaryTable } from '../../src/gameday/summary.js';
import { chromiumMissing, laneLayout, launchChromium, type LaneLayout } from '../gameday/chromium.js';
import { steadyState } from '../drill/steady.js';
import { skipTestWithoutTool } from '../support/require-tool.js';
import { runGamedayYaml } from './gameday-runner.js';
import { startHarness, type Harness } from './harness.js';

// The must-show, on a real run: examples/gamedays/full.yml (each region fails over in
// turn, replication under a pause, a whole-region outage) on three in-process local regions with
// the demo stage (global table included), on the virtual clock. It passes, writes all four
// reports, junit.xml reads back with a JUnit reader, and report.html, opened in headless
// Chromium, draws the lanes of this run's own journal.

const EXAMPLE = new URL('../../examples/gamedays/full.yml', import.meta.url);
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

let h: Harness;
let journal: GamedayJournal;
let reportDir: string;
let wallMs: number;
const shots = mkdtempSync(join(tmpdir(), 'gd-full-shots-'));

beforeAll(async () => {
  h = await startHarness(undefined, { dns: true });
  // No regionctl.yml: the demo stage (three regions, a global table on a replication ring).
  unlinkSync(join(h.dir, 'regionctl.yml'));
  // The replica waits of the table's deploy run on the cloud clock.
  await deployCommand(h.context({}, {}, { clock: h.sleeper() }));
  await h.clock.advance(120_000);
  await steadyState(h);
  const t0 = Date.now();
  journal = await runGamedayYaml(h, readFileSync(EXAMPLE, 'utf8'), { file: 'full.yml' });
  wallMs = Date.now() - t0;
  reportDir = join(h.dir, 'reports-full');
  await writeReports(reportDir, journal);
}, 600_000);
afterAll(async () => {
  await h?.close();
  rmSync(shots, { recursive: true, force: true });
});

describe('the full example game day on three local regions', { timeout: 120_000 }, () => {
  it('passes: every step succeeded, every objective met, steady state before and after, nothing left behind', async () => {
    const loaded = await loadGameday(h.dir, 'full.yml');
    expect(journal.regions).toEqual(REGIONS);
    expect(journal.service).toBe('regionctl-demo');
    expect(journal.status, JSON.stringify({ run: journal.run.filter((r) => r.status !== 'succeeded'), objectives: journal.objectives }, null, 1)).toBe('passed');
    expect(journal.deviated).toBe(false);
    expect(journal.run.map((r) => [r.name, r.status])).toEqual(loaded.gameday.steps.map((s) => [s.name, 'succeeded']));
    expect(journal.objectives.map((o) => [o.name, o.met])).toEqual([
      ['failoverWithin', true],
      ['failbackWithin', true],
      ['replicationLagP99Below', true],
      ['maxMissingItems', true],
    ]);
    // The headline lag p99 is on the objective's basis; the paused pair's figure is given apart.
    const lag = journal.objectives.find((o) => o.name === 'replicationLagP99Below')!;
    expect(lag.measured).not.toBeNull();
    expect(journal.measurements.replicationLagP99Ms).toBe(lag.measured);
    expect(journal.measurements.replicationLagP99InclPausedMs).toBeGreaterThanOrEqual(lag.measured!);
    expect(summaryTable(journal)).toContain(`lag p99 ${formatLagP99(journal.measurements)},`);
    expect(journal.steady_states.before?.steady_state_met).toBe(true);
    expect(journal.steady_states.after?.steady_state_met).toBe(true);
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
    expect(await localFaults(h.cloud.url).get()).toEqual({ regionOutages: [], latencyMs: {} });
    console.info(`full example game day: ${journal.duration} s cloud time, ${(wallMs / 1000).toFixed(1)} s wall in-process`);
  });

  it('writes all four reports; junit.xml parses with a JUnit reader, one test case per objective and step', async () => {
    const xml = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
    expect(JSON.parse(readFileSync(join(reportDir, 'journal.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(journal)));
    expect(readFileSync(join(reportDir, 'report.md'), 'utf8')).toContain('**Verdict: PASSED**');
    expect(readFileSync(join(reportDir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const root = (await parse(xml)) as TestSuites;
    const suite = (name: string) => (root.testsuite ?? []).find((s) => s.name === `full: ${name}`)?.testcase ?? [];
    expect(suite('objectives').map((c) => c.name)).toEqual(journal.objectives.map((o) => `${o.name} ${o.goal}`));
    expect(suite('steps').map((c) => c.name)).toEqual(journal.run.map((r, i) => `${i + 1}. ${r.name}`));
    expect(suite('objectives')).toHaveLength(4);
    expect(suite('steps')).toHaveLength(11);
    const cases = (root.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    expect(cases.filter((c) => c.failure || c.error)).toEqual([]);
  });

  it('report.html in headless Chromium draws the lanes of this run: each region failed over, us-west-2 out, clients moved', async (ctx) => {
    skipTestWithoutTool(ctx, 'chromium', chromiumMissing());
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(5_000);
      const external: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) external.push(r.url());
      });
      await page.goto(pathToFileURL(join(reportDir, 'report.html')).href);
      const shot = await page.screenshot({ path: join(shots, 'full.png'), fullPage: true });
      expect(shot.subarray(1, 4).toString()).toBe('PNG');
      expect(readFileSync(join(shots, 'full.png')).equals(shot)).toBe(true);
      expect(await page.locator('#verdict').textContent()).toBe('PASSED');

      const lanes = await laneLayout(page);
      const lane = (name: string): LaneLayout => {
        const l = lanes.find((x) => x.lane === name);
        if (!l) throw new Error(`no lane ${name} in ${lanes.map((x) => x.lane).join(', ')}`);
        return l;
      };
      // The journal says which regions went unhealthy: every region (a failover each, and the outage of us-west-2).
      const failed = [...new Set(journal.timeline.regionHealth.filter((e) => !e.healthy).map((e) => e.region))].sort();
      expect(failed).toEqual([...REGIONS].sort());
      for (const region of REGIONS) {
        const l = lane(`region:${region}`);
        expect(l.width, region).toBeGreaterThan(500);
        expect(l.height, region).toBeGreaterThan(10);
        expect(l.states, region).toContain('unhealthy');
        expect(l.states[0], region).toBe('healthy');
        expect(l.states.at(-1), region).toBe('healthy');
      }
      // us-west-2 is unhealthy twice: its failover drill and its outage.
      expect(lane('region:us-west-2').states.filter((s) => s === 'unhealthy').length).toBeGreaterThanOrEqual(2);

      // Each failed region's clients: served at home, then elsewhere, then at home again.
      for (const region of failed) {
        const subnet = journal.timeline.routing.find((e) => e.label === `clients in ${region}`)?.subnet;
        expect(subnet, region).toBeDefined();
        const served = lane(`subnet:${subnet}`).regions;
        expect(served[0], region).toBe(region);
        expect(served.some((r) => r !== region), `${region}: ${served.join(', ')}`).toBe(true);
        expect(served.at(-1), region).toBe(region);
      }
      // The injected faults and the replication lag are drawn too.
      expect(await page.locator('[data-lane="faults"] .fault').count()).toBe(journal.timeline.faults.length);
      expect(journal.timeline.faults.map((f) => f.kind)).toEqual(expect.arrayContaining(['unhealthy', 'replication-pause', 'region-outage']));
      const lag = await page.locator('[data-lane="lag"] polyline').first().boundingBox();
      expect(lag?.width ?? 0).toBeGreaterThan(0);
      expect(external).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
