import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalCredentials } from './sigv4-verify.js';
import type { ClientLocationMode, RealismProfile } from './realism.js';
import { bufferedLog } from './daemon-log.js';

// The local cloud as a background process shared by separate CLI invocations. Pid, log and state
// live under <cwd>/.regionctl/local/; state (and the cloud's clock) survive stop/start.

export const DEFAULT_PORT = 4566;
// One cloud minute per wall second: alarm periods, health-check intervals and schedules are
// minutes long on AWS, and a demo or drill should take seconds. `--time-scale 1` is real time.
export const DEFAULT_TIME_SCALE = 60;
/** Real seconds without a client after which the daemon's clock rests at real time (rest.ts). */
export const DEFAULT_REST_AFTER_SECONDS = 30;
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
  /** Real seconds without a client before its clock rests at real time; null when it never rests. */
  restAfterSeconds?: number | null;
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

export interface Health {
  now: string;
  timeScale: number;
  pid: number;
  dnsPort?: number | null;
  /** Timing profile and client location mode (absent from daemons older than them: fast, subnets). */
  realism?: string;
  clientLocation?: string;
  /** Whether the clock rests at real time without clients (rest.ts); null when it never does. */
  rest?: { resting: boolean; activeScale: number; restScale: number; restAfterSeconds: number } | null;
}

