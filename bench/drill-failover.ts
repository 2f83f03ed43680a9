// `regionctl drill failover` wall time at the local cloud's default time scale (60 virtual
// seconds per real second), 3 regions deployed, failing us-east-1. Also keeps the simulated
// (cloud-clock) phase times the drill reports next to its theoretical bound.
import { ALL_REGIONS, QUICK, regionctl, regionsN, runs, save, sleep, stats, withProject } from './lib.js';

// A failover needs somewhere to fail over to: two regions even in the smoke test.
const REGIONS = QUICK ? ALL_REGIONS.slice(0, 2) : regionsN(3);
const SCALE = 60; // DEFAULT_TIME_SCALE of src/local-cloud/daemon.ts, as `local start` uses it

await withProject(REGIONS, async ({ dir, daemon }) => {
  await regionctl(['deploy', ...daemon.flags(REGIONS), '--json'], dir);
  // Let the alarms settle to OK: two alarm periods of cloud time.
  await sleep(120_000 / SCALE);
  const wall: number[] = [];
  const failover: number[] = [];
  const failback: number[] = [];
  let bound = NaN;
  for (let i = 0; i < runs(3); i++) {
    const exit = await regionctl(['drill', 'failover', '--region', 'us-east-1', ...daemon.flags(REGIONS), '--json'], dir, { timeoutMs: 600_000, allowFailure: true });
    let doc: { result?: string; reason?: string; measured?: { failoverSeconds?: number; failbackSeconds?: number }; theoreticalBoundSeconds?: number };
    try {
      doc = JSON.parse(exit.stdout);
    } catch {
      throw new Error(`drill failover printed no JSON (exit ${exit.code}):\n${exit.stderr.slice(-3000)}`);
    }
    if (doc.result !== 'passed') throw new Error(`drill ${doc.result}: ${doc.reason}`);
    wall.push(exit.ms / 1000);
    failover.push(doc.measured?.failoverSeconds ?? NaN);
    failback.push(doc.measured?.failbackSeconds ?? NaN);
    bound = doc.theoreticalBoundSeconds ?? NaN;
    if (i + 1 < runs(3)) await sleep(120_000 / SCALE);
  }
  const w = stats(wall).median;
  save({
    name: 'drill-failover',
    figure: '`drill failover` wall time, default time scale (60×), 3 regions',
    unit: 's',
    runs: { wallSeconds: wall, simulatedFailoverSeconds: failover, simulatedFailbackSeconds: failback },
    ratio: w,
    goal: null,
    measured: `${w.toFixed(1)} s wall (simulated failover ${stats(failover).median} s, bound ${bound} s)`,
    extra: { timeScale: SCALE, theoreticalBoundSeconds: bound },
  });
});
