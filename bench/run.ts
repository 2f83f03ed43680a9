// Benchmarks for issue 2. Every comparison is measured in the same run (the machine is shared and
// noisy), as medians over several repetitions; results go to bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ScaledClock } from '../src/local-cloud/clock.js';
import { startLocalCloud } from '../src/local-cloud/server.js';
import { createContext } from '../src/commands/context.js';
import { createMemoryIo } from '../src/io/index.js';
import { deployCommand } from '../src/commands/deploy.js';
import { statusCommand } from '../src/commands/status.js';
import { cloudClock } from '../src/aws/cloud-clock.js';
import { failoverDrill } from '../src/drill/failover.js';
import { Journal, drillsDir } from '../src/drill/journal.js';
import { cloudTarget } from '../src/aws/target.js';
import { acquireStageLock } from '../src/deploy/lock.js';
import { DEFAULT_TIME_SCALE, startDaemon, stopDaemon } from '../src/local-cloud/daemon.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const only = process.argv.slice(2);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function save(name: string, result: Record<string, unknown>): void {
  const doc = { name, at: new Date().toISOString(), node: process.version, ...result };
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(doc, null, 2) + '\n');
  console.log(`${name}: ${JSON.stringify(result)}`);
}

function timeSpawn(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

// `regionctl --version` vs bare `node -e 0`, interleaved so both see the same machine load.
function benchVersion(): void {
  const cli = join(root, 'bin', 'regionctl');
  const bare: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < 15; i++) {
    bare.push(timeSpawn(['-e', '0']));
    version.push(timeSpawn([cli, '--version']));
  }
  const b = median(bare);
  const v = median(version);
  save('version-startup', { nodeMs: round(b, 1), versionMs: round(v, 1), ratio: round(v / b), goal: '<= 2', pass: v / b <= 2 });
}

