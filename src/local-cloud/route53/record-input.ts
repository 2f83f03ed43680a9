import { AwsError } from '../aws-error.js';
import { record as obj, text } from '../protocols/narrow.js';
import { bareId, dnsName } from './ids.js';
import { isLatencyRegion, isOtherPartition, LATENCY_REGIONS } from './latency-regions.js';
import type { HealthCheckConfig, RecordSet } from './model.js';

// Wire XML (single children arrive as objects, wrappers like <ResourceRecord>) and CloudFormation
// (plain arrays, numbers as strings) both normalise through here.

export const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message, 400);

/**
 * XML lists arrive as one object or an array, possibly under a wrapper element name. The items are
 * whatever the document holds: T is the caller's claim (default unknown, to be narrowed).
 */
export function listOf<T = unknown>(value: unknown, wrapper?: string): T[] {
  if (value === undefined || value === null || value === '') return [];
  const inner: unknown = wrapper && typeof value === 'object' && !Array.isArray(value) && wrapper in value ? (value as Record<string, unknown>)[wrapper] : value;
  if (inner === undefined || inner === null || inner === '') return [];
  return (Array.isArray(inner) ? inner : [inner]) as T[];
}

const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || String(v).toLowerCase() === 'true');
const num = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

/**
 * Where a wire change sits, for AWS's message texts: the change's action and its 1-based position
 * in the batch. CloudFormation's own record sets carry none (its messages name the resource).
 */
export interface ChangePosition {
  action: string;
  index: number;
}

export function recordSetFrom(raw: Record<string, unknown>, at?: ChangePosition): RecordSet {
  if (!raw.Name) throw invalidInput('Invalid request: Missing field \'Name\' in Change.ResourceRecordSet');
  if (!raw.Type) throw invalidInput('Invalid request: Missing field \'Type\' in Change.ResourceRecordSet');
  if (raw.Region !== undefined && !isLatencyRegion(String(raw.Region))) {
    // Request validation, before the batch is looked at (API_ResourceRecordSet.html "Valid Values").
    const where = at ? `changeBatch.changes.${at.index}.member.resourceRecordSet.region` : 'region';
    throw invalidInput(`1 validation error detected: Value '${String(raw.Region)}' at '${where}' failed to satisfy constraint: Member must satisfy enum value set: [${LATENCY_REGIONS.join(', ')}]`);
  }
  const member = at ? `changeBatch.changes.${at.index}.member.resourceRecordSet` : undefined;
  // TTL 0–2147483647, Weight 0–255 (API_ResourceRecordSet.html "Valid Range"), checked as request validation.
  inRange(raw.TTL, member ? `${member}.tTL` : 'tTL', 0, 2147483647);
  inRange(raw.Weight, member ? `${member}.weight` : 'weight', 0, 255);
  const values = listOf(raw.ResourceRecords, 'ResourceRecord').map((r) => String(r !== null && typeof r === 'object' ? obj(r).Value : r));
  const record: RecordSet = { name: dnsName(String(raw.Name)), type: String(raw.Type).toUpperCase() };
  if (raw.SetIdentifier !== undefined) record.setIdentifier = String(raw.SetIdentifier);
  if (raw.Region !== undefined) record.region = String(raw.Region);
  if (raw.Failover !== undefined) record.failover = String(raw.Failover) as RecordSet['failover'];
  if (raw.Weight !== undefined) record.weight = num(raw.Weight);
  if (raw.TTL !== undefined) record.ttl = num(raw.TTL);
  if (raw.HealthCheckId) record.healthCheckId = String(raw.HealthCheckId);
  if (raw.AliasTarget) {
    const alias = obj(raw.AliasTarget);
    record.alias = {
      hostedZoneId: bareId(text(alias.HostedZoneId) ?? ''),
      dnsName: dnsName(text(alias.DNSName) ?? ''),
      evaluateTargetHealth: bool(alias.EvaluateTargetHealth) ?? false,
    };
  } else {
    record.values = values;
  }
  validateRecordSet(record, at ? changeWith(raw, at) : 'Change.ResourceRecordSet');
  return record;
}

