import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The local cloud as a background process shared by separate CLI invocations. Pid, log and state
// live under <cwd>/.regionctl/local/; state (and the cloud's clock) survive stop/start.

export const DEFAULT_PORT = 4566;
// One cloud minute per wall second: alarm periods, health-check intervals and schedules are
// minutes long on AWS, and a demo or drill should take seconds. `--time-scale 1` is real time.
export const DEFAULT_TIME_SCALE = 60;
export const DEFAULT_DNS_PORT = 5353;

export interface DaemonInfo {
  pid: number;
  port: number;
  url: string;
  timeScale: number;
  /** UDP port of the DNS server, when it could bind. */
  dnsPort?: number;
  startedAt: string;
  dataDir: string;
  logFile: string;
}

export interface DaemonStatus {
  running: boolean;
  url?: string;
  info?: DaemonInfo;
  /** Cloud time as the daemon reports it. */
  now?: string;
  timeScale?: number;
}

export function localDir(cwd: string): string {
  return join(cwd, '.regionctl', 'local');
}

const infoFile = (cwd: string) => join(localDir(cwd), 'daemon.json');
const clockFile = (cwd: string) => join(localDir(cwd), 'clock.json');

export function readDaemonInfo(cwd: string): DaemonInfo | undefined {
  try {
    return JSON.parse(readFileSync(infoFile(cwd), 'utf8')) as DaemonInfo;
  } catch {
    return undefined;
  }
}

/** Ask a local cloud on this port whether it is up (300 ms budget: it is on loopback). */
export async function probe(url: string): Promise<{ now: string; timeScale: number; pid: number } | undefined> {
  try {
    const res = await fetch(`${url}/_localcloud/health`, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { service?: string; now: string; timeScale: number; pid: number };
    return body.service === 'regionctl-local-cloud' ? body : undefined;
  } catch {
    return undefined;
  }
}

export async function daemonStatus(cwd: string, port?: number): Promise<DaemonStatus> {
  const info = readDaemonInfo(cwd);
  const url = `http://127.0.0.1:${port ?? info?.port ?? DEFAULT_PORT}`;
  const health = await probe(url);
  if (!health) return { running: false, info };
  return { running: true, url, info, now: health.now, timeScale: health.timeScale };
}

export interface StartOptions {
  cwd: string;
  port?: number;
  timeScale?: number;
  dnsPort?: number;
  /** How long to wait for the daemon to answer (wall time). */
  waitMs?: number;
}

/** Start the daemon unless one already answers on the port. */
export async function startDaemon(opts: StartOptions): Promise<{ url: string; alreadyRunning: boolean; info?: DaemonInfo }> {
  const port = opts.port ?? DEFAULT_PORT;
  const url = `http://127.0.0.1:${port}`;
  if (await probe(url)) return { url, alreadyRunning: true, info: readDaemonInfo(opts.cwd) };
  const dir = localDir(opts.cwd);
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'daemon.log');
  const out = openSync(logFile, 'a');
  const args = [...cliInvocation(), 'local', 'start', '--foreground', '--port', String(port)];
  if (opts.timeScale !== undefined) args.push('--time-scale', String(opts.timeScale));
  if (opts.dnsPort !== undefined) args.push('--dns-port', String(opts.dnsPort));
  const child = spawn(process.execPath, args, { cwd: opts.cwd, detached: true, stdio: ['ignore', out, out], env: process.env });
  child.unref();
  closeSync(out);
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  while (Date.now() < deadline) {
    if (await probe(url)) return { url, alreadyRunning: false, info: readDaemonInfo(opts.cwd) };
    if (exited !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-6).join('\n') : '';
  throw new Error(`the local cloud did not start on ${url}${exited !== null ? ` (exit code ${exited})` : ''}; log ${logFile}:\n${tail}`);
}

/**
 * How to start this same CLI in a child process: the built launcher normally, or the TypeScript
 * sources through tsx when running from src/ (tests, `node --import tsx`).
 */
function cliInvocation(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const cliTs = new URL('../cli.ts', import.meta.url).href;
    return ['--import', import.meta.resolve('tsx'), '-e', `import(${JSON.stringify(cliTs)}).then((m) => m.main(process.argv))`, '--', 'regionctl'];
  }
  return [fileURLToPath(new URL('../../bin/regionctl', import.meta.url))];
}

