import { regionInfo } from '../regions.js';

/**
 * Where Route 53's TestDNSAnswer is asked to place a client of a region: an EDNS client subnet and a
 * resolver address inside a public prefix AWS publishes for that region (src/regions.ts, taken from
 * https://ip-ranges.amazonaws.com/ip-ranges.json, described at
 * https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html). Private addresses
 * (10.0.0.0/8) carry no location on AWS: Route 53 answered every region's "client" alike.
 * TestDNSAnswer's parameters: https://docs.aws.amazon.com/Route53/latest/APIReference/API_TestDNSAnswer.html
 */
export function clientNear(region: string): { clientIp: string; resolverIp: string } {
  const info = regionInfo(region);
  if (!info) throw new Error(`unknown region ${region}`);
  return { clientIp: info.publicClientIp, resolverIp: info.publicClientIp.replace(/\.1$/, '.2') };
}
