import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

// Runs the built CLI the way a user does: `node bin/regionctl ...` in a child process, which loads
// dist/. Shared by the end-to-end suites.

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(root, 'bin', 'regionctl');
const distEntry = join(root, 'dist', 'cli.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * bin/regionctl runs dist/, which `npm ci` builds (prepare) but an edit to src/ does not: build it
 * when it is missing or older than any source file, so the suite never tests stale code.
 */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(distEntry) && statSync(distEntry).mtimeMs >= newestMtime(join(root, 'src'))) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
}

/**
 * The environment of a user with nothing configured: no AWS profile or endpoint from this machine
 * leaks in. The keys are the local cloud's (`--endpoint` reads them; `--local` brings its own).
 */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1',
    ...extra,
  };
}

/** Run `node bin/regionctl ...args` in `cwd`; killed (and reported) after `timeoutMs`. */
export function regionctl(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[e2e] regionctl ${args.join(' ')} killed after ${opts.timeoutMs ?? 120_000} ms\n`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The one JSON document `--json` promises on stdout (and nothing else there). */
export function jsonOf<T = any>(exit: Exit): T {
  try {
    return JSON.parse(exit.stdout) as T;
  } catch (err) {
    throw new Error(`stdout is not one JSON document (exit ${exit.code}):\n${exit.stdout}\n--- stderr:\n${exit.stderr}`, { cause: err });
  }
}

/** A readable failure message for expect(): the command and what it printed. */
export function describeExit(args: string[], exit: Exit): string {
  return `regionctl ${args.join(' ')} → exit ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}\n--- stdout:\n${exit.stdout.slice(0, 4000)}\n--- stderr:\n${exit.stderr.slice(-4000)}`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A local-cloud daemon a suite starts on ports the OS picks (`local start --port 0`), and stops: only that one. */
export interface SuiteDaemon {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startSuiteDaemon(run: (args: string[]) => Promise<Exit>, extraArgs: readonly string[] = []): Promise<SuiteDaemon> {
  const args = ['local', 'start', '--port', '0', '--dns-port', '0', ...extraArgs, '--json'];
  const exit = await run(args);
  if (exit.code !== 0) throw new Error(describeExit(args, exit));
  const { url, port, pid } = jsonOf<{ url: string; port: number; pid: number }>(exit);
  return {
    url,
    port,
    pid,
    async stop() {
      if (!isAlive(pid)) return;
      await run(['local', 'stop', '--port', String(port)]);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL'); // only the daemon this suite started
    },
  };
}

/** An e2e suite's own directory, environment and local-cloud daemon, started before its tests and stopped after. */
export interface E2eSuite {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], timeoutMs?: number): Promise<Exit>;
  /** The daemon's URL, port and pid (throws before beforeAll has started it). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
}

/**
 * Registers the beforeAll/afterAll of a suite that runs bin/regionctl against a daemon of its own:
 * a temp directory (with `config` as its regionctl.yml, and `setup` for anything else), the build,
 * the daemon on OS-picked ports (with `daemonArgs` added to its `local start`, e.g. a time scale);
 * afterwards the daemon is stopped and the directory removed.
 */
export function e2eSuite(prefix: string, opts: { config?: string; setup?: (dir: string) => void; daemonArgs?: readonly string[] } = {}): E2eSuite {
  const dir = mkdtempSync(join(tmpdir(), `regionctl-e2e-${prefix}-`));
  const env = cleanEnv(dir);
  let daemon: SuiteDaemon | undefined;
  const started = (): SuiteDaemon => {
    if (!daemon) throw new Error(`the ${prefix} suite's local cloud has not started`);
    return daemon;
  };
  const run = (args: string[], timeoutMs?: number): Promise<Exit> => regionctl(args, { cwd: dir, env, timeoutMs });
  beforeAll(async () => {
    await ensureBuilt();
    if (opts.config !== undefined) writeFileSync(join(dir, 'regionctl.yml'), opts.config);
    opts.setup?.(dir);
    daemon = await startSuiteDaemon(run, opts.daemonArgs);
  }, 300_000);
  afterAll(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    env,
    run,
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get pid() {
      return started().pid;
    },
  };
}
