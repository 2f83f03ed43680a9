import { REGIONS, regionInfo, type RegionInfo } from '../../regions.js';

// The local cloud's client location model (SPEC.md "Client location"): region number i of
// src/regions.ts owns client subnet 10.i.0.0/16; anything else is a client of the first region.
// Latency between places is the great-circle distance between region coordinates.

/** The region a client IP stands for. */
export function clientRegion(ip: string | undefined): RegionInfo {
  const m = /^10\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip ?? '');
  const index = m ? Number(m[1]) : -1;
  return REGIONS[index] ?? REGIONS[0];
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
export function latencyTo(clientIp: string | undefined, region: string): number {
  const target = regionInfo(region);
  return target ? distanceKm(clientRegion(clientIp), target) : Number.POSITIVE_INFINITY;
}
