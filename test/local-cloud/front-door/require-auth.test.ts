// `--require-auth` (issue 7, defect 2): SigV4 is verified with the configured key pair, through
// the real SDK clients of each protocol; a wrong secret or an unknown key gets that service's error.
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { fixtureZip, ROLE } from '../lambda/fake-cloud.js';
import { raw } from './raw-http.js';

const good = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-secret-key' };
const wrongSecret = { accessKeyId: good.accessKeyId, secretAccessKey: 'not-the-secret' };
const unknownKey = { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: good.secretAccessKey };
const region = 'us-east-1';
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), requireAuth: [good] });
});
afterAll(async () => {
  await cloud.close();
});

const clients = (credentials: typeof good) => ({
  sts: new STSClient({ endpoint: cloud.url, region, credentials }),
  ddb: new DynamoDBClient({ endpoint: cloud.url, region, credentials }),
  lambda: new LambdaClient({ endpoint: cloud.url, region, credentials }),
  s3: new S3Client({ endpoint: cloud.url, region, credentials, forcePathStyle: true }),
  r53: new Route53Client({ endpoint: cloud.url, region, credentials }),
});

describe('with the configured key pair', () => {
  it('serves every protocol, bodies and encoded paths included', async () => {
    const c = clients(good);
    expect((await c.sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    await c.ddb.send(new CreateTableCommand({ TableName: 'signed', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    expect((await c.ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['signed']);
    const fn = await c.lambda.send(new CreateFunctionCommand({ FunctionName: 'signed-fn', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'handlers.echo', Code: { ZipFile: fixtureZip('handlers.js') } }));
    // An ARN as the name puts percent-encoded colons in the path, which SigV4 encodes again.
    expect((await c.lambda.send(new GetFunctionCommand({ FunctionName: fn.FunctionArn! }))).Configuration?.FunctionName).toBe('signed-fn');
    expect((await c.lambda.send(new ListFunctionsCommand({}))).Functions).toHaveLength(1);
    await c.s3.send(new CreateBucketCommand({ Bucket: 'signed' }));
    const key = 'dir/a b+c=d&é~!.txt';
    await c.s3.send(new PutObjectCommand({ Bucket: 'signed', Key: key, Body: 'payload' }));
    expect(await (await c.s3.send(new GetObjectCommand({ Bucket: 'signed', Key: key }))).Body!.transformToString()).toBe('payload');
    expect((await c.r53.send(new ListHostedZonesCommand({}))).HostedZones).toEqual([]);
  });

  it('serves a presigned S3 URL and refuses it once tampered with', async () => {
    const signer = new SignatureV4({ credentials: good, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    const url = new URL(cloud.url);
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/signed/dir/a%20b%2Bc%3Dd%26%C3%A9~%21.txt', query: {}, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { expiresIn: 300, signingDate: new Date() },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const ok = await raw(cloud.url, { path: `${presigned.path}?${query}` });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.text).toBe('payload');
    const tampered = await raw(cloud.url, { path: `/signed/other?${query}` });
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('with a wrong secret or an unknown key', () => {
  it('answers each protocol with its own signature error', async () => {
    const bad = clients(wrongSecret);
    await expect(bad.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(bad.ddb.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    await expect(bad.lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    await expect(bad.s3.send(new GetObjectCommand({ Bucket: 'signed', Key: 'dir/a b+c=d&é~!.txt' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(bad.r53.send(new ListHostedZonesCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });

    const unknown = clients(unknownKey);
    await expect(unknown.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
    await expect(unknown.ddb.send(new ListTablesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 400 } });
    await expect(unknown.lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
    await expect(unknown.s3.send(new PutObjectCommand({ Bucket: 'signed', Key: 'planted', Body: 'x' }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
  });

  it.each([true, false])('refuses a request whose body was changed after signing (payload hash header: %s)', async (applyChecksum) => {
    const signer = new SignatureV4({ credentials: good, region, service: 'dynamodb', sha256: Sha256, applyChecksum });
    const url = new URL(cloud.url);
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    const headers = signed.headers as Record<string, string>;
    const honest = await raw(cloud.url, { method: 'POST', path: '/', headers, body: '{}' });
    expect(honest.status, honest.text).toBe(200);
    const swapped = await raw(cloud.url, { method: 'POST', path: '/', headers, body: '{"Limit":1}' });
    expect(swapped.status).toBe(400);
    expect(JSON.parse(swapped.text).__type).toMatch(/InvalidSignatureException$/);
  });
});

/** Node's crypto in the shape the signer wants. */
class Sha256 {
  private readonly h;
  constructor(secret?: unknown) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as Uint8Array);
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}
