// A no-change deploy of 8 regions vs `regionctl synth` of the same 8 regions: what checking
// every stack for changes costs on top of rendering them. One daemon, deployed once; then
// interleaved runs of synth and no-change deploy.
import { regionctl, REGIONS_8, runs, save, stats, withProject } from './lib.js';

await withProject(REGIONS_8, async ({ dir, daemon }) => {
  await regionctl(['deploy', ...daemon.flags(REGIONS_8), '--json'], dir);
  const synth: number[] = [];
  const again: number[] = [];
  const synthCpu: number[] = [];
  const againCpu: number[] = [];
  for (let i = 0; i < runs(5); i++) {
    const s = await regionctl(['synth', '--regions', REGIONS_8.join(','), '--json'], dir);
    synth.push(s.ms);
    synthCpu.push(s.cpuMs);
    const d = await regionctl(['deploy', ...daemon.flags(REGIONS_8), '--json'], dir);
    const doc = JSON.parse(d.stdout) as { regions: Array<{ stacks: Array<{ result: string }> }> };
    const changed = doc.regions.flatMap((r) => r.stacks).filter((s) => s.result !== 'no-changes');
    if (changed.length) throw new Error(`the second deploy changed ${changed.length} stack(s)`);
    again.push(d.ms);
    againCpu.push(d.cpuMs);
  }
  const a = stats(again).median;
  const s = stats(synth).median;
  save({
    name: 'deploy-no-change',
    figure: 'no-change deploy, 8 regions, vs `regionctl synth` of the same',
    unit: 'ms',
    runs: { noChangeDeploy: again, synth, noChangeDeployCpu: againCpu, synthCpu },
    ratio: a / s,
    goal: { op: '<=', value: 1.3 },
    measured: `${Math.round(a)} vs ${Math.round(s)} ms`,
    extra: { cpuRatio: Number((stats(againCpu).median / stats(synthCpu).median).toFixed(3)) },
  });
});
