// Two figures from the same fresh local clouds, as whole `regionctl` processes:
//   deploy-regions: `deploy` of 8 regions vs 1 region, each on a fresh local cloud daemon;
//   status-cold:    the first `status --json` right after that deploy (every function cold).
// One fresh daemon and project per run serves both (a fresh deploy is what status-cold needs
// anyway), which halves this part of `npm run bench`. Interleaved: 1, 8, 1, 8, ... so both
// region counts see the same machine load.
import { regionctl, regionsN, runs, save, stats, withProject } from './lib.js';

interface Run {
  deployMs: number;
  deployCpuMs: number;
  statusMs: number;
  unhealthy: number;
}

const once = (n: number): Promise<Run> =>
  withProject(regionsN(n), async ({ dir, daemon }) => {
    const deploy = await regionctl(['deploy', ...daemon.flags(regionsN(n)), '--json'], dir);
    const doc = JSON.parse(deploy.stdout) as { ok: boolean; regions: unknown[] };
    if (!doc.ok || doc.regions.length !== regionsN(n).length) throw new Error(`deploy of ${n} region(s) did not succeed: ${deploy.stdout.slice(0, 500)}`);
    // status exits 1 when a region is unhealthy; the timing still counts, the document must be there.
    const status = await regionctl(['status', ...daemon.flags(regionsN(n)), '--json'], dir, { allowFailure: true });
    const st = JSON.parse(status.stdout) as { regions: Array<{ healthy: boolean }> };
    if (st.regions.length !== regionsN(n).length) throw new Error(`status reported ${st.regions.length} region(s), expected ${regionsN(n).length}`);
    return { deployMs: deploy.ms, deployCpuMs: deploy.cpuMs, statusMs: status.ms, unhealthy: st.regions.filter((r) => !r.healthy).length };
  });

const one: Run[] = [];
const eight: Run[] = [];
const unhealthy: string[] = [];
// 3 interleaved pairs (each a fresh daemon and deploy): npm run bench's 10-minute budget.
for (let i = 0; i < runs(3); i++) {
  for (const [n, into] of [[1, one], [8, eight]] as const) {
    const r = await once(n);
    into.push(r);
    if (r.unhealthy) unhealthy.push(`run ${i} (${n} region${n > 1 ? 's' : ''}): ${r.unhealthy} unhealthy at the first status`);
  }
}
const median = (rs: Run[], k: keyof Omit<Run, 'unhealthy'>) => stats(rs.map((r) => r[k])).median;
save({
  name: 'deploy-regions',
  figure: 'deploy 8 regions vs 1, fresh local cloud',
  unit: 'ms',
  runs: { eightRegions: eight.map((r) => r.deployMs), oneRegion: one.map((r) => r.deployMs), eightRegionsCpu: eight.map((r) => r.deployCpuMs), oneRegionCpu: one.map((r) => r.deployCpuMs) },
  ratio: median(eight, 'deployMs') / median(one, 'deployMs'),
  goal: { op: '<=', value: 1.25 },
  measured: `${Math.round(median(eight, 'deployMs'))} vs ${Math.round(median(one, 'deployMs'))} ms`,
  extra: { cpuRatio: Number((median(eight, 'deployCpuMs') / median(one, 'deployCpuMs')).toFixed(3)) },
});
save({
  name: 'status-cold',
  figure: '`status` 8 regions vs 1, first run after a deploy (cold functions)',
  unit: 'ms',
  runs: { eightRegions: eight.map((r) => r.statusMs), oneRegion: one.map((r) => r.statusMs) },
  ratio: median(eight, 'statusMs') / median(one, 'statusMs'),
  goal: { op: '<=', value: 1.5 },
  measured: `${Math.round(median(eight, 'statusMs'))} vs ${Math.round(median(one, 'statusMs'))} ms`,
  extra: { unhealthy, note: 'measured right after the deploy-regions figure\'s deploy, on the same fresh local cloud' },
});
