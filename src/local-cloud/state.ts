import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StateAudit } from './persistence/audit.js';
import { applyChange, childOf, kindOf, type Change, type Path } from './persistence/changes.js';
import { encode, parseEncoded } from './persistence/encoding.js';
import { CorruptStateError } from './persistence/errors.js';
import { writeFileAtomic } from './persistence/files.js';
import { readLog, WriteAheadLog } from './persistence/wal.js';
import type { StateStore } from './types.js';

// Durability of the local cloud (the guarantees; see also persistence/SPEC.md).
//
// - A request is answered only after every change it made reached the write-ahead log with a
//   write(2): an acknowledged write survives kill -9 of the daemon. With `fsync` the log is also
//   fdatasync'd before answering, so it survives power loss; that costs a disk flush per commit,
//   so it is off by default: the local cloud is a development tool, and a crashed process is
//   the failure its users meet (the daemon killed, a laptop lid closed mid-run), not a crashed disk.
// - Commits are grouped: the requests that finish in the same turn of the event loop share one
//   log write (and one fdatasync).
// - Write barrier: services declare what they changed, `changed(key, ...path)` (the one item, the
//   one metric series, the one stack), and a commit writes exactly the declared paths: the
//   current value (put) or its absence (del); a declared path covers everything under it. So a
//   commit costs O(change) in CPU and on disk, whatever the size of the state, and nothing is
//   compared or kept besides the documents. A request commits when a service declared a change
//   while it ran; reads sent as POST declare none and cost nothing.
// - Changes made outside requests (timers: alarm evaluation, async status transitions) are
//   declared the same way and committed within 1 s; they were never acknowledged to anyone.
// - The audit (on under vitest and with REGIONCTL_STATE_AUDIT=1) keeps a replica of the state
//   built only from what was logged and compares it with the documents after every commit: a
//   change nobody declared is recorded in `auditFailures`, logged, and makes close() throw.
// - The log is replayed over the last snapshot at start. A torn last record is dropped (it was
//   never acknowledged); any other damage stops the start with an error naming
//   `regionctl local reset`. When the log outgrows the snapshot, a new snapshot is written
//   (temp file + rename, so a crash leaves the old or the new one) and the log emptied; commits
//   carry sequence numbers, so a crash between the two never replays a commit twice.

const SNAPSHOT = 'state.snapshot.json';
const LOG = 'state.wal';
const LEGACY = 'state.json';
const FORMAT = 'regionctl-local-state';
// Changes made by timers (alarm evaluations, schedules, metrics) were never acknowledged to anyone;
// committing them once a second groups a burst of them into one log write.
const BACKGROUND_COMMIT_MS = 1000;
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

/** Opaque: what the store had seen declared when a request started. */
export interface StateMark {
  readonly dirtied: number;
}

export interface StateStoreOptions {
  dataDir?: string;
  /** fdatasync every commit (survive power loss), not just write it (survive kill -9). */
  fsync?: boolean;
  /** Log size from which a snapshot is taken (it is also taken once the log outgrows the snapshot). */
  compactBytes?: number;
  /** Where background commit failures and audit findings are reported. */
  log?: (line: string) => void;
  /**
   * Check every commit against a replica of what was logged and report changes nobody declared
   * (O(state) per commit). Default: on under vitest (VITEST) or with REGIONCTL_STATE_AUDIT=1.
   */
  audit?: boolean;
}

/** Whether the audit is on when the options do not say: in tests, or when asked for. */
export function auditByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VITEST !== undefined || /^(1|true|yes)$/i.test(env.REGIONCTL_STATE_AUDIT ?? '');
}

// Declared paths, as a tree: `true` covers the whole subtree.
type Declared = Map<string, Declared | true>;

interface Write {
  op: 'put' | 'del';
  path: Path;
  value?: unknown;
}

/**
 * The local cloud's state: JSON-like documents by key (Maps, Sets and null-prototype objects
 * included), kept in memory, made durable through a write-ahead log when there is a data dir.
 */