async function deployOnce(regions: string[], cloudUrl: string, dir: string, concurrency?: number): Promise<number> {
  const ctx = createContext({
    cwd: dir,
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    global: { json: true, color: false, verbose: false, endpoint: cloudUrl, regions },
    io: createMemoryIo({ json: true }),
  });
  const t = performance.now();
  await deployCommand(ctx, { concurrency });
  return performance.now() - t;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The local cloud as users run it: a daemon process of its own (fresh state each time), so the
// emulator's CPU is not charged to the CLI's event loop as it would be in-process.
const withDaemon = async <T>(fn: (url: string) => Promise<T>, latencyMs = 0, timeScale = 60): Promise<T> => {
  const cwd = mkdtempSync(join(tmpdir(), 'regionctl-bench-daemon-'));
  const port = await freePort();
  const started = await startDaemon({ cwd, port, timeScale });
  // Optional AWS-like API latency on every request, through the local cloud's own fault endpoint.
  if (latencyMs > 0) {
    const res = await fetch(`${started.url}/_localcloud/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: { '*': latencyMs } }) });
    if (!res.ok) throw new Error(`could not set latency: ${await res.text()}`);
  }
  try {
    return await fn(started.url);
  } finally {
    await stopDaemon(cwd);
    rmSync(cwd, { recursive: true, force: true });
  }
};

const withCloud = async <T>(fn: (url: string) => Promise<T>): Promise<T> => {
  const cloud = await startLocalCloud({ port: 0, clock: new ScaledClock(1) });
  try {
    return await fn(cloud.url);
  } finally {
    await cloud.close();
  }
};

// Per-request latency that makes the local cloud answer like AWS APIs seen from a nearby client.
const AWS_LIKE_LATENCY_MS = 25;

// Deploy to 4 regions vs 1 region (fresh cloud each time), and a no-change redeploy vs the first
// deploy: at emulator speed (CPU-bound: everything answers in microseconds) and with AWS-like
// API latency (what the fan-out is for).
async function benchDeploy(): Promise<void> {
  await benchDeployAt(0, '');
  await benchDeployAt(AWS_LIKE_LATENCY_MS, '-latency');
}

async function benchDeployAt(latencyMs: number, suffix: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-'));
  writeFileSync(join(dir, 'regionctl.yml'), 'service: bench\nstage: b\nregions: [us-east-1]\ndns:\n  zone: bench.example\n  createZone: true\n');
  const four = FOUR;
  const one: number[] = [];
  const many: number[] = [];
  const first: number[] = [];
  const again: number[] = [];
  const serial: number[] = [];
  try {
    // Warm-up: esbuild bundling and zips are cached by content after the first synth.
    await withDaemon((url) => deployOnce(['us-east-1'], url, dir));
    for (let i = 0; i < (latencyMs ? 5 : 9); i++) {
      one.push(await withDaemon((url) => deployOnce(['us-east-1'], url, dir), latencyMs));
      await withDaemon(async (url) => {
        const t = await deployOnce(four, url, dir);
        many.push(t);
        first.push(t);
        again.push(await deployOnce(four, url, dir));
      }, latencyMs);
      serial.push(await withDaemon((url) => deployOnce(four, url, dir, 1), latencyMs));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const r = median(many) / median(one);
  save(`deploy-parallel${suffix}`, {
    cloud: 'daemon process',
    addedLatencyMsPerRequest: latencyMs,
    oneRegionMs: round(median(one), 1),
    fourRegionsMs: round(median(many), 1),
    fourRegionsOneAtATimeMs: round(median(serial), 1),
    ratio: round(r),
    parallelSpeedup: round(median(serial) / median(many)),
    goal: '<= 1.5',
    pass: r <= 1.5,
  });
  const n = median(again) / median(first);
  save(`deploy-no-change${suffix}`, {
    cloud: 'daemon process', addedLatencyMsPerRequest: latencyMs, firstDeployMs: round(median(first), 1), noChangeRedeployMs: round(median(again), 1), ratio: round(n), goal: '<= 0.25', pass: n <= 0.25 });
}

async function putGetThroughput(endpoint: string, ops: number, concurrency: number): Promise<number> {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const table = `bench${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  await client.send(
    new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }),
  );
  // dynalite creates tables asynchronously even with createTableMs 0
  await new Promise((r) => setTimeout(r, 50));
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) {
        const i = next++;
        const id = { S: `item-${i}` };
        await client.send(new PutItemCommand({ TableName: table, Item: { id, n: { N: String(i) }, body: { S: 'x'.repeat(200) } } }));
        const got = await client.send(new GetItemCommand({ TableName: table, Key: { id } }));
        if (got.Item?.n?.N !== String(i)) throw new Error('read back the wrong item');
      }
    }),
  );
  client.destroy();
  return ops / ((performance.now() - t) / 1000);
}

// Local cloud DynamoDB vs dynalite: PutItem+GetItem pairs per second, same SDK client settings.
async function benchDynamo(): Promise<void> {
  const { default: dynalite } = await import('dynalite' as string);
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dynaliteUrl = `http://127.0.0.1:${server.address().port}`;
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    await withCloud(async (url) => {
      await putGetThroughput(url, 300, 16);
      await putGetThroughput(dynaliteUrl, 300, 16);
      for (let i = 0; i < 5; i++) {
        ours.push(await putGetThroughput(url, 2000, 16));
        theirs.push(await putGetThroughput(dynaliteUrl, 2000, 16));
      }
    });
  } finally {
    server.close();
  }
  const r = median(ours) / median(theirs);
  save('dynamodb-throughput', { localCloudPairsPerSec: round(median(ours), 0), dynalitePairsPerSec: round(median(theirs), 0), ratio: round(r), goal: '>= 1', pass: r >= 1 });
}

function contextFor(dir: string, cloudUrl: string, regions: string[]) {
  return createContext({
    cwd: dir,
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    global: { json: true, color: false, verbose: false, endpoint: cloudUrl, regions },
    io: createMemoryIo({ json: true }),
  });
}

const FOUR = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];

