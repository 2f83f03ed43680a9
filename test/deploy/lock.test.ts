import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStageLock, locksDir, readHolder, stageLockPath, StageLocked, type LockHolder } from '../../src/deploy/lock.js';
import type { Sleeper } from '../../src/wait.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(root, 'test/deploy/fixtures/take-lock.ts');
const target = { endpoint: 'http://127.0.0.1:1', account: '000000000000' };
let cwd: string;
const base = () => ({ cwd, service: 'shop', stage: 'test', target, command: 'deploy' });

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'regionctl-lock-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** A clock that only moves when slept on; `onSleep` runs at each sleep (e.g. the holder finishing). */
function fakeClock(onSleep: (n: number) => void = () => {}): Sleeper & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      clock.slept++;
      now += ms;
      onSleep(clock.slept);
    },
  };
  return clock;
}

/** The pid of a process that has exited (and been reaped): certainly not alive. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

function plantLock(holder: Partial<LockHolder>): string {
  const path = stageLockPath(cwd, base());
  mkdirSync(dirname(path), { recursive: true });
  const full: LockHolder = {
    pid: 1,
    hostname: hostname(),
    command: 'drill failover --region us-east-1',
    startedAt: '2026-12-01T09:00:00.000Z',
    nonce: 'stale-nonce',
    service: 'shop',
    stage: 'test',
    target,
    ...holder,
  };
  writeFileSync(path, JSON.stringify(full));
  return path;
}

describe('stage lock', () => {
  it('records who holds it, under .regionctl/locks/<target>-<service>-<stage>.lock, and release removes it', async () => {
    const lock = await acquireStageLock(base());
    expect(lock.path.startsWith(locksDir(cwd))).toBe(true);
    expect(lock.path).toMatch(/127\.0\.0\.1-1-[0-9a-f]{8}-000000000000-shop-test\.lock$/);
    const onDisk = readHolder(lock.path)!;
    expect(onDisk).toMatchObject({ pid: process.pid, hostname: hostname(), command: 'deploy', service: 'shop', stage: 'test' });
    expect(Date.parse(onDisk.startedAt)).not.toBeNaN();
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    expect(readdirSync(locksDir(cwd))).toEqual([]); // no temp files left behind
  });

  it('refuses a second holder with who holds it and since when (exit 1)', async () => {
    const first = await acquireStageLock({ ...base(), command: 'drill failover --region us-east-1' });
    try {
      const err = await acquireStageLock({ ...base(), command: 'drill failover --region us-west-2' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StageLocked);
      expect(err).toMatchObject({ code: 'StageLocked', exitCode: 1 });
      expect((err as Error).message).toBe(
        `shop/test on http://127.0.0.1:1 (account 000000000000) is locked by pid ${process.pid} (drill failover --region us-east-1) since ${first.holder.startedAt}`,
      );
      expect((err as StageLocked).hint).toMatch(/--wait/);
    } finally {
      first.release();
    }
  });

  it('keys the lock by target, service and stage: other stages and clouds are independent', async () => {
    const a = await acquireStageLock(base());
    const b = await acquireStageLock({ ...base(), stage: 'prod' });
    const c = await acquireStageLock({ ...base(), target: { endpoint: null, account: '123456789012' } });
    expect(new Set([a.path, b.path, c.path]).size).toBe(3);
    expect(c.path).toMatch(/aws-123456789012-shop-test\.lock$/);
    for (const l of [a, b, c]) l.release();
  });

  it('--wait: waits for the holder to finish, then takes the lock', async () => {
    const first = await acquireStageLock(base());
    let waitedFor: LockHolder | undefined;
    const clock = fakeClock((n) => n === 3 && first.release());
    const second = await acquireStageLock({ ...base(), waitMs: 60_000, clock, onWait: (h) => (waitedFor = h) });
    expect(clock.slept).toBe(3);
    expect(waitedFor?.nonce).toBe(first.holder.nonce);
    expect(readHolder(second.path)?.nonce).toBe(second.holder.nonce);
    second.release();
  });

  it('--wait gives up at its deadline with StageLocked', async () => {
    const first = await acquireStageLock(base());
    try {
      const clock = fakeClock();
      await expect(acquireStageLock({ ...base(), waitMs: 5_000, pollMs: 1_000, clock })).rejects.toMatchObject({ code: 'StageLocked' });
      expect(clock.now()).toBe(5_000);
    } finally {
      first.release();
    }
  });

  it('takes over a stale lock left by a dead process on this host', async () => {
    const path = plantLock({ pid: await deadPid() });
    const lock = await acquireStageLock(base());
    expect(lock.path).toBe(path);
    expect(readHolder(path)).toMatchObject({ pid: process.pid, nonce: lock.holder.nonce });
    lock.release();
    expect(readdirSync(locksDir(cwd))).toEqual([]); // takeover guards tidied too
  });

  it('never takes over a lock of a live process, nor one from another host (its pid cannot be checked)', async () => {
    plantLock({ pid: process.pid, nonce: 'live' });
    await expect(acquireStageLock(base())).rejects.toMatchObject({ code: 'StageLocked' });
    plantLock({ pid: await deadPid(), hostname: 'build-agent-7' });
    const err = (await acquireStageLock(base()).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'StageLocked' });
    expect(err.message).toMatch(/on host build-agent-7/);
  });

  it('a takeover guard left by a process that died mid-takeover does not wedge the lock', async () => {
    const dead = await deadPid();
    const path = plantLock({ pid: dead });
    // As if a taker died between creating its guard and replacing the lock.
    writeFileSync(`${path}.takeover-stale-nonce-1`, JSON.stringify({ pid: dead, hostname: hostname(), nonce: 'guard' }));
    const lock = await acquireStageLock(base());
    expect(readHolder(path)?.nonce).toBe(lock.holder.nonce);
    lock.release();
  });

  it('an unreadable lock file is reported, never removed', async () => {
    const path = stageLockPath(cwd, base());
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'not json');
    await expect(acquireStageLock(base())).rejects.toMatchObject({ code: 'StageLocked', message: expect.stringMatching(/cannot be read/) });
    expect(readFileSync(path, 'utf8')).toBe('not json');
  });

  it('when several processes take over the same stale lock at once, exactly one wins', async () => {
    plantLock({ pid: await deadPid() });
    const startAt = Date.now() + 4000; // every child loaded and spinning before the race starts
    const children = Array.from({ length: 5 }, () =>
      spawn(process.execPath, ['--import', 'tsx', fixture, cwd, String(startAt), 'race'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const answers = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ child: typeof child; answer: string }>((resolve) => {
            let out = '';
            child.stdout.on('data', (c: Buffer) => {
              out += c.toString();
              if (out.includes('\n')) resolve({ child, answer: out.trim() });
            });
          }),
      ),
    );
    for (const { child } of answers) child.stdin.end();
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.on('exit', r) : r(null)))));
    expect(answers.map((a) => a.answer).sort()).toEqual(['locked', 'locked', 'locked', 'locked', 'won']);
    expect(readdirSync(locksDir(cwd))).toEqual([]);
  });

  it('process.exit (a second Ctrl-C) releases the lock on the way out', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, cwd, '0', 'exit'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    expect(out).toBe('held\n');
    expect(code).toBe(130);
    expect(readdirSync(locksDir(cwd))).toEqual([]);
  });
});
