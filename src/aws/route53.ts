import type { HostedZone, ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import { sdk } from './sdk.js';

// Every Route 53 call regionctl makes outside the templates, so there is one rule for each question.

export interface ZoneLookup {
  /** The public zone with exactly that name (case-insensitive, trailing dot ignored), if any. */
  zone?: { id: string; comment?: string };
  /** Private zones with that name: they resolve only inside their VPCs, so regionctl never uses them. */
  privateZones: string[];
}

const bareId = (id: string | undefined): string => String(id ?? '').replace('/hostedzone/', '');
const sameName = (a: string, b: string): boolean => a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

/**
 * The one hosted-zone lookup rule: ListHostedZonesByName returns zones in name order starting at the
 * name, so the zones with that name come first (Route 53 allows several with one name). The public one
 * is the zone; a private one alone is reported, never used.
 */
export async function findHostedZone(route53: Route53Client, name: string): Promise<ZoneLookup> {
  const out = await route53.send(new (sdk('@aws-sdk/client-route-53').ListHostedZonesByNameCommand)({ DNSName: name, MaxItems: 100 }));
  const matches: HostedZone[] = (out.HostedZones ?? []).filter((z) => sameName(z.Name ?? '', name));
  const publicZone = matches.find((z) => z.Config?.PrivateZone !== true);
  return {
    ...(publicZone ? { zone: { id: bareId(publicZone.Id), ...(publicZone.Config?.Comment ? { comment: publicZone.Config.Comment } : {}) } } : {}),
    privateZones: matches.filter((z) => z.Config?.PrivateZone === true).map((z) => bareId(z.Id)),
  };
}

/** The name servers Route 53 gave a hosted zone (its delegation set), lower case, no trailing dot, sorted. */
export async function zoneNameServers(route53: Route53Client, zoneId: string): Promise<string[]> {
  const out = await route53.send(new (sdk('@aws-sdk/client-route-53').GetHostedZoneCommand)({ Id: zoneId }));
  return (out.DelegationSet?.NameServers ?? []).map((ns) => ns.toLowerCase().replace(/\.$/, '')).sort();
}

/** The public hosted zone's id for a name, or undefined when the account has none. */
export async function findHostedZoneId(route53: Route53Client, name: string): Promise<string | undefined> {
  return (await findHostedZone(route53, name)).zone?.id;
}

/** What Route 53 answers for `name` to a client in `clientIp`'s subnet (TestDNSAnswer). */
export async function testDnsAnswer(route53: Route53Client, zoneId: string, name: string, clientIp: string, resolverIp?: string): Promise<string[]> {
  const out = await route53.send(
    new (sdk('@aws-sdk/client-route-53').TestDNSAnswerCommand)({
      HostedZoneId: zoneId,
      RecordName: name,
      RecordType: 'A',
      EDNS0ClientSubnetIP: clientIp,
      EDNS0ClientSubnetMask: '24',
      ...(resolverIp ? { ResolverIP: resolverIp } : {}),
    }),
  );
  return (out.RecordData ?? []).slice().sort();
}

/** Route 53's view of a health check: healthy when more than 18% of its checkers say so; undefined before any checker reported. */
export async function healthCheckHealthy(route53: Route53Client, healthCheckId: string): Promise<boolean | undefined> {
  const out = await route53.send(new (sdk('@aws-sdk/client-route-53').GetHealthCheckStatusCommand)({ HealthCheckId: healthCheckId }));
  const observations = out.HealthCheckObservations ?? [];
  if (observations.length === 0) return undefined;
  const ok = observations.filter((o) => /^Success/.test(o.StatusReport?.Status ?? '')).length;
  return ok / observations.length > 0.18;
}

/** How a health check's status is read: itself, or (CALCULATED) its children against its threshold. */
export interface HealthCheckReading {
  id: string;
  /** The checks whose status is read: the check itself, or a CALCULATED check's children. */
  read: string[];
  /** How many of `read` must be healthy for the check to be. */
  threshold: number;
  inverted: boolean;
}

/**
 * GetHealthCheckStatus refuses a CALCULATED check ("You can't use GetHealthCheckStatus to get the
 * status of a calculated health check",
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html), so such a
 * check (healthCheck.type both) is read through its children and its HealthThreshold, as Route 53
 * computes it (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
 */
export async function healthCheckReading(route53: Route53Client, healthCheckId: string): Promise<HealthCheckReading> {
  const out = await route53.send(new (sdk('@aws-sdk/client-route-53').GetHealthCheckCommand)({ HealthCheckId: healthCheckId }));
  const config = out.HealthCheck?.HealthCheckConfig;
  const inverted = config?.Inverted === true;
  if (config?.Type !== 'CALCULATED') return { id: healthCheckId, read: [healthCheckId], threshold: 1, inverted };
  const children = config.ChildHealthChecks ?? [];
  return { id: healthCheckId, read: children, threshold: config.HealthThreshold ?? children.length, inverted };
}

/** The check's status from its reading: undefined while too few of the checks read have reported to decide. */
export async function readingHealthy(route53: Route53Client, reading: HealthCheckReading): Promise<boolean | undefined> {
  const states = await Promise.all(reading.read.map((id) => healthCheckHealthy(route53, id)));
  const healthy = states.filter((s) => s === true).length;
  const unknown = states.filter((s) => s === undefined).length;
  const result = healthy >= reading.threshold ? true : healthy + unknown < reading.threshold ? false : undefined;
  return result === undefined ? undefined : result !== reading.inverted;
}

/** The regions with a latency A record under `name` in the zone (SetIdentifier set, Region set). */
export async function latencyRecordRegions(route53: Route53Client, zoneId: string, recordName: string): Promise<Set<string>> {
  const name = recordName.endsWith('.') ? recordName : `${recordName}.`;
  const regions = new Set<string>();
  let start: { name?: string; type?: string; id?: string } = { name, type: 'A' };
  for (let page = 0; page < 20; page++) {
    const out = await route53.send(
      new (sdk('@aws-sdk/client-route-53').ListResourceRecordSetsCommand)({
        HostedZoneId: zoneId,
        StartRecordName: start.name,
        StartRecordType: start.type as 'A' | undefined,
        ...(start.id ? { StartRecordIdentifier: start.id } : {}),
      }),
    );
    for (const record of out.ResourceRecordSets ?? []) {
      if (!sameName(record.Name ?? '', name) || record.Type !== 'A') return regions;
      if (record.Region && record.SetIdentifier) regions.add(record.Region);
    }
    if (!out.IsTruncated) return regions;
    start = { name: out.NextRecordName, type: out.NextRecordType, id: out.NextRecordIdentifier };
  }
  return regions;
}

/**
 * The ACM DNS-validation CNAMEs in a zone for the given certificate domains: `_<token>.<domain>.`
 * pointing at `*.acm-validations.aws.`. CloudFormation writes them for a certificate with a
 * `HostedZoneId` and leaves them when it deletes the certificate
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html),
 * so a zone that held one cannot be deleted (HostedZoneNotEmpty) until they are gone.
 * A wildcard's record sits at the name without `*.`.
 */
export async function acmValidationRecords(route53: Route53Client, zoneId: string, certificateDomains: string[]): Promise<ResourceRecordSet[]> {
  const bases = new Set(certificateDomains.map((d) => d.replace(/^\*\./, '').replace(/\.$/, '').toLowerCase()));
  const found: ResourceRecordSet[] = [];
  let start: { name?: string; type?: string; id?: string } = {};
  for (let page = 0; page < 100; page++) {
    const out = await route53.send(
      new (sdk('@aws-sdk/client-route-53').ListResourceRecordSetsCommand)({
        HostedZoneId: zoneId,
        ...(start.name ? { StartRecordName: start.name, StartRecordType: start.type as 'CNAME' | undefined } : {}),
        ...(start.id ? { StartRecordIdentifier: start.id } : {}),
      }),
    );
    for (const record of out.ResourceRecordSets ?? []) {
      if (record.Type !== 'CNAME' || record.SetIdentifier || record.AliasTarget) continue;
      const m = /^_[a-z0-9]+\.(.+?)\.?$/i.exec(record.Name ?? '');
      const values = (record.ResourceRecords ?? []).map((r) => r.Value ?? '');
      if (m && bases.has(m[1].toLowerCase()) && values.length === 1 && /\.acm-validations\.aws\.?$/i.test(values[0])) found.push(record);
    }
    if (!out.IsTruncated) return found;
    start = { name: out.NextRecordName, type: out.NextRecordType, id: out.NextRecordIdentifier };
  }
  return found;
}

/** Delete record sets exactly as listed, in one change batch. */
export async function deleteRecordSets(route53: Route53Client, zoneId: string, records: ResourceRecordSet[]): Promise<void> {
  if (records.length === 0) return;
  await route53.send(
    new (sdk('@aws-sdk/client-route-53').ChangeResourceRecordSetsCommand)({
      HostedZoneId: zoneId,
      ChangeBatch: { Comment: 'regionctl destroy: ACM validation records of the stage', Changes: records.map((r) => ({ Action: 'DELETE', ResourceRecordSet: r })) },
    }),
  );
}