export class JsonStateStore implements StateStore {
  private docs = new Map<string, object>();
  private declared: Declared = new Map();
  // Containers the log holds (written by a put, or loaded). A declared path that passes through a
  // container the log does not hold yet (created since, say `regions[r] ??= {}` on a read) is
  // logged from that container down, so replay never puts into something missing.
  private logged = new WeakSet<object>();
  private dirtySeq = 0;
  private seq = 0;
  private snapshotBytes = 0;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private batch: Promise<void> | undefined;
  private readonly wal: WriteAheadLog | undefined;
  private readonly dir: string | undefined;
  private readonly fsync: boolean;
  private readonly compactBytes: number;
  private readonly log: (line: string) => void;
  // Audit: the state as replayed from what was logged.
  private readonly replica: StateAudit | undefined;

  /** Changes the audit found that nobody declared (empty without the audit). */
  get auditFailures(): readonly string[] {
    return this.replica?.failures ?? [];
  }

  constructor(options?: string | StateStoreOptions) {
    const opts = typeof options === 'string' ? { dataDir: options } : (options ?? {});
    this.fsync = opts.fsync ?? false;
    this.compactBytes = opts.compactBytes ?? MIN_COMPACT_BYTES;
    this.log = opts.log ?? (() => {});
    this.dir = opts.dataDir;
    if (opts.audit ?? auditByDefault()) this.replica = new StateAudit(this.log);
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
    for (const [key, doc] of this.docs) {
      this.markLogged(doc);
      this.replica?.load(key, doc);
    }
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

  // Whether changes are recorded at all: with a log, or for the audit.
  private get tracking(): boolean {
    return (this.wal !== undefined || this.replica !== undefined) && !this.closed;
  }

  get<T extends object>(key: string, init: () => T): T {
    let doc = this.docs.get(key);
    if (doc === undefined) {
      doc = init();
      this.docs.set(key, doc);
      // Logged with the next commit; a crash before it loses only what init() makes again.
      if (this.tracking) this.declare([key]);
    }
    return doc as T;
  }

  changed(key: string, ...path: string[]): void {
    if (!this.tracking) return;
    this.declare([key, ...path]);
    this.dirtySeq++;
    this.commitSoon();
  }

  private declare(path: Path): void {
    let node = this.declared;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const next = node.get(seg);
      if (next === true) return; // an ancestor is declared: it covers this path
      if (i === path.length - 1) {
        node.set(seg, true);
        return;
      }
      if (next) node = next;
      else {
        const fresh: Declared = new Map();
        node.set(seg, fresh);
        node = fresh;
      }
    }
  }

