// CPU profile of the idle daemon (issue 7 defect 13, issue 13): a daemon under `node --cpu-prof`
// at the default time scale, one stage deployed in 8 regions, then BENCH_IDLE_SECONDS (default 60)
// of nothing (after BENCH_IDLE_SETTLE_SECONDS); prints where the seconds after the deploy go (main thread) and how many Lambda
// worker threads came and went.
//   node --import tsx bench/profile-idle.ts [outDir]      (default /tmp/regionctl-idle-profile)
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { summarise } from './profile-summary.js';
import { cpuSeconds, memoryOf, project, regionctl, REGIONS_8, sleep, startDaemon } from './lib.js';

const out = process.argv[2] ?? '/tmp/regionctl-idle-profile';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const IDLE_S = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const p = project(REGIONS_8);
process.env.BENCH_PROFILE = out;
const started = performance.now();
const daemon = await startDaemon(p.dir);
delete process.env.BENCH_PROFILE;
try {
  await regionctl(['deploy', ...daemon.flags(REGIONS_8), '--json'], p.dir, { timeoutMs: 300_000 });
  // BENCH_IDLE_SETTLE_SECONDS (default 45): the daemon rests 30 s after its last client (src/local-cloud/rest.ts).
  await sleep(Number(process.env.BENCH_IDLE_SETTLE_SECONDS ?? 45) * 1000);
  const idleFrom = (performance.now() - started) / 1000;
  const cpu0 = cpuSeconds(daemon.pid);
  await sleep(IDLE_S * 1000);
  const cpu = cpuSeconds(daemon.pid) - cpu0;
  console.log(`idle ${IDLE_S} s: ${((100 * cpu) / IDLE_S).toFixed(1)}% of a core, ${JSON.stringify(memoryOf(daemon.pid))}`);
  await daemon.stop();
  const files = readdirSync(out).filter((f) => f.endsWith('.cpuprofile'));
  // Main thread: thread id 0 in node's file name CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile.
  const main = files.find((f) => f.split('.')[4] === '0');
  console.log(`${files.length - 1} worker thread profiles`);
  if (main) console.log(summarise(JSON.parse(readFileSync(join(out, main), 'utf8')), 30, Math.floor(idleFrom * 1000)));
} finally {
  await daemon.stop();
  p.remove();
}
