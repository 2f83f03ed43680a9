import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { CorruptStateError } from './errors.js';
import type { Change, Path } from './changes.js';

// The write-ahead log: one line per commit, appended with a single write before the commit's
// requests are answered.
//
//   <crc32 of the JSON, 8 hex digits> <JSON: {"s":seq,"c":[["p",path,value] | ["d",path], ...]}>\n
//
// A commit is applied all or nothing: a crash can leave only the last line incomplete (kill -9
// in the middle of a large write, or power loss before the page cache reached the disk), which
// opening the log detects by the missing newline or a wrong checksum and cuts off. A bad line
// with good lines after it is not a torn tail but damage, and is reported, never skipped.

export type LoggedChange = ['p', Path, unknown] | ['d', Path];

export interface Commit {
  seq: number;
  changes: LoggedChange[];
}

export function formatCommit(seq: number, changes: Change[]): Buffer {
  const parts = changes.map((c) => (c.op === 'put' ? `["p",${JSON.stringify(c.path)},${c.json}]` : `["d",${JSON.stringify(c.path)}]`));
  const body = Buffer.from(`{"s":${seq},"c":[${parts.join(',')}]}`);
  const head = Buffer.from(`${crc32(body).toString(16).padStart(8, '0')} `);
  return Buffer.concat([head, body, Buffer.from('\n')]);
}

export interface ReadLog {
  commits: Commit[];
  /** Bytes up to the end of the last good commit; anything after is a torn tail. */
  validBytes: number;
  totalBytes: number;
}

export function readLog(file: string): ReadLog {
  if (!existsSync(file)) return { commits: [], validBytes: 0, totalBytes: 0 };
  const data = readFileSync(file);
  const commits: Commit[] = [];
  let validBytes = 0;
  let badAt: number | undefined;
  let pos = 0;
  while (pos < data.length) {
    const nl = data.indexOf(0x0a, pos);
    const end = nl === -1 ? data.length : nl;
    const commit = nl === -1 ? undefined : parseLine(data.subarray(pos, end));
    if (commit) {
      if (badAt !== undefined) throw new CorruptStateError(file, `damaged record at byte ${badAt} followed by good ones`);
      const prev = commits[commits.length - 1];
      if (prev && commit.seq <= prev.seq) throw new CorruptStateError(file, `commit ${commit.seq} after commit ${prev.seq} at byte ${pos}`);
      commits.push(commit);
      validBytes = end + 1;
    } else if (badAt === undefined) {
      badAt = pos;
    }
    pos = end + 1;
  }
  return { commits, validBytes, totalBytes: data.length };
}

function parseLine(line: Buffer): Commit | undefined {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const crc = Number.parseInt(line.subarray(0, 8).toString('latin1'), 16);
  const body = line.subarray(9);
  if (!Number.isInteger(crc) || crc32(body) !== crc) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { s?: unknown; c?: unknown };
    if (typeof parsed.s !== 'number' || !Array.isArray(parsed.c)) return undefined;
    return { seq: parsed.s, changes: parsed.c as LoggedChange[] };
  } catch {
    return undefined;
  }
}

/** The open log: appends commits, cut back to its last good commit when opened. */
export class WriteAheadLog {
  private readonly fd: number;
  private bytes: number;

  constructor(
    readonly file: string,
    validBytes: number,
    private readonly fsync: boolean,
  ) {
    this.fd = openSync(file, existsSync(file) ? 'r+' : 'w+');
    // Cut a torn tail now: the next commit must not land after garbage.
    ftruncateSync(this.fd, validBytes);
    this.bytes = validBytes;
  }

  get size(): number {
    return this.bytes;
  }

  /** Append one commit. When this returns, the commit survives kill -9 (and power loss with fsync). */
  append(seq: number, changes: Change[]): void {
    const line = formatCommit(seq, changes);
    try {
      let off = 0;
      while (off < line.length) off += writeSync(this.fd, line, off, line.length - off, this.bytes + off);
      if (this.fsync) fdatasyncSync(this.fd);
    } catch (error) {
      // A failed append (disk full) must not leave half a record for the next one to follow.
      ftruncateSync(this.fd, this.bytes);
      throw error;
    }
    this.bytes += line.length;
  }

  /** Empty the log (after a snapshot made its commits redundant). */
  truncate(): void {
    ftruncateSync(this.fd, 0);
    if (this.fsync) fdatasyncSync(this.fd);
    this.bytes = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
