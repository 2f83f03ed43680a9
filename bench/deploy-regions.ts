// Deploy 8 regions vs 1 region, each on a fresh local cloud daemon, as whole `regionctl deploy`
// processes. Interleaved: 1, 8, 1, 8, ... so both see the same machine load.
import { QUICK, regionctl, regionsN, runs, save, stats, withProject } from './lib.js';

const once = (n: number) =>
  withProject(regionsN(n), async ({ dir, daemon }) => {
    const exit = await regionctl(['deploy', ...daemon.flags(regionsN(n)), '--json'], dir);
    const doc = JSON.parse(exit.stdout) as { ok: boolean; regions: unknown[] };
    if (!doc.ok || doc.regions.length !== regionsN(n).length) throw new Error(`deploy of ${n} region(s) did not succeed: ${exit.stdout.slice(0, 500)}`);
    return exit;
  });

// Warm-up: the first synth bundles the Lambdas with esbuild (cached per project afterwards, but
// every run here is a fresh project, so each pays it alike); this only warms the file cache.
if (!QUICK) await once(1);
const one: number[] = [];
const eight: number[] = [];
const oneCpu: number[] = [];
const eightCpu: number[] = [];
for (let i = 0; i < runs(5); i++) {
  const a = await once(1);
  one.push(a.ms);
  oneCpu.push(a.cpuMs);
  const b = await once(8);
  eight.push(b.ms);
  eightCpu.push(b.cpuMs);
}
const m8 = stats(eight).median;
const m1 = stats(one).median;
save({
  name: 'deploy-regions',
  figure: 'deploy 8 regions vs 1, fresh local cloud',
  unit: 'ms',
  runs: { eightRegions: eight, oneRegion: one, eightRegionsCpu: eightCpu, oneRegionCpu: oneCpu },
  ratio: m8 / m1,
  goal: { op: '<=', value: 1.25 },
  measured: `${Math.round(m8)} vs ${Math.round(m1)} ms`,
  extra: { cpuRatio: Number((stats(eightCpu).median / stats(oneCpu).median).toFixed(3)) },
});
