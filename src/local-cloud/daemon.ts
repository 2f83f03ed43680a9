import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The local cloud as a background process shared by separate CLI invocations. Pid, log and state
// live under <cwd>/.regionctl/local/; state (and the cloud's clock) survive stop/start.

export const DEFAULT_PORT = 4566;
// One cloud minute per wall second: alarm periods, health-check intervals and schedules are
// minutes long on AWS, and a demo or drill should take seconds. `--time-scale 1` is real time.
export const DEFAULT_TIME_SCALE = 60;
export const DEFAULT_DNS_PORT = 5353;

/**
 * Why the daemon could not be reached or started. The local cloud imports nothing from the CLI, so
 * the commands turn this into a RegionctlError (exit 1, message and hint, no stack).
 */
export class DaemonError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DaemonError';
  }
}

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
  /** The DNS server's UDP port, as the daemon reports it. */
  dnsPort?: number;
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

/** Ask a local cloud on this port whether it is up (1 s budget by default: it is on loopback). */
export async function probe(url: string, timeoutMs = 1000): Promise<{ now: string; timeScale: number; pid: number; dnsPort?: number | null } | undefined> {
  try {
    const res = await fetch(`${url}/_localcloud/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { service?: string; now: string; timeScale: number; pid: number; dnsPort?: number | null };
    return body.service === 'regionctl-local-cloud' ? body : undefined;
  } catch {
    return undefined;
  }
}

export async function daemonStatus(cwd: string, port?: number): Promise<DaemonStatus> {
  const info = readDaemonInfo(cwd);
  // Port 0 means "whichever port this directory's daemon bound".
  const url = `http://127.0.0.1:${port || info?.port || DEFAULT_PORT}`;
  const health = await probe(url);
  if (!health) return { running: false, info };
  return { running: true, url, info, now: health.now, timeScale: health.timeScale, dnsPort: health.dnsPort ?? undefined };
}

export interface StartOptions {
  cwd: string;
  port?: number;
  timeScale?: number;
  dnsPort?: number;
  /** How long to wait for the daemon to answer (wall time). */
  waitMs?: number;
}

/**
 * Start the daemon unless one already answers on the port. Port 0 (and a DNS port 0) let the OS
 * pick free ports: the daemon records what it bound in daemon.json, which is read back here.
 */
export async function startDaemon(opts: StartOptions): Promise<{ url: string; alreadyRunning: boolean; info?: DaemonInfo }> {
  const port = opts.port ?? DEFAULT_PORT;
  const waitMs = opts.waitMs ?? 15_000;
  const url = `http://127.0.0.1:${port}`;
  if (port === 0) {
    const running = readDaemonInfo(opts.cwd);
    if (running && isAlive(running.pid) && (await probe(running.url))) return { url: running.url, alreadyRunning: true, info: running };
  } else {
    if (await probe(url)) return { url, alreadyRunning: true, info: readDaemonInfo(opts.cwd) };
    // Something holds the port but missed the quick health check: a local cloud busy on a loaded
    // machine (wait for it rather than start a second one, which could only fail to bind), or
    // another program (say so, instead of failing inside the child).
    if (await accepts(port)) {
      if (await probe(url, waitMs)) return { url, alreadyRunning: true, info: readDaemonInfo(opts.cwd) };
      throw new DaemonError('LocalCloudPortInUse', `port ${port} on 127.0.0.1 is in use by a program that is not the local cloud`, 'pick another port with --port (0 picks a free one), or stop that program');
    }
  }
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
  const deadline = Date.now() + waitMs;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  while (Date.now() < deadline) {
    // The daemon writes daemon.json once it listens; with port 0 that is the only way to learn its URL.
    const info = readDaemonInfo(opts.cwd);
    const target = port === 0 ? (info !== undefined && info.pid === child.pid ? info.url : undefined) : url;
    if (target && (await probe(target))) return { url: target, alreadyRunning: false, info };
    if (exited !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-6).join('\n') : '';
  const why = `the local cloud did not start on 127.0.0.1:${port}${exited !== null ? ` (exit code ${exited})` : ''}; the end of ${logFile}:\n${tail}`;
  throw new DaemonError('LocalCloudStartFailed', why, 'a busy port can be avoided with --port (0 picks a free one)');
}

/** Whether something accepts TCP connections on this loopback port (a timeout counts as yes: a busy listener). */
function accepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (yes: boolean) => {
      socket.destroy();
      resolve(yes);
    };
    socket.setTimeout(timeoutMs, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
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
  const dir = localDir(opts.cwd);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  // Cloud time never runs backwards across restarts, even when it ran ahead at a time scale > 1.
  let lastNow = 0;
  try {
    lastNow = JSON.parse(readFileSync(clockFile(opts.cwd), 'utf8')).now;
  } catch {
    lastNow = 0;
  }
  const timeScale = opts.timeScale ?? DEFAULT_TIME_SCALE;
  const clock = new ScaledClock(timeScale, Math.max(Date.now(), lastNow));
  const cloud = await startLocalCloud({
    port: opts.port ?? DEFAULT_PORT,
    dnsPort: opts.dnsPort ?? DEFAULT_DNS_PORT,
    clock,
    dataDir,
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
  writeFileSync(infoFile(opts.cwd), JSON.stringify(info, null, 2));
  const saveClock = () => writeFileSync(clockFile(opts.cwd), JSON.stringify({ now: clock.now() }));
  const clockTimer = setInterval(saveClock, 5000);
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
  clearInterval(clockTimer);
  saveClock();
  await cloud.close();
  if (readDaemonInfo(opts.cwd)?.pid === process.pid) rmSync(infoFile(opts.cwd), { force: true });
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
  // Restart as it ran: same ports (including a DNS port the OS picked) and time scale.
  const started = await startDaemon({ cwd, port: info?.port, timeScale: info?.timeScale, dnsPort: info?.dnsPort });
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
