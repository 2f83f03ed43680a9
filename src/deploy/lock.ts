import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { targetKey, targetLabel, type CloudTarget } from '../aws/target.js';
import { Interrupted, RegionctlError } from '../errors.js';
import { writeSyncedFile } from '../synced-file.js';
import { wallClock, type Sleeper } from '../wait.js';

/**
 * One stage, one writer. deploy, destroy and every drill that changes a stage hold this lock, so two
 * deploys never race on one change set and two drills never each see "enough healthy regions" and
 * together break them all. A lock is a file created atomically (write a temp file, then link(2) it
 * into place: link fails with EEXIST if the lock exists, and the lock never appears half-written).
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** What the holder runs, e.g. "drill failover --region us-east-1". */
  command: string;
  startedAt: string;
  /** Tells one incarnation of the lock from the next (pids are reused). */
  nonce: string;
  service: string;
  stage: string;
  target: CloudTarget;
}

export class StageLocked extends RegionctlError {
  constructor(
    readonly holder: LockHolder | undefined,
    readonly path: string,
    what: string,
  ) {
    super(
      'StageLocked',
      holder
        ? `${what} is locked by pid ${holder.pid} (${holder.command}) since ${holder.startedAt}${holder.hostname !== osHostname() ? ` on host ${holder.hostname}` : ''}`
        : `${what} is locked (the lock file ${path} cannot be read)`,
      1,
      {
        hint: holder
          ? `wait for it to finish, or run again with --wait [duration]; if pid ${holder.pid} on ${holder.hostname} is really gone, delete ${path}`
          : `if no other regionctl runs, delete ${path}`,
      },
    );
  }
}

export interface LockOptions {
  /** The project directory; locks live in <cwd>/.regionctl/locks/. */
  cwd: string;
  service: string;
  stage: string;
  target: CloudTarget;
  command: string;
  /** Milliseconds to wait for a held lock; 0 (the default) refuses at once. */
  waitMs?: number;
  /** Milliseconds between attempts while waiting. */
  pollMs?: number;
  clock?: Sleeper;
  signal?: AbortSignal;
  /** Called once when the lock is busy and the caller waits. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Test seams: identity of this process and the liveness probe. */
  pid?: number;
  hostname?: string;
  isAlive?: (pid: number) => boolean;
}

export function locksDir(cwd: string): string {
  return join(cwd, '.regionctl', 'locks');
}

export function stageLockPath(cwd: string, t: { service: string; stage: string; target: CloudTarget }): string {
  return join(locksDir(cwd), `${targetKey(t.target)}-${t.service}-${t.stage}.lock`);
}

/** A held lock. `release()` is idempotent; the process's exit releases it too (process.exit on a second Ctrl-C). */
export class StageLock {
  private released = false;
  private readonly onExit = () => this.release();

  constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {
    process.on('exit', this.onExit);
  }

  get held(): boolean {
    return !this.released;
  }

  /** Remove the lock file, but only while it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    const current = readHolder(this.path);
    if (current?.nonce === this.holder.nonce) rmSync(this.path, { force: true });
  }
}

/**
 * Take the stage's lock. A lock whose holder is a dead process on this host is stale and taken
 * over; a live one (or one from another host, whose pid cannot be checked) makes the caller wait
 * up to waitMs, then fail with StageLocked.
 */
export async function acquireStageLock(opts: LockOptions): Promise<StageLock> {
  const path = stageLockPath(opts.cwd, opts);
  const clock = opts.clock ?? wallClock;
  const isAlive = opts.isAlive ?? pidAlive;
  const host = opts.hostname ?? osHostname();
  const me: LockHolder = {
    pid: opts.pid ?? process.pid,
    hostname: host,
    command: opts.command,
    startedAt: new Date().toISOString(),
    nonce: randomUUID(),
    service: opts.service,
    stage: opts.stage,
    target: opts.target,
  };
  const what = `${opts.service}/${opts.stage} on ${targetLabel(opts.target)}`;
  const deadline = clock.now() + (opts.waitMs ?? 0);
  mkdirSync(dirname(path), { recursive: true });
  let told = false;
  const takeoverGrace = clock.now() + 1000;
  for (;;) {
    if (opts.signal?.aborted) throw new Interrupted();
    if (createExclusive(path, me)) return new StageLock(path, me);
    const holder = readHolder(path);
    if (holder === null) continue; // released between our attempt and the read: try again at once
    const stale = holder !== undefined && holder.hostname === host && !isAlive(holder.pid);
    if (stale) {
      const outcome = takeOver(path, holder, me, isAlive, host);
      if (outcome === 'won') return new StageLock(path, me);
      if (outcome === 'retry') continue;
      // 'busy': another process is taking it over right now (a guard is held for microseconds);
      // give it a moment even when not asked to wait, then see who won.
      if (clock.now() < takeoverGrace) {
        await clock.sleep(20, opts.signal);
        continue;
      }
    }
    if (clock.now() >= deadline) throw new StageLocked(holder, path, what);
    if (!told) {
      told = true;
      opts.onWait?.(holder);
    }
    await clock.sleep(Math.min(opts.pollMs ?? 250, Math.max(1, deadline - clock.now())), opts.signal);
  }
}

/**
 * Replace a stale lock so that two processes taking it over at once cannot both win. Only the
 * process that creates the guard file `<lock>.takeover-<stale nonce>-<n>` may touch that stale lock;
 * guards are created like locks (exclusively). If a guard's creator died (a crash in the few
 * microseconds it is held), the next generation n+1 is used; a dead guard is never removed by
 * anyone else, so at most one live process ever holds a guard for a given stale lock.
 */
function takeOver(path: string, stale: LockHolder, me: LockHolder, isAlive: (pid: number) => boolean, host: string): 'won' | 'retry' | 'busy' {
  for (let generation = 1; generation < 64; generation++) {
    const guardPath = `${path}.takeover-${stale.nonce}-${generation}`;
    if (!createExclusive(guardPath, me)) {
      const guard = readHolder(guardPath);
      if (guard === null) return 'retry';
      if (guard === undefined || guard.hostname !== host || isAlive(guard.pid)) return 'busy';
      continue;
    }
    try {
      const current = readHolder(path);
      if (current === null || current?.nonce !== stale.nonce) return 'retry';
      unlinkSync(path);
      if (!createExclusive(path, me)) return 'retry';
      removeGuards(path, stale.nonce);
      return 'won';
    } finally {
      rmSync(guardPath, { force: true });
    }
  }
  return 'busy';
}

function removeGuards(path: string, nonce: string): void {
  const prefix = `${basename(path)}.takeover-${nonce}-`;
  try {
    // Guards only (`…-<n>`): another taker's half-made guard (`…-<n>.<pid>.<id>.tmp`) is its own to remove.
    for (const f of readdirSync(dirname(path))) if (f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length))) rmSync(join(dirname(path), f), { force: true });
  } catch {
    // only tidying
  }
}

/** Create `path` with the holder's record, atomically and only if it does not exist. */
function createExclusive(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${holder.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeSyncedFile(tmp, JSON.stringify(holder, null, 2) + '\n');
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The holder recorded in a lock file: null when the file is gone, undefined when it cannot be read. */
export function readHolder(path: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return undefined;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return typeof h.pid === 'number' && typeof h.nonce === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence without touching the process; EPERM means it exists under another user. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
