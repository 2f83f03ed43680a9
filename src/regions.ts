import { didYouMean } from './config/did-you-mean.js';

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
}

const table: Array<[string, string, number, number]> = [
  ['us-east-1', 'N. Virginia', 38.9, -77.4],
  ['us-east-2', 'Ohio', 40.0, -83.0],
  ['us-west-1', 'N. California', 37.4, -122.0],
  ['us-west-2', 'Oregon', 45.8, -119.7],
  ['ca-central-1', 'Montreal', 45.5, -73.6],
  ['eu-west-1', 'Ireland', 53.3, -6.3],
  ['eu-west-2', 'London', 51.5, -0.1],
  ['eu-west-3', 'Paris', 48.9, 2.4],
  ['eu-central-1', 'Frankfurt', 50.1, 8.7],
  ['eu-north-1', 'Stockholm', 59.3, 18.1],
  ['eu-south-1', 'Milan', 45.5, 9.2],
  ['ap-northeast-1', 'Tokyo', 35.7, 139.7],
  ['ap-northeast-2', 'Seoul', 37.6, 127.0],
  ['ap-northeast-3', 'Osaka', 34.7, 135.5],
  ['ap-southeast-1', 'Singapore', 1.3, 103.8],
  ['ap-southeast-2', 'Sydney', -33.9, 151.2],
  ['ap-south-1', 'Mumbai', 19.1, 72.9],
  ['sa-east-1', 'Sao Paulo', -23.5, -46.6],
  ['af-south-1', 'Cape Town', -33.9, 18.4],
  ['me-south-1', 'Bahrain', 26.1, 50.6],
  // Regions launched since (appended, so the indices above, and their client subnets, stay put).
  ['ap-east-1', 'Hong Kong', 22.3, 114.2],
  ['ap-south-2', 'Hyderabad', 17.4, 78.5],
  ['ap-southeast-3', 'Jakarta', -6.2, 106.8],
  ['ap-southeast-4', 'Melbourne', -37.8, 145.0],
  ['ap-southeast-5', 'Malaysia', 3.1, 101.7],
  ['ap-southeast-7', 'Thailand', 13.8, 100.5],
  ['ca-west-1', 'Calgary', 51.0, -114.1],
  ['eu-central-2', 'Zurich', 47.4, 8.5],
  ['eu-south-2', 'Spain', 41.6, -0.9],
  ['il-central-1', 'Tel Aviv', 32.1, 34.8],
  ['me-central-1', 'UAE', 25.2, 55.3],
  ['mx-central-1', 'Mexico', 20.6, -100.4],
  ['ap-east-2', 'Taipei', 25.0, 121.5],
  ['ap-southeast-6', 'New Zealand', -36.8, 174.8],
];

export const REGIONS: readonly RegionInfo[] = table.map(([name, city, lat, lon], index) => ({
  name,
  index,
  city,
  lat,
  lon,
}));

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
