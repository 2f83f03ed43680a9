import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, describeExit, isAlive, jsonOf, root, type Exit, e2eSuite } from './regionctl.js';

// Issue 12 through bin/regionctl against a local-cloud daemon this suite starts on ports the OS
// picks: `local fault ...`, `gameday run --dry-run`, a real run of the quick example, Ctrl-C in the
// middle of a run, and a `drill replication --during-pause` killed with the pause in place.
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const suite = e2eSuite('gameday', {
  config: `service: shop\nstage: gd\nregions: [${REGIONS.join(', ')}]\ndns:\n  zone: shop.example\n  createZone: true\ntable: {}\n`,
  setup: (dir) => {
    mkdirSync(join(dir, 'gamedays'));
    cpSync(join(root, 'examples', 'gamedays'), join(dir, 'gamedays'), { recursive: true });
  },
});
const { dir, env, run } = suite;

const local = (args: string[], timeoutMs?: number) => run([...args, '--local', '--port', String(suite.port)], timeoutMs);
async function localJson(args: string[], code = 0, timeoutMs?: number): Promise<any> {
  if (!isAlive(suite.pid)) throw new Error(`the suite's local cloud (pid ${suite.pid}) is gone`);
  const exit = await local([...args, '--json'], timeoutMs);
  expect(exit.code, describeExit(args, exit)).toBe(code);
  return jsonOf(exit);
}
const faults = async () => (await (await fetch(`${suite.url}/_localcloud/faults`)).json()) as { regionOutages: string[]; latencyMs: Record<string, number>; replicationPaused?: string[]; until?: Record<string, string> };
const journaled = () => (existsSync(join(dir, '.regionctl', 'drills')) ? readdirSync(join(dir, '.regionctl', 'drills')).filter((f) => f.endsWith('.json')) : []);

