// Crash suite, deploy part (issue 7): a real `node bin/regionctl deploy` child is killed with
// SIGKILL at many points of a 3-region deploy against a local cloud with 100 ms of added latency
// per request; each time the next `regionctl deploy` must converge (exit 0, every stack
// CREATE/UPDATE_COMPLETE) and a further deploy must report no changes.
//
// Kill points are counted in CloudFormation requests seen by a proxy between the child and the
// cloud: the child dies either as a request arrives (the cloud never sees it) or right after the
// cloud has answered it (the cloud acted, the child never learns). REGIONCTL_CRASH_FULL=1
// (npm run test:crash) runs 23 points; otherwise the 3 most harmful, to fit the normal `npm test`.
//
// How many read requests a deploy makes varies from run to run (a stack wait polls until the
// stack is done), but its mutating requests (CreateChangeSet, ExecuteChangeSet, ...) do not: a
// deploy into a fresh cloud always makes the same ones. So a point is never "request 71" of a
// whole run: it is either the nth request of one mutating action, or "the rth request after the
// jth mutating request" (a phase of the deploy and a position in it), derived from the requests of
// a clean reference deploy. If a run polls less than the reference did, a point whose position lies
// past the end of its phase dies at the next mutating request instead (the phase's boundary), or,
// in the last phase, is retried at the last request that run made in it: every point still dies
// inside the phase it was taken from. A run that ends with fewer mutating requests than a point
// needs is not polling noise: it fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const FULL = process.env.REGIONCTL_CRASH_FULL === '1';
// Full: 3 targeted + 20 spread kill points; short: the 3 targeted ones.
const SPREAD_POINTS = 20;
const POINTS = FULL ? 3 + SPREAD_POINTS : 3;
const LATENCY_MS = 100;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** dist/ is what bin/regionctl runs: rebuild it when any source file is newer. */
function ensureBuilt(): void {
  const built = join(root, 'dist', 'cli.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : p.endsWith('.ts') ? statSync(p).mtimeMs : 0);
    }, 0);
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'src'))) return;
  const out = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`build failed:\n${out.stdout}${out.stderr}`);
}

/** Requests that change the cloud; a deploy into a fresh cloud makes the same ones every time. */
const MUTATING = /^(Create|Update|Delete|Execute|ContinueUpdateRollback|CancelUpdateStack|Set|Tag|Untag|Signal)/;

/**
 * Where to kill, before a request or after its answer: the nth request of one (mutating) action,
 * or the `offset`th request after the `anchor`th mutating request (anchor 0: the start of the run;
 * offset 0: that mutating request itself), or the next mutating request if the phase ends sooner.
 */
type KillPoint = ({ action: string; n: number } | { anchor: number; offset: number }) & { when: 'before' | 'after' };

/** The kill point at request k (1-based) of a reference run's `region:Action` log. */
function phasePoint(log: readonly string[], k: number, when: 'before' | 'after'): KillPoint {
  let anchor = 0;
  let anchorAt = 0;
  for (let i = 1; i <= k; i++) {
    if (MUTATING.test(log[i - 1]!.split(':')[1]!)) {
      anchor++;
      anchorAt = i;
    }
  }
  return { anchor, offset: k - anchorAt, when };
}

const describePoint = (p: KillPoint): string =>
  'action' in p ? `${p.action} #${p.n}` : p.anchor === 0 ? `request ${p.offset}` : `request ${p.offset} after mutating request ${p.anchor}`;

/** Counts CloudFormation requests (in all and per action) on their way to the cloud. */
interface Proxy {
  url: string;
  cfnRequests: number;
  byAction: Map<string, number>;
  /** Every CloudFormation request in order, as `region:Action`. */
  log: string[];
  /** Mutating requests seen, and the request number of the latest (0: none yet). */
  mutating: number;
  lastMutatingAt: number;
  killAt?: KillPoint & { kill: () => void; killedAt?: string };
  close(): Promise<void>;
}

