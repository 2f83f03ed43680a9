import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createContext } from '../../src/commands/context.js';
import { deployCommand } from '../../src/commands/deploy.js';
import { locksDir } from '../../src/deploy/lock.js';
import { drillsDir } from '../../src/drill/journal.js';
import { createMemoryIo } from '../../src/io/index.js';
import { ScaledClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { regionStatus } from '../../src/observe/region-status.js';

// kill -9 of a real `node bin/regionctl drill ...` at many points, each followed by a real
// `regionctl drill restore --all`, which must leave zero faults: no check function with
// UNHEALTHY=true, no journal record for this cloud, no lock left to block the next run. A record
// made against another cloud (AWS) sits in the journal throughout and must come out untouched.
//
// The local cloud runs in this process on port 0 with a scaled clock (the daemon's default 60x),
// so the drill child measures and sleeps in cloud time like it would against `regionctl local`.
// REGIONCTL_CRASH_FULL=1 runs every crash point; without it (npm test) a short form runs.
const FULL = process.env.REGIONCTL_CRASH_FULL === '1';
const SCALE = 60;
const REGIONS = ['us-east-1', 'us-west-2'];
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/regionctl');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
// Services the drill itself calls; the deployed functions only reach DynamoDB, so counting these
// counts the child's own requests.
const DRILL_SERVICES = new Set(['sts', 'cloudformation', 'lambda', 'cloudwatch', 'route53']);

// Phases are anchored on what the drill reports, not on request counts: how many probes a phase
// takes depends on how fast this machine is relative to the 60x clock.
// When to kill: after N requests of the child, when a journal record or the lock file appears, or
// N requests after a request (server log line) or an output line matching a pattern.
type Trigger = { requests: number } | { journal: true } | { lock: true } | { line: RegExp; thenRequests?: number } | { stderr: RegExp; thenRequests?: number };
interface CrashPoint {
  name: string;
  args: string[];
  trigger: Trigger;
}

const UPDATE = /^us-[a-z]+-\d lambda PUT \/2015-03-31\/functions\/shop-test-check\/configuration/;
// Generous objective and deadline: this suite is about what a crash leaves behind, not about RTO
// (at 60x on a loaded machine a few slow wall seconds are minutes of cloud time).
const failover = ['drill', 'failover', '--region', 'us-east-1', '--objective', '2h', '--deadline', '2h'];
const unhealthy = ['drill', 'simulate-unhealthy', '--region', 'us-west-2'];
const POINTS: CrashPoint[] = [
  { name: 'failover: right after the journal record is written', args: failover, trigger: { journal: true } },
  { name: 'failover: in the probe loop, at the first failing probe', args: failover, trigger: { stderr: /first-failing-probe/ } },
  { name: 'simulate-unhealthy: right after the function update is answered', args: unhealthy, trigger: { line: UPDATE } },
  ...(FULL
    ? ([
        { name: 'failover: as soon as the stage lock is taken', args: failover, trigger: { lock: true } },
        { name: 'failover: after 2 requests (credentials checked)', args: failover, trigger: { requests: 2 } },
        { name: 'failover: after 6 requests (reading the steady state)', args: failover, trigger: { requests: 6 } },
        { name: 'failover: after 12 requests', args: failover, trigger: { requests: 12 } },
        { name: 'failover: after 20 requests', args: failover, trigger: { requests: 20 } },
        { name: 'failover: as the fault is reported injected', args: failover, trigger: { stderr: /\binjected\b/ } },
        // On a slow machine one probe can span the alarm: take whichever sign of detection comes first.
        { name: 'failover: once the failure is detected (alarm, health check or DNS)', args: failover, trigger: { stderr: /\+[\d.]+s (alarm|health-check-unhealthy|dns-moved) \(/ } },
        { name: 'failover: after clients moved (restoring)', args: failover, trigger: { stderr: /dns-moved|global-entry-moved/, thenRequests: 1 } },
        { name: 'failover: restored, before failback is seen', args: failover, trigger: { stderr: /\+[\d.]+s restored/ } },
        { name: 'simulate-unhealthy: after 3 requests', args: unhealthy, trigger: { requests: 3 } },
        { name: 'failover: right after the function update is answered', args: failover, trigger: { line: UPDATE } },
        { name: 'simulate-unhealthy: right after the journal record is written', args: unhealthy, trigger: { journal: true } },
      ] satisfies CrashPoint[])
    : []),
];

let cloud: LocalCloud;
let dir: string;
const lines: string[] = [];
let foreignRecord: string;

/** bin/regionctl runs dist/: build it when any source is newer (or it is missing). */
function ensureBuilt(): void {
  const newest = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs), 0);
  const built = join(root, 'dist/cli.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'src'))) return;
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

function context(json = false) {
  return createContext({
    cwd: dir,
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    global: { json, color: false, verbose: false, endpoint: cloud.url },
    io: createMemoryIo({ json }),
  });
}

function regionctl(args: string[]): ChildProcess & { output: { stdout: string; stderr: string }; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [bin, ...args, '--endpoint', cloud.url], {
    cwd: dir,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (output.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output.stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return Object.assign(child, { output, exited });
}

const files = (d: string, ext: string) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(ext)) : []);

async function faultedRegions(): Promise<string[]> {
  const out: string[] = [];
  for (const region of REGIONS) {
    const lambda = new LambdaClient({ region, endpoint: cloud.url, credentials });
    try {
      const vars = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-test-check' }))).Environment?.Variables;
      if (vars?.UNHEALTHY === 'true') out.push(region);
    } finally {
      lambda.destroy();
    }
  }
  return out;
}

/** Until every region is healthy and answers its own clients again (a drill's steady state), bounded. */
async function steady(): Promise<void> {
  const deadline = Date.now() + 90_000;
  let last = '';
  for (;;) {
    const ctx = context();
    const report = await regionStatus({ config: await ctx.loadConfig(), clients: await ctx.aws(), io: ctx.io, dnsPort: cloud.dnsPort });
    await ctx.dispose();
    const ok = report.regions.every((r) => r.healthy && r.dns.answeredBy === r.region && r.healthCheck === 'Healthy' && r.alarmState === 'OK');
    if (ok) return;
    last = JSON.stringify(report.regions.map((r) => [r.region, r.reasons, r.alarmState, r.healthCheck, r.dns]));
    if (Date.now() > deadline) throw new Error(`no steady state within 90 s: ${last}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Run the child until the trigger fires, then kill -9 it. Resolves with what it had done by then. */
async function crash(point: CrashPoint): Promise<{ lockAtKill: boolean; journalAtKill: number }> {
  const start = lines.length;
  const child = regionctl(point.args);
  let armedAt: number | undefined;
  const fired = (): boolean => {
    const t = point.trigger;
    if ('requests' in t) return lines.length - start >= t.requests;
    if ('journal' in t) return files(drillsDir(dir), '.json').some((f) => f !== foreignRecord);
    if ('lock' in t) return files(locksDir(dir), '.lock').length > 0;
    if (armedAt === undefined) {
      const hit = 'line' in t ? lines.slice(start).findIndex((l) => t.line.test(l)) : t.stderr.test(child.output.stderr) ? lines.length - start - 1 : -1;
      if (hit >= 0) armedAt = start + hit + 1;
    }
    return armedAt !== undefined && lines.length - armedAt >= (t.thenRequests ?? 0);
  };
  let done = false;
  void child.exited.then(() => (done = true));
  // The cloud answers in this process: poll often but yield, so its requests keep flowing.
  while (!done && !fired()) await new Promise((r) => setTimeout(r, 1));
  const lockAtKill = files(locksDir(dir), '.lock').length > 0;
  const journalAtKill = files(drillsDir(dir), '.json').filter((f) => f !== foreignRecord).length;
  child.kill('SIGKILL');
  const exit = await child.exited;
  // The point only counts if the child really died there, not after finishing on its own.
  expect(exit, `${point.name}: the child finished before the crash point\n${child.output.stderr}`).toEqual({ code: null, signal: 'SIGKILL' });
  return { lockAtKill, journalAtKill };
}

beforeAll(async () => {
  ensureBuilt();
  cloud = await startLocalCloud({
    port: 0,
    clock: new ScaledClock(SCALE),
    dnsPort: 0,
    log: (line) => {
      if (DRILL_SERVICES.has(line.split(' ')[1] ?? '')) lines.push(line);
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'regionctl-crash-'));
  writeFileSync(join(dir, 'regionctl.yml'), `service: shop\nstage: test\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: shop.example\n  createZone: true\n`);
  const ctx = context();
  await deployCommand(ctx);
  await ctx.dispose();
  // A record from a crashed drill against real AWS: same stage, region and function name.
  mkdirSync(drillsDir(dir), { recursive: true });
  foreignRecord = 'unhealthy-shop-test-us-east-1-aws-123456789012-shop-test-check.json';
  writeFileSync(
    join(drillsDir(dir), foreignRecord),
    JSON.stringify({ kind: 'unhealthy', service: 'shop', stage: 'test', region: 'us-east-1', functionName: 'shop-test-check', previous: 'aws-original', appliedAt: '2026-11-30T12:00:00.000Z', target: { endpoint: null, account: '123456789012' } }),
  );
  await steady();
}, 240_000);

afterAll(async () => {
  await cloud?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`drill crash suite (${FULL ? 'full' : 'short; REGIONCTL_CRASH_FULL=1 for all'} ${POINTS.length} kill -9 points)`, () => {
  const seen = { lock: 0, journal: 0 };

  for (const point of POINTS) {
    it(`kill -9 ${point.name}; then drill restore --all leaves zero faults`, { timeout: 240_000 }, async () => {
      const foreignBefore = readFileSync(join(drillsDir(dir), foreignRecord), 'utf8');
      const at = await crash(point);
      if (at.lockAtKill) seen.lock++;
      if (at.journalAtKill) seen.journal++;

      const restore = regionctl(['drill', 'restore', '--all', '--json']);
      const exit = await restore.exited;
      expect(exit, restore.output.stderr).toEqual({ code: 0, signal: null });
      const out = JSON.parse(restore.output.stdout);
      expect(out.notRestored).toEqual([expect.objectContaining({ region: 'us-east-1', endpoint: null, account: '123456789012' })]);
      if (at.journalAtKill) expect(out.restored.length).toBeGreaterThan(0);

      expect(await faultedRegions()).toEqual([]);
      expect(files(drillsDir(dir), '.json')).toEqual([foreignRecord]);
      expect(readFileSync(join(drillsDir(dir), foreignRecord), 'utf8')).toBe(foreignBefore);
      expect(files(locksDir(dir), '.lock')).toEqual([]);
      await steady();
    });
  }

  it('the crash points covered a stale lock taken over and a journaled fault restored', () => {
    expect(seen.lock).toBeGreaterThan(0);
    expect(seen.journal).toBeGreaterThan(0);
  });

  /** Start a failover and freeze it (SIGSTOP) the moment it holds the stage lock: a drill that is certainly still running. */
  async function frozenHolder() {
    const first = regionctl(failover);
    while (files(locksDir(dir), '.lock').length === 0 && first.exitCode === null) await new Promise((r) => setTimeout(r, 1));
    first.kill('SIGSTOP');
    return first;
  }

  it('two drills at once from two processes: the second is refused with who holds the lock', { timeout: 240_000 }, async () => {
    const first = await frozenHolder();
    const second = regionctl(['drill', 'failover', '--region', 'us-west-2']);
    const refused = await second.exited;
    first.kill('SIGCONT');
    expect(refused.code, second.output.stderr).toBe(1);
    expect(second.output.stderr).toMatch(new RegExp(`locked by pid ${first.pid} \\(drill failover --region us-east-1\\) since \\d{4}-`));
    first.kill('SIGINT'); // Ctrl-C: the first restores whatever it injected and exits 130
    expect((await first.exited).code, first.output.stderr).toBe(130);
    expect(await faultedRegions()).toEqual([]);
    expect(files(drillsDir(dir), '.json')).toEqual([foreignRecord]);
    expect(files(locksDir(dir), '.lock')).toEqual([]);
    await steady();
  });

  it('two drills at once with --wait: the second runs after the first, and both pass', { timeout: 300_000 }, async () => {
    const first = await frozenHolder();
    const second = regionctl(['drill', 'failover', '--region', 'us-west-2', '--objective', '2h', '--deadline', '2h', '--wait', '5m']);
    while (!/waiting for the lock on shop\/test/.test(second.output.stderr) && second.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    first.kill('SIGCONT');
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a, first.output.stderr).toEqual({ code: 0, signal: null });
    expect(b, second.output.stderr).toEqual({ code: 0, signal: null });
    expect(second.output.stderr).toMatch(new RegExp(`waiting for the lock on shop/test: held by pid ${first.pid}`));
    expect(await faultedRegions()).toEqual([]);
    expect(files(locksDir(dir), '.lock')).toEqual([]);
  });
});