/** Ask a local cloud on this port whether it is up (1 s budget by default: it is on loopback). */
export async function probe(url: string, timeoutMs = 1000): Promise<Health | undefined> {
  try {
    const res = await fetch(`${url}/_localcloud/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as Health & { service?: string };
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
  return { running: true, url, info, now: health.now, timeScale: health.timeScale, dnsPort: health.dnsPort ?? undefined, restAfterSeconds: health.rest?.restAfterSeconds ?? null };
}

/** Start flags that a running daemon does not match (it keeps what it was started with). */
export function mismatchedFlags(
  info: Pick<Health, 'timeScale' | 'dnsPort' | 'realism' | 'clientLocation' | 'rest'> | undefined,
  wanted: { timeScale?: number; dnsPort?: number; realism?: string; clientLocation?: string; restAfter?: number },
): string[] {
  if (!info) return [];
  const out: string[] = [];
  if (wanted.timeScale !== undefined && wanted.timeScale !== info.timeScale) out.push(`--time-scale ${wanted.timeScale} (it runs at ${info.timeScale})`);
  if (wanted.dnsPort !== undefined && wanted.dnsPort !== 0 && wanted.dnsPort !== info.dnsPort) out.push(`--dns-port ${wanted.dnsPort} (its DNS is on ${info.dnsPort ?? 'no port'})`);
  if (wanted.realism !== undefined && wanted.realism !== (info.realism ?? 'fast')) out.push(`--realism ${wanted.realism} (it runs ${info.realism ?? 'fast'})`);
  if (wanted.clientLocation !== undefined && wanted.clientLocation !== (info.clientLocation ?? 'subnets')) {
    out.push(`--client-location ${wanted.clientLocation} (it runs ${info.clientLocation ?? 'subnets'})`);
  }
  // `rest` is absent from daemons older than resting; null from one that never rests.
  const restsAfter = info.rest?.restAfterSeconds ?? 0;
  if (wanted.restAfter !== undefined && info.rest !== undefined && wanted.restAfter !== restsAfter) {
    out.push(`--rest-after ${wanted.restAfter === 0 ? 'never' : `${wanted.restAfter}s`} (it ${restsAfter === 0 ? 'never rests' : `rests after ${restsAfter}s`})`);
  }
  return out;
}

export interface StartOptions {
  cwd: string;
  port?: number;
  timeScale?: number;
  dnsPort?: number;
  /** Verify SigV4 with the REGIONCTL_LOCAL_* keys from the environment (the child inherits it). */
  requireAuth?: boolean;
  realism?: RealismProfile;
  clientLocation?: ClientLocationMode;
  /** Seconds without a client before the clock rests at real time (rest.ts); 0 never rests. Default 30. */
  restAfterSeconds?: number;
  /** How long to wait for the daemon to answer (wall time). */
  waitMs?: number;
}

/**
 * Start the daemon unless one already answers on the port. Port 0 (and a DNS port 0) let the OS
 * pick free ports: the daemon records what it bound in daemon.json, which is read back here.
 */
export async function startDaemon(opts: StartOptions): Promise<{ url: string; alreadyRunning: boolean; info?: DaemonInfo; running?: Health }> {
  const port = opts.port ?? DEFAULT_PORT;
  const waitMs = opts.waitMs ?? 15_000;
  const url = `http://127.0.0.1:${port}`;
  if (port === 0) {
    const recorded = readDaemonInfo(opts.cwd);
    const running = recorded && isAlive(recorded.pid) ? await probe(recorded.url) : undefined;
    if (recorded && running) return { url: recorded.url, alreadyRunning: true, info: recorded, running };
  } else {
    const running = await probe(url);
    if (running) return { url, alreadyRunning: true, info: readDaemonInfo(opts.cwd), running };
    // Something holds the port but missed the quick health check: a local cloud busy on a loaded
    // machine (wait for it rather than start a second one, which could only fail to bind), or
    // another program (say so, instead of failing inside the child).
    if (await accepts(port)) {
      const slow = await probe(url, waitMs);
      if (slow) return { url, alreadyRunning: true, info: readDaemonInfo(opts.cwd), running: slow };
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
  if (opts.requireAuth) args.push('--require-auth');
  if (opts.realism) args.push('--realism', opts.realism);
  if (opts.clientLocation) args.push('--client-location', opts.clientLocation);
  if (opts.restAfterSeconds !== undefined) args.push('--rest-after', opts.restAfterSeconds === 0 ? 'never' : `${opts.restAfterSeconds}s`);
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
    // Wait for the child's own record: it is written once it listens, and tells the bound ports.
    const target = info !== undefined && info.pid === child.pid ? info.url : undefined;
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
export async function runForeground(opts: { cwd: string; port?: number; timeScale?: number; dnsPort?: number; requireAuth?: LocalCredentials; realism?: RealismProfile; clientLocation?: ClientLocationMode; restAfterSeconds?: number; signal?: AbortSignal; onReady?: (info: DaemonInfo) => void }): Promise<void> {
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
  const daemonLog = bufferedLog((text) => process.stdout.write(text));
  const cloud = await startLocalCloud({
    port: opts.port ?? DEFAULT_PORT,
    dnsPort: opts.dnsPort ?? DEFAULT_DNS_PORT,
    clock,
    dataDir,
    fsync,
    ...(opts.requireAuth ? { requireAuth: [opts.requireAuth] } : {}),
    ...(opts.realism ? { realism: opts.realism } : {}),
    ...(opts.clientLocation ? { clientLocation: opts.clientLocation } : {}),
    // The clock rests at real time while no client talks to the daemon (rest.ts).
    ...((opts.restAfterSeconds ?? DEFAULT_REST_AFTER_SECONDS) > 0 ? { rest: { afterMs: (opts.restAfterSeconds ?? DEFAULT_REST_AFTER_SECONDS) * 1000 } } : {}),
    log: daemonLog.line,
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
  daemonLog.flush();
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

export interface StopOptions {
  /** Stop the local cloud answering on this port (whichever directory started it). */
  port?: number;
  waitMs?: number;
}

/**
 * Stop the daemon started from this directory, or with `port` the one answering there; true when
 * one was running.
 */
export async function stopDaemon(cwd: string, opts: StopOptions = {}): Promise<boolean> {
  const info = readDaemonInfo(cwd);
  let pid: number | undefined;
  if (opts.port !== undefined) {
    // The daemon on that port says who it is; a daemon recorded here but on another port is not it.
    pid = (await probe(`http://127.0.0.1:${opts.port}`))?.pid;
    if (pid === undefined && info?.port === opts.port && isAlive(info.pid)) pid = info.pid;
  } else if (info && isAlive(info.pid)) {
    pid = info.pid;
  }
  // The record here goes when it names the stopped daemon or a dead one, never a live daemon on another port.
  const forgetInfo = (): void => {
    const recorded = readDaemonInfo(cwd);
    if (recorded && (recorded.pid === pid || !isAlive(recorded.pid))) rmSync(infoFile(cwd), { force: true });
  };
  if (pid === undefined || pid === process.pid || !isAlive(pid)) {
    forgetInfo();
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  while (Date.now() < deadline && isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  forgetInfo();
  return true;
}

export interface ResetOptions {
  /** Which daemon to reset and where to restart it (default: the one recorded here). */
  port?: number;
  /** Restart with this time scale / DNS port instead of the previous daemon's. */
  timeScale?: number;
  dnsPort?: number;
}

/** Wipe all local cloud state (restarting the daemon if it was running). */
export async function resetDaemon(cwd: string, opts: ResetOptions = {}): Promise<{ restarted: boolean; url?: string; info?: DaemonInfo }> {
  const info = readDaemonInfo(cwd);
  const wasRunning = await stopDaemon(cwd, { port: opts.port });
  rmSync(join(localDir(cwd), 'data'), { recursive: true, force: true });
  rmSync(clockFile(cwd), { force: true });
  if (!wasRunning) return { restarted: false };
  // Flags win; otherwise the restarted daemon keeps what the stopped one had, DNS port included
  // (without it the restart would take 5353 even when the user had chosen another port).
  const started = await startDaemon({
    cwd,
    port: opts.port ?? info?.port,
    timeScale: opts.timeScale ?? info?.timeScale,
    dnsPort: opts.dnsPort ?? info?.dnsPort,
  });
  return { restarted: true, url: started.url, info: started.info };
}

/** What `--local` calls: the URL of a running local cloud, starting one if needed. */
export async function ensureLocalCloud(opts: { cwd: string; port?: number; timeScale?: number; dnsPort?: number }): Promise<{ url: string; started: boolean; running?: Health }> {
  const result = await startDaemon(opts);
  return { url: result.url, started: !result.alreadyRunning, running: result.running };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
