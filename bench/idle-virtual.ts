// Idle cost in CPU time per cloud minute, deterministic (issue 13): an in-process local cloud with a
// data dir (persistence on, as the daemon runs it) on a manual clock, one stage deployed in 8
// regions, then cloud time advanced minute by minute (the canary runs, alarms evaluate, health
// checks probe, metrics and log lines are written and persisted). The work done is the same for
// every checkout, so process CPU (all threads, Lambda workers included) per cloud minute compares
// checkouts even on a noisy machine, unlike wall-clock sampling of a daemon (bench/idle-daemon.ts).
// Run from the checkout to measure: node --import tsx bench/idle-virtual.ts [minutes]
// LABEL=name writes bench/results/idle-virtual-<name>.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/commands/context.js';
import { deployCommand } from '../src/commands/deploy.js';
import { createMemoryIo } from '../src/io/index.js';
import { ManualClock } from '../src/local-cloud/clock.js';
import { startLocalCloud } from '../src/local-cloud/server.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];
const MINUTES = Number(process.argv[2] ?? 60);
const MINUTE = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'regionctl-idle-virtual-'));
writeFileSync(join(dir, 'regionctl.yml'), `service: idle\nstage: b\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: idle.example\n  createZone: true\n`);
const clock = new ManualClock();
const cloud = await startLocalCloud({ port: 0, clock, dataDir: join(dir, 'data') });
const ctx = createContext({ cwd: dir, env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, global: { json: true, color: false, verbose: false, endpoint: cloud.url, regions: REGIONS }, io: createMemoryIo({ json: true }) });
await deployCommand(ctx);
const lambda = cloud.service('lambda');
const advance = async (minutes: number) => {
  for (let m = 0; m < minutes; m++) {
    await clock.advance(MINUTE);
    await lambda.settled();
  }
};
await advance(10); // warm: workers started, series and log groups exist
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await advance(MINUTES);
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
const result = {
  regions: REGIONS.length,
  cloudMinutes: MINUTES,
  cpuMsPerCloudMinute: +((cpu.user + cpu.system) / 1000 / MINUTES).toFixed(1),
  // At the default time scale (60) a cloud minute is a real second: this is the % of a core.
  cpuPercentOfCoreAtScale60: +(((cpu.user + cpu.system) / 1000 / MINUTES / 1000) * 100).toFixed(1),
  wallMsPerCloudMinute: +(wallMs / MINUTES).toFixed(1),
  rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
};
console.log(JSON.stringify(result));
if (process.env.LABEL) {
  const out = join(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `idle-virtual-${process.env.LABEL}.json`), JSON.stringify({ name: 'idle-virtual', label: process.env.LABEL, at: new Date().toISOString(), node: process.version, ...result }, null, 2) + '\n');
}
await cloud.close();
rmSync(dir, { recursive: true, force: true });
