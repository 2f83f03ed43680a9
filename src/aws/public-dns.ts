import { promises as dns } from 'node:dns';

/** How the public DNS sees a zone: the name servers its parent delegates to, and what that means for ACM. */
export interface PublicDelegation {
  /** The name servers a public resolver finds for the zone (empty: the public DNS does not reach it). */
  nameServers: string[];
  /** Why the public DNS does not reach the zone, when the cloud can say (the local cloud). */
  reason?: string;
  /** ACM issues DNS-validated certificates only through a delegated zone (AWS, and the local cloud under --realism aws). */
  certificatesNeedDelegation: boolean;
  /** A zone created later is delegated without anyone acting (only the local cloud's registries do this). */
  registryDelegatesNewZones: boolean;
}

const NOT_THERE = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ESERVFAIL']);
const bare = (ns: string) => ns.toLowerCase().replace(/\.$/, '');

/**
 * The zone's delegation as the world sees it. On AWS: the name servers a recursive resolver finds
 * for it (this machine's resolver, as ACM's validation reaches the zone from the internet). Behind
 * a custom endpoint: the local cloud's public view (its registries, GET /_localcloud/public-dns);
 * undefined when the endpoint has none (moto, LocalStack), where delegation cannot be checked.
 */
export async function publicDelegation(zone: string, endpoint?: string): Promise<PublicDelegation | undefined> {
  if (endpoint) {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/_localcloud/public-dns/${encodeURIComponent(zone)}/NS`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    if (!res?.ok) return undefined;
    const body = (await res.json()) as { values?: string[]; reason?: string; certificatesNeedDelegation?: boolean; registryDelegatesNewZones?: boolean };
    return {
      nameServers: (body.values ?? []).map(bare).sort(),
      ...(body.reason ? { reason: body.reason } : {}),
      certificatesNeedDelegation: body.certificatesNeedDelegation === true,
      registryDelegatesNewZones: body.registryDelegatesNewZones === true,
    };
  }
  try {
    return { nameServers: (await dns.resolveNs(zone)).map(bare).sort(), certificatesNeedDelegation: true, registryDelegatesNewZones: false };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (NOT_THERE.has(code)) return { nameServers: [], reason: `the public DNS has no name servers for ${zone} (${code})`, certificatesNeedDelegation: true, registryDelegatesNewZones: false };
    throw err;
  }
}
