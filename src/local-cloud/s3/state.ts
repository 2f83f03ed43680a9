import type { StoredChecksum } from './checksums.js';

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
  objects: Record<string, ObjectState>;
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

export const initialState = (): S3State => ({ buckets: {} });
