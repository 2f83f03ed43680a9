// An in-memory CloudContext for exercising Lambda and API Gateway domains without the front door.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import type { BlobStore, CloudContext, StateStore } from '../../../src/local-cloud/types.js';

export interface FakeCloud {
  ctx: CloudContext;
  clock: ManualClock;
  services: Record<string, unknown>;
  /** What the cloud logged (ctx.log). */
  logs: string[];
  cleanup(): void;
}

export function fakeCloud(): FakeCloud {
  const clock = new ManualClock();
  const workDir = mkdtempSync(join(tmpdir(), 'regionctl-lambda-'));
  const docs = new Map<string, object>();
  const blobs = new Map<string, Buffer>();
  const services: Record<string, unknown> = {};
  const state: StateStore = {
    get<T extends object>(key: string, init: () => T): T {
      if (!docs.has(key)) docs.set(key, init());
      return docs.get(key) as T;
    },
    changed() {},
    clear() {
      docs.clear();
    },
  };
  const blobStore: BlobStore = {
    put(data) {
      const sha = createHash('sha256').update(data).digest('hex');
      blobs.set(sha, Buffer.from(data));
      return sha;
    },
    get(sha) {
      const b = blobs.get(sha);
      if (!b) throw new Error(`no blob ${sha}`);
      return b;
    },
    has: (sha) => blobs.has(sha),
  };
  const logs: string[] = [];
  const ctx: CloudContext = {
    clock,
    accountId: '000000000000',
    url: () => 'http://127.0.0.1:4566',
    state,
    blobs: blobStore,
    workDir,
    // As a real cloud: undefined for a service it does not run.
    service: <T>(name: string) => services[name] as T,
    resource: () => undefined,
    log: (line: string) => void logs.push(line),
  };
  return { ctx, clock, services, logs, cleanup: () => rmSync(workDir, { recursive: true, force: true }) };
}

const fixtures = fileURLToPath(new URL('../../fixtures/lambda/', import.meta.url));

/** A deployment package with the given fixture files at the zip root. */
export function fixtureZip(...files: string[]): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[f] = new Uint8Array(readFileSync(join(fixtures, f)));
  return Buffer.from(zipSync(entries));
}

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
