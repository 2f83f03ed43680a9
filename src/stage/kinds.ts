import type { RegionctlConfig } from '../config/schema.js';
import { targetRegions } from './chain.js';
import { EDGE_REGION, eventSource, eventTopicName, globalTableName, replicationBucketPrefix } from './names.js';

/** What planning a stage needs from regionctl.yml. */
export type StageConfig = Pick<RegionctlConfig, 'service' | 'stage' | 'regions' | 'primaryRegion' | 'dns' | 'healthCheck' | 'cdn' | 'permissionsBoundary' | 'replication'> & Partial<Pick<RegionctlConfig, 'table'>>;

/**
 * When a stack is deployed: `before` once per stage ahead of every region (what the regions need,
 * such as the hosted zone), `region` in every configured region, `after` once per stage when the
 * regions are done (what depends on them, such as the edge in front of their name).
 * Destroy walks the same order backwards.
 */
export type Phase = 'before' | 'region' | 'after';

/**
 * One kind of stack. Adding a kind is one entry in STACK_KINDS plus its template: synth renders it,
 * deploy and destroy order it by phase, status reads it, iam-policy grants what its template creates.
 */
export interface StackKindSpec {
  kind: string;
  phase: Phase;
  /** Template file in the templates folder, or an absolute path (default `<kind>.yml`). */
  template?: string;
  /** Once-per-stage stacks: the region the stack lives in. */
  home?: (config: StageConfig) => string;
  /** Leave the stack out of this stage's plan (default: always in). */
  enabled?: (config: StageConfig) => boolean;
  /** Shared by every stage in the region (the toolkit): destroy keeps it while another stage uses it. */
  shared?: boolean;
  /** Parameters known from regionctl.yml. CloudFormation parameters are strings on the wire. */
  parameters: (config: StageConfig, region: string) => Record<string, string>;
  /** Template parameter → bundled Lambda whose code key synth fills in. */
  code?: Record<string, string>;
  /**
   * Template parameter → output key of a stack deployed earlier: the same region's stacks before this
   * one, else the `before` stacks. `HostedZoneId` has no stack when `dns.createZone` is false: deploy
   * looks the zone up by name.
   */
  outputParameters?: Record<string, string>;
}

const ids = (c: StageConfig) => ({ Service: c.service, Stage: c.stage });
const certificateArn = (c: StageConfig, region: string) => c.dns.certificateArn?.[region] ?? '';
// '' creates the roles without a boundary (the local cloud, and users who never ran iam-policy).
const boundary = (c: StageConfig) => c.permissionsBoundary ?? '';

/** The stacks of a stage, in deploy order within each phase. */
export const STACK_KINDS: readonly StackKindSpec[] = [
  {
    kind: 'dns',
    phase: 'before',
    home: (c) => c.primaryRegion,
    enabled: (c) => c.dns.createZone,
    parameters: (c) => ({ ...ids(c), ZoneName: c.dns.zone }),
  },
  {
    // The global table's stack: the table in the primary region. deploy adds its replicas (one region
    // per UpdateTable, waiting for ACTIVE) after it, and feeds each region's stream ARN to its events stack.
    kind: 'table',
    phase: 'before',
    home: (c) => c.primaryRegion,
    enabled: (c) => c.table !== undefined,
    parameters: (c) => ({ TableName: globalTableName(c) }),
  },
  {
    kind: 'toolkit',
    phase: 'region',
    shared: true,
    parameters: () => ({ EncryptionType: 'AES256', Versioning: 'false' }),
  },
  {
    kind: 'health',
    phase: 'region',
    parameters: (c) => {
      const { alarm } = c.healthCheck;
      return {
        ...ids(c),
        AlarmStatistic: alarm.statistic,
        AlarmPeriod: String(alarm.period),
        AlarmEvaluationPeriods: String(alarm.evaluationPeriods),
        AlarmThreshold: String(alarm.threshold),
        AlarmDimension: String(alarm.dimension),
        HealthCheckType: c.healthCheck.type,
        HealthCheckInterval: String(c.healthCheck.interval),
        HealthCheckFailureThreshold: String(c.healthCheck.failureThreshold),
        PermissionsBoundary: boundary(c),
      };
    },
    code: { CheckCodeKey: 'check', CanaryCodeKey: 'canary' },
    outputParameters: { ArtifactBucket: 'ArtifactBucketName' },
  },
  {
    kind: 'service',
    phase: 'region',
    parameters: (c, region) => ({ ...ids(c), ZoneName: c.dns.zone, CertificateArn: certificateArn(c, region), PermissionsBoundary: boundary(c) }),
    code: { HelloCodeKey: 'hello' },
    outputParameters: { ArtifactBucket: 'ArtifactBucketName', HealthCheckId: 'HealthCheckId', HostedZoneId: 'HostedZoneId' },
  },
  {
    // Per region: trigger on the region's replica stream, the regional topic, listener, command, query.
    kind: 'events',
    phase: 'region',
    enabled: (c) => c.table !== undefined,
    parameters: (c) => ({ ...ids(c), TableName: globalTableName(c), TopicName: eventTopicName(c), EventSource: eventSource(c), PermissionsBoundary: boundary(c) }),
    code: { TriggerCodeKey: 'trigger', ListenerCodeKey: 'listener', CommandCodeKey: 'command', QueryCodeKey: 'query' },
    // ReplicaStreamArn is no stack's output: deploy reads it from the region's replica once it is ACTIVE.
    outputParameters: { ArtifactBucket: 'ArtifactBucketName', TableStreamArn: 'ReplicaStreamArn' },
  },
  {
    // Per region: bucket → topic → replicator (chained by the configured region order) + indexer → view table, search API.
    kind: 'replication',
    phase: 'region',
    enabled: (c) => c.replication !== undefined,
    parameters: (c, region) => ({
      ...ids(c),
      BucketPrefix: replicationBucketPrefix(c),
      TargetRegions: targetRegions(c.regions, region, c.replication?.topology ?? 'ring').join(','),
      Topology: c.replication?.topology ?? 'ring',
      PermissionsBoundary: boundary(c),
    }),
    code: { ReplicatorCodeKey: 'replicator', IndexerCodeKey: 'indexer', SearchCodeKey: 'search' },
    outputParameters: { ArtifactBucket: 'ArtifactBucketName' },
  },
  {
    kind: 'edge',
    phase: 'after',
    home: () => EDGE_REGION,
    enabled: (c) => c.cdn,
    parameters: (c) => ({ ...ids(c), ZoneName: c.dns.zone, CertificateArn: certificateArn(c, EDGE_REGION) }),
    outputParameters: { HostedZoneId: 'HostedZoneId' },
  },
];
