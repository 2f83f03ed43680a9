// The shapes S3Domain's object operations take and report (re-exported by domain.ts), and two record helpers.
import type { StoredChecksum } from './checksums.js';

export interface PutObjectOptions {
  contentType?: string;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
  metadata?: Record<string, string>;
  sse?: string;
  kmsKeyId?: string;
  checksum?: StoredChecksum;
}

export interface ObjectEvent {
  eventName: 's3:ObjectCreated:Put' | 's3:ObjectCreated:Copy';
  size: number;
  etag: string;
  versionId: string;
  sequencer: string;
  contentType: string;
  metadata: Record<string, string>;
}

/** What a DeleteObject did: the version it removed or the delete marker it added (absent in unversioned buckets). */
export interface DeleteOutcome {
  versionId?: string;
  deleteMarker?: boolean;
}

export type ObjectCreatedHook = (region: string, bucket: string, key: string, meta: ObjectEvent) => void;

export function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

export function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