/** A numeric member outside its documented range: InvalidInput with the request-validation text. */
function inRange(value: unknown, where: string, min: number, max: number): void {
  if (value === undefined || value === '') return;
  const n = Number(value);
  const shown = String(value);
  if (Number.isNaN(n)) throw invalidInput(`1 validation error detected: Value '${shown}' at '${where}' failed to satisfy constraint: Member must be a number`);
  if (n < min) throw invalidInput(`1 validation error detected: Value '${shown}' at '${where}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (n > max) throw invalidInput(`1 validation error detected: Value '${shown}' at '${where}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
}

/** How AWS names a change in InvalidInput texts: "Change with [Action=DELETE, Name=x.com, Type=A, SetIdentifier=x]". */
function changeWith(raw: Record<string, unknown>, at: ChangePosition): string {
  return `Change with [Action=${at.action}, Name=${String(raw.Name)}, Type=${String(raw.Type)}, SetIdentifier=${raw.SetIdentifier === undefined ? 'null' : String(raw.SetIdentifier)}]`;
}

/** A latency record for a region the aws partition does not have: refused by the batch, as AWS does. */
export function unknownRegionError(r: RecordSet): string | undefined {
  return r.region !== undefined && isOtherPartition(r.region) ? `Cannot find region '${r.region}'. No changes made.` : undefined;
}

function validateRecordSet(r: RecordSet, change: string): void {
  const policies = [r.region, r.failover, r.weight].filter((p) => p !== undefined).length;
  if (policies > 1) throw invalidInput(`Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found more than one in ${change}`);
  if (policies === 1 && !r.setIdentifier) throw invalidInput(`Invalid request: Missing field 'SetIdentifier' in ${change}`);
  if (policies === 0 && r.setIdentifier) throw invalidInput(`Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in ${change}`);
  if (r.failover && r.failover !== 'PRIMARY' && r.failover !== 'SECONDARY') throw invalidInput(`Invalid failover value: ${r.failover}`);
  if (r.weight !== undefined && !(Number.isInteger(r.weight) && r.weight >= 0 && r.weight <= 255)) throw invalidInput('Invalid request: Weight must be between 0 and 255');
  if (!r.alias) {
    if (r.ttl === undefined) throw invalidInput(`Invalid request: Missing field 'TTL' in ${change}`);
    if (!r.values || r.values.length === 0) throw invalidInput(`Invalid request: Missing field 'ResourceRecords' in ${change}`);
    if (r.type === 'A') {
      for (const v of r.values) if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) throw new AwsError('InvalidChangeBatch', `ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${v}'`, 400);
    }
    if (r.type === 'CNAME' && r.values.length > 1) throw new AwsError('InvalidChangeBatch', `RRSet of type CNAME with DNS name ${r.name} contains more than one value`, 400);
  } else if (r.ttl !== undefined) {
    throw invalidInput(`Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in ${change}`);
  }
}

/** The wire shape of a record set (ListResourceRecordSets). */
export function recordSetView(r: RecordSet): Record<string, unknown> {
  return {
    Name: r.name.replace(/\*/g, '\\052'),
    Type: r.type,
    SetIdentifier: r.setIdentifier,
    Weight: r.weight,
    Region: r.region,
    Failover: r.failover,
    TTL: r.ttl,
    ResourceRecords: r.values ? { ResourceRecord: r.values.map((Value) => ({ Value })) } : undefined,
    AliasTarget: r.alias ? { HostedZoneId: r.alias.hostedZoneId, DNSName: r.alias.dnsName, EvaluateTargetHealth: r.alias.evaluateTargetHealth } : undefined,
    HealthCheckId: r.healthCheckId,
  };
}

