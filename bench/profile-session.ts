// CPU profiles of one session as a user would have it, for bench/profiles/: a daemon started with
// --cpu-prof (main thread and each Lambda worker thread write a profile when they end), then
// deploy, status (cold), no-change deploy, synth and status (warm) of 8 regions, each CLI process
// with --cpu-prof, then a minute idle.
//   node --import tsx bench/profile-session.ts [outDir]      (default /tmp/regionctl-profiles)
//   node --import tsx bench/profile-summary.ts <outDir>/<step>/*.cpuprofile
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, project, regionctl, REGIONS_8, sleep, userEnv } from './lib.js';
const out = process.argv[2] ?? '/tmp/regionctl-profiles';
const dir = (name: string) => {
  const d = `${out}/${name}`;
  mkdirSync(d, { recursive: true });
  process.env.BENCH_PROFILE = d;
  return d;
};
const p = project(REGIONS_8);
const daemonDir = dir('daemon');
delete process.env.BENCH_PROFILE;
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', daemonDir, bin, 'local', 'start', '--foreground', '--port', '0', '--dns-port', '0'], { cwd: p.dir, env: userEnv(p.dir), stdio: 'ignore' });
const info = join(p.dir, '.regionctl', 'local', 'daemon.json');
while (!existsSync(info)) await sleep(200);
await sleep(500);
const { port } = JSON.parse(readFileSync(info, 'utf8'));
const url = `http://127.0.0.1:${port}`;
console.log('daemon', child.pid, url);
const flags = ['--endpoint', url, '--regions', REGIONS_8.join(',')];
try {
  dir('deploy-8');
  await regionctl(['deploy', ...flags, '--json'], p.dir);
  dir('status-8-cold');
  await regionctl(['status', ...flags, '--json'], p.dir, { allowFailure: true });
  dir('deploy-8-no-change');
  await regionctl(['deploy', ...flags, '--json'], p.dir);
  dir('synth-8');
  await regionctl(['synth', '--regions', REGIONS_8.join(','), '--json'], p.dir);
  dir('status-8-warm');
  await regionctl(['status', ...flags, '--json'], p.dir, { allowFailure: true });
  delete process.env.BENCH_PROFILE;
  await sleep(60_000); // idle
} finally {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT'); // a clean exit, so the daemon writes its profile
    await exited;
  }
  p.remove();
}
