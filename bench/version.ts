// `regionctl --version` vs `node -e 0`: what starting the CLI costs on top of starting Node.
import { bin, regionctl, root, runNode, runs, save, stats } from './lib.js';

const bare: number[] = [];
const version: number[] = [];
const bareCpu: number[] = [];
const versionCpu: number[] = [];
await runNode(['-e', '0']);
await regionctl(['--version'], root); // warm the file cache
for (let i = 0; i < runs(15); i++) {
  const b = await runNode(['-e', '0']);
  bare.push(b.ms);
  bareCpu.push(b.cpuMs);
  const exit = await regionctl(['--version'], root);
  if (!/^\d+\.\d+\.\d+/.test(exit.stdout)) throw new Error(`--version printed ${JSON.stringify(exit.stdout)}`);
  version.push(exit.ms);
  versionCpu.push(exit.cpuMs);
}
const v = stats(version).median;
const b = stats(bare).median;
const cpuRatio = stats(versionCpu).median / stats(bareCpu).median;
save({
  name: 'version-startup',
  figure: '`regionctl --version` vs `node -e 0`',
  unit: 'ms',
  runs: { regionctlVersion: version, nodeE0: bare, regionctlVersionCpu: versionCpu, nodeE0Cpu: bareCpu },
  ratio: v / b,
  goal: { op: '<=', value: 1.25 },
  measured: `${Math.round(v)} vs ${Math.round(b)} ms`,
  extra: { cpuRatio: Number(cpuRatio.toFixed(3)), command: `node ${bin} --version` },
});
