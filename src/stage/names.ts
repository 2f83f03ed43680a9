// Every name a stage gives its resources, made in one place. The templates make the same names
// from their Service/Stage/ZoneName parameters; test/stage/plan.test.ts holds the two together.

export interface StageId {
  service: string;
  stage: string;
}

export interface StageDns extends StageId {
  dns: { zone: string };
}

/** The per-region stack every stage in the region shares (the artifacts bucket). */
export const TOOLKIT_STACK_NAME = 'regionctl-toolkit';

// CloudFront only accepts ACM certificates from us-east-1, so the edge stack lives there whichever
// regions the service runs in.
export const EDGE_REGION = 'us-east-1';

/** `<service>-<stage>-<kind>`; a shared stack (the toolkit) has its own fixed name. */
export function stackName(kind: string, id: StageId): string {
  return kind === 'toolkit' ? TOOLKIT_STACK_NAME : `${id.service}-${id.stage}-${kind}`;
}

/** The latency-routed name every region's service stack answers for: `<stage>-<service>.<zone>`. */
export function regionalName(c: StageDns): string {
  return `${c.stage}-${c.service}.${c.dns.zone}`;
}

/** The global name the edge stack (CloudFront) serves: `<service>.<zone>`. */
export function globalName(c: { service: string; dns: { zone: string } }): string {
  return `${c.service}.${c.dns.zone}`;
}

/** The health API's name, the `ApiName` dimension of its 5XXError alarm. */
export const healthApiName = (id: StageId): string => `${id.stage}-${id.service}`;

/** A bundled function's name: `<service>-<stage>-<function>` (check, canary, hello). */
export const functionName = (id: StageId, fn: string): string => `${id.service}-${id.stage}-${fn}`;

/** The 5XXError alarm of one region's health API. */
export const alarmName = (id: StageId, region: string): string => `${id.service}-${id.stage}-${region}-5xx`;

/** The schedule that calls the canary. */
export const canaryRuleName = (id: StageId): string => `${id.service}-${id.stage}-canary`;

/** The path of every role the stage's stacks create (the boundary and the policy scope by it). */
export const rolePath = (id: StageId): string => `/regionctl/${id.service}/${id.stage}/`;

/** CloudFormation names the unnamed health table `<stack>-HealthTable-<random>`. */
export const healthTablePrefix = (id: StageId): string => `${stackName('health', id)}-HealthTable-`;

/** Buckets without a BucketName are `<stack>-<logical id>-<random>`, lower-cased: the toolkit's artifacts bucket. */
export const TOOLKIT_BUCKET_PREFIX = `${TOOLKIT_STACK_NAME}-artifactbucket-`;

/**
 * Where a stage's Lambda zips live in the shared toolkit bucket: under its own prefix, so one
 * stage never writes a key another stage deploys from. (Not `stages/…`: that prefix holds the
 * stage markers, and a service named "stages" would otherwise pass for a marker.)
 */
export const artifactPrefix = (id: StageId): string => `artifacts/${id.service}/${id.stage}/`;

/** The object in the toolkit bucket saying this stage uses it. */
export const STAGE_MARKER_PREFIX = 'stages/';
export const stageMarkerKey = (id: StageId): string => `${STAGE_MARKER_PREFIX}${id.service}/${id.stage}`;

/** The comment on a hosted zone the dns stack made, how doctor tells regionctl's zone from a stranger's. */
export const managedZoneComment = (id: StageId): string => `regionctl ${id.service} ${id.stage}`;

// Every region's replication bucket is `<prefix>-<region>-<account>`: known before any exists, so
// deploy chains the regions in one pass. The prefix is at most 35 characters (35 + 1 + 14 for the
// longest region + 1 + 12 = 63, S3's limit) and ends in a hash of service and stage, so no other
// stage's prefix (say service "shop-test" beside service "shop", stage "test") is a prefix of it.
export function replicationBucketPrefix(id: StageId): string {
  const readable = `${id.service}-${id.stage}`.slice(0, 26).replace(/-+$/, '');
  return `${readable}-${fnv1a(`${id.service}/${id.stage}`)}`;
}

/** The replication bucket of one region (the replication stack's BucketName output). */
export const replicationBucketName = (id: StageId, region: string, account: string): string => `${replicationBucketPrefix(id)}-${region}-${account}`;

/** The SNS topic a region's bucket notifies of new objects. */
export const objectsTopicName = (id: StageId): string => `${id.service}-${id.stage}-objects`;

// 32-bit FNV-1a as 8 hex digits: a stable, dependency-free name hash (not a security property).
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
/** The stage's DynamoDB global table (the table stack's, replicated to every region): `<service>-<stage>-things`. */
export const globalTableName = (id: StageId): string => `${id.service}-${id.stage}-things`;

/** Each region's event topic (the events stack's). */
export const eventTopicName = (id: StageId): string => `${id.service}-${id.stage}-events`;

/** What the stage's trigger puts in `tags.source` of the events it publishes (the listener skips its own). */
export const eventSource = (id: StageId): string => `${id.service}-${id.stage}`;
