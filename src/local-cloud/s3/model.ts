import type { StoredChecksum } from './checksums.js';
import { dict } from '../keyed.js';
import type { ReplicationConfig } from './replication-config.js';

/** x-amz-replication-status: PENDING/COMPLETED/FAILED on a source version a rule matched, REPLICA on the copy. */
export type ReplicationStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REPLICA';

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
  replicationStatus?: ReplicationStatus;
}

/** A versioned DELETE without a version id leaves this on top of the key's versions. */
export interface DeleteMarkerState {
  key: string;
  versionId: string;
  lastModified: number;
  deleteMarker: true;
  /** REPLICA when S3 replication put it here (a replica is never replicated again). */
  replicationStatus?: ReplicationStatus;
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
  replication?: ReplicationConfig;
}

export interface S3State {
  buckets: Record<string, BucketState>;
}

export const initialState = (): S3State => ({ buckets: dict() });
