import { zipSync, type Zippable } from 'fflate';

// DOS timestamps are stored in local time, so build the date from local components: the bytes
// are then the same in every time zone. 1980-01-01 is the earliest date a zip can hold.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const UNIX = 3;
// Regular file, rw-r--r--: Lambda extracts as another user and must be able to read the code.
const FILE_ATTRS = (0o100644 << 16) >>> 0;

/**
 * Zip files so that the same contents always give the same bytes (and so the same sha256):
 * sorted entries, fixed mtime, fixed permissions, fixed compression level.
 */
export function deterministicZip(files: Record<string, Uint8Array>): Uint8Array {
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [files[name], { mtime: FIXED_MTIME, os: UNIX, attrs: FILE_ATTRS, level: 6 }];
  }
  return zipSync(entries);
}
