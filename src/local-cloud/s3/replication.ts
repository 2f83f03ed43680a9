// S3 replication, run: every version or delete marker a client writes into a bucket with a
// replication configuration is queued for each destination its rules match, and copied there
// asynchronously on the cloud clock (lag: the faults' replication lag between the two regions).
// The source version reads PENDING, then COMPLETED once every destination has it, or FAILED
// when one could not be written; the copy reads REPLICA and keeps the source's version id.
// Replicas are never replicated again, so two-way rules do not loop.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
import { randomUUID } from 'node:crypto';
import { dict, keyedState, own } from '../keyed.js';
import { roleAllows, type IamView } from '../lambda/log-permissions.js';
import type { CloudContext } from '../types.js';
import type { S3Domain } from './domain.js';
import type { BucketState, VersionEntry } from './model.js';
import type { ReplicationRule } from './replication-config.js';
import { findVersion, isDeleteMarker } from './versions.js';

/** Lag when no fault configures one: S3 replicates most objects within seconds. */
export const DEFAULT_S3_REPLICATION_LAG_MS = 1000;

interface PendingReplication {
  id: string;
  source: string;
  key: string;
  versionId: string;
  destination: string;
  ruleId: string;
  /** The rule publishes replication metrics (Metrics or Replication Time Control enabled). */
  metrics: boolean;
  writtenAt: number;
  dueAt: number;
}

interface ReplicationState {
  pending: Record<string, PendingReplication>;
}

interface MetricSink {
  putMetric(region: string, namespace: string, metricName: string, dimensions: Record<string, string>, value: number, unit?: string): void;
}

const bucketOfArn = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

/** Per destination bucket, the highest-priority enabled rule that matches (objects carry no tags here, so tag filters match nothing). */
export function matchingRules(bucket: BucketState, entry: VersionEntry): Map<string, ReplicationRule> {
  const byDestination = new Map<string, ReplicationRule>();
  for (const rule of bucket.replication?.rules ?? []) {
    if (rule.status !== 'Enabled' || !entry.key.startsWith(rule.prefix) || rule.tags.length > 0) continue;
    // V1 rules replicate delete markers; V2 rules only with DeleteMarkerReplication enabled.
    if (isDeleteMarker(entry) && rule.schema === 'v2' && rule.deleteMarkerReplication !== 'Enabled') continue;
    const destination = bucketOfArn(rule.destination.bucket);
    if (destination === bucket.name) continue;
    const current = byDestination.get(destination);
    if (!current || (rule.priority ?? 0) > (current.priority ?? 0)) byDestination.set(destination, rule);
  }
  return byDestination;
}

export class S3Replication {
  private readonly timers = new Map<string, () => void>();
  private stopped = false;

  constructor(
    private readonly ctx: CloudContext,
    private readonly s3: S3Domain,
  ) {}

  private get state(): ReplicationState {
    return keyedState<ReplicationState>(this.ctx.state, 's3-replication', () => ({ pending: dict() }));
  }

  private lag(from: string, to: string): number {
    return this.ctx.faults?.replicationLag?.(from, to) ?? DEFAULT_S3_REPLICATION_LAG_MS;
  }

  /** S3Domain's hook: queue a client's new version (never a replica) for every destination a rule sends it to. */
  onVersionAdded(bucket: BucketState, entry: VersionEntry): void {
    if (entry.replicationStatus === 'REPLICA') return;
    const rules = matchingRules(bucket, entry);
    if (rules.size === 0) return;
    if (!isDeleteMarker(entry)) entry.replicationStatus = 'PENDING';
    const now = this.ctx.clock.now();
    for (const [destination, rule] of rules) {
      const to = this.s3.bucketRegion(destination) ?? bucket.region;
      const metrics = rule.destination.metrics === 'Enabled' || rule.destination.replicationTime === 'Enabled';
      const p: PendingReplication = { id: randomUUID(), source: bucket.name, key: entry.key, versionId: entry.versionId, destination, ruleId: rule.id, metrics, writtenAt: now, dueAt: now + this.lag(bucket.region, to) };
      this.state.pending[p.id] = p;
      this.ctx.state.changed('s3-replication', 'pending', p.id);
      this.schedule(p);
    }
  }

  private schedule(p: PendingReplication): void {
    if (this.stopped || this.timers.has(p.id)) return;
    const cancel = this.ctx.clock.at(Math.max(p.dueAt, this.ctx.clock.now()), () => {
      this.timers.delete(p.id);
      this.run(p.id);
    });
    this.timers.set(p.id, cancel);
  }

