import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parse, type TestCase, type TestSuite, type TestSuites } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/gameday/html.js';
import type { GamedayJournal } from '../../src/gameday/journal.js';
import { renderJunit } from '../../src/gameday/junit.js';
import { renderMarkdown } from '../../src/gameday/markdown.js';
import { writeReports } from '../../src/gameday/reports.js';
import { abortedRun, activity, passedFailover, SCRIPT_NAME } from './journal-fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** junit.xml read the way CI plugins read it (xml2js in strict mode underneath). */
async function readJunit(xml: string): Promise<{ suites: TestSuite[]; cases: TestCase[]; root: TestSuites }> {
  expect(XMLValidator.validate(xml)).toBe(true);
  const root = (await parse(xml)) as TestSuites;
  const suites = root.testsuite ?? [];
  return { root, suites, cases: suites.flatMap((s) => s.testcase ?? []) };
}

describe('writeReports', () => {
  it('writes the four reports into a new folder and returns their paths', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gd-reports-')), 'nested', 'run-1');
    dirs.push(dir);
    const journal = passedFailover();
    const paths = await writeReports(dir, journal);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['journal.json', 'report.md', 'report.html', 'junit.xml']);
    expect(JSON.parse(readFileSync(join(dir, 'journal.json'), 'utf8'))).toEqual(journal);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('**Verdict: PASSED**');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    await readJunit(readFileSync(join(dir, 'junit.xml'), 'utf8'));
  });
});

describe('report.md', () => {
  it('gives the verdict, each objective against its measurement, steps, rollbacks and measurements', () => {
    const md = renderMarkdown(passedFailover());
    expect(md).toContain('**Verdict: PASSED** — all 4 objectives met, steady state held');
    expect(md).toContain('| failoverWithin | 3m | 1m35s | ✅ met | failover took 1m35s, within 3m |');
    expect(md).toContain('| replicationLagP99Below | 2s | 1.4s | ✅ met |');
    expect(md).toContain('| maxMissingItems | 0 | 0 items | ✅ met |');
    expect(md).toMatch(/\| 2 \| take us-west-2 down \| fault \| ✅ succeeded \| 2s \|/);
    expect(md).toMatch(/\| 1 \| clear faults \| rollback \| ✅ succeeded \| 5s \|/);
    expect(md).toContain('| RTO (failover) | 1m35s |');
    expect(md).toContain('**Before:** ✅ held');
    expect(md).toContain('| region-outage | us-west-2 | 2026-12-01 10:01:00Z | 2026-12-01 10:05:00Z |');
  });

  it('says which objective missed and by how much, why the run stopped, and what deviated', () => {
    const md = renderMarkdown(abortedRun());
    expect(md).toMatch(/\*\*Verdict: ABORTED\*\* — stopped by minHealthyRegions: only 1 healthy region/);
    expect(md).toContain('| failoverWithin | 3m | 4m12s | ❌ MISSED | failover took 4m12s, 1m12s over 3m |');
    expect(md).toContain('| failbackWithin | 5m | not measured | ❌ MISSED |');
    expect(md).toContain('## Stopped early');
    expect(md).toContain('**After:** ❌ did not hold');
    expect(md).toContain('**still in place at the end**');
    expect(md).toMatch(/restore dns \| rollback \| ❌ failed \| 30s .*restore timed out after 30s/);
  });

  it('escapes names from the game-day file: markup and table pipes stay text', () => {
    const j = abortedRun();
    j.run[0] = activity('a | b', 'status', 10, 20);
    const md = renderMarkdown(j);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<b>');
    expect(md).toContain('\\<script\\>alert\\("x"\\)\\</script\\> \\& "friends"');
    expect(md).toContain('| a \\| b |');
  });
});