/** Run the local cloud in this process until SIGINT/SIGTERM (what the daemon process does). */
export async function runForeground(opts: { cwd: string; port?: number; timeScale?: number; dnsPort?: number; signal?: AbortSignal; onReady?: (info: DaemonInfo) => void }): Promise<void> {
  const { startLocalCloud } = await import('./server.js');
  const { ScaledClock } = await import('./clock.js');
  const { writeFileAtomic } = await import('./persistence/files.js');
  const dir = localDir(opts.cwd);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  // REGIONCTL_LOCAL_FSYNC=1: acknowledged writes and the clock mark also survive power loss.
  const fsync = /^(1|true|yes)$/i.test(process.env.REGIONCTL_LOCAL_FSYNC ?? '');
  // Cloud time never runs backwards across restarts, even when it ran ahead at a time scale > 1
  // and the daemon was killed: the clock leases a high-water mark ahead of itself (clock.ts).
  const timeScale = opts.timeScale ?? DEFAULT_TIME_SCALE;
  const saveMark = (ms: number) => {
    try {
      writeFileAtomic(clockFile(opts.cwd), JSON.stringify({ now: ms }), fsync);
    } catch (error) {
      process.stdout.write(`${new Date().toISOString()} clock: could not save the time mark (${(error as Error).message})\n`);
    }
  };
  const clock = new ScaledClock(timeScale, Math.max(Date.now(), await readClockMark(opts.cwd)), { save: saveMark });
  const cloud = await startLocalCloud({
    port: opts.port ?? DEFAULT_PORT,
    dnsPort: opts.dnsPort ?? DEFAULT_DNS_PORT,
    clock,
    dataDir,
    fsync,
    log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  });
  const info: DaemonInfo = {
    pid: process.pid,
    port: cloud.port,
    url: cloud.url,
    timeScale,
    dnsPort: cloud.dnsPort,
    startedAt: new Date().toISOString(),
    dataDir,
    logFile: join(dir, 'daemon.log'),
  };
  writeFileAtomic(infoFile(opts.cwd), JSON.stringify(info, null, 2), false);
  opts.onReady?.(info);
  // Stop on the command's abort signal (the CLI turns SIGINT/SIGTERM into it), or on the signals
  // themselves when run without one.
  await new Promise<void>((resolve) => {
    if (opts.signal) {
      if (opts.signal.aborted) resolve();
      opts.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await cloud.close();
  // The exact time, not the lease: a clean restart continues where this one stopped.
  saveMark(clock.now());
  if (readDaemonInfo(opts.cwd)?.pid === process.pid) rmSync(infoFile(opts.cwd), { force: true });
}

// The clock's saved high-water mark (0 when there is none yet).
async function readClockMark(cwd: string): Promise<number> {
  const file = clockFile(cwd);
  if (!existsSync(file)) return 0;
  const { CorruptStateError } = await import('./persistence/errors.js');
  let now: unknown;
  try {
    now = (JSON.parse(readFileSync(file, 'utf8')) as { now?: unknown }).now;
  } catch (error) {
    throw new CorruptStateError(file, (error as Error).message, error);
  }
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new CorruptStateError(file, 'no "now" time in it');
  return now;
}

/** Stop the daemon started from this directory; true when one was running. */
export async function stopDaemon(cwd: string, waitMs = 10_000): Promise<boolean> {
  const info = readDaemonInfo(cwd);
  if (!info || !isAlive(info.pid)) {
    rmSync(infoFile(cwd), { force: true });
    return false;
  }
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && isAlive(info.pid)) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
  rmSync(infoFile(cwd), { force: true });
  return true;
}

/** Wipe all local cloud state (restarting the daemon if it was running). */
export async function resetDaemon(cwd: string): Promise<{ restarted: boolean; url?: string }> {
  const info = readDaemonInfo(cwd);
  const wasRunning = await stopDaemon(cwd);
  rmSync(join(localDir(cwd), 'data'), { recursive: true, force: true });
  rmSync(clockFile(cwd), { force: true });
  if (!wasRunning) return { restarted: false };
  const started = await startDaemon({ cwd, port: info?.port, timeScale: info?.timeScale });
  return { restarted: true, url: started.url };
}

/** What `--local` calls: the URL of a running local cloud, starting one if needed. */
export async function ensureLocalCloud(opts: { cwd: string; port?: number; timeScale?: number }): Promise<{ url: string; started: boolean }> {
  const result = await startDaemon(opts);
  return { url: result.url, started: !result.alreadyRunning };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
