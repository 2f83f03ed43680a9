// `regionctl status` of 8 regions vs 1, the first run right after a deploy (every function cold):
// per run a fresh local cloud, `deploy` of N regions (not timed), then `status --json` (timed).
import { regionctl, regionsN, runs, save, stats, withProject } from './lib.js';

const once = (n: number) =>
  withProject(regionsN(n), async ({ dir, daemon }) => {
    await regionctl(['deploy', ...daemon.flags(regionsN(n)), '--json'], dir);
    // status exits 1 when a region is unhealthy; the timing still counts, the document must be there.
    const exit = await regionctl(['status', ...daemon.flags(regionsN(n)), '--json'], dir, { allowFailure: true });
    const doc = JSON.parse(exit.stdout) as { regions: Array<{ healthy: boolean }> };
    if (doc.regions.length !== regionsN(n).length) throw new Error(`status reported ${doc.regions.length} region(s), expected ${regionsN(n).length}`);
    return { ms: exit.ms, unhealthy: doc.regions.filter((r) => !r.healthy).length };
  });

const one: number[] = [];
const eight: number[] = [];
const unhealthy: string[] = [];
for (let i = 0; i < runs(5); i++) {
  const a = await once(1);
  one.push(a.ms);
  if (a.unhealthy) unhealthy.push(`run ${i} (1 region): ${a.unhealthy} unhealthy`);
  const b = await once(8);
  eight.push(b.ms);
  if (b.unhealthy) unhealthy.push(`run ${i} (8 regions): ${b.unhealthy} unhealthy`);
}
const m8 = stats(eight).median;
const m1 = stats(one).median;
save({
  name: 'status-cold',
  figure: '`status` 8 regions vs 1, first run after a deploy (cold functions)',
  unit: 'ms',
  runs: { eightRegions: eight, oneRegion: one },
  ratio: m8 / m1,
  goal: { op: '<=', value: 1.5 },
  measured: `${Math.round(m8)} vs ${Math.round(m1)} ms`,
  extra: { unhealthy },
});
