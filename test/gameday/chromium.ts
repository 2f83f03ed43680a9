import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's chromium driven by playwright-core (no browser download), for any test that renders a
// game-day report: this suite's fixtures and, after a real `gameday run`, the runner's own reports.

export const CHROMIUM = process.env.REGIONCTL_CHROMIUM ?? '/usr/bin/chromium';

/** Why chromium cannot run here, or undefined when it can (for skipWithoutTool). */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} does not exist (apt-get install chromium, or set REGIONCTL_CHROMIUM)`;
}

export function launchChromium(): Promise<Browser> {
  // Chromium refuses its sandbox as root (CI runs as root).
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

export interface LaneLayout {
  lane: string;
  width: number;
  height: number;
  /** data-state of every span (not marker) drawn in the lane with a non-zero box, in document order. */
  states: string[];
  /** data-region of every routing span drawn, in document order. */
  regions: string[];
}

/** Every timeline lane as the browser laid it out. */
export function laneLayout(page: Page): Promise<LaneLayout[]> {
  return page.$$eval('#timeline [data-lane]', (lanes) =>
    lanes.map((lane) => {
      const bg = (lane.querySelector('.lane-bg') ?? lane).getBoundingClientRect();
      const drawn = [...lane.querySelectorAll('.span[data-state]')].filter((s) => {
        const b = s.getBoundingClientRect();
        return b.width > 0 && b.height > 0;
      });
      return {
        lane: lane.getAttribute('data-lane') ?? '',
        width: bg.width,
        height: bg.height,
        states: drawn.map((s) => s.getAttribute('data-state') ?? ''),
        regions: drawn.flatMap((s) => (s.hasAttribute('data-region') ? [s.getAttribute('data-region') ?? ''] : [])),
      };
    }),
  );
}
