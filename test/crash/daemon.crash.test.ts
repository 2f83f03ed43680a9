import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';

// kill -9 of the real daemon (`regionctl local start --foreground`, as a child process) in the
// middle of concurrent writes through the AWS SDK, then a restart on the same data dir: every
// write the daemon answered must be there, and cloud time must not be earlier than any time
// seen before the kill. REGIONCTL_CRASH_FULL=1 runs many rounds; `npm test` runs two.

const ROUNDS = /^(1|true)$/i.test(process.env.REGIONCTL_CRASH_FULL ?? '') ? 20 : 2;
const REGION = 'us-east-1';
const TABLE = 'crash-items';
const BUCKET = 'crash-objects';
const FUNCTION = 'crash-fn';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const cli = fileURLToPath(new URL('../cli/fixtures/run-cli.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cwd = mkdtempSync(join(tmpdir(), 'regionctl-crash-daemon-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<void>;
}

async function startDaemon(): Promise<Daemon> {
  const child = spawn(process.execPath, ['--import', tsx, cli, 'local', 'start', '--foreground', '--port', '0', '--dns-port', '0', '--time-scale', '60'], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Readiness is a real process starting up: poll its daemon.json for our pid (wall time, bounded).
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the daemon exited with ${child.exitCode}:\n${output}`);
    try {
      const info = JSON.parse(readFileSync(join(cwd, '.regionctl', 'local', 'daemon.json'), 'utf8')) as { pid: number; url: string };
      if (info.pid === child.pid) return { child, url: info.url, output: () => output, exited };
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the daemon did not become ready:\n${output}`);
}

function clients(url: string) {
  const opts = { endpoint: url, region: REGION, credentials, maxAttempts: 1 };
  return { ddb: new DynamoDBClient(opts), s3: new S3Client({ ...opts, forcePathStyle: true }), lambda: new LambdaClient(opts), iam: new IAMClient(opts) };
}

async function cloudNow(url: string): Promise<number> {
  const res = await fetch(`${url}/_localcloud/health`);
  return Date.parse(((await res.json()) as { now: string }).now);
}

async function setUp(url: string): Promise<void> {
  const c = clients(url);
  await c.ddb.send(new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const role = await c.iam.send(
    new CreateRoleCommand({
      RoleName: 'crash-fn-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const zip = Buffer.from(zipSync({ 'index.js': strToU8('exports.handler = async () => process.env.MARK;\n') }));
  await c.lambda.send(new CreateFunctionCommand({ FunctionName: FUNCTION, Runtime: 'nodejs20.x', Role: role.Role!.Arn!, Handler: 'index.handler', Code: { ZipFile: zip } }));
}

interface Acked {
  items: string[];
  objects: string[];
  /** Environment MARK values answered, in order, and the one in flight at the kill. */
  marks: string[];
  inFlightMark?: string;
  latestTime: number;
}

// Writers run until the daemon dies; only answered requests count as acknowledged.
async function writeUntilKilled(url: string, round: number, killAfter: number, kill: () => void): Promise<Acked> {
  const c = clients(url);
  const acked: Acked = { items: [], objects: [], marks: [], latestTime: 0 };
  let dead = false;
  const loop = async (body: (i: number) => Promise<void>) => {
    for (let i = 0; !dead; i++) {
      try {
        await body(i);
      } catch {
        if (dead) return;
      }
    }
  };
  const writers = [
    ...[0, 1, 2].map((w) =>
      loop(async (i) => {
        const id = `r${round}-w${w}-${i}`;
        await c.ddb.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, round: { N: String(round) } } }));
        acked.items.push(id);
      }),
    ),
    ...[0, 1].map((w) =>
      loop(async (i) => {
        const key = `r${round}/w${w}/${i}`;
        await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key}` }));
        acked.objects.push(key);
      }),
    ),
    loop(async (i) => {
      const mark = `r${round}-${i}`;
      acked.inFlightMark = mark;
      try {
        await c.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: FUNCTION, Environment: { Variables: { MARK: mark } } }));
        acked.marks.push(mark);
      } catch (error) {
        // The previous update may still be in progress (ResourceConflictException, as on AWS).
        if (!dead) await new Promise((r) => setTimeout(r, 20));
        throw error;
      }
    }),
    loop(async () => {
      acked.latestTime = Math.max(acked.latestTime, await cloudNow(url));
      await new Promise((r) => setTimeout(r, 20));
    }),
  ];
  // Kill in a steady stream of writes: after killAfter answered PutItems, and at a random moment
  // between two answers (bounded: the writers must be making progress).
  const deadline = Date.now() + 60_000;
  while (acked.items.length < killAfter && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, Math.random() * 30));
  kill();
  dead = true;
  await Promise.all(writers);
  for (const client of Object.values(c)) client.destroy();
  return acked;
}

async function verify(url: string, acked: Acked): Promise<void> {
  const c = clients(url);
  try {
    const ids = new Set<string>();
    let page: ScanCommandOutput | undefined;
    do {
      page = await c.ddb.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: page?.LastEvaluatedKey }));
      for (const item of page.Items ?? []) ids.add(item.id!.S!);
    } while (page.LastEvaluatedKey);
    expect(acked.items.filter((id) => !ids.has(id)), 'acknowledged PutItems missing after kill -9').toEqual([]);

    const keys = new Set<string>();
    let token: string | undefined;
    do {
      const list = await c.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
      for (const o of list.Contents ?? []) keys.add(o.Key!);
      token = list.NextContinuationToken;
    } while (token);
    expect(acked.objects.filter((k) => !keys.has(k)), 'acknowledged PutObjects missing after kill -9').toEqual([]);
    for (const key of acked.objects.slice(-20)) {
      const object = await c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(await object.Body!.transformToString()).toBe(`body of ${key}`);
    }

    const config = await c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }));
    const mark = config.Environment?.Variables?.MARK;
    const last = acked.marks[acked.marks.length - 1];
    // The last answered update, or the one the kill interrupted (it may have been applied unanswered).
    expect([last, acked.inFlightMark], `function environment after kill -9 (got ${mark})`).toContain(mark);
    expect(await cloudNow(url), 'cloud time after the restart').toBeGreaterThanOrEqual(acked.latestTime);
  } finally {
    for (const client of Object.values(c)) client.destroy();
  }
}

describe('kill -9 of the local cloud daemon during writes', () => {
  it(`loses no acknowledged write and never moves the clock back (${ROUNDS} rounds)`, { timeout: 120_000 + ROUNDS * 60_000 }, async () => {
    let daemon = await startDaemon();
    await setUp(daemon.url);
    for (let round = 1; round <= ROUNDS; round++) {
      const current = daemon;
      const killAfter = 20 + Math.floor(Math.random() * 60);
      const acked = await writeUntilKilled(current.url, round, killAfter, () => current.child.kill('SIGKILL'));
      await current.exited;
      expect(current.child.signalCode).toBe('SIGKILL');
      expect(acked.items.length, 'PutItems answered before the kill').toBeGreaterThan(0);
      expect(acked.objects.length, 'PutObjects answered before the kill').toBeGreaterThan(0);
      expect(acked.marks.length, 'Lambda updates answered before the kill').toBeGreaterThan(0);
      // The daemon inherits VITEST, so its state store audits every commit: nothing it changed
      // went undeclared (and so unlogged) by the write barrier.
      expect(current.output()).not.toContain('state audit');
      daemon = await startDaemon();
      try {
        await verify(daemon.url, acked);
      } catch (error) {
        throw new Error(`round ${round} (killed after ${acked.items.length} PutItems): ${(error as Error).message}\n--- daemon output before the kill ---\n${current.output().slice(-3000)}`, { cause: error });
      }
    }
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    expect(daemon.output()).not.toContain('state audit');
  });
});
