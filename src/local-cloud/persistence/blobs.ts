// Content-addressed blob storage for the local cloud (S3 object bodies, Lambda code): the state
// documents refer to blobs by SHA-256, so a blob is written once, whoever stores it.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir, writeAll } from './files.js';
import type { BlobStore } from '../types.js';

/**
 * Content-addressed blobs: files under <dataDir>/blobs, or memory. A blob is written to a temp
 * file and renamed into place before put() returns, so a blob the state refers to is complete
 * after kill -9 (and after power loss with fsync).
 */
export class ContentBlobStore implements BlobStore {
  private readonly memory = new Map<string, Buffer>();
  private readonly dir: string | undefined;

  constructor(
    dataDir?: string,
    private readonly fsync = false,
  ) {
    if (dataDir) {
      this.dir = join(dataDir, 'blobs');
      mkdirSync(this.dir, { recursive: true });
    }
  }

  put(data: Buffer): string {
    const sha = createHash('sha256').update(data).digest('hex');
    if (this.dir) {
      const path = join(this.dir, sha);
      // The size check repairs a blob that an older version left half-written.
      if (!existsSync(path) || statSync(path).size !== data.length) {
        const tmp = join(this.dir, `.${sha}.${randomBytes(4).toString('hex')}.tmp`);
        const fd = openSync(tmp, 'w');
        try {
          writeAll(fd, data);
          if (this.fsync) fdatasyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, path);
        if (this.fsync) syncDir(this.dir);
      }
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