  private commitSoon(): void {
    if (!this.tracking || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.commitNow();
      } catch (error) {
        this.log(`state: could not save background changes (${(error as Error).message}); retrying with the next change`);
      }
    }, BACKGROUND_COMMIT_MS);
    this.timer.unref();
  }

  clear(): void {
    if (this.tracking) for (const key of this.docs.keys()) this.declare([key]);
    this.docs.clear();
    this.dirtySeq++;
    this.commitSoon();
  }

  /** A point in time to pass to commit() later. */
  mark(): StateMark {
    return { dirtied: this.dirtySeq };
  }

  /**
   * Resolve once every change declared (by anyone) is in the log, when something was declared
   * since mark. Requests finishing in the same event-loop turn share one commit. When nothing was
   * declared since mark (a read sent as POST), there is nothing to write.
   */
  commit(mark: StateMark): Promise<void> {
    if (!this.tracking) return Promise.resolve();
    if (this.dirtySeq === mark.dirtied) return this.settled();
    if (this.batch) return this.batch;
    const batch = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        try {
          this.commitNow();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    this.batch = batch;
    return batch;
  }

  /** Resolve once a commit in progress is written (a read must not see what may still be lost). */
  settled(): Promise<void> {
    return this.batch ? this.batch.catch(() => {}) : Promise.resolve();
  }

  /** Commit everything now (shutdown, tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.tracking) this.commitNow();
  }

  /** Commit, snapshot and close the log. Throws when the audit found changes nobody declared. */
  close(): void {
    if (this.closed) return;
    this.flush();
    if (this.wal && this.wal.size > 0) this.compact();
    this.closed = true;
    this.wal?.close();
    if (this.auditFailures.length > 0) {
      throw new Error(`state audit: ${this.auditFailures.length} change(s) no service declared with state.changed():\n${this.auditFailures.slice(0, 20).join('\n')}`);
    }
  }

  private commitNow(mayCompact = true): void {
    if (this.closed) return;
    const taken = this.declared;
    this.declared = new Map();
    const writes = this.resolve(taken);
    const changes: Change[] = [];
    for (const w of writes) {
      const json = w.op === 'put' ? encode(w.value) : undefined;
      changes.push(json === undefined ? { op: 'del', path: w.path } : { op: 'put', path: w.path, json });
    }
    if (changes.length > 0 && this.wal) {
      try {
        this.wal.append(this.seq + 1, changes);
      } catch (error) {
        // Not logged: the next commit must write these paths again.
        this.redeclare(taken, []);
        throw error;
      }
      this.seq++;
    }
    for (const w of writes) if (w.op === 'put') this.markLogged(w.value);
    this.replica?.check(changes, this.docs);
    if (mayCompact && this.wal && this.wal.size > Math.max(this.compactBytes, this.snapshotBytes)) this.compact();
  }

  private redeclare(tree: Declared, prefix: Path): void {
    for (const [seg, node] of tree) {
      if (node === true) this.declare([...prefix, seg]);
      else this.redeclare(node, [...prefix, seg]);
    }
  }

  // What each declared path means now: the put or del that makes the log hold the current value.
  private resolve(tree: Declared): Write[] {
    const raw: Write[] = [];
    const walk = (node: Declared, prefix: Path): void => {
      for (const [seg, child] of node) {
        prefix.push(seg);
        if (child === true) raw.push(this.writeFor(prefix));
        else walk(child, prefix);
        prefix.pop();
      }
    };
    walk(tree, []);
    if (raw.length <= 1) return raw;
    // A write raised to an ancestor (see writeFor) covers the others under it.
    raw.sort((a, b) => a.path.length - b.path.length);
    const done: Declared = new Map();
    const out: Write[] = [];
    for (const w of raw) {
      let node = done;
      let covered = false;
      for (let i = 0; i < w.path.length; i++) {
        const next = node.get(w.path[i]!);
        if (next === true) {
          covered = true;
          break;
        }
        if (i === w.path.length - 1) node.set(w.path[i]!, true);
        else if (next) node = next;
        else {
          const fresh: Declared = new Map();
          node.set(w.path[i]!, fresh);
          node = fresh;
        }
      }
      if (!covered) out.push(w);
    }
    return out;
  }

  private writeFor(path: Path): Write {
    let value: unknown = this.docs.get(path[0]!);
    if (value === undefined) return { op: 'del', path: [path[0]!] };
    if (!this.isLogged(value)) return { op: 'put', path: [path[0]!], value };
    for (let i = 1; i < path.length; i++) {
      const kind = kindOf(value);
      // Sets and leaves are logged whole, and so is an array for anything but an element it has
      // (an element removed or beyond its end: replay must not leave holes).
      if (kind === undefined || kind === 's') return { op: 'put', path: path.slice(0, i), value };
      if (kind === 'a' && !(/^(0|[1-9]\d*)$/.test(path[i]!) && Number(path[i]) < (value as unknown[]).length)) return { op: 'put', path: path.slice(0, i), value };
      const child = childOf(value, path[i]!);
      if (child === undefined) return { op: 'del', path: path.slice(0, i + 1) };
      if (!this.isLogged(child)) return { op: 'put', path: path.slice(0, i + 1), value: child };
      value = child;
    }
    return { op: 'put', path: path.slice(), value };
  }

  private isLogged(value: unknown): boolean {
    return kindOf(value) === undefined || this.logged.has(value as object);
  }

  private markLogged(value: unknown): void {
    const stack = [value];
    while (stack.length > 0) {
      const node = stack.pop();
      const kind = kindOf(node);
      if (kind === undefined || kind === 's') continue;
      this.logged.add(node as object);
      // Tuples inside arrays (a metric point [t, n, sum, min, max]) are never declared into, only
      // as a whole: not tracking them spares a WeakSet entry per element.
      if (kind === 'a') {
        for (const v of node as unknown[]) if (!isFlatArray(v)) stack.push(v);
      } else if (kind === 'm') for (const v of (node as Map<unknown, unknown>).values()) stack.push(v);
      else for (const k of Object.keys(node as object)) stack.push((node as Record<string, unknown>)[k]);
    }
  }

  /** Write a snapshot of everything committed, then empty the log. */
  private compact(): void {
    this.commitNow(false);
    const text = encode({ format: FORMAT, version: 2, seq: this.seq, docs: this.docs })!;
    writeFileAtomic(join(this.dir!, SNAPSHOT), text, this.fsync);
    this.wal!.truncate();
    this.snapshotBytes = text.length;
  }
}

function isFlatArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
}
