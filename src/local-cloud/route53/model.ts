// The persisted shape of Route 53 state (global: one per local cloud). Times are epoch ms.

export interface AliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface RecordSet {
  /** Lower-case, with the trailing dot. */
  name: string;
  type: string;
  ttl?: number;
  values?: string[];
  setIdentifier?: string;
  region?: string;
  failover?: 'PRIMARY' | 'SECONDARY';
  weight?: number;
  alias?: AliasTarget;
  healthCheckId?: string;
}

export interface ZoneRecord {
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  createdAt: number;
  records: RecordSet[];
}

export interface HealthCheckConfig {
  Type: string;
  IPAddress?: string;
  Port?: number;
  ResourcePath?: string;
  FullyQualifiedDomainName?: string;
  SearchString?: string;
  RequestInterval?: number;
  FailureThreshold?: number;
  MeasureLatency?: boolean;
  Inverted?: boolean;
  Disabled?: boolean;
  HealthThreshold?: number;
  ChildHealthChecks?: string[];
  EnableSNI?: boolean;
  Regions?: string[];
  AlarmIdentifier?: { Region: string; Name: string };
  InsufficientDataHealthStatus?: 'Healthy' | 'Unhealthy' | 'LastKnownStatus';
}

/** One checker region's view of an HTTP(S) endpoint. */
export interface CheckerState {
  healthy: boolean;
  /** Consecutive results disagreeing with `healthy`; the status flips at FailureThreshold. */
  streak: number;
  lastStatus?: string;
  checkedAt?: number;
}

export interface HealthCheckRecord {
  id: string;
  callerReference: string;
  version: number;
  createdAt: number;
  config: HealthCheckConfig;
  /** HTTP(S): per checker region. */
  checkers: Record<string, CheckerState>;
  /** CLOUDWATCH_METRIC: the last OK/ALARM verdict, for InsufficientDataHealthStatus=LastKnownStatus. */
  lastKnownHealthy: boolean;
  lastAlarmState?: string;
  checkedAt?: number;
}

export interface ChangeRecord {
  id: string;
  submittedAt: number;
}

export interface Route53State {
  zones: Record<string, ZoneRecord>;
  healthChecks: Record<string, HealthCheckRecord>;
  changes: Record<string, ChangeRecord>;
}

export const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
