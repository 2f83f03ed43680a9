import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { skipWithoutTool } from '../support/require-tool.js';

// S3 object metadata, bucket notifications (validated against the SNS topic policy) and the public
// access block through boto3 (py/s3_events.py): botocore parses every answer and extracts S3's error codes.
const PY = join(import.meta.dirname, 'py');
const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const missing = probe.error ? `python3 is not installed (${probe.error.message})` : probe.status !== 0 ? 'boto3 is not installed for python3' : undefined;
const skip = skipWithoutTool('boto3', missing);

type Recorded = { ok?: any; error?: { code: string; message: string; status: number }; crash?: string };

describe.skipIf(skip)('boto3: S3 metadata, notifications, public access block', () => {
  let cloud: LocalCloud;
  let r: Record<string, Recorded>;

  beforeAll(async () => {
    cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
    r = await new Promise((resolve, reject) =>
      execFile('python3', [join(PY, 's3_events.py'), cloud.url], { cwd: PY, timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`s3_events.py failed: ${stderr || error.message}`)) : resolve(JSON.parse(stdout)),
      ),
    );
  }, 90_000);
  afterAll(async () => cloud?.close());

  const ok = (name: string) => {
    expect({ name, error: r[name]?.error, crash: r[name]?.crash }).toEqual({ name, error: undefined, crash: undefined });
    return r[name]!.ok;
  };
  const err = (name: string) => {
    expect(r[name]?.error, `${name} should fail: ${JSON.stringify(r[name])}`).toBeDefined();
    return r[name]!.error!;
  };

  it('nothing crashed botocore’s parsers', () => {
    expect(Object.entries(r).flatMap(([name, v]) => (v.crash ? [`${name}: ${v.crash}`] : []))).toEqual([]);
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
