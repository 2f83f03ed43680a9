// S3 replication configuration (PutBucketReplication / GetBucketReplication / DeleteBucketReplication
// and AWS::S3::Bucket ReplicationConfiguration): parsed, checked as S3 checks it, and written back.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
import { randomBytes } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import { malformedXml } from './errors.js';
import { asArray } from './xml-input.js';

type Toggle = 'Enabled' | 'Disabled';

export interface ReplicationRule {
  id: string;
  /** V2 rules (with a Filter) only; higher wins when two rules send one object to the same bucket. */
  priority?: number;
  status: Toggle;
  /** 'v1': the legacy rule-level Prefix; 'v2': a Filter (what the console and CloudFormation write). */
  schema: 'v1' | 'v2';
  prefix: string;
  tags: Array<{ Key: string; Value: string }>;
  destination: {
    /** arn:aws:s3:::name */
    bucket: string;
    storageClass?: string;
    metrics?: Toggle;
    replicationTime?: Toggle;
  };
  deleteMarkerReplication?: Toggle;
  replicaModifications?: Toggle;
}

export interface ReplicationConfig {
  role: string;
  rules: ReplicationRule[];
}

const invalidRequest = (message: string) => new AwsError('InvalidRequest', message, 400);
const invalidArgument = (message: string, name: string, value: string) =>
  new AwsError('InvalidArgument', message, 400, true, { ArgumentName: name, ArgumentValue: value });

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc => (v !== null && typeof v === 'object' ? (v as Doc) : {});
const str = (v: unknown): string | undefined => (v === undefined || v === null || typeof v === 'object' ? undefined : String(v));

function toggle(v: unknown, required = false): Toggle | undefined {
  const s = str(obj(v).Status) ?? (typeof v === 'string' ? v : undefined);
  if (s === undefined && !required) return undefined;
  if (s !== 'Enabled' && s !== 'Disabled') throw malformedXml();
  return s;
}

function tagsOf(v: unknown): Array<{ Key: string; Value: string }> {
  return asArray(v).map(obj).map((t) => ({ Key: str(t.Key) ?? '', Value: str(t.Value) ?? '' }));
}

