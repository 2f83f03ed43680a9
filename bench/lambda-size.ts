// Lambda artifacts as `regionctl synth` builds them: bundled (esbuild) and zipped, size per
// function. Goal: each ≤ 1 MiB. Sizes are deterministic, so one run is enough.
import { project, regionctl, save } from './lib.js';

const MiB = 1024 * 1024;
const p = project();
try {
  const exit = await regionctl(['synth', '--json'], p.dir);
  const doc = JSON.parse(exit.stdout) as { lambdas: Array<{ name: string; size: number }> };
  if (!doc.lambdas.length) throw new Error('synth built no Lambda');
  const sizes = Object.fromEntries(doc.lambdas.map((l) => [l.name, [l.size]]));
  const largest = Math.max(...doc.lambdas.map((l) => l.size));
  save({
    name: 'lambda-size',
    figure: 'Lambda artifacts, bundled and zipped, largest vs 1 MiB',
    unit: 'bytes',
    runs: sizes,
    ratio: largest / MiB,
    goal: { op: '<=', value: 1 },
    measured: doc.lambdas.map((l) => `${l.name} ${(l.size / 1024).toFixed(1)} KiB`).join(', '),
    extra: { bytesPerFunction: Object.fromEntries(doc.lambdas.map((l) => [l.name, l.size])) },
  });
} finally {
  p.remove();
}