describe('junit.xml', () => {
  it('has one testcase per objective, steady-state check, step and rollback, and no failure when all passed', async () => {
    const j = passedFailover();
    const { root, suites, cases } = await readJunit(renderJunit(j));
    expect(suites.map((s) => s.name)).toEqual(['regional failover: objectives', 'regional failover: steady state', 'regional failover: steps', 'regional failover: rollbacks']);
    expect(cases).toHaveLength(j.objectives.length + 2 + j.run.length + j.rollbacks.length);
    expect(root.tests).toBe(cases.length);
    expect(root.failures).toBe(0);
    expect(root.errors).toBe(0);
    expect(cases.filter((c) => c.failure || c.error || c.skipped)).toEqual([]);
    const step = cases.find((c) => c.name === '3. wait for failover')!;
    expect(step.classname).toBe('gameday.regional-failover.steps');
    expect(step.time).toBe(138);
  });

  it('fails the missed objectives and failed steps with their message; aborted is an error, skipped is skipped', async () => {
    const j = abortedRun();
    const { root, suites, cases } = await readJunit(renderJunit(j));
    // objectives, steady state, steps, rollbacks, and the stop condition that fired.
    expect(cases).toHaveLength(j.objectives.length + 2 + j.run.length + j.rollbacks.length + 1);
    const byName = (name: string) => cases.find((c) => c.name === name)!;
    expect(byName('failoverWithin 3m').failure?.[0].message).toBe('failover took 4m12s, 1m12s over 3m');
    expect(byName('failbackWithin 5m').failure?.[0].message).toMatch(/never measured/);
    expect(byName('maxMissingItems 0').failure).toBeUndefined();
    expect(byName('steady state before').failure).toBeUndefined();
    expect(byName('steady state after').failure?.[0].message).toBe('steady state after did not hold: all regions healthy');
    expect(byName('4. wait for failover').error?.[0].message).toBe('stopped: fewer than 2 healthy regions');
    expect(byName('5. replication under load').skipped?.[0].message).toBe('not run: the game day was stopped');
    expect(byName('2. restore dns').failure?.[0].message).toBe('restore timed out after 30s');
    expect(byName('stop condition minHealthyRegions').failure?.[0].message).toMatch(/only 1 healthy region/);
    // Names with markup come back exactly: escaped on the way in, unescaped by the reader.
    expect(byName(`2. ${SCRIPT_NAME}`)).toBeDefined();
    expect(suites[0].name).toBe('outage & <b>friends</b>: objectives');
    expect(root.failures).toBe(5);
    expect(root.errors).toBe(1);
  });

  it('stays well-formed when a name holds characters XML cannot carry', async () => {
    const j = passedFailover();
    j.run[0] = activity('bell\u0007 and \uD800 lone surrogate ]]> end', 'status', 10, 20, { status: 'failed', error: 'null \u0000 byte' });
    const { cases } = await readJunit(renderJunit(j));
    expect(cases.find((c) => c.name?.startsWith('1. bell'))?.name).toBe('1. bell\uFFFD and \uFFFD lone surrogate ]]> end');
  });
});

describe('report.html', () => {
  it('escapes every string from the journal: a step named <script> is text, not markup', () => {
    const html = renderHtml(abortedRun());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>friends');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;friends&quot;');
    expect(html).toContain('Game day: outage &amp; &lt;b&gt;friends&lt;/b&gt;');
  });

  it('escapes names inside SVG attributes too', () => {
    const j: GamedayJournal = passedFailover();
    j.timeline.routing.push({ at: j.timeline.routing[0].at, subnet: '"><script>x</script>', region: 'us-east-1' });
    const html = renderHtml(j);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('data-lane="subnet:&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });

  it('loads nothing from the network: no external URL, and a CSP that forbids it', () => {
    const html = renderHtml(passedFailover());
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/(?:src|href)\s*=\s*["'][^"']*/g) ?? []).toEqual([]);
    expect(html.match(/url\((?!#)/g) ?? []).toEqual([]);
    expect(html).not.toMatch(/@import|<link|<img/i);
  });

  it('draws one lane per region and per client subnet, the faults, alarms, checks, steps and lag', () => {
    const html = renderHtml(passedFailover());
    for (const r of ['us-east-1', 'us-west-2', 'eu-west-1']) expect(html).toContain(`data-lane="region:${r}"`);
    for (const s of ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24']) expect(html).toContain(`data-lane="subnet:${s}"`);
    expect(html.match(/data-marker="alarm"/g)).toHaveLength(2);
    expect(html.match(/data-marker="health-check"/g)).toHaveLength(2);
    expect(html.match(/data-fault-kind="region-outage"/g)).toHaveLength(1);
    expect(html.match(/class="step step-\w+" data-step="\d+"/g)).toHaveLength(7);
    expect(html.match(/<tr data-step="\d+"/g)).toHaveLength(6);
    expect(html.match(/data-series="us-east-1 → (eu|us)-west-[12]"/g)).toHaveLength(2);
    expect(html).toMatch(/<title id="timeline-title">Timeline of regional failover<\/title>/);
    expect(html).toMatch(/<desc id="timeline-desc">[^<]*us-west-2 unhealthy 10:01:02Z–10:05:30Z \(4m28s\)/);
  });
});
