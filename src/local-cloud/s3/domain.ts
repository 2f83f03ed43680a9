import { createHash } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { isValidBucketName } from './bucket-names.js';
import { checkBucketPolicy } from './bucket-policy.js';
import { definedOnly, lowerKeys, type DeleteOutcome, type ObjectCreatedHook, type ObjectEvent, type PutObjectOptions } from './object-types.js';
import { bucketNotEmpty, deleteMarkerNotAllowed, invalidBucketName, noSuchBucket, noSuchKey, noSuchKeyDeleted, noSuchVersion, permanentRedirect } from './errors.js';
import { listObjects, type ListPage, type ListParams } from './list-objects.js';
import { listVersions, type VersionListPage, type VersionListParams } from './list-versions.js';
import { initialState, type BucketState, type DeleteMarkerState, type NotificationConfig, type ObjectState, type S3State, type VersionEntry } from './model.js';
import type { ReplicationConfig } from './replication-config.js';
import { addVersion, findVersion, hasVersions, isDeleteMarker, latestDeleteMarker, newVersionId, removeVersion } from './versions.js';
import { dict, keyedState } from '../keyed.js';

export type { DeleteOutcome, ObjectCreatedHook, ObjectEvent, PutObjectOptions } from './object-types.js';

const DEFAULT_ENCRYPTION = { Rule: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };

/** S3's behaviour. Buckets are global names that remember their region. Methods throw AwsError. */
export class S3Domain {
  /** Fired after every object write (PutObject, CopyObject); notifications to SNS hook in here. */
  onObjectCreated?: ObjectCreatedHook;
  /** Checks a new notification configuration's destinations (and sends their test events) before it is stored. */
  checkNotification?: (region: string, bucket: string, config: NotificationConfig) => Promise<void>;
  /** Fired after a client's write adds a version or delete marker (not a replica); S3 replication hooks in here. */
  onVersionAdded?: (bucket: BucketState, entry: VersionEntry) => void;
  /** S3 replication's queue (tests, status). */
  replication?: { pending(): Array<{ source: string; key: string; destination: string; dueAt: number }> };
  private sequence = 0;

  constructor(private readonly ctx: CloudContext) {}

  private get state(): S3State {
    return keyedState(this.ctx.state, 's3', initialState);
  }

  /**
   * Declare a change for the state's write barrier: a bucket (created, deleted, or one of its
   * settings), or one key (its current object and its version history).
   */
  private dirty(bucket: string, ...path: string[]): void {
    if (path.length === 0 || ['encryption', 'publicAccessBlock', 'policy', 'versioning', 'tags', 'notification', 'replication'].includes(path[0]!)) {
      this.ctx.state.changed('s3', 'buckets', bucket, ...path);
      return;
    }
    this.ctx.state.changed('s3', 'buckets', bucket, 'objects', path[0]!);
    this.ctx.state.changed('s3', 'buckets', bucket, 'history', path[0]!);
  }

  /** Declare that a key's versions changed (a replication status), for the write barrier. */
  keyChanged(bucket: string, key: string): void {
    this.dirty(bucket, key);
  }

