// `regionctl gameday run examples/gamedays/full.yml` end to end on three local regions at the local
// cloud's default time scale (60 virtual seconds per real second): steady state, three failover
// drills, a replication drill under a pause, a whole-region outage, rollbacks, steady state again.
// Figure: wall seconds of the run (the deploy before it is not counted). Goal: under 60 s on 2 cores.
// BENCH_QUICK=1 runs the quick example on two regions instead.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUICK, regionctl, root, round, save, sleep, withProject } from './lib.js';

const REGIONS = QUICK ? ['us-east-1', 'us-west-2'] : ['us-east-1', 'us-west-2', 'eu-west-1'];
const FILE = join(root, 'examples', 'gamedays', QUICK ? 'quick-failover.yml' : 'full.yml');
const SCALE = 60;

interface JournalDoc {
  status: string;
  duration: number;
  wallSeconds: number;
  steady_states: { before: { steady_state_met: boolean; probes: Array<{ detail: string; tolerance_met: boolean }> } | null };
  run: Array<{ name: string; status: string; wallSeconds: number; duration: number; error?: string }>;
  measurements: Record<string, number | null>;
  objectives: Array<{ name: string; met: boolean; message: string }>;
}

await withProject(REGIONS, async ({ dir, daemon }) => {
  appendFileSync(join(dir, 'regionctl.yml'), 'table: {}\n');
  await regionctl(['deploy', '--json', ...daemon.flags(REGIONS)], dir, { timeoutMs: 600_000 });
  // Let the alarms settle to OK (two alarm periods of cloud time) and every region answer.
  await sleep(120_000 / SCALE);
  for (let i = 0; i < 60; i++) {
    const status = await regionctl(['status', '--json', ...daemon.flags(REGIONS)], dir, { allowFailure: true });
    if ((JSON.parse(status.stdout) as { healthyRegions?: number }).healthyRegions === REGIONS.length) break;
    await sleep(1000);
  }
  const t0 = performance.now();
  const exit = await regionctl(['gameday', 'run', FILE, '--report-dir', join(dir, 'report'), '--json', ...daemon.flags(REGIONS)], dir, { timeoutMs: 1_200_000, allowFailure: true });
  const seconds = round((performance.now() - t0) / 1000, 1);
  let doc: JournalDoc;
  try {
    doc = JSON.parse(exit.stdout) as JournalDoc;
  } catch {
    throw new Error(`gameday run printed no JSON (exit ${exit.code}):\n${exit.stderr.slice(-3000)}`);
  }
  if (doc.status !== 'passed') {
    throw new Error(`game day ${doc.status}: ${JSON.stringify({ before: doc.steady_states.before?.probes.filter((p) => !p.tolerance_met), run: doc.run.filter((r) => r.status !== 'succeeded'), objectives: doc.objectives.filter((o) => !o.met) })}`);
  }
  save({
    name: 'gameday',
    figure: `\`gameday run\` ${QUICK ? 'quick-failover' : 'full'} example, wall time end to end, default time scale (60×), ${REGIONS.length} regions`,
    unit: 's',
    runs: { wallSeconds: [seconds] },
    ratio: seconds,
    goal: { op: '<=', value: 60 },
    measured: `${seconds} s wall (${doc.duration} s of cloud time, ${doc.run.length} steps)`,
    extra: { timeScale: SCALE, steps: doc.run.map((r) => ({ name: r.name, wallSeconds: r.wallSeconds, cloudSeconds: r.duration })), measurements: doc.measurements },
  });
});
