import type { ZoneRecord } from './model.js';
import { isInZone, type HostedZones } from './zones.js';

// Whether the public DNS reaches a local hosted zone: the question ACM's DNS validation asks
// (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html: the CNAME must be
// resolvable from the internet) and the one a zone nobody delegates to fails on AWS.
//
// The local cloud plays the registries: a zone at the top of its local tree (no local zone above
// it) counts as registered and delegated to its name servers, except under names nobody can
// register (RFC 2606 / RFC 6761: .example, .test, .invalid, .localhost, .local, and example.com/
// .net/.org), which no parent ever delegates. A zone below another local zone is reached only when
// that parent zone is, and holds NS records for the child's name listing the child's name servers.
const RESERVED_TLDS = new Set(['example', 'test', 'invalid', 'localhost', 'local']);
const RESERVED_DOMAINS = new Set(['example.com.', 'example.net.', 'example.org.']);

export function isReservedName(name: string): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  if (RESERVED_TLDS.has(labels[labels.length - 1])) return true;
  return [...RESERVED_DOMAINS].some((d) => name === d || name.endsWith(`.${d}`));
}

/** Why the public DNS does not reach `zone`, or undefined when it does. */
export function undelegatedReason(zones: HostedZones, zone: ZoneRecord, depth = 0): string | undefined {
  if (zone.privateZone) return `${zone.name} is a private hosted zone`;
  const parent = zones
    .list()
    .filter((z) => !z.privateZone && z.id !== zone.id && z.name !== zone.name && isInZone(zone.name, z.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!parent) return isReservedName(zone.name) ? `${zone.name} is under a reserved name (RFC 2606/6761) that no registry delegates` : undefined;
  if (depth > 8) return `delegation chain above ${zone.name} is too deep`;
  // Host names compare without case and without the root's trailing dot (ns-1.example.net = NS-1.example.net.).
  const host = (v: string) => v.toLowerCase().replace(/\.$/, '');
  const own = new Set((zone.records.find((r) => r.name === zone.name && r.type === 'NS')?.values ?? []).map(host));
  const delegated = parent.records.find((r) => r.name === zone.name && r.type === 'NS')?.values ?? [];
  if (delegated.length === 0 || !delegated.every((v) => own.has(host(v)))) {
    return `the parent zone ${parent.name} has no NS records for ${zone.name} listing its name servers`;
  }
  return undelegatedReason(zones, parent, depth + 1);
}

/** The values a public resolver gets for `name`/`type` (exact records only), or [] when the public DNS cannot reach them. */
export function publicRecordValues(zones: HostedZones, name: string, type: string): string[] {
  const zone = zones.zoneFor(name);
  if (!zone || undelegatedReason(zones, zone)) return [];
  const wanted = name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`;
  return zone.records.filter((r) => r.name === wanted && r.type === type).flatMap((r) => r.values ?? []);
}

/**
 * `GET /_localcloud/public-dns/<name>/<type>`: what a public recursive resolver gets for a name in the
 * local cloud's world (the registry model above), so tools such as `regionctl doctor` can check a
 * zone's delegation here as they ask the internet on AWS. `certificatesNeedDelegation`: ACM issues a
 * DNS-validated certificate only through a delegated zone (`--realism aws`); the default profile
 * issues at once.
 */
export function publicDnsView(
  zones: HostedZones | undefined,
  name: string,
  type: string,
  certificatesNeedDelegation: boolean,
): { name: string; type: string; values: string[]; reason?: string; certificatesNeedDelegation: boolean; registryDelegatesNewZones: boolean } {
  const zone = zones?.zoneFor(name);
  const reason = !zones || !zone ? (isReservedName(name) ? `${name} is under a reserved name (RFC 2606/6761) that no registry delegates` : `no hosted zone serves ${name}`) : undelegatedReason(zones, zone);
  return {
    name,
    type,
    values: zones && !reason ? publicRecordValues(zones, name, type).map((v) => v.replace(/\.$/, '')) : [],
    ...(reason ? { reason } : {}),
    certificatesNeedDelegation,
    // The local registries delegate a registrable name to the first zone created for it (above).
    registryDelegatesNewZones: !isReservedName(name),
  };
}
