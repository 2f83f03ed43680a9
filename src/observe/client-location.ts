import { regionInfo } from '../regions.js';

/**
 * A client address "near" a region, for EDNS client-subnet queries: region number i of the region
 * table owns 10.i.0.0/16 in the local cloud's location model. On AWS these private addresses carry
 * no location, so answers there reflect Route 53's default for unknown subnets.
 */
export function clientIpNear(region: string): string {
  const info = regionInfo(region);
  if (!info) throw new Error(`unknown region ${region}`);
  return `10.${info.index}.0.1`;
}
