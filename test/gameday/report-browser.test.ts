import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/gameday/reports.js';
import { skipWithoutTool } from '../support/require-tool.js';
import { chromiumMissing, laneLayout, launchChromium } from './chromium.js';
import { abortedRun, passedFailover, SCRIPT_NAME } from './journal-fixtures.js';

// report.html as a person sees it: Debian's chromium (driven by playwright-core, no browser
// download) opens the file, takes a screenshot, and the lanes of the timeline are measured where
// the browser laid them out. .ci/run installs chromium; without it this suite fails in CI
// (REGIONCTL_REQUIRE_TOOLS) and skips, saying why, on a laptop.


interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

if (!skipWithoutTool('chromium', chromiumMissing())) {
  describe('report.html in headless Chromium', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-browser-'));
    let browser: Browser;
    let page: Page;
    const external: string[] = [];
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      await writeReports(join(dir, 'passed'), passedFailover());
      await writeReports(join(dir, 'aborted'), abortedRun());
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // A missing element fails in seconds, not after playwright's 30 s default.
      page.setDefaultTimeout(5_000);
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) external.push(r.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
    });
    afterAll(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const open = async (name: string) => {
      external.length = 0;
      consoleErrors.length = 0;
      await page.goto(pathToFileURL(join(dir, name, 'report.html')).href);
    };
    const box = async (selector: string): Promise<Box> => {
      const b = await page.locator(selector).first().boundingBox();
      if (!b) throw new Error(`${selector} is not laid out`);
      return b;
    };
    /** The fill the browser computed for each <rect> of the matching spans, in document order. */
    const fills = (selector: string): Promise<string[]> =>
      page.$$eval(selector, (els) => els.map((el) => getComputedStyle(el.querySelector('rect') ?? el).fill));

    it('draws every lane of a failover of us-west-2, and a screenshot of it', async () => {
      await open('passed');
      const shot = await page.screenshot({ path: join(dir, 'passed.png'), fullPage: true });
      const svgShot = await page.locator('#timeline').screenshot({ path: join(dir, 'timeline.png') });
      expect(shot.subarray(1, 4).toString()).toBe('PNG');
      expect(svgShot.length).toBeGreaterThan(10_000);
      expect(readFileSync(join(dir, 'timeline.png')).equals(svgShot)).toBe(true);

      const chart = await box('#timeline');
      expect(chart.width).toBeGreaterThan(800);
      for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
        const lane = await box(`[data-lane="region:${region}"] .lane-bg`);
        expect(lane.width, region).toBeGreaterThan(500);
        expect(lane.height, region).toBeGreaterThan(10);
      }

      // us-west-2's unhealthy span sits where its time says: 62 s to 330 s of a 600 s run.
      const west = await box('[data-lane="region:us-west-2"] .lane-bg');
      const bad = await box('[data-lane="region:us-west-2"] [data-state="unhealthy"] rect');
      expect(bad.width).toBeGreaterThan(0);
      expect((bad.x - west.x) / west.width).toBeCloseTo(62 / 600, 2);
      expect((bad.x + bad.width - west.x) / west.width).toBeCloseTo(330 / 600, 2);
      expect(await page.locator('[data-lane="region:us-east-1"] [data-state="unhealthy"]').count()).toBe(0);
      // Drawn on top, not hidden under another shape: the browser hits it at its centre.
      const hit = await page.evaluate(([cx, cy]) => document.elementFromPoint(cx, cy)?.closest('[data-state]')?.getAttribute('data-state'), [bad.x + bad.width / 2, bad.y + 3]);
      expect(hit).toBe('unhealthy');

      // The routing lane of us-west-2's clients changes colour: us-west-2, nobody, us-east-1, us-west-2.
      const served = await page.$$eval('[data-lane="subnet:10.2.0.0/24"] [data-state="served"]', (els) => els.map((e) => e.getAttribute('data-region')));
      expect(served).toEqual(['us-west-2', 'us-east-1', 'us-west-2']);
      const colours = await fills('[data-lane="subnet:10.2.0.0/24"] [data-state="served"]');
      expect(colours[0]).not.toBe(colours[1]);
      expect(colours[2]).toBe(colours[0]);
      expect(await fills('[data-lane="subnet:10.1.0.0/24"] [data-state="served"]')).toEqual([colours[1]]);
      expect(await page.locator('[data-legend="region:us-east-1"]').count()).toBe(1);

      // The same, lane by lane, as the browser laid them out.
      const lanes = await laneLayout(page);
      expect(lanes.map((l) => l.lane)).toEqual(
        expect.arrayContaining(['steps', 'rollbacks', 'region:us-east-1', 'region:us-west-2', 'region:eu-west-1', 'subnet:10.1.0.0/24', 'subnet:10.2.0.0/24', 'subnet:10.3.0.0/24', 'faults', 'lag', 'axis']),
      );
      const lane = (name: string) => lanes.find((l) => l.lane === name)!;
      expect(lane('region:us-west-2').states).toEqual(['healthy', 'unhealthy', 'healthy']);
      expect(lane('region:eu-west-1').states).toEqual(['healthy']);
      expect(lane('subnet:10.2.0.0/24').regions).toEqual(['us-west-2', 'us-east-1', 'us-west-2']);

      for (const sel of ['[data-marker="alarm"]', '[data-marker="health-check"]', '[data-lane="faults"] .fault rect', '[data-lane="lag"] polyline', '[data-lane="steps"] [data-step="3"] rect']) {
        expect((await box(sel)).width, sel).toBeGreaterThan(0);
      }
      expect(await page.locator('#verdict').textContent()).toBe('PASSED');
      expect(external).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });

    it('keeps a step named <script> as text and marks the stop, the missed objective and the open fault', async () => {
      await open('aborted');
      await page.screenshot({ path: join(dir, 'aborted.png'), fullPage: true });
      expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
      expect(await page.locator('#steps tr[data-step="2"] td:nth-child(2)').textContent()).toBe(SCRIPT_NAME);
      expect(await page.locator('#name').textContent()).toBe('Game day: outage & <b>friends</b>');
      expect(await page.locator('#verdict').textContent()).toBe('ABORTED');
      expect(await page.locator('#objectives tr[data-objective="failoverWithin"] td:nth-child(5)').textContent()).toBe('failover took 4m12s, 1m12s over 3m');
      expect((await box('[data-marker="stop"] line')).height).toBeGreaterThan(100);
      expect(await page.locator('[data-lane="faults"] [data-open="true"]').count()).toBe(1);
      expect((await box('[data-lane="region:eu-west-1"] [data-state="unhealthy"] rect')).width).toBeGreaterThan(0);
      expect(external).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  });
}
