import { describe, expect, it } from 'vitest';
import { bucketFor, parseRegions, planReplication } from '../../../src/lambdas/replicator/plan.js';
import { createdObjects, decodeEventKey } from '../../../src/lambdas/s3-events.js';

const A = 'b-us-east-1', B = 'b-us-west-2', C = 'b-eu-west-1';

describe('the replicator’s origin logic', () => {
  it('stamps origin only when absent: a new object’s origin is the bucket it was written to', () => {
    expect(planReplication({ ownBucket: A, targets: [B], metadata: { author: 'ana' }, topology: 'ring' })).toEqual({
      origin: A,
      targets: [B],
      metadata: { author: 'ana', origin: A },
    });
    expect(planReplication({ ownBucket: B, targets: [C], metadata: { origin: A }, topology: 'ring' }).metadata).toEqual({ origin: A });
    // An empty origin is no origin.
    expect(planReplication({ ownBucket: B, targets: [C], metadata: { origin: '' }, topology: 'ring' }).origin).toBe(B);
  });

  it('ring: skips when the target is the origin, so an object goes round once', () => {
    expect(planReplication({ ownBucket: C, targets: [A], metadata: { origin: A }, topology: 'ring' }).targets).toEqual([]);
    expect(planReplication({ ownBucket: B, targets: [C], metadata: { origin: A }, topology: 'ring' }).targets).toEqual([C]);
  });

  it('fan-out: only the origin’s replicator copies, to every other bucket', () => {
    expect(planReplication({ ownBucket: A, targets: [B, C], metadata: {}, topology: 'fanout' }).targets).toEqual([B, C]);
    expect(planReplication({ ownBucket: B, targets: [A, C], metadata: { origin: A }, topology: 'fanout' }).targets).toEqual([]);
  });

  it('never writes into its own bucket, nor twice to one target', () => {
    expect(planReplication({ ownBucket: A, targets: [A, B, B], metadata: {}, topology: 'fanout' }).targets).toEqual([B]);
  });

  it('names buckets as the stage does and reads the target list', () => {
    expect(bucketFor('shop-test-1a2b3c4d', 'eu-west-1', '123456789012')).toBe('shop-test-1a2b3c4d-eu-west-1-123456789012');
    expect(parseRegions('')).toEqual([]);
    expect(parseRegions('us-west-2, eu-west-1')).toEqual(['us-west-2', 'eu-west-1']);
  });
});

describe('S3 events inside SNS messages', () => {
  const sns = (message: unknown) => ({ Records: [{ Sns: { Message: JSON.stringify(message) } }] });

  it('decodes form-encoded keys', () => {
    expect(decodeEventKey('docs/red+flower%3D1.txt')).toBe('docs/red flower=1.txt');
  });

  it('reads created objects and ignores S3’s test event and other events', () => {
    const created = { eventName: 'ObjectCreated:Put', awsRegion: 'us-east-1', s3: { bucket: { name: A }, object: { key: 'a+b', eTag: 'e' } } };
    const removed = { ...created, eventName: 'ObjectRemoved:Delete' };
    expect(createdObjects(sns({ Records: [created, removed] }))).toEqual([{ bucket: A, key: 'a b', region: 'us-east-1', eTag: 'e' }]);
    expect(createdObjects(sns({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: A }))).toEqual([]);
    expect(createdObjects({ Records: [{ Sns: { Message: 'not json' } }] })).toEqual([]);
  });
});
