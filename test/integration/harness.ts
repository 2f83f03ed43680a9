import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { createContext, type CommandContext, type GlobalOptions } from '../../src/commands/context.js';
import { createMemoryIo, type MemoryIo } from '../../src/io/index.js';
import type { Sleeper } from '../../src/wait.js';

export const TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

/** An in-process local cloud on a free port with a virtual clock, plus a scratch project dir. */
export interface Harness {
  cloud: LocalCloud;
  clock: ManualClock;
  dir: string;
  /**
   * A fresh command context (memory io) pointed at the cloud. With `clock` (e.g. sleeper()) the
   * command's waits advance the cloud's manual clock; `answer` makes the io interactive with that answer.
   */
  context(global?: Partial<GlobalOptions>, env?: NodeJS.ProcessEnv, extra?: { clock?: Sleeper; answer?: boolean }): CommandContext & { io: MemoryIo };
  /** Waits on the cloud's clock: each sleep advances it (whole ms) and lets real work run a moment. */
  sleeper(): Sleeper;
  writeConfig(yaml: string): void;
  close(): Promise<void>;
}

export async function startHarness(config?: string, opts: { dns?: boolean; realism?: 'aws'; clientLocation?: 'none'; onRequest?: (req: { service: string; method: string; path: string }) => void } = {}): Promise<Harness> {
  const clock = new ManualClock();
  const cloud = await startLocalCloud({
    port: 0,
    clock,
    ...(opts.dns ? { dnsPort: 0 } : {}),
    ...(opts.realism ? { realism: opts.realism } : {}),
    ...(opts.clientLocation ? { clientLocation: opts.clientLocation } : {}),
    ...(opts.onRequest ? { onRequest: opts.onRequest } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-it-'));
  const writeConfig = (yaml: string) => writeFileSync(join(dir, 'regionctl.yml'), yaml);
  writeConfig(
    config ??
      `service: shop\nstage: test\nregions: [us-east-1, us-west-2, eu-west-1]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\n`,
  );
  return {
    cloud,
    clock,
    dir,
    writeConfig,
    context(global = {}, env = {}, extra = {}) {
      const io = createMemoryIo({ json: global.json ?? false, ...(extra.answer !== undefined ? { interactive: true, answer: extra.answer } : {}) });
      return createContext({
        cwd: dir,
        env: { ...TEST_CREDENTIALS, ...env },
        global: { json: false, color: false, verbose: false, endpoint: cloud.url, ...global },
        io,
        ...(extra.clock ? { clock: extra.clock } : {}),
      }) as CommandContext & { io: MemoryIo };
    },
    sleeper() {
      return {
        now: () => clock.now(),
        sleep: async (ms: number) => {
          await clock.advance(Math.ceil(ms));
          await new Promise((r) => setTimeout(r, 5));
        },
      };
    },
    async close() {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Records every object put into any bucket of the cloud ("bucket/key", in order), for counting copies. */
export function recordPuts(cloud: LocalCloud): string[] {
  const puts: string[] = [];
  const s3 = cloud.service('s3');
  if (!s3) throw new Error('this local cloud runs no S3');
  const deliver = s3.onObjectCreated!;
  s3.onObjectCreated = (region, bucket, key, event) => {
    puts.push(`${bucket}/${key}`);
    deliver(region, bucket, key, event);
  };
  return puts;
}

/** Waits until every Lambda invoked so far, and every one those invoked (up to `hops` deep), has finished. */
export async function settleLambdas(cloud: LocalCloud, hops = 20): Promise<void> {
  const lambda = cloud.service('lambda');
  if (!lambda) throw new Error('this local cloud runs no Lambda');
  for (let i = 0; i < hops; i++) await lambda.settled();
}
