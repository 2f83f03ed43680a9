import { describe, expect, it } from 'vitest';
import { API_GATEWAY_HOSTED_ZONES } from '../../../src/local-cloud/apigateway/regional-zones.js';
import { LATENCY_REGIONS } from '../../../src/local-cloud/route53/latency-regions.js';
import { isKnownRegion, REGIONS } from '../../../src/regions.js';

describe('regions and their API Gateway regional hosted zones', () => {
  it('knows the current commercial regions, each with its published execute-api hosted zone', () => {
    for (const name of ['ap-east-1', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-2', 'il-central-1', 'me-central-1', 'mx-central-1', 'ap-south-2']) {
      expect(isKnownRegion(name), name).toBe(true);
    }
    for (const r of REGIONS) expect(API_GATEWAY_HOSTED_ZONES[r.name], r.name).toMatch(/^Z[0-9A-Z]{8,}$/);
    expect(Object.keys(API_GATEWAY_HOSTED_ZONES).sort()).toEqual(REGIONS.map((r) => r.name).sort());
  });

  it('uses Osaka’s execute-api zone, not its S3 website zone', () => {
    expect(API_GATEWAY_HOSTED_ZONES['ap-northeast-3']).toBe('Z22ILHG95FLSZ2');
  });

  it('every known region is a Route 53 latency region of the aws partition, and the first regions keep their index', () => {
    for (const r of REGIONS) expect(LATENCY_REGIONS as readonly string[], r.name).toContain(r.name);
    const commercial = LATENCY_REGIONS.filter((r) => !/^(cn-|us-gov-|eusc-)/.test(r));
    expect(REGIONS.map((r) => r.name).sort()).toEqual([...commercial].sort());
    // Client subnets 10.i.0.0/16 depend on the index: new regions are appended.
    expect(REGIONS.slice(0, 3).map((r) => [r.name, r.index])).toEqual([['us-east-1', 0], ['us-east-2', 1], ['us-west-1', 2]]);
    expect(REGIONS[19]).toMatchObject({ name: 'me-south-1', index: 19 });
  });
});
