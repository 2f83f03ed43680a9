import { randomBytes } from 'node:crypto';
import type { BucketState, DeleteMarkerState, ObjectState, VersionEntry } from './model.js';
import { dict } from '../keyed.js';

// Version stacks per key: `objects[key]` (the current object, if any) on top of `history[key]`.
// Every function here keeps the invariant that a key's top entry is in `objects` exactly when it is an object.

export const isDeleteMarker = (entry: VersionEntry): entry is DeleteMarkerState => 'deleteMarker' in entry;

/** 32 URL-safe characters, the length and alphabet of AWS version ids. */
export const newVersionId = (): string => randomBytes(24).toString('base64url').replace(/-/g, '.');

/** A key's versions and delete markers, newest first. */
export function versionsOf(bucket: BucketState, key: string): VersionEntry[] {
  const current = bucket.objects[key];
  const older = bucket.history?.[key] ?? [];
  return current ? [current, ...older] : [...older];
}

/** The key's latest entry, when it is a delete marker (GET/HEAD then answer 404 with x-amz-delete-marker). */
export function latestDeleteMarker(bucket: BucketState, key: string): DeleteMarkerState | undefined {
  if (bucket.objects[key]) return undefined;
  const top = bucket.history?.[key]?.[0];
  return top && isDeleteMarker(top) ? top : undefined;
}

export function findVersion(bucket: BucketState, key: string, versionId: string): VersionEntry | undefined {
  return versionsOf(bucket, key).find((v) => v.versionId === versionId);
}

/** Removes one version for good; the newest remaining entry becomes the latest. */
export function removeVersion(bucket: BucketState, key: string, versionId: string): VersionEntry | undefined {
  const current = bucket.objects[key];
  let removed: VersionEntry | undefined;
  if (current?.versionId === versionId) {
    removed = current;
    delete bucket.objects[key];
  } else {
    const older = bucket.history?.[key];
    const at = older?.findIndex((v) => v.versionId === versionId) ?? -1;
    if (older && at >= 0) removed = older.splice(at, 1)[0];
  }
  if (removed) promote(bucket, key);
  return removed;
}

/** Puts a new version on top; a "null" version replaces the key's previous null version (Suspended, unversioned). */
export function addVersion(bucket: BucketState, entry: ObjectState | DeleteMarkerState): void {
  const key = entry.key;
  if (entry.versionId === 'null') removeVersion(bucket, key, 'null');
  const current = bucket.objects[key];
  if (current) {
    pushHistory(bucket, key, current);
    delete bucket.objects[key];
  }
  if (isDeleteMarker(entry)) pushHistory(bucket, key, entry);
  else bucket.objects[key] = entry;
}

/** True while any version or delete marker remains (DeleteBucket's BucketNotEmpty). */
export function hasVersions(bucket: BucketState): boolean {
  return Object.keys(bucket.objects).length > 0 || Object.values(bucket.history ?? {}).some((list) => list.length > 0);
}

/** Every key with a version or delete marker. */
export function versionedKeys(bucket: BucketState): string[] {
  const keys = new Set(Object.keys(bucket.objects));
  for (const [key, list] of Object.entries(bucket.history ?? {})) if (list.length > 0) keys.add(key);
  return [...keys];
}

function pushHistory(bucket: BucketState, key: string, entry: VersionEntry): void {
  bucket.history ??= dict();
  (bucket.history[key] ??= []).unshift(entry);
}

// After a removal, an object that is now on top of the history becomes the current object.
function promote(bucket: BucketState, key: string): void {
  const older = bucket.history?.[key];
  if (!older) return;
  const top = older[0];
  if (!bucket.objects[key] && top && !isDeleteMarker(top)) {
    bucket.objects[key] = top;
    older.shift();
  }
  if (older.length === 0) delete bucket.history![key];
}
