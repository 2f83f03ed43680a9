import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommand } from '../../src/commands/deploy.js';
import { gamedayCommand } from '../../src/commands/gameday.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { localFaults } from '../../src/drill/local-faults.js';
import { GAMEDAY_JOURNAL_VERSION, type GamedayJournal } from '../../src/gameday/journal.js';
import { writeReports } from '../../src/gameday/reports.js';
import { regionStatus } from '../../src/observe/region-status.js';
import { readWiring } from '../../src/stage/outputs.js';
import { planStage } from '../../src/stage/plan.js';
import { runGamedayYaml } from './gameday-runner.js';
import { startHarness, type Harness } from './harness.js';
import { steadyState } from '../drill/steady.js';

// Game days end to end on three in-process local regions and the virtual clock: every sleep of
// the runner (and of the drills it runs) advances the cloud's clock, so alarms, health checks and
// the canaries run as they would.
let h: Harness;

async function statusSnapshot() {
  const ctx = h.context();
  const report = await regionStatus({ config: await ctx.loadConfig(), clients: await ctx.aws(), io: ctx.io, dnsPort: h.cloud.dnsPort });
  return report.regions.map((r) => [r.region, r.healthy, r.alarmState, r.healthCheck, r.dns.answeredBy]);
}

const gameday = (yaml: string, opts: Parameters<typeof runGamedayYaml>[2] = {}) => runGamedayYaml(h, yaml, opts);

const QUICK = `
name: quick
objectives:
  failoverWithin: 5m
  failbackWithin: 5m
steadyState:
  - probe: all-regions-healthy
  - probe: dns
    client: us-east-1
    expect: us-east-1
stopConditions:
  minHealthyRegions: 1
  deadline: 1h
steps:
  - name: fail over us-east-1
    drill: failover
    region: us-east-1
  - name: back home
    assert:
      probe: dns
      client: us-east-1
      expect: us-east-1
rollbacks:
  steps:
    - drill: restore
`;

beforeAll(async () => {
  h = await startHarness(undefined, { dns: true });
  await deployCommand(h.context());
  await h.clock.advance(120_000);
  await steadyState(h);
});
afterAll(async () => h?.close());

