import { didYouMean } from './did-you-mean.js';

// The AWS commercial regions regionctl knows, with coordinates of their metro area.
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
