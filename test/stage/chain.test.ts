import { describe, expect, it } from 'vitest';
import { chainOf, ringLine, targetRegions } from '../../src/stage/chain.js';
import { replicationBucketName, replicationBucketPrefix } from '../../src/stage/names.js';
import { REGIONS } from '../../src/regions.js';

const R = ['us-east-1', 'us-west-2', 'eu-west-1'];

describe('the replication chain', () => {
  it('ring: region i copies to i+1, the last to the first', () => {
    expect(chainOf(R, 'ring')).toEqual([
      { region: 'us-east-1', targets: ['us-west-2'] },
      { region: 'us-west-2', targets: ['eu-west-1'] },
      { region: 'eu-west-1', targets: ['us-east-1'] },
    ]);
    expect(ringLine(chainOf(R, 'ring'))).toBe('us-east-1 → us-west-2 → eu-west-1 → us-east-1');
  });

  it('re-chains when a region is added or removed', () => {
    expect(targetRegions([...R, 'ap-south-1'], 'eu-west-1', 'ring')).toEqual(['ap-south-1']);
    expect(targetRegions([...R, 'ap-south-1'], 'ap-south-1', 'ring')).toEqual(['us-east-1']);
    expect(targetRegions(['us-east-1', 'eu-west-1'], 'us-east-1', 'ring')).toEqual(['eu-west-1']);
    expect(targetRegions(['us-east-1'], 'us-east-1', 'ring')).toEqual([]);
  });

  it('heals around a region left out, and the left-out region writes nowhere', () => {
    const healed = chainOf(R, 'ring', ['us-west-2']);
    expect(healed).toEqual([
      { region: 'us-east-1', targets: ['eu-west-1'] },
      { region: 'us-west-2', targets: [] },
      { region: 'eu-west-1', targets: ['us-east-1'] },
    ]);
    expect(ringLine(healed)).toBe('us-east-1 → eu-west-1 → us-east-1; us-west-2: off the chain');
  });

  it('fan-out: every other region', () => {
    expect(targetRegions(R, 'us-west-2', 'fanout')).toEqual(['us-east-1', 'eu-west-1']);
    expect(targetRegions(R, 'us-west-2', 'fanout', ['eu-west-1'])).toEqual(['us-east-1']);
  });
});

describe('replication bucket names', () => {
  it('fit S3’s 63 characters for the longest service, stage and region', () => {
    const longest = REGIONS.map((r) => r.name).sort((a, b) => b.length - a.length)[0]!;
    const name = replicationBucketName({ service: 'a'.repeat(40), stage: 'b'.repeat(16) }, longest, '123456789012');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  it('differ between stages whose readable parts would collide', () => {
    expect(replicationBucketPrefix({ service: 'shop-test', stage: 'x' })).not.toBe(replicationBucketPrefix({ service: 'shop', stage: 'test-x' }));
    expect(replicationBucketPrefix({ service: 'shop', stage: 'test' })).toMatch(/^shop-test-[0-9a-f]{8}$/);
  });
});
