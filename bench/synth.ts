// `regionctl synth` of 8 regions vs 1 region (no cloud involved): templates and Lambda zips.
// The project's Lambda bundles are cached by content after the first synth, as for a user.
import { project, regionctl, regionsN, runs, save, stats } from './lib.js';

const p = project(regionsN(8));
try {
  const once = (n: number) => regionctl(['synth', '--regions', regionsN(n).join(','), '--json'], p.dir);
  await once(8);
  const one: number[] = [];
  const eight: number[] = [];
  for (let i = 0; i < runs(5); i++) {
    one.push((await once(1)).ms);
    eight.push((await once(8)).ms);
  }
  const m8 = stats(eight).median;
  const m1 = stats(one).median;
  save({
    name: 'synth-regions',
    figure: '`regionctl synth` of 8 regions (vs 1)',
    unit: 'ms',
    runs: { eightRegions: eight, oneRegion: one },
    ratio: m8 / m1,
    goal: null,
    measured: `${Math.round(m8)} vs ${Math.round(m1)} ms`,
  });
} finally {
  p.remove();
}
