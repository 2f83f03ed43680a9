import { closeSync, fdatasyncSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replace path with data so that a reader (or a restart after kill -9 or power loss, with
 * fsync) sees either the old file or the new one, never a mix: write a temp file, rename over.
 */
export function writeFileAtomic(path: string, data: string | Buffer, fsync: boolean): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
    if (fsync) fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (fsync) syncDir(dirname(path));
}

/** writeSync may write less than asked (large buffers); loop until all of it reached the kernel. */
export function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Make a rename or a new file's directory entry durable (power loss). */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