async function until(what: string, done: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start regionctl in the background (for signals); resolves its exit. */
function background(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args, '--local', '--port', String(suite.port)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  void exited.then(() => clearTimeout(timer));
  return { child, exited };
}

describe('regionctl local fault and gameday run (bin/regionctl)', { timeout: 400_000 }, () => {
  it('local fault region-outage / replication-pause / latency show in local status, end on the cloud clock, and clear', async () => {
    const out = await run(['local', 'fault', 'region-outage', '--region', 'eu-west-1', '--duration', '2h', '--port', String(suite.port), '--json']);
    expect(out.code, describeExit(['local', 'fault', 'region-outage'], out)).toBe(0);
    expect(jsonOf(out)).toMatchObject({ injected: true, fault: 'region-outage', region: 'eu-west-1', durationSeconds: 7200 });
    expect(journaled()).toHaveLength(1);
    expect((await run(['local', 'fault', 'replication-pause', '--from', 'us-east-1', '--to', 'us-west-2', '--port', String(suite.port)])).code).toBe(0);
    expect((await run(['local', 'fault', 'latency', '--region', 'us-west-2', '--ms', '5', '--port', String(suite.port)])).code).toBe(0);
    const status = jsonOf(await run(['local', 'status', '--port', String(suite.port), '--json']));
    expect(status.faults).toEqual([
      { fault: 'region-outage', region: 'eu-west-1', until: expect.any(String) },
      { fault: 'replication-pause', region: 'us-east-1', to: 'us-west-2', until: null },
      { fault: 'latency', region: 'us-west-2', ms: 5, until: null },
    ]);
    expect(Date.parse(status.faults[0].until) - Date.parse(status.now)).toBeGreaterThan(3_600_000);
    expect((await run(['local', 'status', '--port', String(suite.port)])).stdout).toMatch(/region-outage eu-west-1 \(ends .* cloud time\)\n\s+replication-pause us-east-1 → us-west-2\n\s+latency us-west-2 \+5 ms/);
    // Two minutes of cloud time, at the daemon's time scale of 60: about two real seconds.
    expect((await run(['local', 'fault', 'region-outage', '--region', 'us-west-2', '--duration', '2m', '--port', String(suite.port)])).code).toBe(0);
    expect((await faults()).regionOutages).toEqual(['eu-west-1', 'us-west-2']);
    await until('the two-minute outage to end by itself', async () => !(await faults()).regionOutages.includes('us-west-2'), 30_000);
    expect((await faults()).regionOutages).toEqual(['eu-west-1']);
    expect((await faults()).replicationPaused).toEqual(['us-east-1>us-west-2']);
    const cleared = await run(['local', 'fault', 'clear', '--port', String(suite.port), '--json']);
    expect(cleared.code, describeExit(['local', 'fault', 'clear'], cleared)).toBe(0);
    expect(await faults()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(journaled()).toEqual([]);
    expect((await run(['local', 'status', '--port', String(suite.port)])).stdout).toMatch(/faults: none/);
    // Bad input: a clear message and exit 2.
    const bad = await run(['local', 'fault', 'latency', '--region', 'us-west-2', '--ms', 'lots', '--port', String(suite.port)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ms must be a whole number/);
  });

  it('gameday run --dry-run prints the plan and changes nothing; an invalid file exits 2 with its line', async () => {
    const dry = await run(['gameday', 'run', 'gamedays/full.yml', '--dry-run']);
    expect(dry.code, describeExit(['gameday', 'run', '--dry-run'], dry)).toBe(0);
    expect(dry.stdout).toMatch(/game day "full" on shop\/gd in us-east-1, us-west-2, eu-west-1/);
    expect(dry.stdout).toMatch(/1\. gamedays\/full\.yml:\d+ fail over us-east-1: drill failover us-east-1 \(deadline 20m\)/);
    expect(dry.stdout).toMatch(/fault region-outage us-west-2 for 30m/);
    expect(dry.stdout).toMatch(/dry run: nothing was changed/);
    expect(existsSync(join(dir, '.regionctl', 'gamedays'))).toBe(false);
    expect(existsSync(join(dir, '.regionctl', 'local'))).toBe(true); // the daemon's; no other state appeared
    writeFileSync(join(dir, 'bad.yml'), 'name: bad\nsteps:\n  - wait: 1m\n  - drill: failover\n');
    const bad = await run(['gameday', 'run', 'bad.yml', '--local', '--port', String(suite.port)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yml:4: steps\[1\]\.region: is required for drill: failover/);
  });

  it('runs the quick example for real: passes, exit 0, all four reports in --report-dir', async () => {
    expect((await localJson(['deploy'], 0, 280_000)).ok).toBe(true);
    await until('every region healthy', async () => (await localJson(['status'], 0)).healthyRegions === 3, 120_000);
    const exit = await local(['gameday', 'run', 'gamedays/quick-failover.yml', '--report-dir', 'out/quick', '--json'], 240_000);
    expect(exit.code, describeExit(['gameday', 'run', 'quick-failover.yml'], exit)).toBe(0);
    const doc = jsonOf(exit);
    expect(doc).toMatchObject({ status: 'passed', name: 'quick-failover', target: 'local', reportDir: join(dir, 'out', 'quick') });
    const journal = JSON.parse(readFileSync(join(dir, 'out', 'quick', 'journal.json'), 'utf8'));
    expect(journal.status).toBe('passed');
    expect(journal.measurements.rtoSeconds).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'out', 'quick')).sort()).toEqual(['journal.json', 'junit.xml', 'report.html', 'report.md']);
    expect(doc.reports.map((r: string) => r.split('/').at(-1)).sort()).toEqual(['journal.json', 'junit.xml', 'report.html', 'report.md']);
    expect(journaled()).toEqual([]);
  });

  it('a stop condition breached mid-run (the overall deadline) aborts, restores the fault and exits 1 naming the condition', async () => {
    writeFileSync(join(dir, 'late.yml'), 'name: late\nstopConditions:\n  deadline: 2m\n  every: 10s\nsteps:\n  - fault: latency\n    region: us-west-2\n    ms: 5\n  - wait: 10h\n');
    const exit = await local(['gameday', 'run', 'late.yml', '--report-dir', 'out/late'], 120_000);
    expect(exit.code, describeExit(['gameday', 'run', 'late.yml'], exit)).toBe(1);
    expect(exit.stderr).toMatch(/game day aborted: deadline: the game day ran longer than its deadline of 2m/);
    expect(exit.stdout).toMatch(/ABORTED/);
    expect(await faults()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(journaled()).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'late', 'journal.json'), 'utf8'))).toMatchObject({ status: 'aborted', stopped: { condition: 'deadline' } });
  });

  it('an objective that cannot be met exits 1 and says which objective and by how much', async () => {
    writeFileSync(join(dir, 'strict.yml'), readFileSync(join(dir, 'gamedays', 'quick-failover.yml'), 'utf8').replace(/failoverWithin: 5m/, 'failoverWithin: 1s'));
    const exit = await local(['gameday', 'run', 'strict.yml', '--report-dir', 'out/strict'], 240_000);
    expect(exit.code, describeExit(['gameday', 'run', 'strict.yml'], exit)).toBe(1);
    expect(exit.stderr).toMatch(/game day failed: failoverWithin: failover took [0-9.ms]+, [0-9.ms]+ over 1s/);
    // Live progress on stderr while it runs (one line per event off a terminal), in order; the summary table on stdout after.
    const progress = ['steady state before', 'step 1/2: fail over us-east-1', 'fail over us-east-1: succeeded', 'step 2/2: us-east-1 serves its own clients again', 'rollback 1/1: undo any injected fault', 'steady state after: met'];
    const at = progress.map((p) => exit.stderr.indexOf(p));
    expect(at.every((i) => i >= 0), exit.stderr).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(exit.stdout).toMatch(/^game day: quick-failover FAILED/);
    expect(exit.stdout).toMatch(/OBJECTIVE +GOAL +MEASURED +RESULT +BY HOW MUCH\nfailoverWithin +.*MISSED/);
    expect(exit.stdout).toMatch(/\n# +STEP +TYPE +STATUS +TOOK +DETAIL\n1 +fail over us-east-1 +drill +ok /);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'strict', 'journal.json'), 'utf8')).status).toBe('failed');
    expect(journaled()).toEqual([]);
  });

  it('Ctrl-C in the middle of a run restores every fault and exits 130', async () => {
    writeFileSync(join(dir, 'long.yml'), 'name: long\nsteps:\n  - fault: region-outage\n    region: eu-west-1\n  - fault: latency\n    region: us-west-2\n    ms: 5\n  - wait: 10h\n');
    const { child, exited } = background(['gameday', 'run', 'long.yml']);
    await until('both faults in place', async () => {
      const f = await faults();
      return f.regionOutages.includes('eu-west-1') && f.latencyMs['us-west-2'] === 5;
    }, 120_000);
    expect(journaled()).toHaveLength(2);
    child.kill('SIGINT');
    const exit = await exited;
    expect(exit.code, describeExit(['gameday', 'run', 'long.yml'], exit)).toBe(130);
    expect(await faults()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(journaled()).toEqual([]);
    expect(exit.stdout).toMatch(/INTERRUPTED/);
  });

  it('a drill replication --during-pause killed mid-pause leaves the pause journaled; drill restore lifts it', async () => {
    const { child, exited } = background(['drill', 'replication', '--during-pause', 'us-east-1,us-west-2', '--samples', '300']);
    await until('the pause journaled and in place', async () => journaled().some((f) => f.startsWith('local-fault-')) && ((await faults()).replicationPaused ?? []).includes('us-east-1>us-west-2'), 120_000);
    child.kill('SIGKILL');
    await exited;
    expect((await faults()).replicationPaused).toEqual(['us-east-1>us-west-2']);
    const status = await localJson(['status'], 0);
    expect(status.pendingFaults).toEqual([expect.objectContaining({ region: 'us-east-1', functionName: 'localcloud-replication-pause-to-us-west-2', restoreCommand: `regionctl drill restore --region us-east-1 --endpoint ${suite.url}` })]);
    const restored = await localJson(['drill', 'restore', '--all'], 0);
    expect(restored.restored).toEqual([expect.objectContaining({ region: 'us-east-1', note: 'local cloud fault lifted' })]);
    expect(await faults()).toEqual({ regionOutages: [], latencyMs: {} });
    expect(journaled()).toEqual([]);
  });
});
