import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore, StateStore } from './types.js';

/**
 * One JSON document holding every service's state. With a data dir it is loaded at start and
 * written (atomically: temp file + rename) shortly after each change and at close, so the
 * daemon's state survives stop/start; without one it lives in memory (tests).
 */
export class JsonStateStore implements StateStore {
  private root: Record<string, object> = {};
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string | undefined;

  constructor(dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.file = join(dataDir, 'state.json');
      if (existsSync(this.file)) {
        try {
          this.root = JSON.parse(readFileSync(this.file, 'utf8'));
        } catch (error) {
          throw new Error(`the local cloud's state file ${this.file} is corrupt (${(error as Error).message}); run \`regionctl local reset\``, { cause: error });
        }
      }
    }
  }

  get<T extends object>(key: string, init: () => T): T {
    if (!(key in this.root)) this.root[key] = init();
    return this.root[key] as T;
  }

  markDirty(): void {
    if (!this.file || this.timer) return;
    this.timer = setTimeout(() => this.flush(), 50);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.root));
    renameSync(tmp, this.file);
  }

  clear(): void {
    for (const key of Object.keys(this.root)) delete this.root[key];
    this.markDirty();
  }
}

/** Content-addressed blobs: files under <dataDir>/blobs, or memory. */
export class ContentBlobStore implements BlobStore {
  private readonly memory = new Map<string, Buffer>();
  private readonly dir: string | undefined;

  constructor(dataDir?: string) {
    if (dataDir) {
      this.dir = join(dataDir, 'blobs');
      mkdirSync(this.dir, { recursive: true });
    }
  }

  put(data: Buffer): string {
    const sha = createHash('sha256').update(data).digest('hex');
    if (this.dir) {
      const path = join(this.dir, sha);
      if (!existsSync(path)) writeFileSync(path, data);
    } else {
      this.memory.set(sha, data);
    }
    return sha;
  }

  get(sha: string): Buffer {
    if (this.dir) return readFileSync(join(this.dir, sha));
    const data = this.memory.get(sha);
    if (!data) throw new Error(`blob ${sha} is missing`);
    return data;
  }

  has(sha: string): boolean {
    return this.dir ? existsSync(join(this.dir, sha)) : this.memory.has(sha);
  }
}