async function startProxy(target: LocalCloud): Promise<Proxy> {
  const proxy: Proxy = { url: '', cfnRequests: 0, byAction: new Map(), log: [], mutating: 0, lastMutatingAt: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const scope = /\/([a-z0-9-]+)\/cloudformation\/aws4_request/.exec(String(req.headers.authorization ?? ''));
      const isCfn = scope !== null;
      let kill: Proxy['killAt'];
      if (isCfn) {
        const action = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('Action') ?? '?';
        const n = ++proxy.cfnRequests;
        proxy.log.push(`${scope[1]}:${action}`);
        const nOfAction = (proxy.byAction.get(action) ?? 0) + 1;
        proxy.byAction.set(action, nOfAction);
        const isMutating = MUTATING.test(action);
        if (isMutating) {
          proxy.mutating++;
          proxy.lastMutatingAt = n;
        }
        const k = proxy.killAt;
        const hit =
          k !== undefined &&
          k.killedAt === undefined &&
          ('action' in k
            ? k.action === action && k.n === nOfAction
            : (proxy.mutating === k.anchor && n - proxy.lastMutatingAt === k.offset) || (isMutating && proxy.mutating === k.anchor + 1));
        if (hit) {
          k.killedAt = `request ${n} (${scope[1]}:${action}, ${proxy.mutating} mutating so far)`;
          kill = k;
        }
      }
      if (kill?.when === 'before') {
        kill.kill();
        res.destroy();
        return;
      }
      const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          if (kill) {
            kill.kill();
            res.destroy();
            return;
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(Buffer.concat(body));
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Keep-alive sockets of a killed child would hold close() open: end them all.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  proxy.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Children still running when a test fails or times out (a wedged deploy waits 30 minutes) are killed after it.
const running = new Set<ChildProcess>();

function regionctlDeploy(cwd: string, endpoint: string, onSpawn?: (child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'regionctl'), 'deploy', '--json', '--endpoint', endpoint], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
    });
    running.add(child);
    child.on('exit', () => running.delete(child));
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function stackStatuses(cloud: LocalCloud): Promise<string[]> {
  const all: string[] = [];
  for (const region of REGIONS) {
    const cfn = new CloudFormationClient({ region, endpoint: cloud.url, credentials });
    for (const s of (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []) {
      if (s.StackStatus !== 'DELETE_COMPLETE') all.push(`${region}/${s.StackName}:${s.StackStatus}`);
    }
    cfn.destroy();
  }
  return all.sort();
}

const results = (run: Run): string[] => {
  const doc = JSON.parse(run.stdout) as { regions: Array<{ stacks: Array<{ result: string }> }>; global: Array<{ result?: string }> };
  return [...doc.global.map((g) => g.result ?? 'none'), ...doc.regions.flatMap((r) => r.stacks.map((s) => s.result))];
};

let project: string;
beforeAll(() => {
  ensureBuilt();
  project = mkdtempSync(join(tmpdir(), 'regionctl-crash-'));
  writeFileSync(join(project, 'regionctl.yml'), `service: shop\nstage: crash\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\n`);
}, 300_000);
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** A fresh cloud with latency on every region, behind a counting proxy. */
async function world(): Promise<{ cloud: LocalCloud; proxy: Proxy; close: () => Promise<void> }> {
  const cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  cloud.faults.replace({ latencyMs: { '*': LATENCY_MS } });
  const proxy = await startProxy(cloud);
  return { cloud, proxy, close: async () => { await proxy.close(); await cloud.close(); } };
}

describe(`kill -9 during a 3-region deploy (${POINTS} points${FULL ? '' : '; REGIONCTL_CRASH_FULL=1 for all'})`, () => {
  let total = 0;
  let reference: string[] = [];

  it('a clean deploy converges and a second one changes nothing (and counts the CloudFormation requests)', async () => {
    const w = await world();
    try {
      const first = await regionctlDeploy(project, w.proxy.url);
      expect(first.code, first.stderr).toBe(0);
      total = w.proxy.cfnRequests;
      reference = [...w.proxy.log];
      // The deploy has phases to kill in: change sets created and executed in every region.
      expect(reference.filter((r) => /:ExecuteChangeSet$/.test(r)).length).toBeGreaterThanOrEqual(1 + REGIONS.length);
      expect(total).toBeGreaterThan(20);
      const second = await regionctlDeploy(project, w.proxy.url);
      expect(second.code, second.stderr).toBe(0);
      expect(new Set(results(second))).toEqual(new Set(['no-changes']));
    } finally {
      await w.close();
    }
  }, 300_000);

  // Where a kill does the most harm (a CREATE change set never executed, an execute the cloud ran
  // but the client never saw), then points spread over the whole deploy, alternately dying before
  // a request and after its answer.
  const targeted: Array<KillPoint & { action: string; n: number }> = [
    { action: 'CreateChangeSet', n: 1, when: 'after' },
    { action: 'ExecuteChangeSet', n: 3, when: 'before' },
    { action: 'ExecuteChangeSet', n: 4, when: 'after' },
  ];
  const spread = Array.from({ length: FULL ? SPREAD_POINTS : 0 }, (_, i) => ({ i, when: (i % 2 === 0 ? 'after' : 'before') as 'before' | 'after' }));
  const points = [
    ...targeted.map((p) => ({ name: `${p.when} ${p.action} #${p.n}`, point: (): KillPoint => p })),
    ...spread.map(({ i, when }) => ({
      name: `${when} request ${i + 1}/${SPREAD_POINTS} of the way`,
      point: (): KillPoint => phasePoint(reference, 1 + Math.floor(((i + 0.5) * (total - 1)) / SPREAD_POINTS), when),
    })),
  ];
  it.each(points)('killed $name, the next deploy converges', async ({ point }) => {
    expect(total, 'the clean deploy must run first').toBeGreaterThan(0);
    let target = point();
    const { when } = target;
    const mutatingInReference = reference.filter((r) => MUTATING.test(r.split(':')[1]!)).length;
    let w = await world();
    let killedAt = '';
    try {
      for (;;) {
        let killed = false;
        const killAt: NonNullable<Proxy['killAt']> = { ...target, kill: () => { killed = child?.kill('SIGKILL') ?? false; } };
        let child: ChildProcess | undefined;
        const run = await regionctlDeploy(project, w.proxy.url, (c) => {
          child = c;
          w.proxy.killAt = killAt;
        });
        w.proxy.killAt = undefined;
        if (killed) {
          expect(run.signal).toBe('SIGKILL');
          killedAt = killAt.killedAt ?? '';
          break;
        }
        // Missed: only explained if the run converged having made every mutating request the
        // reference made, and the point lies past the end of the last phase in this run (fewer
        // polls): then the same phase is tried again at the last request this run made in it.
        if ('action' in target || run.code !== 0 || w.proxy.mutating !== mutatingInReference || target.anchor !== mutatingInReference) {
          throw new Error(`never reached ${describePoint(target)} (deploy exited ${run.code}, ${w.proxy.mutating} of ${mutatingInReference} mutating requests; log: ${w.proxy.log.join(' ')})\n${run.stderr}`);
        }
        const tail = w.proxy.cfnRequests - w.proxy.lastMutatingAt;
        expect(tail).toBeLessThan(target.offset);
        target = { ...target, offset: tail };
        await w.close();
        w = await world();
      }

      const again = await regionctlDeploy(project, w.proxy.url);
      expect(again.code, `deploy after a kill ${when} ${describePoint(target)}, at ${killedAt}:\n${again.stderr}`).toBe(0);
      const statuses = await stackStatuses(w.cloud);
      expect(statuses.filter((s) => !/:(CREATE|UPDATE)_COMPLETE$/.test(s))).toEqual([]);
      expect(statuses.length).toBe(1 + REGIONS.length * 3);

      const settled = await regionctlDeploy(project, w.proxy.url);
      expect(settled.code, settled.stderr).toBe(0);
      expect(new Set(results(settled))).toEqual(new Set(['no-changes']));
    } finally {
      await w.close();
    }
  }, 300_000);
});
