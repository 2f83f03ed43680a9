import type { StoredChecksum } from './checksums.js';
import { dict } from '../keyed.js';

export interface ObjectState {
  key: string;
  sha: string;
  size: number;
  /** Quoted MD5 hex, as S3 returns it. */
  etag: string;
  lastModified: number;
  versionId: string;
  contentType: string;
  cacheControl?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  expires?: string;
  metadata: Record<string, string>;
  sse: string;
  kmsKeyId?: string;
  checksum?: StoredChecksum;
}

/** A versioned DELETE without a version id leaves this on top of the key's versions. */
export interface DeleteMarkerState {
  key: string;
  versionId: string;
  lastModified: number;
  deleteMarker: true;
}

export type VersionEntry = ObjectState | DeleteMarkerState;

export interface NotificationTarget {
  id: string;
  /** Topic, queue or function ARN. */
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

export interface NotificationConfig {
  topics: NotificationTarget[];
  queues: NotificationTarget[];
  lambdas: NotificationTarget[];
}

export interface BucketState {
  name: string;
  region: string;
  createdAt: number;
  /** Each key's current version, when that is an object (not a delete marker): what GET and ListObjects see. */
  objects: Record<string, ObjectState>;
  /**
   * Per key, newest first: every other version and delete marker. A key whose latest version is a
   * delete marker has it at history[key][0] and no entry in `objects`. Absent in unversioned buckets.
   */
  history?: Record<string, VersionEntry[]>;
  /** ServerSideEncryptionConfiguration in API (XML) shape; absent → S3's default SSE-S3. */
  encryption?: unknown;
  publicAccessBlock?: Record<string, boolean>;
  policy?: string;
  versioning?: 'Enabled' | 'Suspended';
  tags?: Record<string, string>;
  notification: NotificationConfig;
}

export interface S3State {
  buckets: Record<string, BucketState>;
}

export const initialState = (): S3State => ({ buckets: dict() });
