// The front door (issue 7, defects 2 and 11): a web page must not be able to drive the local cloud,
// protocols refuse content types AWS clients never send, bodies are bounded per protocol before
// they are buffered, and paths are taken as sent (no `..` resolution, no 500 on bad encoding).
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { auth, raw } from './raw-http.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cloud: LocalCloud;
let lambda: LambdaClient;
let s3: S3Client;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  lambda = new LambdaClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
  s3 = new S3Client({ endpoint: cloud.url, region: 'us-east-1', credentials, forcePathStyle: true });
});
afterAll(async () => {
  lambda.destroy();
  s3.destroy();
  await cloud.close();
});

const createFunctionBody = JSON.stringify({
  FunctionName: 'planted',
  Runtime: 'nodejs20.x',
  Role: 'arn:aws:iam::000000000000:role/r',
  Handler: 'index.handler',
  Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
});

async function functionExists(name: string): Promise<boolean> {
  try {
    await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

describe('requests a web page can make', () => {
  it('does not take the credential scope from a plain query string (a browser simple request)', async () => {
    // What a page can send with no preflight: text/plain POST, credential in the URL, no signature.
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/2015-03-31/functions?X-Amz-Credential=A/20260101/us-east-1/lambda/aws4_request',
      headers: { 'content-type': 'text/plain' },
      body: createFunctionBody,
    });
    expect(res.status).toBe(403);
    expect(await functionExists('planted')).toBe(false);
  });

  it('refuses a request carrying Origin even when it is signed, in the protocol error shape', async () => {
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/',
      headers: { origin: 'https://evil.example', authorization: auth('sts'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code>/);
  });

  it('refuses browser fetch metadata (Sec-Fetch-Site) on JSON protocols with __type', async () => {
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/',
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'empty', authorization: auth('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).__type).toMatch(/AccessDeniedException$/);
  });

  it('refuses a presigned URL opened by a browser', async () => {
    const res = await raw(cloud.url, {
      path: '/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=' + '0'.repeat(64),
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    });
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<Error><Code>AccessDenied<\/Code>/);
  });

  it('refuses a Host that is neither loopback nor a local record name (DNS rebinding)', async () => {
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/2015-03-31/functions',
      headers: { host: 'attacker.example:4566', authorization: auth('lambda'), 'content-type': 'application/json' },
      body: createFunctionBody,
    });
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(await functionExists('planted')).toBe(false);
  });

  it('accepts every loopback spelling of the host', async () => {
    for (const host of ['127.0.0.1', 'localhost', '127.3.4.5:80', '[::1]:4566', 'api.localhost']) {
      const res = await raw(cloud.url, {
        method: 'POST',
        path: '/',
        headers: { host, authorization: auth('sts'), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(res.status, host).toBe(200);
    }
  });
});

describe('content types', () => {
  it('refuses a text/plain form on awsQuery with an XML error', async () => {
    const res = await raw(cloud.url, { method: 'POST', path: '/', headers: { authorization: auth('sts'), 'content-type': 'text/plain' }, body: 'Action=GetCallerIdentity' });
    expect(res.status).toBe(415);
    expect(res.text).toContain('<Code>UnsupportedMediaType</Code>');
  });

  it('refuses text/plain on awsJson with __type', async () => {
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/',
      headers: { authorization: auth('logs'), 'x-amz-target': 'Logs_20140328.CreateLogGroup', 'content-type': 'text/plain' },
      body: '{"logGroupName":"from-a-page"}',
    });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.text).__type).toBe('UnsupportedMediaTypeException');
  });

  it('refuses a form post on restJson (Lambda) and creates nothing', async () => {
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/2015-03-31/functions',
      headers: { authorization: auth('lambda'), 'content-type': 'application/x-www-form-urlencoded' },
      body: createFunctionBody,
    });
    expect(res.status).toBe(415);
    expect(res.headers['x-amzn-errortype']).toBe('UnsupportedMediaTypeException');
    expect(await functionExists('planted')).toBe(false);
  });

  it('takes any content type for an S3 object body but not for a bucket control operation', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'ctypes' }));
    const put = await raw(cloud.url, { method: 'PUT', path: '/ctypes/page.html', headers: { authorization: auth('s3'), 'content-type': 'text/html' }, body: '<p>hi</p>' });
    expect(put.status).toBe(200);
    const control = await raw(cloud.url, {
      method: 'PUT',
      path: '/ctypes?versioning',
      headers: { authorization: auth('s3'), 'content-type': 'multipart/form-data; boundary=x' },
      body: '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
    });
    expect(control.status).toBe(415);
    expect(control.text).toContain('<Code>UnsupportedMediaType</Code>');
  });
});

describe('paths', () => {
  it('answers a malformed percent-encoding in an invoke URL with a 400 in API Gateway shape', async () => {
    const res = await raw(cloud.url, { path: '/restapis/abc/prod/_user_request_/x%ff' });
    expect(res.status).toBe(400);
    expect(typeof JSON.parse(res.text).message).toBe('string');
  });

  it('keeps `..` in S3 keys opaque and never reaches another bucket through it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mine' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'theirs' }));
    await s3.send(new PutObjectCommand({ Bucket: 'theirs', Key: 'secret', Body: 'theirs' }));
    await s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'a/../b', Body: 'dots' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'mine' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['a/../b']);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'mine', Key: 'a/../b' }))).Body!.transformToString()).toBe('dots');

    const escape = await raw(cloud.url, { path: '/mine/../theirs/secret', headers: { authorization: auth('s3') } });
    expect(escape.text).not.toContain('theirs</');
    expect(escape.text).not.toBe('theirs');
    expect(escape.status).toBe(404);
  });
});

describe('body limits', () => {
  it('answers an oversized Lambda invoke with RequestEntityTooLargeException from its Content-Length, not a reset', async () => {
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/2015-03-31/functions/f/invocations',
      headers: { authorization: auth('lambda'), 'content-type': 'application/json', 'content-length': 7 * 1024 * 1024 },
      chunks: [Buffer.alloc(7 * 1024 * 1024, 0x20)],
    });
    expect(res.status).toBe(413);
    expect(res.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
  });

  it('stops buffering a chunked body at the limit and answers in shape', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const res = await raw(cloud.url, {
      method: 'POST',
      path: '/',
      headers: { authorization: auth('sts'), 'content-type': 'application/x-www-form-urlencoded' },
      chunks: Array.from({ length: 3 }, () => chunk),
    });
    expect(res.status).toBe(413);
    expect(res.text).toContain('<Code>RequestEntityTooLarge</Code>');
  });

  it('refuses an S3 object larger than the local cap from its declared length before reading it', async () => {
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(cloud.url);
      // Declares 300 MB and sends nothing: the answer must come from the header alone.
      import('node:http').then(({ request }) => {
        const req = request({ host: url.hostname, port: url.port, method: 'PUT', path: '/mine/huge', headers: { authorization: auth('s3'), 'content-length': 300 * 1024 * 1024, expect: '100-continue' } }, (r) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => {
            resolve({ status: r.statusCode ?? 0, text: Buffer.concat(parts).toString() });
            req.destroy();
          });
        });
        req.on('error', reject);
        req.flushHeaders();
      }, reject);
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooLarge</Code>');
  });

  it('keeps serving after every refusal', async () => {
    const sts = new STSClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    sts.destroy();
  });
});