const HEALTH_TYPES = new Set(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP', 'CALCULATED', 'CLOUDWATCH_METRIC']);

/** HealthCheckConfig from the wire or CloudFormation, validated as CreateHealthCheck does. */
export function healthCheckConfigFrom(raw: Record<string, unknown>): HealthCheckConfig {
  if (!raw.Type) throw invalidInput('Invalid request: Missing field \'Type\' in HealthCheckConfig');
  const type = String(raw.Type);
  if (!HEALTH_TYPES.has(type)) throw invalidInput(`Invalid health check type: ${type}`);
  // Ranges of API_HealthCheckConfig.html: Port 1–65535, HealthThreshold 0–256, FailureThreshold 1–10,
  // RequestInterval 10–30; ResourcePath, FullyQualifiedDomainName and SearchString at most 255 characters.
  inRange(raw.Port, 'healthCheckConfig.port', 1, 65535);
  inRange(raw.HealthThreshold, 'healthCheckConfig.healthThreshold', 0, 256);
  inRange(raw.FailureThreshold, 'healthCheckConfig.failureThreshold', 1, 10);
  inRange(raw.RequestInterval, 'healthCheckConfig.requestInterval', 10, 30);
  for (const field of ['ResourcePath', 'FullyQualifiedDomainName', 'SearchString'] as const) {
    const v = text(raw[field]);
    if (v !== undefined && v.length > 255)
      throw invalidInput(`1 validation error detected: Value '${v}' at 'healthCheckConfig.${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to 255`);
  }
  const c: HealthCheckConfig = { Type: type };
  const set = <K extends keyof HealthCheckConfig>(key: K, value: HealthCheckConfig[K] | undefined) => {
    if (value !== undefined) c[key] = value;
  };
  set('IPAddress', text(raw.IPAddress));
  set('Port', num(raw.Port));
  set('ResourcePath', text(raw.ResourcePath));
  set('FullyQualifiedDomainName', text(raw.FullyQualifiedDomainName));
  set('SearchString', text(raw.SearchString));
  set('MeasureLatency', bool(raw.MeasureLatency));
  set('Inverted', bool(raw.Inverted));
  set('Disabled', bool(raw.Disabled));
  set('EnableSNI', bool(raw.EnableSNI));
  set('HealthThreshold', num(raw.HealthThreshold));
  set('InsufficientDataHealthStatus', text(raw.InsufficientDataHealthStatus) as HealthCheckConfig['InsufficientDataHealthStatus']);
  const children = listOf<string>(raw.ChildHealthChecks, 'ChildHealthCheck').map(String);
  if (children.length) c.ChildHealthChecks = children;
  const regions = listOf<string>(raw.Regions, 'Region').map(String);
  if (regions.length) c.Regions = regions;
  if (raw.AlarmIdentifier) c.AlarmIdentifier = { Region: String(obj(raw.AlarmIdentifier).Region), Name: String(obj(raw.AlarmIdentifier).Name) };
  const http = type.startsWith('HTTP') || type === 'TCP';
  if (http) {
    c.RequestInterval = num(raw.RequestInterval) ?? 30;
    c.FailureThreshold = num(raw.FailureThreshold) ?? 3;
    c.Port ??= type.startsWith('HTTPS') ? 443 : 80;
    if (c.RequestInterval !== 10 && c.RequestInterval !== 30) throw invalidInput('Invalid request: RequestInterval must be 10 or 30');
    if (!(c.FailureThreshold >= 1 && c.FailureThreshold <= 10)) throw invalidInput('Invalid request: FailureThreshold must be between 1 and 10');
    if (!c.IPAddress && !c.FullyQualifiedDomainName) throw invalidInput('Invalid request: Missing field \'FullyQualifiedDomainName\' or \'IPAddress\' in HealthCheckConfig');
    if (type.endsWith('STR_MATCH') && !c.SearchString) throw invalidInput('Invalid request: Missing field \'SearchString\' in HealthCheckConfig');
    if (c.Regions && c.Regions.length < 3) throw invalidInput('Invalid request: At least three regions must be specified for a health check');
  }
  if (type === 'CLOUDWATCH_METRIC') {
    if (!c.AlarmIdentifier) throw invalidInput('Invalid request: Missing field \'AlarmIdentifier\' in HealthCheckConfig');
    c.InsufficientDataHealthStatus ??= 'LastKnownStatus';
  }
  if (type === 'CALCULATED') {
    c.ChildHealthChecks ??= [];
    c.HealthThreshold ??= c.ChildHealthChecks.length;
  }
  return c;
}

/** The wire shape of a HealthCheckConfig. */
export function healthCheckConfigView(c: HealthCheckConfig): Record<string, unknown> {
  return {
    IPAddress: c.IPAddress,
    Port: c.Port,
    Type: c.Type,
    ResourcePath: c.ResourcePath,
    FullyQualifiedDomainName: c.FullyQualifiedDomainName,
    SearchString: c.SearchString,
    RequestInterval: c.RequestInterval,
    FailureThreshold: c.FailureThreshold,
    MeasureLatency: c.Type.startsWith('HTTP') ? (c.MeasureLatency ?? false) : undefined,
    Inverted: c.Inverted ?? false,
    Disabled: c.Disabled ?? false,
    HealthThreshold: c.HealthThreshold,
    ChildHealthChecks: c.ChildHealthChecks ? { ChildHealthCheck: c.ChildHealthChecks } : undefined,
    EnableSNI: c.Type.startsWith('HTTPS') ? (c.EnableSNI ?? true) : undefined,
    Regions: c.Regions ? { Region: c.Regions } : undefined,
    AlarmIdentifier: c.AlarmIdentifier,
    InsufficientDataHealthStatus: c.InsufficientDataHealthStatus,
  };
}
