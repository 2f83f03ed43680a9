import type { BucketState, VersionEntry } from './model.js';
import { versionedKeys, versionsOf } from './versions.js';

export interface VersionListParams {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  keyMarker?: string;
  /** Only with keyMarker: resume after this version of that key instead of after the whole key. */
  versionIdMarker?: string;
}

export interface VersionListPage {
  entries: Array<{ entry: VersionEntry; isLatest: boolean }>;
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

// Keys in UTF-8 byte order, each key's versions and delete markers newest first. Every version,
// marker and common prefix counts against max-keys, so a page may end inside a key's versions.
export function listVersions(bucket: BucketState, params: VersionListParams): VersionListPage {
  const prefix = params.prefix ?? '';
  const maxKeys = params.maxKeys ?? 1000;
  const { keyMarker, versionIdMarker, delimiter } = params;
  const keys = versionedKeys(bucket)
    .filter((k) => k.startsWith(prefix))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page: VersionListPage = { entries: [], commonPrefixes: [], isTruncated: false };
  const full = () => page.entries.length + page.commonPrefixes.length >= maxKeys;
  for (const key of keys) {
    if (keyMarker !== undefined) {
      if (Buffer.compare(Buffer.from(key), Buffer.from(keyMarker)) < 0) continue;
      if (key === keyMarker && !versionIdMarker) continue;
      if (delimiter && keyMarker.endsWith(delimiter) && key.startsWith(keyMarker)) continue;
    }
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (at >= 0) {
      const common = key.slice(0, at + delimiter!.length);
      if (page.commonPrefixes[page.commonPrefixes.length - 1] === common) continue;
      if (full()) return truncated(page);
      page.commonPrefixes.push(common);
      page.nextKeyMarker = common;
      page.nextVersionIdMarker = undefined;
      continue;
    }
    let versions = versionsOf(bucket, key).map((entry, i) => ({ entry, isLatest: i === 0 }));
    if (key === keyMarker && versionIdMarker) {
      const after = versions.findIndex((v) => v.entry.versionId === versionIdMarker);
      versions = after >= 0 ? versions.slice(after + 1) : [];
    }
    for (const version of versions) {
      if (full()) return truncated(page);
      page.entries.push(version);
      page.nextKeyMarker = key;
      page.nextVersionIdMarker = version.entry.versionId;
    }
  }
  return { ...page, nextKeyMarker: undefined, nextVersionIdMarker: undefined };
}

function truncated(page: VersionListPage): VersionListPage {
  return { ...page, isTruncated: true };
}
