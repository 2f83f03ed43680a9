import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/**
 * Write `text` to a file that must not exist yet and fsync it, so that a rename or link that
 * publishes it afterwards never exposes a half-written record (a lock, a fault journal entry).
 */
export function writeSyncedFile(path: string, text: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
