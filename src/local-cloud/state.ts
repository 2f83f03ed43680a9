import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encode, parseEncoded } from './persistence/encoding.js';
import { CorruptStateError } from './persistence/errors.js';
import { syncDir, writeAll, writeFileAtomic } from './persistence/files.js';
import { applyChange, diff, shadowOf, type Change, type Shadow } from './persistence/tree-diff.js';
import { readLog, WriteAheadLog } from './persistence/wal.js';
import type { BlobStore, StateStore } from './types.js';

// Durability of the local cloud (the guarantees; see also persistence/SPEC.md).
//
// - A request is answered only after every change it made reached the write-ahead log with a
//   write(2): an acknowledged write survives kill -9 of the daemon. With `fsync` the log is also
//   fdatasync'd before answering, so it survives power loss; that costs a disk flush per commit,
//   so it is off by default: the local cloud is a development tool, and a crashed process is
//   the failure its users meet (the daemon killed, a laptop lid closed mid-run), not a crashed disk.
// - Commits are grouped: the requests that finish in the same turn of the event loop share one
//   log write (and one fdatasync).
// - What a commit holds is found by comparing each state document with what the log already has
//   (persistence/tree-diff.ts): O(change) bytes on disk, O(document) CPU for the documents the
//   requests touched (get() since they started) and those a service took at construction. A
//   request commits when a service declared a change (markDirty) while it ran; reads sent as
//   POST declare none and cost nothing.
// - Changes made outside requests (timers: alarm evaluation, async status transitions) are
//   committed within 1 s; they were never acknowledged to anyone.
// - The log is replayed over the last snapshot at start. A torn last record is dropped (it was
//   never acknowledged); any other damage stops the start with an error naming
//   `regionctl local reset`. When the log outgrows the snapshot, a new snapshot is written
//   (temp file + rename, so a crash leaves the old or the new one) and the log emptied; commits
//   carry sequence numbers, so a crash between the two never replays a commit twice.

const SNAPSHOT = 'state.snapshot.json';
const LOG = 'state.wal';
const LEGACY = 'state.json';
const FORMAT = 'regionctl-local-state';
// Changes made by timers (alarm evaluations, schedules, metrics) were never acknowledged to anyone,
// and a background commit compares every document: once a second, not every 50 ms, keeps an idle
// daemon's CPU down (an 8-region stage at rest measured 51% of a core at 50 ms, 45% at 1 s).
const BACKGROUND_COMMIT_MS = 1000;
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

/** Opaque: what the store had seen when a request started. */
export interface StateMark {
  readonly touched: number;
  readonly dirtied: number;
}

export interface StateStoreOptions {
  dataDir?: string;
  /** fdatasync every commit (survive power loss), not just write it (survive kill -9). */
  fsync?: boolean;
  /** Log size from which a snapshot is taken (it is also taken once the log outgrows the snapshot). */
  compactBytes?: number;
  /** Where background commit failures are reported. */
  log?: (line: string) => void;
}

/**
 * The local cloud's state: JSON-like documents by key (Maps, Sets and null-prototype objects
 * included), kept in memory, made durable through a write-ahead log when there is a data dir.
 */
export class JsonStateStore implements StateStore {
  private docs = new Map<string, object>();
  private shadows = new Map<string, Shadow>();
  private readonly lastTouch = new Map<string, number>();
  private touchSeq = 0;
  private dirtySeq = 0;
  private readonly held = new Set<string>();
  private holding = false;
  private seq = 0;
  private snapshotBytes = 0;
  private deleted = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private batch: { minMark: number; promise: Promise<void> } | undefined;
  private readonly wal: WriteAheadLog | undefined;
  private readonly dir: string | undefined;
  private readonly fsync: boolean;
  private readonly compactBytes: number;
  private readonly log: (line: string) => void;

  constructor(options?: string | StateStoreOptions) {
    const opts = typeof options === 'string' ? { dataDir: options } : (options ?? {});
    this.fsync = opts.fsync ?? false;
    this.compactBytes = opts.compactBytes ?? MIN_COMPACT_BYTES;
    this.log = opts.log ?? (() => {});
    this.dir = opts.dataDir;
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    const legacy = !existsSync(join(this.dir, SNAPSHOT)) && existsSync(join(this.dir, LEGACY));
    this.loadSnapshot(legacy ? LEGACY : SNAPSHOT);
    const logFile = join(this.dir, LOG);
    const { commits, validBytes } = readLog(logFile);
    let replayed = 0;
    for (const commit of commits) {
      if (commit.seq <= this.seq) continue; // already in the snapshot (crash between snapshot and log truncation)
      try {
        for (const change of commit.changes) applyChange(this.docs as Map<string, unknown>, change[0] === 'p' ? 'put' : 'del', change[1], change[2]);
      } catch (error) {
        throw new CorruptStateError(logFile, `commit ${commit.seq}: ${(error as Error).message}`, error);
      }
      this.seq = commit.seq;
      replayed++;
    }
    for (const [key, doc] of this.docs) this.shadows.set(key, shadowOf(doc)!);
    this.wal = new WriteAheadLog(logFile, validBytes, this.fsync);
    if (legacy || replayed > 0) this.compact();
    if (legacy) rmSync(join(this.dir, LEGACY), { force: true });
  }

