// Shared plumbing of the benchmark scripts (bench/*.ts, one script per figure): whole processes of
// bin/regionctl against a local cloud daemon of their own (free port, temp data dir), statistics,
// and the result document every script writes to bench/results/<name>.json.
//
// BENCH_QUICK=1 runs one short iteration of everything (the smoke test uses it); results then go
// to BENCH_RESULTS_DIR (default bench/results) — the smoke test points it at a temp dir.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(root, 'bin', 'regionctl');
export const QUICK = process.env.BENCH_QUICK === '1';
export const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(root, 'bench', 'results');

export const ALL_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1', 'ca-central-1'];
/** The first n regions; with BENCH_QUICK one region stands for any number (a smoke test, not a figure). */
export const regionsN = (n: number): string[] => ALL_REGIONS.slice(0, QUICK ? 1 : n);
export const REGIONS_8 = regionsN(8);

/** Interleaved runs per figure: `n` normally, 1 with BENCH_QUICK. */
export const runs = (n: number): number => (QUICK ? 1 : n);

export interface Stats {
  min: number;
  median: number;
  max: number;
}

export function stats(xs: number[]): Stats {
  if (xs.length === 0) throw new Error('no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { min: round(s[0]), median: round(mid), max: round(s[s.length - 1]) };
}

export const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function machine(): Record<string, unknown> {
  const c = cpus();
  return { cpu: c[0]?.model ?? 'unknown', cores: c.length, memoryGiB: round(totalmem() / 2 ** 30, 1), loadAverage1m: round(loadavg()[0], 2), node: process.version, platform: `${process.platform}-${process.arch}` };
}

export type Goal = { op: '<=' | '>='; value: number } | null;

export interface Figure {
  /** File name under bench/results (without .json). */
  name: string;
  /** What is measured, in words. */
  figure: string;
  unit: string;
  /** Every run of every variant, in the order measured. */
  runs: Record<string, number[]>;
  /** measured / baseline, or the measured value itself when there is no baseline. */
  ratio: number;
  goal: Goal;
  /** The table's "measured" cell, e.g. "1228 vs 882 ms". */
  measured: string;
  extra?: Record<string, unknown>;
  /** When the goal has more than the ratio to it (e.g. CPU and memory): the verdict. */
  pass?: boolean;
}

export function passes(ratio: number, goal: Goal): boolean | null {
  if (!goal) return null;
  return goal.op === '<=' ? ratio <= goal.value : ratio >= goal.value;
}

/** Write bench/results/<name>.json and print the ratio line. */
export function save(f: Figure): Record<string, unknown> {
  // A variant with no number in it (CPU times where GNU time is missing) is left out.
  const measuredRuns = Object.fromEntries(Object.entries(f.runs).filter(([, xs]) => xs.some(Number.isFinite)));
  const summary: Record<string, Stats> = {};
  for (const [k, xs] of Object.entries(measuredRuns)) summary[k] = stats(xs);
  const pass = f.pass ?? passes(f.ratio, f.goal);
  const doc = {
    name: f.name,
    figure: f.figure,
    at: new Date().toISOString(),
    quick: QUICK,
    machine: machine(),
    unit: f.unit,
    runs: Object.fromEntries(Object.entries(measuredRuns).map(([k, xs]) => [k, xs.map((x) => round(x, 1))])),
    ...summary,
    measured: f.measured,
    ratio: round(f.ratio),
    goal: f.goal ? `${f.goal.op} ${f.goal.value}` : null,
    pass,
    ...(f.extra ?? {}),
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${f.name}.json`), JSON.stringify(doc, null, 2) + '\n');
  const verdict = pass === null ? '' : pass ? '  pass' : '  FAIL';
  console.log(`${f.name}: ${f.measured} → ratio ${round(f.ratio)}${f.goal ? ` (goal ${f.goal.op} ${f.goal.value})` : ''}${verdict}`);
  return doc;
}

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole child process. */
  ms: number;
  /** CPU time (user + system) of the child, when GNU time is there to tell (NaN otherwise). */
  cpuMs: number;
}

// On a shared machine wall time is noisy; the CPU a child used is a steadier second opinion.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

let spawned = 0;

/** Spawn `node ...args`; resolves with the wall time of the whole child process. */
export function runNode(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const cpuFile = GNU_TIME ? join(tmpdir(), `regionctl-bench-cpu-${process.pid}-${++spawned}`) : undefined;
    const [cmd, argv] = cpuFile ? [GNU_TIME!, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args]] : [process.execPath, args];
    const t = performance.now();
    // Its own process group, so a timeout kills node and not only the GNU time wrapper around it.
    const child = spawn(cmd, argv, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs ?? 300_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      const ms = performance.now() - t;
      clearTimeout(timer);
      let cpuMs = NaN;
      if (cpuFile) {
        const line = existsSync(cpuFile) ? readFileSync(cpuFile, 'utf8').trim().split('\n').pop()! : '';
        const [user, sys] = line.split(' ').map(Number);
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
        rmSync(cpuFile, { force: true });
      }
      resolve({ code, stdout, stderr, ms, cpuMs });
    });
  });
}

/** A user's shell with nothing configured: no AWS profile or endpoint of this machine leaks in. */
export function userEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1',
  };
}

/** `regionctl ...args` as a user runs it; throws with its output on a non-zero exit. */
export async function regionctl(args: string[], cwd: string, opts: { timeoutMs?: number; allowFailure?: boolean } = {}): Promise<Exit> {
  // BENCH_PROFILE=<dir>: the CLI process writes a CPU profile there (node refuses --cpu-prof in NODE_OPTIONS).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const exit = await runNode([...profile, bin, ...args], { cwd, env: userEnv(cwd), timeoutMs: opts.timeoutMs });
  if (exit.code !== 0 && !opts.allowFailure) {
    throw new Error(`regionctl ${args.join(' ')} exited ${exit.code}\n--- stdout:\n${exit.stdout.slice(0, 2000)}\n--- stderr:\n${exit.stderr.slice(-3000)}`);
  }
  return exit;
}

/** A project directory with a regionctl.yml (service bench, stage b) in a temp dir. */
export function project(regions: string[] = ['us-east-1']): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-'));
  writeFileSync(join(dir, 'regionctl.yml'), `service: bench\nstage: b\nregions: [${regions.join(', ')}]\ndns:\n  zone: bench.example\n  createZone: true\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Daemon {
  dir: string;
  url: string;
  port: number;
  pid: number;
  /**
   * Flags that point a stage command at this daemon. --endpoint rather than --local --port: --local
   * first probes the daemon's health with a 1 s budget, and on a loaded machine a daemon busy
   * right after a deploy misses it and is taken for a foreign program on the port.
   */
  flags: (regions: string[]) => string[];
  stop: () => Promise<void>;
}

/**
 * A fresh local cloud daemon as users start it (`regionctl local start`), on a port the OS picks,
 * with its state in `dir`/.regionctl/local. Never 4566 or 5353.
 */
export async function startDaemon(dir: string, timeScale?: number): Promise<Daemon> {
  if (process.env.BENCH_PROFILE) return startProfiledDaemon(dir, process.env.BENCH_PROFILE, timeScale);
  const args = ['local', 'start', '--port', '0', '--dns-port', '0', '--json', ...(timeScale ? ['--time-scale', String(timeScale)] : [])];
  const exit = await regionctl(args, dir);
  const started = JSON.parse(exit.stdout) as { url: string; port: number; pid: number };
  if (!(started.port > 0) || started.port === 4566) throw new Error(`daemon on an unexpected port: ${exit.stdout}`);
  const daemons = liveDaemons;
  daemons.add(started.pid);
  return {
    dir,
    url: started.url,
    port: started.port,
    pid: started.pid,
    flags: (regions) => ['--endpoint', started.url, '--regions', regions.join(',')],
    stop: async () => {
      await regionctl(['local', 'stop', '--port', String(started.port)], dir, { allowFailure: true });
      killIfAlive(started.pid);
      daemons.delete(started.pid);
    },
  };
}

const liveDaemons = new Set<number>();

/**
 * BENCH_PROFILE=<dir>: the daemon runs in the foreground under `node --cpu-prof` (what `local start`
 * spawns, minus the detaching) and is stopped with SIGINT, so it exits cleanly and writes its profile.
 */
async function startProfiledDaemon(dir: string, profileDir: string, timeScale?: number): Promise<Daemon> {
  const args = ['--cpu-prof', '--cpu-prof-dir', profileDir, bin, 'local', 'start', '--foreground', '--port', '0', '--dns-port', '0', ...(timeScale ? ['--time-scale', String(timeScale)] : [])];
  const child = spawn(process.execPath, args, { cwd: dir, env: userEnv(dir), stdio: 'ignore' });
  const info = join(dir, '.regionctl', 'local', 'daemon.json');
  let url: string | undefined;
  for (let i = 0; i < 600 && !url; i++) {
    await sleep(100);
    if (!existsSync(info)) continue;
    const { port } = JSON.parse(readFileSync(info, 'utf8')) as { port: number };
    const ok = await fetch(`http://127.0.0.1:${port}/_localcloud/health`).then((r) => r.ok, () => false);
    if (ok) url = `http://127.0.0.1:${port}`;
  }
  if (!url || child.pid === undefined) throw new Error('the profiled daemon did not start');
  const pid = child.pid;
  liveDaemons.add(pid);
  return {
    dir,
    url,
    port: Number(new URL(url).port),
    pid,
    flags: (regions) => ['--endpoint', url, '--regions', regions.join(',')],
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      liveDaemons.delete(pid);
    },
  };
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

// A benchmark that throws must not leave its daemons behind.
process.on('exit', () => {
  for (const pid of liveDaemons) killIfAlive(pid);
});

/** A fresh project with a fresh daemon; both removed afterwards. */
export async function withProject<T>(regions: string[], fn: (p: { dir: string; daemon: Daemon }) => Promise<T>, timeScale?: number): Promise<T> {
  const p = project(regions);
  try {
    const daemon = await startDaemon(p.dir, timeScale);
    try {
      return await fn({ dir: p.dir, daemon });
    } finally {
      await daemon.stop();
    }
  } finally {
    p.remove();
  }
}

/** CPU seconds (user+system) of a Linux process, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory (MiB) and thread count, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssMiB: number; threads: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  const threads = Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssMiB: round(rss, 1), threads };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