describe('gameday run', { timeout: 240_000 }, () => {
  it('the quick game day passes, and its journal.json follows the contract', async () => {
    const journal = await gameday(QUICK);
    expect(journal.status, JSON.stringify(journal.run, null, 1)).toBe('passed');
    expect(journal.deviated).toBe(false);
    expect(journal.steady_states.before?.steady_state_met).toBe(true);
    expect(journal.steady_states.after?.steady_state_met).toBe(true);
    expect(journal.run.map((r) => [r.name, r.type, r.status, r.line])).toEqual([
      ['fail over us-east-1', 'drill', 'succeeded', 15],
      ['back home', 'assert', 'succeeded', 18],
    ]);
    expect(journal.objectives.map((o) => [o.name, o.met, o.unit])).toEqual([
      ['failoverWithin', true, 's'],
      ['failbackWithin', true, 's'],
    ]);
    expect(journal.measurements.rtoSeconds).toBe(journal.objectives[0]!.measured);
    expect(journal.measurements.rtoSeconds!).toBeGreaterThan(0);
    // The rollback step, then nothing left to restore (the drill restored its own fault).
    expect(journal.rollbacks.map((r) => [r.type, r.status])).toEqual([['drill', 'succeeded']]);
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);

    // The timeline: the injected fault with its start and end, us-east-1 unhealthy then healthy,
    // its clients served elsewhere and then by us-east-1 again.
    const t = journal.timeline;
    expect(t.faults).toEqual([expect.objectContaining({ kind: 'unhealthy', region: 'us-east-1', start: expect.any(String), end: expect.any(String) })]);
    expect(Date.parse(t.faults[0]!.end!)).toBeGreaterThan(Date.parse(t.faults[0]!.start));
    expect(t.regionHealth.filter((e) => e.region === 'us-east-1').map((e) => e.healthy)).toEqual([true, false, true]);
    const east = t.routing.filter((e) => e.label === 'clients in us-east-1').map((e) => e.region);
    expect(east[0]).toBe('us-east-1');
    expect(east).toContain('us-west-2');
    expect(east.at(-1)).toBe('us-east-1');
    expect(t.alarms.filter((a) => a.region === 'us-east-1').map((a) => a.state)).toContain('ALARM');
    expect(t.healthChecks.filter((c) => c.region === 'us-east-1').map((c) => c.healthy)).toEqual([true, false, true]);

    const dir = join(h.dir, 'reports-quick');
    const written = await writeReports(dir, journal);
    expect(written).toContain(join(dir, 'journal.json'));
    const onDisk = JSON.parse(readFileSync(join(dir, 'journal.json'), 'utf8')) as GamedayJournal;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(journal)));
    expect(onDisk.version).toBe(GAMEDAY_JOURNAL_VERSION);
    expect(Object.keys(onDisk).sort()).toEqual(
      ['version', 'regionctl', 'name', 'file', 'service', 'stage', 'regions', 'target', 'status', 'deviated', 'start', 'end', 'duration', 'wallSeconds', 'steady_states', 'run', 'rollbacks', 'objectives', 'measurements', 'timeline'].sort(),
    );
    for (const r of [...onDisk.run, ...onDisk.rollbacks, ...onDisk.steady_states.before!.probes]) {
      expect(Date.parse(r.end)).toBeGreaterThanOrEqual(Date.parse(r.start));
      expect(r.duration).toBeCloseTo((Date.parse(r.end) - Date.parse(r.start)) / 1000, 0);
    }
  });

  it('an objective that cannot be met fails the game day and says which, and by how much', async () => {
    const journal = await gameday(QUICK.replace('failoverWithin: 5m', 'failoverWithin: 1s'));
    expect(journal.status).toBe('failed');
    const missed = journal.objectives.filter((o) => !o.met);
    expect(missed.map((o) => o.name)).toEqual(['failoverWithin']);
    const o = missed[0]!;
    expect(o.measured!).toBeGreaterThan(1);
    expect(o.message).toBe(`failover took ${o.measured! >= 60 ? `${Math.floor(o.measured! / 60)}m${String(Math.round(o.measured! % 60)).padStart(2, '0')}s` : `${o.measured}s`}, ${o.measured! - 1 >= 60 ? `${Math.floor((o.measured! - 1) / 60)}m${String(Math.round((o.measured! - 1) % 60)).padStart(2, '0')}s` : `${Math.round((o.measured! - 1) * 10) / 10}s`} over 1s`);
    expect(journal.run.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('a stop condition breached mid-step aborts, runs the rollbacks, restores every fault, and the stage is back to its steady state', async () => {
    const before = await statusSnapshot();
    const config = await h.context().loadConfig();
    const alarm = (await readWiring(planStage(config), await h.context().aws(), 'us-west-2')).alarmName!;
    const journal = await gameday(`
name: breach
stopConditions:
  alarm: ${alarm}
  every: 10s
steps:
  - name: break us-west-2
    drill: simulate-unhealthy
    region: us-west-2
  - name: slow eu-west-1
    fault: latency
    region: eu-west-1
    ms: 5
  - name: wait for the alarm
    wait: 30m
  - name: never reached
    status: {}
rollbacks:
  strategy: deviated
  steps:
    - name: restore us-west-2
      drill: restore
      region: us-west-2
`);
    expect(journal.status).toBe('aborted');
    expect(journal.stopped).toMatchObject({ condition: 'alarm', reason: `${alarm} is in ALARM in us-west-2` });
    expect(journal.run.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'aborted', 'skipped']);
    // Aborted during the wait, long before its 30 minutes.
    expect(journal.run[2]!.duration).toBeLessThan(10 * 60);
    expect(journal.rollbacks.map((r) => [r.name, r.status])).toEqual([
      ['restore us-west-2', 'succeeded'],
      ['restore every journaled fault', 'succeeded'],
    ]);
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
    expect(await localFaults(h.cloud.url).get()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(journal.timeline.faults.map((f) => [f.kind, f.region, f.end !== null])).toEqual([
      ['unhealthy', 'us-west-2', true],
      ['latency', 'eu-west-1', true],
    ]);
    expect(journal.steady_states.after?.steady_state_met).toBe(true);
    await h.clock.advance(120_000);
    await steadyState(h); // a cold worker's first probe can time out on a loaded machine; the stage itself is back
    expect(await statusSnapshot()).toEqual(before);
  });

  it('SIGINT mid-run restores every fault and ends interrupted; the status is the steady state again', async () => {
    const before = await statusSnapshot();
    const controller = new AbortController();
    const run = gameday(`
name: interrupted
steps:
  - fault: region-outage
    region: eu-west-1
  - wait: 1h
`, { signal: controller.signal });
    // Interrupt once the outage is journaled and applied.
    for (let i = 0; i < 200 && !(await localFaults(h.cloud.url).get() as { regionOutages: string[] }).regionOutages.includes('eu-west-1'); i++) await new Promise((r) => setTimeout(r, 25));
    controller.abort();
    const journal = await run;
    expect(journal.status).toBe('interrupted');
    expect(journal.stopped?.condition).toBe('SIGINT');
    expect(journal.run.map((r) => r.status)).toEqual(['succeeded', 'aborted']);
    expect(await localFaults(h.cloud.url).get()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
    await h.clock.advance(120_000);
    await steadyState(h);
    expect(await statusSnapshot()).toEqual(before);
  });

  it('minHealthyRegions breached by a region outage aborts; the status and replication-pause steps ran, and every fault is lifted', async () => {
    const before = await statusSnapshot();
    const journal = await gameday(`
name: too-few
stopConditions:
  minHealthyRegions: 3
  every: 10s
steps:
  - name: read the status
    status: {}
  - name: pause us-east-1 to eu-west-1
    fault: replication-pause
    from: us-east-1
    to: eu-west-1
  - name: take eu-west-1 out
    fault: region-outage
    region: eu-west-1
  - name: wait for the stop
    wait: 30m
rollbacks:
  strategy: never
`);
    expect(journal.status).toBe('aborted');
    expect(journal.stopped).toMatchObject({ condition: 'minHealthyRegions', reason: '2 healthy region(s), fewer than 3 (eu-west-1 not healthy)' });
    expect(journal.run.map((r) => [r.type, r.status])).toEqual([
      ['status', 'succeeded'],
      ['fault', 'succeeded'],
      ['fault', 'succeeded'],
      ['wait', 'aborted'],
    ]);
    expect(journal.run[0]!.output).toMatchObject({ healthyRegions: 3 });
    expect(journal.run[1]!.output).toMatchObject({ fault: 'replication-pause', region: 'us-east-1', to: 'eu-west-1' });
    expect(journal.run[3]!.duration).toBeLessThan(5 * 60);
    expect(journal.timeline.faults.map((f) => [f.kind, f.region, f.end !== null])).toEqual([
      ['replication-pause', 'us-east-1', true],
      ['region-outage', 'eu-west-1', true],
    ]);
    // rollbacks: never, yet both faults are restored.
    expect(journal.rollbacks.map((r) => r.name)).toEqual(['restore every journaled fault']);
    expect(await localFaults(h.cloud.url).get()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
    await h.clock.advance(120_000);
    await steadyState(h);
    expect(await statusSnapshot()).toEqual(before);
  });

  it('rollbacks: deviated run only when the run did not pass; deploy, status, health-check and alarm probes as steps', async () => {
    const calm = (expectAlarm: string) => `
name: calm
steps:
  - deploy: {}
  - status: {}
  - assert:
      probe: health-check
      region: us-west-2
      expect: Healthy
  - assert:
      probe: alarm
      region: us-west-2
      expect: ${expectAlarm}
rollbacks:
  strategy: deviated
  steps:
    - name: look again
      status: {}
`;
    const passed = await gameday(calm('OK'));
    expect(passed.status, JSON.stringify(passed.run, null, 1)).toBe('passed');
    expect(passed.run.map((r) => [r.type, r.status])).toEqual([
      ['deploy', 'succeeded'],
      ['status', 'succeeded'],
      ['assert', 'succeeded'],
      ['assert', 'succeeded'],
    ]);
    expect(passed.run[0]!.output).toEqual({ summary: 'deployed' });
    expect(passed.rollbacks).toEqual([]);

    const failed = await gameday(calm('ALARM'));
    expect(failed.status).toBe('failed');
    expect(failed.run.at(-1)).toMatchObject({ status: 'failed', error: "assertion did not hold: us-west-2's alarm is OK (expected ALARM)" });
    expect(failed.rollbacks.map((r) => [r.name, r.status])).toEqual([['look again', 'succeeded']]);
  });

  it('a run whose steady state does not hold afterwards is deviated, and strategy deviated runs its rollbacks then', async () => {
    // Something the game day did not journal (an outage from elsewhere) starts once the steady state before was met.
    const journal = await gameday(
      `
name: drifts
steps:
  - wait: 1m
rollbacks:
  strategy: deviated
  steps:
    - name: look again
      status: {}
`,
      {
        onEvent: (e) => {
          if (e.kind === 'step' && e.label === 'steady state before: met') h.cloud.faults.replace({ regionOutages: ['eu-west-1'] });
        },
      },
    ).finally(() => h.cloud.faults.replace({}));
    expect(journal.status).toBe('deviated');
    expect(journal.deviated).toBe(true);
    expect(journal.steady_states.before?.steady_state_met).toBe(true);
    expect(journal.steady_states.after?.steady_state_met).toBe(false);
    expect(journal.steady_states.after?.probes[0]?.detail).toMatch(/^eu-west-1: /);
    expect(journal.run.map((r) => r.status)).toEqual(['succeeded']);
    expect(journal.rollbacks.map((r) => [r.name, r.status])).toEqual([['look again', 'succeeded']]);
    expect(Date.parse(journal.rollbacks[0]!.start)).toBeGreaterThanOrEqual(Date.parse(journal.steady_states.after!.probes[0]!.end));
    await h.clock.advance(120_000);
    await steadyState(h);
  });

  it('a step over its deadline fails the game day; the overall deadline aborts it; rollbacks: never still restores every fault', async () => {
    const slow = await gameday(`
name: slow-step
steps:
  - name: too slow
    wait: 10m
    deadline: 1m
  - status: {}
`);
    expect(slow.status).toBe('failed');
    expect(slow.run.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'took longer than its deadline of 1m'],
      ['skipped', 'step 1 failed'],
    ]);
    expect(slow.run[0]!.duration).toBeLessThan(2 * 60);

    const late = await gameday(`
name: late
stopConditions:
  deadline: 3m
  every: 10s
steps:
  - fault: latency
    region: us-west-2
    ms: 2
  - wait: 1h
rollbacks:
  strategy: never
  steps:
    - status: {}
`);
    expect(late.status).toBe('aborted');
    expect(late.stopped).toMatchObject({ condition: 'deadline', reason: 'the game day ran longer than its deadline of 3m' });
    expect(late.run.map((r) => r.status)).toEqual(['succeeded', 'aborted']);
    expect(late.rollbacks.map((r) => r.name)).toEqual(['restore every journaled fault']);
    expect(await localFaults(h.cloud.url).get()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
  });

  it('an invalid file is rejected before any change, with its line and reason', async () => {
    writeFileSync(join(h.dir, 'bad.yml'), 'name: bad\nsteps:\n  - fault: region-outage\n    region: us-west-2\n  - drill: failover\n    region: us-west-2\n    samples: 5\n');
    const ctx = h.context();
    await expect(gamedayCommand(ctx, { action: 'run', file: 'bad.yml' })).rejects.toMatchObject({
      code: 'InvalidGameday',
      exitCode: 2,
      message: 'bad.yml:5: steps[1].drill: samples, duringPause and hold belong to drill: replication',
    });
    writeFileSync(join(h.dir, 'elsewhere.yml'), 'name: elsewhere\nsteps:\n  - fault: region-outage\n    region: us-west-2\n  - fault: region-outage\n    region: ap-south-1\n');
    await expect(gamedayCommand(h.context(), { action: 'run', file: 'elsewhere.yml' })).rejects.toMatchObject({
      exitCode: 2,
      message: "elsewhere.yml:5: steps[1].region: ap-south-1 is not one of the game day's regions (us-east-1, us-west-2, eu-west-1)",
    });
    expect(await localFaults(h.cloud.url).get()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(new Journal(drillsDir(h.dir)).list()).toEqual([]);
    expect(existsSync(join(h.dir, '.regionctl', 'gamedays'))).toBe(false);
  });
});
