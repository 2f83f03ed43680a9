import { didYouMean } from './did-you-mean.js';

// The AWS commercial regions regionctl knows (every one in Route 53's list of latency-record
// regions, https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html,
// outside China, GovCloud and the European Sovereign Cloud), with coordinates of their metro area.
// The local cloud uses the index as the region number i that owns client subnet 10.i.0.0/16
// and the coordinates for great-circle latency; config validation uses the names.
export interface RegionInfo {
  readonly name: string;
  readonly index: number;
  readonly city: string;
  readonly lat: number;
  readonly lon: number;
  /** A public prefix of the region's own address space (ip-ranges.json), CIDR. */
  readonly publicPrefix: string;
  /** A client address inside publicPrefix (its .1): asks Route 53 as a client in this region would. */
  readonly publicClientIp: string;
}

// The last column: a public IPv4 prefix AWS publishes for the region (its largest EC2 prefix in
// https://ip-ranges.amazonaws.com/ip-ranges.json, syncToken 1787411825, 2026-08-22). An address in
// it stands for a client in that region, on AWS (EDNS client subnet, TestDNSAnswer) and locally.
const table: Array<[string, string, number, number, string]> = [
  ['us-east-1', 'N. Virginia', 38.9, -77.4, '44.192.0.0/11'],
  ['us-east-2', 'Ohio', 40.0, -83.0, '3.144.0.0/13'],
  ['us-west-1', 'N. California', 37.4, -122.0, '18.144.0.0/15'],
  ['us-west-2', 'Oregon', 45.8, -119.7, '44.224.0.0/11'],
  ['ca-central-1', 'Montreal', 45.5, -73.6, '15.222.0.0/15'],
  ['eu-west-1', 'Ireland', 53.3, -6.3, '52.208.0.0/13'],
  ['eu-west-2', 'London', 51.5, -0.1, '18.168.0.0/14'],
  ['eu-west-3', 'Paris', 48.9, 2.4, '13.36.0.0/14'],
  ['eu-central-1', 'Frankfurt', 50.1, 8.7, '3.64.0.0/12'],
  ['eu-north-1', 'Stockholm', 59.3, 18.1, '13.62.0.0/15'],
  ['eu-south-1', 'Milan', 45.5, 9.2, '16.22.0.0/16'],
  ['ap-northeast-1', 'Tokyo', 35.7, 139.7, '35.72.0.0/13'],
  ['ap-northeast-2', 'Seoul', 37.6, 127.0, '43.200.0.0/14'],
  ['ap-northeast-3', 'Osaka', 34.7, 135.5, '13.208.0.0/16'],
  ['ap-southeast-1', 'Singapore', 1.3, 103.8, '47.128.0.0/14'],
  ['ap-southeast-2', 'Sydney', -33.9, 151.2, '13.236.0.0/14'],
  ['ap-south-1', 'Mumbai', 19.1, 72.9, '3.108.0.0/14'],
  ['sa-east-1', 'Sao Paulo', -23.5, -46.6, '15.228.0.0/15'],
  ['af-south-1', 'Cape Town', -33.9, 18.4, '13.244.0.0/15'],
  ['me-south-1', 'Bahrain', 26.1, 50.6, '15.185.0.0/16'],
  // Regions launched since (appended, so the indices above, and their client subnets, stay put).
  ['ap-east-1', 'Hong Kong', 22.3, 114.2, '43.198.0.0/15'],
  ['ap-south-2', 'Hyderabad', 17.4, 78.5, '18.60.0.0/15'],
  ['ap-southeast-3', 'Jakarta', -6.2, 106.8, '108.136.0.0/15'],
  ['ap-southeast-4', 'Melbourne', -37.8, 145.0, '16.50.0.0/15'],
  ['ap-southeast-5', 'Malaysia', 3.1, 101.7, '43.216.0.0/15'],
  ['ap-southeast-7', 'Thailand', 13.8, 100.5, '65.178.0.0/15'],
  ['ca-west-1', 'Calgary', 51.0, -114.1, '40.176.0.0/15'],
  ['eu-central-2', 'Zurich', 47.4, 8.5, '16.62.0.0/15'],
  ['eu-south-2', 'Spain', 41.6, -0.9, '89.60.0.0/15'],
  ['il-central-1', 'Tel Aviv', 32.1, 34.8, '51.16.0.0/15'],
  ['me-central-1', 'UAE', 25.2, 55.3, '158.252.0.0/15'],
  ['mx-central-1', 'Mexico', 20.6, -100.4, '78.14.0.0/15'],
  ['ap-east-2', 'Taipei', 25.0, 121.5, '43.212.0.0/15'],
  ['ap-southeast-6', 'New Zealand', -36.8, 174.8, '182.24.0.0/14'],
];

export const REGIONS: readonly RegionInfo[] = table.map(([name, city, lat, lon, publicPrefix], index) => ({
  name,
  index,
  city,
  lat,
  lon,
  publicPrefix,
  publicClientIp: publicPrefix.replace(/\.0\/\d+$/, '.1'),
}));

/** The region whose published prefix holds this IPv4 address, if any. */
export function regionOfPublicIp(ip: string): RegionInfo | undefined {
  const n = ipv4(ip);
  if (n === undefined) return undefined;
  return REGIONS.find((r) => {
    const [base, bits] = r.publicPrefix.split('/');
    const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
    return ((n & mask) >>> 0) === ((ipv4(base)! & mask) >>> 0);
  });
}

function ipv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

const byName = new Map(REGIONS.map((r) => [r.name, r]));

export function regionInfo(name: string): RegionInfo | undefined {
  return byName.get(name);
}

export function isKnownRegion(name: string): boolean {
  return byName.has(name);
}

// Closest known region name, for "did you mean" hints (us-east-9 → us-east-1).
export function suggestRegion(name: string): string | undefined {
  return didYouMean(name, REGIONS.map((r) => r.name));
}