  private loadSnapshot(name: string): void {
    const file = join(this.dir!, name);
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    let parsed: unknown;
    try {
      parsed = parseEncoded(text);
    } catch (error) {
      throw new CorruptStateError(file, (error as Error).message, error);
    }
    if (name === LEGACY) {
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CorruptStateError(file, 'not a JSON object');
      for (const [key, doc] of Object.entries(parsed)) this.docs.set(key, doc as object);
      return;
    }
    const snap = parsed as { format?: unknown; seq?: unknown; docs?: unknown };
    if (snap?.format !== FORMAT || typeof snap.seq !== 'number' || !(snap.docs instanceof Map)) throw new CorruptStateError(file, 'not a regionctl state snapshot');
    this.docs = snap.docs as Map<string, object>;
    this.seq = snap.seq;
    this.snapshotBytes = text.length;
  }

  get<T extends object>(key: string, init: () => T): T {
    this.lastTouch.set(key, ++this.touchSeq);
    if (this.holding) this.held.add(key);
    let doc = this.docs.get(key);
    if (doc === undefined) {
      doc = init();
      this.docs.set(key, doc);
    }
    return doc as T;
  }

  markDirty(): void {
    this.dirtySeq++;
    this.commitSoon();
  }

  private commitSoon(): void {
    if (!this.wal || this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.commitNow(undefined);
      } catch (error) {
        this.log(`state: could not save background changes (${(error as Error).message}); retrying with the next change`);
      }
    }, BACKGROUND_COMMIT_MS);
    this.timer.unref();
  }

  clear(): void {
    this.docs.clear();
    this.deleted = true;
    this.markDirty();
  }

  /**
   * Documents that services take once at construction and keep (rather than calling get() in
   * each operation) are compared on every commit, since their use leaves no trace.
   */
  constructing<T>(fn: () => T): T {
    this.holding = true;
    try {
      return fn();
    } finally {
      this.holding = false;
    }
  }

  /** A point in time to pass to commit() later: documents get() after it count as touched. */
  mark(): StateMark {
    return { touched: this.touchSeq, dirtied: this.dirtySeq };
  }

  /**
   * Resolve once every change made through documents touched since mark (and held ones) is in
   * the log. Requests finishing in the same event-loop turn share one commit. When nobody called
   * markDirty() since mark, nothing was declared changed (a read sent as POST): no comparison,
   * just the background commit as a safety net for a service that forgot to declare its change.
   */
  commit(mark: StateMark): Promise<void> {
    if (!this.wal || this.closed) return Promise.resolve();
    if (this.dirtySeq === mark.dirtied) {
      this.commitSoon();
      return this.settled();
    }
    if (this.batch) {
      this.batch.minMark = Math.min(this.batch.minMark, mark.touched);
      return this.batch.promise;
    }
    const batch = { minMark: mark.touched, promise: Promise.resolve() };
    batch.promise = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        try {
          this.commitNow(batch.minMark);
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    this.batch = batch;
    return batch.promise;
  }

  /** Resolve once a commit in progress is written (a read must not see what may still be lost). */
  settled(): Promise<void> {
    return this.batch ? this.batch.promise.catch(() => {}) : Promise.resolve();
  }

  /** Commit everything now (shutdown, tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.wal && !this.closed) this.commitNow(undefined);
  }

  /** Commit, snapshot and close the log. */
  close(): void {
    if (!this.wal || this.closed) return;
    this.flush();
    if (this.wal.size > 0) this.compact();
    this.closed = true;
    this.wal.close();
  }

  // undefined sinceMark: compare every document.
  private commitNow(sinceMark: number | undefined, mayCompact = true): void {
    const wal = this.wal!;
    if (this.closed) return;
    const keys = new Set<string>(this.held);
    if (sinceMark === undefined || this.deleted) {
      for (const key of this.docs.keys()) keys.add(key);
      for (const key of this.shadows.keys()) keys.add(key);
    } else {
      for (const [key, touched] of this.lastTouch) if (touched > sinceMark) keys.add(key);
    }
    const changes: Change[] = [];
    const next = new Map<string, Shadow | undefined>();
    for (const key of keys) {
      const doc = this.docs.get(key);
      const shadow = doc === undefined ? undefined : diff(doc, this.shadows.get(key), [key], changes);
      if (shadow === undefined && this.shadows.has(key)) changes.push({ op: 'del', path: [key] });
      next.set(key, shadow);
    }
    if (changes.length > 0) {
      wal.append(this.seq + 1, changes);
      this.seq++;
    }
    // Only now: had the append failed, the next commit must still see these changes as new.
    for (const [key, shadow] of next) {
      if (shadow === undefined) this.shadows.delete(key);
      else this.shadows.set(key, shadow);
    }
    if (sinceMark === undefined) this.deleted = false;
    if (mayCompact && wal.size > Math.max(this.compactBytes, this.snapshotBytes)) this.compact();
  }

  /** Write a snapshot of everything committed, then empty the log. */
  private compact(): void {
    this.commitNow(undefined, false);
    const text = encode({ format: FORMAT, version: 2, seq: this.seq, docs: this.docs })!;
    writeFileAtomic(join(this.dir!, SNAPSHOT), text, this.fsync);
    this.wal!.truncate();
    this.snapshotBytes = text.length;
  }
}

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
