import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

// Found by the AWS CLI v2 conformance suite: botocore asks for encoding-type=url on ListObjects and
// ListObjectVersions and decodes keys only when the response says <EncodingType>url</EncodingType>;
// without it `aws s3api list-object-versions` showed keys as lambdas%2Fcheck.zip.
let cloud: LocalCloud;
const auth = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' };

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: cloud.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'encoding-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'encoding-bucket', Key: 'lambdas/a b.zip', Body: 'x' }));
  s3.destroy();
});
afterAll(async () => cloud?.close());

describe('S3 listings with encoding-type=url', () => {
  for (const [op, query] of [['ListObjectVersions', 'versions&encoding-type=url'], ['ListObjects', 'encoding-type=url'], ['ListObjectsV2', 'list-type=2&encoding-type=url']]) {
    it(`${op} echoes EncodingType and encodes keys`, async () => {
      const res = await fetch(`${cloud.url}/encoding-bucket?${query}`, { headers: auth });
      const xml = await res.text();
      expect(res.status).toBe(200);
      expect(xml).toContain('<EncodingType>url</EncodingType>');
      expect(xml).toContain('<Key>lambdas%2Fa%20b.zip</Key>');
    });
  }

  it('leaves keys and the element out when not asked', async () => {
    const xml = await (await fetch(`${cloud.url}/encoding-bucket?versions`, { headers: auth })).text();
    expect(xml).not.toContain('EncodingType');
    expect(xml).toContain('<Key>lambdas/a b.zip</Key>');
  });
});
