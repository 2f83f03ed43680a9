import type { RestCall, RestRoute } from '../protocols/rest.js';
import { accountLimit } from './account-limits.js';
import type { Route53Domain } from './domain.js';
import { dnsName } from './ids.js';
import type { HealthCheckConfig, HealthCheckRecord, ZoneRecord } from './model.js';
import { XMLNS } from './model.js';
import { healthCheckConfigFrom, healthCheckConfigView, invalidInput, listOf, recordSetFrom, recordSetView } from './record-input.js';
import { NAME_SERVERS, nameSortKey, type Change } from './zones.js';

/** CreateHostedZone's body as parseXml shapes it (text elements are strings). */
interface CreateHostedZoneBody {
  Name?: string;
  CallerReference?: string;
  HostedZoneConfig?: { Comment?: string; PrivateZone?: string };
}

// A required member missing from the body, as Route 53 words it (InvalidInput, member named camelCase).
function required(value: string | undefined, member: string): string {
  if (value === undefined) throw invalidInput(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return value;
}

const V = '/2013-04-01';
const xml = (root: string, value: unknown, status?: number, headers?: Record<string, string>) => ({ status, headers, xml: { root, value, xmlns: XMLNS } });

function zoneView(z: ZoneRecord) {
  return {
    Id: `/hostedzone/${z.id}`,
    Name: z.name,
    CallerReference: z.callerReference,
    Config: { Comment: z.comment, PrivateZone: z.privateZone },
    ResourceRecordSetCount: z.records.length,
  };
}
const delegationSet = { NameServers: { NameServer: NAME_SERVERS } };

function healthCheckView(hc: HealthCheckRecord) {
  return {
    Id: hc.id,
    CallerReference: hc.callerReference,
    HealthCheckConfig: healthCheckConfigView(hc.config),
    HealthCheckVersion: hc.version,
  };
}

const maxItems = (q: URLSearchParams, dflt: number) => Math.max(1, Math.min(Number(q.get('maxitems') ?? dflt) || dflt, dflt));

// Route 53's restXml routes (API version 2013-04-01).
export function route53Routes(r53: Route53Domain): RestRoute[] {
  const route = (method: string, path: string, op: string, handler: (c: RestCall) => ReturnType<typeof xml> | Promise<ReturnType<typeof xml>>): RestRoute => ({
    method,
    path: `${V}${path}`,
    op,
    handler: async (c) => handler(c),
  });
  return [
    route('POST', '/hostedzone', 'CreateHostedZone', (c) => {
      const body = c.xml<{ CreateHostedZoneRequest?: CreateHostedZoneBody }>().CreateHostedZoneRequest ?? {};
      const { zone, change } = r53.zones.create({
        name: required(body.Name, 'name'),
        callerReference: required(body.CallerReference, 'callerReference'),
        comment: body.HostedZoneConfig?.Comment,
        privateZone: String(body.HostedZoneConfig?.PrivateZone ?? 'false') === 'true',
      });
      return xml('CreateHostedZoneResponse', { HostedZone: zoneView(zone), ChangeInfo: change, DelegationSet: delegationSet }, 201, {
        location: `https://route53.amazonaws.com${V}/hostedzone/${zone.id}`,
      });
    }),
    route('GET', '/hostedzone', 'ListHostedZones', (c) => {
      const all = r53.zones.list();
      const marker = c.query.get('marker');
      const start = marker ? Math.max(0, all.findIndex((z) => z.id === marker)) : 0;
      const max = maxItems(c.query, 100);
      const page = all.slice(start, start + max);
      const next = all[start + max];
      return xml('ListHostedZonesResponse', {
        HostedZones: { HostedZone: page.map(zoneView) },
        Marker: marker ?? '',
        IsTruncated: Boolean(next),
        NextMarker: next?.id,
        MaxItems: max,
      });
    }),
    route('GET', '/hostedzonesbyname', 'ListHostedZonesByName', (c) => {
      const dns = c.query.get('dnsname');
      const all = r53.zones.listByName().filter((z) => !dns || nameSortKey(z.name) >= nameSortKey(dnsName(dns)));
      const max = maxItems(c.query, 100);
      const next = all[max];
      return xml('ListHostedZonesByNameResponse', {
        HostedZones: { HostedZone: all.slice(0, max).map(zoneView) },
        DNSName: dns ?? undefined,
        IsTruncated: Boolean(next),
        NextDNSName: next?.name,
        NextHostedZoneId: next?.id,
        MaxItems: max,
      });
    }),
    route('GET', '/hostedzone/{Id}', 'GetHostedZone', (c) => xml('GetHostedZoneResponse', { HostedZone: zoneView(r53.zones.zone(c.params.Id)), DelegationSet: delegationSet })),
    route('DELETE', '/hostedzone/{Id}', 'DeleteHostedZone', (c) => xml('DeleteHostedZoneResponse', { ChangeInfo: r53.zones.delete(c.params.Id) })),
    route('POST', '/hostedzone/{Id}/rrset', 'ChangeResourceRecordSets', (c) => {
      const batch = c.xml<{ ChangeResourceRecordSetsRequest?: { ChangeBatch?: { Changes?: unknown; Comment?: string } } }>().ChangeResourceRecordSetsRequest?.ChangeBatch;
      if (!batch) throw invalidInput("Invalid request: Missing field 'ChangeBatch' in ChangeResourceRecordSetsRequest");
      const changes: Change[] = listOf<{ Action: Change['action']; ResourceRecordSet: Record<string, unknown> }>(batch.Changes, 'Change').map((ch, i) => ({ action: ch.Action, record: recordSetFrom(ch.ResourceRecordSet, { action: String(ch.Action), index: i + 1 }) }));
      return xml('ChangeResourceRecordSetsResponse', { ChangeInfo: { ...r53.zones.change(c.params.Id, changes), Comment: batch.Comment } });
    }),
    route('GET', '/hostedzone/{Id}/rrset', 'ListResourceRecordSets', (c) => {
      const zone = r53.zones.zone(c.params.Id);
      let all = r53.zones.sortedRecords(zone);
      const startName = c.query.get('name');
      const startType = c.query.get('type');
      const startId = c.query.get('identifier');
      if (startName) {
        const key = nameSortKey(dnsName(startName));
        const i = all.findIndex((r) => {
          const k = nameSortKey(r.name);
          if (k !== key) return k > key;
          if (startType && r.type !== startType) return r.type > startType;
          return !startId || (r.setIdentifier ?? '') >= startId;
        });
        all = i < 0 ? [] : all.slice(i);
      }
      const max = maxItems(c.query, 300);
      const next = all[max];
      return xml('ListResourceRecordSetsResponse', {
        ResourceRecordSets: { ResourceRecordSet: all.slice(0, max).map(recordSetView) },
        IsTruncated: Boolean(next),
        NextRecordName: next?.name,
        NextRecordType: next?.type,
        NextRecordIdentifier: next?.setIdentifier,
        MaxItems: max,
      });
    }),
    route('GET', '/change/{Id}', 'GetChange', (c) => xml('GetChangeResponse', { ChangeInfo: r53.zones.getChange(c.params.Id) })),
    route('POST', '/healthcheck', 'CreateHealthCheck', (c) => {
      const body = c.xml<{ CreateHealthCheckRequest?: { CallerReference?: string; HealthCheckConfig?: Record<string, unknown> } }>().CreateHealthCheckRequest ?? {};
      const { hc, created } = r53.healthChecks.create(required(body.CallerReference, 'callerReference'), healthCheckConfigFrom(body.HealthCheckConfig ?? {}));
      return xml('CreateHealthCheckResponse', { HealthCheck: healthCheckView(hc) }, created ? 201 : 200, {
        location: `https://route53.amazonaws.com${V}/healthcheck/${hc.id}`,
      });
    }),
    route('GET', '/healthcheck', 'ListHealthChecks', (c) => {
      const max = maxItems(c.query, 1000);
      const all = r53.healthChecks.list();
      const marker = c.query.get('marker');
      const start = marker ? Math.max(0, all.findIndex((h) => h.id === marker)) : 0;
      const next = all[start + max];
      return xml('ListHealthChecksResponse', {
        HealthChecks: { HealthCheck: all.slice(start, start + max).map(healthCheckView) },
        Marker: marker ?? '',
        IsTruncated: Boolean(next),
        NextMarker: next?.id,
        MaxItems: max,
      });
    }),
    route('GET', '/healthcheck/{Id}', 'GetHealthCheck', (c) => xml('GetHealthCheckResponse', { HealthCheck: healthCheckView(r53.healthChecks.get(c.params.Id)) })),
    route('DELETE', '/healthcheck/{Id}', 'DeleteHealthCheck', (c) => {
      r53.healthChecks.delete(c.params.Id);
      return xml('DeleteHealthCheckResponse', {});
    }),
    route('POST', '/healthcheck/{Id}', 'UpdateHealthCheck', (c) => {
      const body = c.xml<{ UpdateHealthCheckRequest?: Record<string, unknown> & { HealthCheckVersion?: string } }>().UpdateHealthCheckRequest ?? {};
      const current = r53.healthChecks.get(c.params.Id).config;
      const merged: HealthCheckConfig = healthCheckConfigFrom({ ...healthCheckConfigView(current), ...body, Type: current.Type });
      const version = body.HealthCheckVersion !== undefined ? Number(body.HealthCheckVersion) : undefined;
      return xml('UpdateHealthCheckResponse', { HealthCheck: healthCheckView(r53.healthChecks.update(c.params.Id, merged, version)) });
    }),
    route('GET', '/healthcheck/{Id}/status', 'GetHealthCheckStatus', (c) => ({
      ...xml('GetHealthCheckStatusResponse', {
        HealthCheckObservations: {
          HealthCheckObservation: r53.healthChecks.observations(c.params.Id).map((o) => ({
            Region: o.region,
            IPAddress: o.ip,
            StatusReport: { Status: o.status, CheckedTime: new Date(o.checkedAt).toISOString() },
          })),
        },
      }),
    })),
    route('GET', '/accountlimit/{Type}', 'GetAccountLimit', (c) =>
      xml('GetAccountLimitResponse', accountLimit(c.params.Type, { hostedZones: r53.zones.list().length, healthChecks: r53.healthChecks.list().length })),
    ),
    route('GET', '/testdnsanswer', 'TestDNSAnswer', (c) => {
      const zoneId = c.query.get('hostedzoneid') ?? '';
      const name = c.query.get('recordname');
      const type = c.query.get('recordtype');
      if (!name || !type) throw invalidInput('Invalid request: recordname and recordtype are required');
      const zone = r53.zones.zone(zoneId);
      // The client subnet places the query when it carries a location, else the resolver's address (SPEC.md).
      const clientIp = r53.placeClient([c.query.get('edns0clientsubnetip') ?? undefined, c.query.get('resolverip') ?? undefined]);
      const answer = r53.zoneFor(name)?.id === zone.id ? r53.resolve(name, type, clientIp) : { records: [], rcode: 'NXDOMAIN' as const };
      return xml('TestDNSAnswerResponse', {
        Nameserver: `${NAME_SERVERS[0]}`,
        RecordName: dnsName(name),
        RecordType: type.toUpperCase(),
        RecordData: { RecordDataEntry: answer.records },
        ResponseCode: answer.rcode,
        Protocol: 'UDP',
      });
    }),
  ];
}
