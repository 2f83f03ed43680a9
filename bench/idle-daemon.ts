// Idle cost of the local cloud (issue 13): a real daemon (`bin/regionctl local start --foreground`,
// built dist/) with one stage deployed in 8 regions at the default time scale, left alone; CPU (% of
// one core, from /proc/<pid>/stat utime+stime) and RSS sampled after it settles. Several checkouts
// can be measured in the same run, side by side over the same window (the machine is shared and
// noisy, so only a comparison made at the same time means much):
//   node --import tsx bench/idle-daemon.ts label=/path/to/checkout [label2=/path/to/other] ...
// Each checkout needs its dist/ built (npm run build). Env: SETTLE_S (default 30), SAMPLE_S
// (default 120), CPU_PROF=1 (write a .cpuprofile per daemon into bench/results/idle-prof-<label>/).
// Writes bench/results/idle-daemon.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../src/commands/context.js';
import { deployCommand } from '../src/commands/deploy.js';
import { createMemoryIo } from '../src/io/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'bench', 'results');
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];
const SETTLE_S = Number(process.env.SETTLE_S ?? 30);
const SAMPLE_S = Number(process.env.SAMPLE_S ?? 120);
const PROFILE = process.env.CPU_PROF === '1';
const TICKS = 100; // USER_HZ on Linux

const targets = process.argv.slice(2).map((arg) => {
  const [label, dir] = arg.split('=');
  if (!label || !dir) throw new Error(`expected label=/path/to/checkout, got ${arg}`);
  return { label, dir };
});
if (targets.length === 0) targets.push({ label: 'this', dir: root });

interface Daemon {
  label: string;
  child: ChildProcess;
  pid: number;
  cwd: string;
  url: string;
}

async function start(label: string, dir: string): Promise<Daemon> {
  const cwd = mkdtempSync(join(tmpdir(), `regionctl-idle-${label}-`));
  const flags = PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${join(resultsDir, `idle-prof-${label}`)}`] : [];
  const child = spawn(process.execPath, [...flags, join(dir, 'bin', 'regionctl'), 'local', 'start', '--foreground', '--port', '0', '--dns-port', '0'], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const info = JSON.parse(readFileSync(join(cwd, '.regionctl', 'local', 'daemon.json'), 'utf8')) as { pid: number; url: string };
      if (info.pid === child.pid) return { label, child, pid: child.pid, cwd, url: info.url };
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${label}: the daemon did not start`);
}

async function deploy(d: Daemon): Promise<void> {
  writeFileSync(join(d.cwd, 'regionctl.yml'), `service: idle\nstage: b\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: idle.example\n  createZone: true\n`);
  const ctx = createContext({
    cwd: d.cwd,
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    global: { json: true, color: false, verbose: false, endpoint: d.url, regions: REGIONS },
    io: createMemoryIo({ json: true }),
  });
  await deployCommand(ctx);
}

function sample(pid: number): { cpuTicks: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is state (field 3); utime is field 14, stime 15, rss (pages) 24.
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const rssMb = (Number(fields[21]) * 4096) / 1024 / 1024;
  return { cpuTicks, rssMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const daemons: Daemon[] = [];
try {
  for (const t of targets) daemons.push(await start(t.label, t.dir));
  for (const d of daemons) {
    const t0 = performance.now();
    await deploy(d);
    console.log(`${d.label}: deployed to ${REGIONS.length} regions in ${round((performance.now() - t0) / 1000)} s`);
  }
  await new Promise((r) => setTimeout(r, SETTLE_S * 1000));
  const first = daemons.map((d) => sample(d.pid));
  const rss: number[][] = daemons.map(() => []);
  const perWindow: number[][] = daemons.map(() => []);
  let prev = first;
  const t0 = performance.now();
  for (let s = 0; s < SAMPLE_S / 10; s++) {
    await new Promise((r) => setTimeout(r, 10_000));
    const now = daemons.map((d) => sample(d.pid));
    now.forEach((n, i) => {
      rss[i]!.push(n.rssMb);
      perWindow[i]!.push(((n.cpuTicks - prev[i]!.cpuTicks) / TICKS / 10) * 100);
    });
    prev = now;
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = daemons.map((d, i) => ({
    label: d.label,
    cpuPercentOfCore: round(((prev[i]!.cpuTicks - first[i]!.cpuTicks) / TICKS / seconds) * 100),
    cpuPercentPer10s: perWindow[i]!.map((x) => round(x)),
    rssMbFirst: round(rss[i]![0]!),
    rssMbLast: round(rss[i]![rss[i]!.length - 1]!),
    rssMbMedian: round(median(rss[i]!)),
  }));
  const doc = { name: 'idle-daemon', at: new Date().toISOString(), node: process.version, regions: REGIONS.length, settleS: SETTLE_S, sampleS: round(seconds), goal: 'cpu <= 3% of a core, rss <= 300 MB, flat', result };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'idle-daemon.json'), JSON.stringify(doc, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 1));
} finally {
  for (const d of daemons) {
    d.child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        d.child.kill('SIGKILL');
        resolve();
      }, 15_000);
      d.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    rmSync(d.cwd, { recursive: true, force: true });
  }
}