function ruleFrom(raw: Doc): ReplicationRule {
  const hasFilter = raw.Filter !== undefined;
  const filter = obj(raw.Filter);
  const and = obj(filter.And);
  const destination = obj(raw.Destination);
  const bucket = str(destination.Bucket);
  if (!bucket) throw malformedXml();
  if (!/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw invalidArgument('Invalid bucket ARN', 'Bucket', bucket);
  const priority = str(raw.Priority);
  if (priority !== undefined && !/^\d+$/.test(priority)) throw malformedXml();
  const id = str(raw.ID) ?? randomBytes(24).toString('base64');
  if (id.length > 255) throw invalidArgument('The ID is too long: it must be at most 255 characters', 'ID', id);
  const replicaModifications = toggle(obj(obj(raw.SourceSelectionCriteria).ReplicaModifications));
  return {
    id,
    ...(priority !== undefined ? { priority: Number(priority) } : {}),
    status: toggle(raw.Status, true)!,
    schema: hasFilter ? 'v2' : 'v1',
    prefix: str(filter.Prefix) ?? str(and.Prefix) ?? str(raw.Prefix) ?? '',
    tags: [...tagsOf(filter.Tag), ...tagsOf(and.Tag)],
    destination: {
      bucket,
      ...(str(destination.StorageClass) ? { storageClass: str(destination.StorageClass) } : {}),
      ...(destination.Metrics !== undefined ? { metrics: toggle(destination.Metrics, true) } : {}),
      ...(destination.ReplicationTime !== undefined ? { replicationTime: toggle(destination.ReplicationTime, true) } : {}),
    },
    ...(raw.DeleteMarkerReplication !== undefined ? { deleteMarkerReplication: toggle(raw.DeleteMarkerReplication, true) } : {}),
    ...(replicaModifications ? { replicaModifications } : {}),
  };
}

/** A ReplicationConfiguration element (parsed XML, or CloudFormation's shape normalised by fromTemplate) → the stored form; throws as S3 does. */
export function replicationFromXml(doc: Doc): ReplicationConfig {
  const role = str(doc.Role);
  if (!role) throw malformedXml();
  const raw = asArray(doc.Rule).map(obj);
  if (raw.length === 0 || raw.length > 1000) throw malformedXml();
  const rules = raw.map(ruleFrom);
  const schemas = new Set(rules.map((r) => r.schema));
  if (schemas.size > 1) throw invalidRequest('Rules in a replication configuration must all use Filter or all use the rule-level Prefix, not both');
  const ids = rules.map((r) => r.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw invalidArgument('Rule Id must be unique', 'ID', dup);
  for (const rule of rules) {
    if (rule.schema === 'v2') {
      if (rule.deleteMarkerReplication === undefined)
        throw invalidRequest('DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.');
      if (rule.deleteMarkerReplication === 'Enabled' && rule.tags.length > 0) throw invalidRequest('Delete marker replication is not supported if any Tag filter is specified.');
      if (rule.priority === undefined && rules.length > 1) throw invalidRequest('Priority must be specified for this version of Cross Region Replication configuration schema.');
    } else if (rule.priority !== undefined || rule.deleteMarkerReplication !== undefined || rule.replicaModifications !== undefined) {
      throw invalidRequest('Priority, DeleteMarkerReplication and SourceSelectionCriteria need the Filter element (the V2 schema), not the rule-level Prefix');
    }
    if ((rule.destination.replicationTime === 'Enabled') !== (rule.destination.metrics === 'Enabled') && rule.destination.replicationTime !== undefined)
      throw invalidRequest('Replication destination must contain both ReplicationTime and Metrics or neither.');
  }
  const priorities = rules.filter((r) => r.priority !== undefined).map((r) => r.priority!);
  if (new Set(priorities).size !== priorities.length) throw invalidRequest('Found two rules with the same priority: priorities must be unique');
  return { role, rules };
}

/** The stored form as GetBucketReplication answers it. */
export function replicationToXml(config: ReplicationConfig): Doc {
  return {
    Role: config.role,
    Rule: config.rules.map((r) => ({
      ID: r.id,
      ...(r.priority !== undefined ? { Priority: r.priority } : {}),
      ...(r.schema === 'v2'
        ? { Filter: r.tags.length === 0 ? { Prefix: r.prefix } : r.tags.length === 1 && !r.prefix ? { Tag: r.tags[0] } : { And: { Prefix: r.prefix, Tag: r.tags } } }
        : { Prefix: r.prefix }),
      Status: r.status,
      ...(r.replicaModifications ? { SourceSelectionCriteria: { ReplicaModifications: { Status: r.replicaModifications } } } : {}),
      Destination: {
        Bucket: r.destination.bucket,
        ...(r.destination.storageClass ? { StorageClass: r.destination.storageClass } : {}),
        ...(r.destination.replicationTime ? { ReplicationTime: { Status: r.destination.replicationTime, Time: { Minutes: 15 } } } : {}),
        ...(r.destination.metrics ? { Metrics: { Status: r.destination.metrics, EventThreshold: { Minutes: 15 } } } : {}),
      },
      ...(r.deleteMarkerReplication ? { DeleteMarkerReplication: { Status: r.deleteMarkerReplication } } : {}),
    })),
  };
}

/**
 * CloudFormation's AWS::S3::Bucket ReplicationConfiguration → the API's element shape: `Rules`
 * (not `Rule`), `Id` (not `ID`), `TagFilter(s)` (not `Tag`).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-replicationconfiguration.html
 */
export function replicationFromTemplate(value: unknown): ReplicationConfig {
  const v = obj(value);
  const rules = asArray(v.Rules).map(obj).map((r) => {
    const filter = r.Filter === undefined ? undefined : obj(r.Filter);
    const and = obj(filter?.And);
    return {
      ...r,
      ...(r.Id !== undefined ? { ID: r.Id } : {}),
      ...(filter
        ? { Filter: { ...(filter.Prefix !== undefined ? { Prefix: filter.Prefix } : {}), ...(filter.TagFilter ? { Tag: filter.TagFilter } : {}), ...(filter.And ? { And: { Prefix: and.Prefix, Tag: and.TagFilters } } : {}) } }
        : {}),
    };
  });
  return replicationFromXml({ Role: v.Role, Rule: rules });
}