  /** The bucket, wherever it lives; NoSuchBucket if absent. */
  bucket(name: string): BucketState {
    const bucket = this.state.buckets[name];
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  // A regional endpoint only serves its own region's buckets; anything else is S3's 301.
  bucketAt(region: string, name: string): BucketState {
    const bucket = this.bucket(name);
    if (bucket.region !== region) throw permanentRedirect(name, bucket.region);
    return bucket;
  }

  bucketRegion(name: string): string | undefined {
    return this.state.buckets[name]?.region;
  }

  listBuckets(): Array<{ name: string; region: string; createdAt: number }> {
    return Object.values(this.state.buckets)
      .map((b) => ({ name: b.name, region: b.region, createdAt: b.createdAt }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createBucket(region: string, name: string, locationConstraint?: string): BucketState {
    if (!isValidBucketName(name)) throw invalidBucketName(name);
    if (locationConstraint === 'us-east-1')
      throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, true, { LocationConstraint: locationConstraint });
    const wanted = locationConstraint || 'us-east-1';
    if (wanted !== region)
      throw new AwsError(
        'IllegalLocationConstraintException',
        `The ${locationConstraint || 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
        400,
      );
    const existing = this.state.buckets[name];
    if (existing) {
      // us-east-1 keeps its legacy answer: re-creating a bucket you own there succeeds.
      if (existing.region === 'us-east-1' && region === 'us-east-1') return existing;
      throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, true, {
        BucketName: name,
      });
    }
    const bucket: BucketState = {
      name,
      region,
      createdAt: this.ctx.clock.now(),
      objects: dict(),
      notification: { topics: [], queues: [], lambdas: [] },
    };
    this.state.buckets[name] = bucket;
    this.dirty(name);
    return bucket;
  }

  headBucket(region: string, name: string): BucketState {
    return this.bucketAt(region, name);
  }

  deleteBucket(region: string, name: string): void {
    const bucket = this.bucketAt(region, name);
    if (hasVersions(bucket)) throw bucketNotEmpty(name);
    delete this.state.buckets[name];
    this.dirty(name);
  }

  // ---- objects ----

  putObject(region: string, bucketName: string, key: string, body: Buffer, opts: PutObjectOptions = {}, eventName: ObjectEvent['eventName'] = 's3:ObjectCreated:Put'): ObjectState {
    const bucket = this.bucketAt(region, bucketName);
    if (key.length === 0 || Buffer.byteLength(key) > 1024) throw new AwsError('KeyTooLongError', 'Your key is too long', 400);
    const defaultSse = this.defaultSse(bucket);
    const object: ObjectState = {
      key,
      sha: this.ctx.blobs.put(body),
      size: body.length,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: this.ctx.clock.now(),
      versionId: bucket.versioning === 'Enabled' ? newVersionId() : 'null',
      contentType: opts.contentType || 'binary/octet-stream',
      metadata: lowerKeys(opts.metadata ?? {}),
      sse: opts.sse ?? defaultSse.algorithm,
      ...(opts.kmsKeyId ?? defaultSse.kmsKeyId ? { kmsKeyId: opts.kmsKeyId ?? defaultSse.kmsKeyId } : {}),
      ...definedOnly({
        cacheControl: opts.cacheControl,
        contentEncoding: opts.contentEncoding,
        contentDisposition: opts.contentDisposition,
        contentLanguage: opts.contentLanguage,
        expires: opts.expires,
        checksum: opts.checksum,
      }),
    };
    addVersion(bucket, object);
    this.dirty(bucketName, key);
    this.onVersionAdded?.(bucket, object);
    this.objectCreated(bucket, object, eventName);
    return object;
  }

  /** S3 replication's write into a destination bucket (any region): the source's version id, never replicated again. */
  putReplica(bucketName: string, entry: VersionEntry): void {
    const bucket = this.bucket(bucketName);
    if (findVersion(bucket, entry.key, entry.versionId)) return; // already there: replication is idempotent
    addVersion(bucket, { ...entry, replicationStatus: 'REPLICA' });
    this.dirty(bucketName, entry.key);
    if (!isDeleteMarker(entry)) this.objectCreated(bucket, entry, 's3:ObjectCreated:Put');
  }

  private objectCreated(bucket: BucketState, object: ObjectState, eventName: ObjectEvent['eventName']): void {
    this.onObjectCreated?.(bucket.region, bucket.name, object.key, {
      eventName,
      size: object.size,
      etag: object.etag.replace(/"/g, ''),
      versionId: object.versionId,
      sequencer: (++this.sequence).toString(16).toUpperCase().padStart(16, '0'),
      contentType: object.contentType,
      metadata: { ...object.metadata },
    });
  }

  private defaultSse(bucket: BucketState): { algorithm: string; kmsKeyId?: string } {
    const rules = (bucket.encryption as typeof DEFAULT_ENCRYPTION | undefined)?.Rule ?? DEFAULT_ENCRYPTION.Rule;
    const first = (Array.isArray(rules) ? rules[0] : rules) as { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string } } | undefined;
    const byDefault = first?.ApplyServerSideEncryptionByDefault;
    return { algorithm: byDefault?.SSEAlgorithm ?? 'AES256', kmsKeyId: byDefault?.KMSMasterKeyID };
  }

  /** The current object, or one version of it; NoSuchKey / NoSuchVersion / MethodNotAllowed (a delete marker). */
  headObject(region: string, bucketName: string, key: string, versionId?: string): ObjectState {
    return this.objectVersion(this.bucketAt(region, bucketName), key, versionId);
  }

  getObject(region: string, bucketName: string, key: string, versionId?: string): { object: ObjectState; body: Buffer } {
    const object = this.headObject(region, bucketName, key, versionId);
    return { object, body: this.ctx.blobs.get(object.sha) };
  }

  /** An object's bytes, for other services (CloudFormation TemplateURL, Lambda Code.S3Bucket/S3ObjectVersion); any region. */
  getObjectBody(_region: string, bucketName: string, key: string, versionId?: string): Buffer {
    return this.ctx.blobs.get(this.objectVersion(this.bucket(bucketName), key, versionId).sha);
  }

  private objectVersion(bucket: BucketState, key: string, versionId: string | undefined): ObjectState {
    if (versionId === undefined) {
      const object = bucket.objects[key];
      if (object) return object;
      const marker = latestDeleteMarker(bucket, key);
      throw marker ? noSuchKeyDeleted(key, marker.versionId) : noSuchKey(key);
    }
    const entry = findVersion(bucket, key, versionId);
    if (!entry) throw noSuchVersion(key, versionId);
    if (isDeleteMarker(entry)) throw deleteMarkerNotAllowed(entry.versionId, entry.lastModified);
    return entry;
  }

  // Without a version id: unversioned buckets drop the object, versioned ones stack a delete marker
  // (Suspended: the "null" marker replaces the null version). With one: that version goes for good;
  // an unknown id is not an error (AWS answers 204 and echoes it).
  deleteObject(region: string, bucketName: string, key: string, versionId?: string): DeleteOutcome {
    const bucket = this.bucketAt(region, bucketName);
    if (versionId !== undefined) {
      const removed = removeVersion(bucket, key, versionId);
      if (removed) this.dirty(bucketName, key);
      return { versionId, ...(removed && isDeleteMarker(removed) ? { deleteMarker: true } : {}) };
    }
    if (!bucket.versioning) {
      if (removeVersion(bucket, key, 'null')) this.dirty(bucketName, key);
      return {};
    }
    const marker: DeleteMarkerState = {
      key,
      versionId: bucket.versioning === 'Enabled' ? newVersionId() : 'null',
      lastModified: this.ctx.clock.now(),
      deleteMarker: true,
    };
    addVersion(bucket, marker);
    this.dirty(bucketName, key);
    this.onVersionAdded?.(bucket, marker);
    return { versionId: marker.versionId, deleteMarker: true };
  }

  copyObject(
    region: string,
    source: { bucket: string; key: string; versionId?: string },
    target: { bucket: string; key: string },
    replace: PutObjectOptions | undefined,
  ): ObjectState {
    const src = this.objectVersion(this.bucket(source.bucket), source.key, source.versionId);
    if (!replace && source.bucket === target.bucket && source.key === target.key && source.versionId === undefined)
      throw new AwsError(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        400,
      );
    const opts: PutObjectOptions = replace ?? {
      contentType: src.contentType,
      cacheControl: src.cacheControl,
      contentEncoding: src.contentEncoding,
      contentDisposition: src.contentDisposition,
      contentLanguage: src.contentLanguage,
      expires: src.expires,
      metadata: { ...src.metadata },
    };
    return this.putObject(region, target.bucket, target.key, this.ctx.blobs.get(src.sha), { ...opts, checksum: src.checksum }, 's3:ObjectCreated:Copy');
  }

  listObjects(region: string, bucketName: string, params: ListParams): ListPage {
    return listObjects(this.bucketAt(region, bucketName).objects, params);
  }

  listObjectVersions(region: string, bucketName: string, params: VersionListParams): VersionListPage {
    return listVersions(this.bucketAt(region, bucketName), params);
  }

  /** Whether the bucket has ever had versioning configured: its objects then report x-amz-version-id, even "null". */
  isVersioned(region: string, bucketName: string): boolean {
    return this.bucketAt(region, bucketName).versioning !== undefined;
  }

  // ---- bucket configuration ----

  getEncryption(region: string, name: string): unknown {
    return this.bucketAt(region, name).encryption ?? DEFAULT_ENCRYPTION;
  }

  putEncryption(region: string, name: string, config: unknown): void {
    this.bucketAt(region, name).encryption = config;
    this.dirty(name, 'encryption');
  }

  deleteEncryption(region: string, name: string): void {
    delete this.bucketAt(region, name).encryption;
    this.dirty(name, 'encryption');
  }

  getPublicAccessBlock(region: string, name: string): Record<string, boolean> {
    const block = this.bucketAt(region, name).publicAccessBlock;
    if (!block)
      throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, true, { BucketName: name });
    return block;
  }

  putPublicAccessBlock(region: string, name: string, config: Record<string, boolean>): void {
    this.bucketAt(region, name).publicAccessBlock = config;
    this.dirty(name, 'publicAccessBlock');
  }

  deletePublicAccessBlock(region: string, name: string): void {
    delete this.bucketAt(region, name).publicAccessBlock;
    this.dirty(name, 'publicAccessBlock');
  }

  getPolicy(region: string, name: string): string {
    const policy = this.bucketAt(region, name).policy;
    if (policy === undefined) throw new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, true, { BucketName: name });
    return policy;
  }

  putPolicy(region: string, name: string, policy: string): void {
    const bucket = this.bucketAt(region, name);
    checkBucketPolicy(name, policy, bucket.publicAccessBlock?.BlockPublicPolicy === true);
    bucket.policy = policy;
    this.dirty(name, 'policy');
  }

  deletePolicy(region: string, name: string): void {
    delete this.bucketAt(region, name).policy;
    this.dirty(name, 'policy');
  }

  getVersioning(region: string, name: string): string | undefined {
    return this.bucketAt(region, name).versioning;
  }

  putVersioning(region: string, name: string, status: string): void {
    if (status !== 'Enabled' && status !== 'Suspended')
      throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    const bucket = this.bucketAt(region, name);
    if (bucket.replication && status !== 'Enabled')
      throw new AwsError('InvalidBucketState', 'A replication configuration is present on this bucket, so you cannot change the versioning state. To change the versioning state, first delete the replication configuration.', 409);
    bucket.versioning = status;
    this.dirty(name, 'versioning');
  }

  getReplication(region: string, name: string): ReplicationConfig {
    const config = this.bucketAt(region, name).replication;
    if (!config) throw new AwsError('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', 404, true, { BucketName: name });
    return config;
  }

  putReplication(region: string, name: string, config: ReplicationConfig): void {
    const bucket = this.bucketAt(region, name);
    if (bucket.versioning !== 'Enabled') throw new AwsError('InvalidRequest', "Versioning must be 'Enabled' on the bucket to apply a replication configuration", 400);
    bucket.replication = config;
    this.dirty(name, 'replication');
  }

  deleteReplication(region: string, name: string): void {
    delete this.bucketAt(region, name).replication;
    this.dirty(name, 'replication');
  }

  getTags(region: string, name: string): Record<string, string> {
    const tags = this.bucketAt(region, name).tags;
    if (!tags) throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, true, { BucketName: name });
    return tags;
  }

  putTags(region: string, name: string, tags: Record<string, string>): void {
    this.bucketAt(region, name).tags = tags;
    this.dirty(name, 'tags');
  }

  deleteTags(region: string, name: string): void {
    delete this.bucketAt(region, name).tags;
    this.dirty(name, 'tags');
  }

  getNotification(region: string, name: string): NotificationConfig {
    return this.bucketAt(region, name).notification;
  }

  putNotification(region: string, name: string, config: NotificationConfig): void {
    this.bucketAt(region, name).notification = config;
    this.dirty(name, 'notification');
  }

  /** PutBucketNotificationConfiguration: destinations validated first (unless the configuration is unchanged), then stored. */
  async configureNotification(region: string, name: string, config: NotificationConfig): Promise<void> {
    const current = this.bucketAt(region, name).notification;
    if (JSON.stringify(current) !== JSON.stringify(config)) await this.checkNotification?.(region, name, config);
    this.putNotification(region, name, config);
  }

  /** Notification targets whose event pattern and key filter match, for whoever delivers events. */
  notificationTargets(bucketName: string, eventName: string, key: string): { topics: string[]; queues: string[]; lambdas: string[] } {
    const config = this.bucket(bucketName).notification;
    const matches = (t: NotificationConfig['topics'][number]) =>
      t.events.some((e) => e === eventName || (e.endsWith('*') && eventName.startsWith(e.slice(0, -1)))) &&
      key.startsWith(t.prefix ?? '') &&
      key.endsWith(t.suffix ?? '');
    return {
      topics: config.topics.filter(matches).map((t) => t.arn),
      queues: config.queues.filter(matches).map((t) => t.arn),
      lambdas: config.lambdas.filter(matches).map((t) => t.arn),
    };
  }
}
