// `regionctl status --json` with 1, 4 and 8 regions, warm: one local cloud with 8 regions
// deployed and one status of all 8 first (every function warm), then interleaved 1, 4, 8, ...
import { regionctl, REGIONS_8, regionsN, runs, save, stats, withProject } from './lib.js';

await withProject(REGIONS_8, async ({ dir, daemon }) => {
  await regionctl(['deploy', ...daemon.flags(REGIONS_8), '--json'], dir);
  const status = async (n: number) => {
    const exit = await regionctl(['status', ...daemon.flags(regionsN(n)), '--json'], dir, { allowFailure: true });
    const doc = JSON.parse(exit.stdout) as { regions: unknown[] };
    if (doc.regions.length !== regionsN(n).length) throw new Error(`status reported ${doc.regions.length} region(s), expected ${regionsN(n).length}`);
    return exit.ms;
  };
  await status(8);
  const by: Record<string, number[]> = { oneRegion: [], fourRegions: [], eightRegions: [] };
  for (let i = 0; i < runs(3); i++) {
    by.oneRegion.push(await status(1));
    by.fourRegions.push(await status(4));
    by.eightRegions.push(await status(8));
  }
  const m1 = stats(by.oneRegion).median;
  const m4 = stats(by.fourRegions).median;
  const m8 = stats(by.eightRegions).median;
  save({
    name: 'status-warm',
    figure: '`status --json` 8 regions vs 1, warm (4 shown too)',
    unit: 'ms',
    runs: by,
    ratio: m8 / m1,
    goal: { op: '<=', value: 1.5 },
    measured: `${Math.round(m8)} vs ${Math.round(m1)} ms (4 regions: ${Math.round(m4)} ms)`,
    extra: { fourVsOne: Number((m4 / m1).toFixed(3)) },
  });
});
