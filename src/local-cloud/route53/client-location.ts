import { REGIONS, regionInfo, regionOfPublicIp, type RegionInfo } from '../../regions.js';
import type { ClientLocationMode } from '../realism.js';

// The local cloud's client location model (SPEC.md "Client location"). A public address inside a
// region's published prefix (src/regions.ts, from AWS's ip-ranges.json) is a client of that region,
// in every mode. In mode `subnets` (default), region number i of src/regions.ts also owns the private
// subnet 10.i.0.0/16, so one machine can stand in for clients everywhere. In mode `none`, as on AWS,
// a private address carries no location. A client without a location is answered as one of the
// first region (the default resolver location). Latency between places is the great-circle
// distance between region coordinates.

/** The region a client IP stands for, or undefined when the address carries no location. */
export function locate(ip: string | undefined, mode: ClientLocationMode = 'subnets'): RegionInfo | undefined {
  if (!ip) return undefined;
  const published = regionOfPublicIp(ip);
  if (published) return published;
  if (mode === 'none') return undefined;
  const m = /^10\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  return m ? REGIONS[Number(m[1])] : undefined;
}

/** The region a client IP stands for; a client without a location is one of the first region. */
export function clientRegion(ip: string | undefined, mode: ClientLocationMode = 'subnets'): RegionInfo {
  return locate(ip, mode) ?? REGIONS[0];
}

/**
 * Of the addresses Route 53 may place a query by, in order (EDNS client subnet, then the resolver),
 * the first that carries a location; undefined when none does (the default location).
 */
export function placedBy(ips: Array<string | undefined>, mode: ClientLocationMode = 'subnets'): string | undefined {
  return ips.find((ip) => locate(ip, mode) !== undefined);
}

/** The first address of a region's client subnet: 10.i.0.1. */
export function clientIpFor(region: string): string {
  return `10.${regionInfo(region)?.index ?? 0}.0.1`;
}

/** Great-circle distance in km (haversine), standing in for network latency. */
export function distanceKm(a: RegionInfo, b: RegionInfo): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance from a client IP to a region by name; unknown regions are infinitely far. */
export function latencyTo(clientIp: string | undefined, region: string, mode: ClientLocationMode = 'subnets'): number {
  const target = regionInfo(region);
  return target ? distanceKm(clientRegion(clientIp, mode), target) : Number.POSITIVE_INFINITY;
}
