import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { recordedCalls, runBoto3Script, skipWithoutBoto3, type Recorded } from './boto3-script.js';

// S3 object metadata, bucket notifications (validated against the SNS topic policy) and the public
// access block through boto3 (py/s3_events.py): botocore parses every answer and extracts S3's error codes.
const skip = skipWithoutBoto3();

describe.skipIf(skip)('boto3: S3 metadata, notifications, public access block', () => {
  let cloud: LocalCloud;
  let r: Record<string, Recorded>;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
    r = await runBoto3Script('s3_events.py', cloud.url);
  }, 90_000);
  afterAll(async () => cloud?.close());

  const { ok, err, crashes } = recordedCalls(() => r);

  it('nothing crashed botocore’s parsers', () => {
    expect(crashes()).toEqual([]);
  });

  it('keeps content type, cache control and user metadata (names lower-cased), also through CopyObject', () => {
    for (const name of ['s3.HeadObject.metadata', 's3.HeadObject.copy']) {
      expect(ok(name)).toMatchObject({ ContentType: 'text/plain; charset=utf-8', CacheControl: 'max-age=60', Metadata: { author: 'ana', origin: 'elsewhere' }, ContentLength: 5 });
    }
  });

  it('refuses a topic whose policy does not let the bucket publish, accepts it once it does', () => {
    expect(err('s3.PutBucketNotificationConfiguration.defaultPolicy')).toMatchObject({ code: 'InvalidArgument', status: 400, message: 'Unable to validate the following destination configurations' });
    ok('s3.PutBucketNotificationConfiguration');
    expect(ok('s3.GetBucketNotificationConfiguration').TopicConfigurations).toEqual([
      { Id: 'created', TopicArn: 'arn:aws:sns:eu-west-1:000000000000:boto-objects', Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'docs/' }] } } },
    ]);
    expect(err('s3.PutBucketNotificationConfiguration.otherRegion')).toMatchObject({ code: 'InvalidArgument', status: 400 });
    ok('s3.PutBucketNotificationConfiguration.empty');
    expect(ok('s3.GetBucketNotificationConfiguration.empty').TopicConfigurations ?? []).toEqual([]);
  });

  it('stores the public access block and refuses a public policy under it', () => {
    expect(ok('s3.GetPublicAccessBlock').PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(err('s3.PutBucketPolicy.public')).toMatchObject({ code: 'AccessDenied', status: 403 });
  });
});