  private run(id: string): void {
    const p = own(this.state.pending, id);
    if (!p) return;
    const sourceRegion = this.s3.bucketRegion(p.source);
    // The source region is down: its S3 replicates nothing until it is back (faults.onChange re-arms).
    if (sourceRegion !== undefined && this.ctx.faults?.isRegionDown(sourceRegion)) return;
    this.finish(p);
    const source = sourceRegion === undefined ? undefined : this.s3.bucket(p.source);
    const entry = source && findVersion(source, p.key, p.versionId);
    if (!source || !entry) return; // the version was deleted before it replicated
    const failure = this.failure(p, source, entry);
    if (failure) {
      this.ctx.log(`s3: replication of ${p.source}/${p.key} (${p.versionId}) to ${p.destination} failed: ${failure}`);
      this.metric(sourceRegion!, p, 'OperationsFailedReplication', 1, 'Count');
    } else {
      const { replicationStatus: _status, ...copy } = entry;
      this.s3.putReplica(p.destination, copy as VersionEntry);
      this.metric(sourceRegion!, p, 'ReplicationLatency', Math.max(0, this.ctx.clock.now() - p.writtenAt) / 1000, 'Seconds');
    }
    if (isDeleteMarker(entry)) return;
    if (failure) entry.replicationStatus = 'FAILED';
    else if (entry.replicationStatus === 'PENDING' && !this.pendingFor(p)) entry.replicationStatus = 'COMPLETED';
    this.s3.keyChanged(p.source, p.key);
  }

  private finish(p: PendingReplication): void {
    delete this.state.pending[p.id];
    this.ctx.state.changed('s3-replication', 'pending', p.id);
  }

  private pendingFor(p: PendingReplication): boolean {
    return Object.values(this.state.pending).some((o) => o.source === p.source && o.key === p.key && o.versionId === p.versionId);
  }

  /** Why S3 could not replicate, in the words of its failure reasons; undefined when it can. */
  private failure(p: PendingReplication, source: BucketState, entry: VersionEntry): string | undefined {
    const destinationRegion = this.s3.bucketRegion(p.destination);
    if (destinationRegion === undefined) return 'DstBucketNotFound';
    if (this.ctx.faults?.isRegionDown(destinationRegion)) return `DstBucketNotFound (${destinationRegion} is unavailable)`;
    if (this.s3.bucket(p.destination).versioning !== 'Enabled') return 'DstBucketUnversioned';
    const role = source.replication?.role ?? '';
    const iam: IamView | undefined = this.ctx.service('iam');
    if (!roleAllows(iam, role, 's3:GetObjectVersionForReplication', `arn:aws:s3:::${p.source}/${p.key}`)) return 'SrcGetObjectNotPermitted';
    const action = isDeleteMarker(entry) ? 's3:ReplicateDelete' : 's3:ReplicateObject';
    if (!roleAllows(iam, role, action, `arn:aws:s3:::${p.destination}/${p.key}`)) return isDeleteMarker(entry) ? 'DstDelObjNotPermitted' : 'DstPutObjectNotPermitted';
    return undefined;
  }

  // Published only for rules with metrics (or Replication Time Control) enabled, in the source
  // region, per source bucket, destination bucket and rule.
  private metric(region: string, p: PendingReplication, name: string, value: number, unit: string): void {
    if (!p.metrics) return;
    let cw: MetricSink | undefined;
    try {
      cw = this.ctx.service('monitoring');
    } catch {
      cw = undefined;
    }
    cw?.putMetric(region, 'AWS/S3', name, { SourceBucket: p.source, DestinationBucket: p.destination, RuleId: p.ruleId }, value, unit);
  }

  /** Replications not yet done (tests, status). */
  pending(): Array<{ source: string; key: string; destination: string; dueAt: number }> {
    return Object.values(this.state.pending).map(({ source, key, destination, dueAt }) => ({ source, key, destination, dueAt }));
  }

  start(): void {
    this.stopped = false;
    const faults = this.ctx.faults;
    if (faults) {
      const previous = faults.onChange;
      faults.onChange = () => {
        previous?.();
        this.resume();
      };
    }
    this.resume();
  }

  /** (Re)arm every queued replication: after a restart, or when an outage is lifted. */
  resume(): void {
    for (const p of Object.values(this.state.pending)) this.schedule(p);
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}
