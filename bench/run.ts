// `npm run bench`: every figure's script (bench/<script>.ts) in its own process, one after the
// other, then the table of bench/results/*.json (the README's "Performance" table).
//   node --import tsx bench/run.ts [script ...]     only these (e.g. version status-warm)
//   BENCH_QUICK=1                                   one short iteration each (smoke test)
//   BENCH_IDLE_SECONDS=600                          the idle daemon's full 10-minute window
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir, root } from './lib.js';

/** Script → the result files it writes. Cheap figures first. */
export const SCRIPTS: Record<string, string[]> = {
  version: ['version-startup'],
  'lambda-size': ['lambda-size'],
  synth: ['synth-regions'],
  'deploy-regions': ['deploy-regions'],
  'deploy-no-change': ['deploy-no-change'],
  'status-cold': ['status-cold'],
  'status-warm': ['status-warm'],
  'drill-failover': ['drill-failover'],
  'dynamodb-throughput': ['dynamodb-throughput'],
  's3-throughput': ['s3-throughput'],
  'apigw-lambda': ['apigw-lambda'],
  'idle-daemon': ['idle-daemon-1-stage', 'idle-daemon-3-stages'],
  'replication-topologies': ['replication-topologies'],
  'replication-drill': ['replication-drill'],
  gameday: ['gameday'],
};

export function table(names: string[]): string {
  const rows = ['| figure | measured | ratio | goal | pass |', '|---|---|---|---|---|'];
  for (const name of names) {
    const file = join(resultsDir, `${name}.json`);
    if (!existsSync(file)) {
      rows.push(`| ${name} | (not run) | | | |`);
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8')) as { figure: string; measured: string; ratio: number; goal: string | null; pass: boolean | null };
    rows.push(`| ${r.figure} | ${r.measured} | ${r.ratio} | ${r.goal ?? '—'} | ${r.pass === null ? '—' : r.pass ? 'yes' : '**no**'} |`);
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  const unknown = only.filter((s) => !(s in SCRIPTS));
  if (unknown.length) {
    console.error(`unknown bench script(s): ${unknown.join(', ')}; known: ${Object.keys(SCRIPTS).join(', ')}`);
    process.exit(2);
  }
  const chosen = Object.keys(SCRIPTS).filter((s) => !only.length || only.includes(s));
  const failed: string[] = [];
  const t0 = performance.now();
  for (const script of chosen) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', `${script}.ts`)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
    });
    if (r.status !== 0) failed.push(script);
    console.log(`  (${script}: ${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  console.log(`\n${table(chosen.flatMap((s) => SCRIPTS[s]))}\n\nall in ${((performance.now() - t0) / 1000).toFixed(0)} s${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
  process.exit(failed.length ? 1 : 0);
}