// The whole failover drill at the daemon's default time scale (60x): wall seconds, and the
// simulated (cloud) seconds it measured next to the theoretical bound.
async function benchDrill(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-'));
  writeFileSync(join(dir, 'regionctl.yml'), 'service: bench\nstage: b\nregions: [us-east-1, us-west-2, eu-west-1]\ndns:\n  zone: bench.example\n  createZone: true\n');
  const scale = DEFAULT_TIME_SCALE;
  const cloud = await startLocalCloud({ port: 0, clock: new ScaledClock(scale), dnsPort: 0 });
  try {
    await deployCommand(contextFor(dir, cloud.url, ['us-east-1', 'us-west-2', 'eu-west-1']));
    // let the alarms settle to OK (two periods of cloud time)
    await new Promise((r) => setTimeout(r, (120_000 / scale)));
    const runs: Array<{ wall: number; failover: number; failback: number; detect: number; bound: number }> = [];
    for (let i = 0; i < 3; i++) {
      const ctx = contextFor(dir, cloud.url, ['us-east-1', 'us-west-2', 'eu-west-1']);
      const clock = await cloudClock(cloud.url);
      const config = await ctx.loadConfig();
      const aws = await ctx.aws();
      const target = await cloudTarget(aws, 'us-east-1');
      const t = performance.now();
      const lock = await acquireStageLock({ cwd: dir, service: config.service, stage: config.stage, target, command: 'bench drill failover' });
      const report = await failoverDrill({
        config,
        region: 'us-east-1',
        clients: aws,
        journal: new Journal(drillsDir(dir)),
        target,
        lock,
        io: ctx.io,
        clock,
        objectiveSeconds: 300,
        deadlineSeconds: 1200,
      }).finally(() => lock.release());
      if (report.result !== 'passed') throw new Error(`drill ${report.result}: ${report.reason}`);
      runs.push({ wall: (performance.now() - t) / 1000, failover: report.measured.failoverSeconds!, failback: report.measured.failbackSeconds!, detect: report.measured.detectSeconds!, bound: report.theoreticalBoundSeconds });
      await new Promise((r) => setTimeout(r, 120_000 / scale));
    }
    const med = (k: keyof (typeof runs)[number]) => round(median(runs.map((r) => r[k])), 1);
    save('drill-failover', {
      timeScale: scale,
      wallSeconds: med('wall'),
      simulatedDetectSeconds: med('detect'),
      simulatedFailoverSeconds: med('failover'),
      simulatedFailbackSeconds: med('failback'),
      theoreticalBoundSeconds: runs[0].bound,
      failoverVsBound: round(med('failover') / runs[0].bound),
      runs: runs.length,
    });
  } finally {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// status across 4 regions vs 1 region, same deployed cloud, interleaved.
async function benchStatus(): Promise<void> {
  await benchStatusAt(0, '');
  await benchStatusAt(AWS_LIKE_LATENCY_MS, '-latency');
}

async function benchStatusAt(latencyMs: number, suffix: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-bench-'));
  writeFileSync(join(dir, 'regionctl.yml'), 'service: bench\nstage: b\nregions: [us-east-1]\ndns:\n  zone: bench.example\n  createZone: true\n');
  try {
    await withDaemon(async (url) => {
      await deployCommand(contextFor(dir, url, FOUR));
      const once = async (regions: string[]) => {
        const ctx = contextFor(dir, url, regions);
        const t = performance.now();
        await statusCommand(ctx);
        return performance.now() - t;
      };
      await once(FOUR); // warm every region's Lambda workers
      const one: number[] = [];
      const four: number[] = [];
      for (let i = 0; i < 15; i++) {
        one.push(await once(['us-east-1']));
        four.push(await once(FOUR));
      }
      const r = median(four) / median(one);
      save(`status-regions${suffix}`, { cloud: 'daemon process', addedLatencyMsPerRequest: latencyMs, oneRegionMs: round(median(one), 1), fourRegionsMs: round(median(four), 1), ratio: round(r), goal: '<= 1.5', pass: r <= 1.5 });
    }, latencyMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const benches: Record<string, () => Promise<void> | void> = { version: benchVersion, deploy: benchDeploy, dynamodb: benchDynamo, drill: benchDrill, status: benchStatus };
for (const [name, fn] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  await fn();
}
