// Protocol fuzzing (issue 7): random and mutated requests on every wire protocol the local cloud
// speaks. Whatever arrives, the answer is a response shaped the way that protocol's SDKs parse
// errors (awsQuery/Route 53 <ErrorResponse><Error><Code>, S3 <Error><Code>, awsJson __type,
// restJson x-amzn-ErrorType + message, API Gateway/global entry {message}, DNS a decodable reply
// with the query's id), never a reset or a hang, and a valid request still succeeds afterwards.
// Runs are bounded (fixed seed, tens of cases per protocol) so the suite takes seconds.
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateHostedZoneCommand, ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';
import { auth, raw, type RawResponse } from '../front-door/raw-http.js';
import { propertySeed } from '../../support/property-runs.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const RUNS = { numRuns: 60, ...propertySeed() };
const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true });
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, dnsPort: 0, clock: new ManualClock() });
  const s3 = new S3Client({ endpoint: cloud.url, region: 'us-east-1', credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'fuzz' }));
  s3.destroy();
  const r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
  await r53.send(new CreateHostedZoneCommand({ Name: 'fuzz.example.com', CallerReference: 'fuzz' }));
  r53.destroy();
});
afterAll(async () => {
  await cloud.close();
});

// ---- what a correctly shaped answer is, per protocol ----

function xmlCode(res: RawResponse, root: 'ErrorResponse' | 'Error'): string | undefined {
  const doc = xml.parse(res.text);
  const error = root === 'ErrorResponse' ? doc?.ErrorResponse?.Error : doc?.Error;
  return typeof error?.Code === 'string' ? error.Code : undefined;
}

function expectShaped(res: RawResponse, shape: 'query' | 'route53' | 's3' | 'awsJson' | 'restJson' | 'message', method = 'GET'): void {
  expect(res.status, res.text).toBeGreaterThanOrEqual(200);
  expect(res.status, res.text).toBeLessThan(600);
  // 501 (an operation the local cloud does not implement) and the global entry's 502/503/508 are
  // answers; 500 is a crash turned into InternalFailure.
  expect(res.status, `500: ${res.text.slice(0, 300)}`).not.toBe(500);
  if (res.status < 300 || res.status === 304) return;
  const where = `${res.status} ${res.text.slice(0, 300)}`;
  switch (shape) {
    case 'query':
      expect(xmlCode(res, 'ErrorResponse'), where).toMatch(/^\w+$/);
      return;
    case 'route53':
      expect(xmlCode(res, 'ErrorResponse'), where).toMatch(/^\w+$/);
      return;
    case 's3':
      if (method === 'HEAD') return; // S3 answers HEAD errors with the status alone
      expect(xmlCode(res, 'Error'), where).toMatch(/^\w+$/);
      return;
    case 'awsJson':
      expect(JSON.parse(res.text).__type, where).toMatch(/^[\w.#]+$/);
      expect(res.headers['x-amzn-errortype'], where).toBeTruthy();
      return;
    case 'restJson': {
      expect(res.headers['x-amzn-errortype'], where).toMatch(/^\w+/);
      const body = JSON.parse(res.text);
      expect(typeof (body.message ?? body.Message), where).toBe('string');
      return;
    }
    case 'message':
      expect(typeof JSON.parse(res.text).message, where).toBe('string');
      return;
  }
}

// ---- generators ----

const protoNames = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf');
const word = fc.oneof(protoNames, fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/));
/** Path segments as a client might send them: encoded text, traversal, broken escapes. */
const segment = fc.oneof(
  word.map(encodeURIComponent),
  fc.constantFrom('..', '.', '%ff', '%', '%2e%2e', '%2F', '', 'a%00b', '%E2%82'),
);
const rawPath = fc.array(segment, { maxLength: 6 }).map((parts) => '/' + parts.join('/'));
const queryString = fc.array(fc.tuple(word, fc.oneof(word, fc.constant(''))), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString());
const bodyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('{', '[]', 'null', '"x"', '<a>', '<?xml version="1.0"?><x><y>', '{"__proto__":{"polluted":1}}'),
);
const method = fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH');

const post = (service: string, headers: Record<string, string>, body: string, region = 'us-east-1') =>
  raw(cloud.url, { method: 'POST', path: '/', headers: { authorization: auth(service, region), ...headers }, body });

// ---- the properties ----

describe('awsQuery (STS, IAM, CloudFormation, CloudWatch form mode)', () => {
  it('answers every form with a result or an <ErrorResponse>', async () => {
    const service = fc.constantFrom('sts', 'iam', 'cloudformation', 'monitoring');
    const action = fc.oneof(word, fc.constantFrom('GetCallerIdentity', 'DescribeStacks', 'CreateStack', 'GetRole', 'CreateRole', 'PutMetricAlarm', 'DescribeAlarms', 'ValidateTemplate'));
    const params = fc.array(fc.tuple(fc.oneof(word, fc.constantFrom('StackName', 'TemplateBody', 'RoleName', 'Parameters.member.1.ParameterKey', 'Tags.member.2.Key', '__proto__.x', 'a.entry.1.key')), bodyText), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(service, action, params, async (svc, act, ps) => {
        const body = new URLSearchParams([['Action', act], ...ps]).toString();
        const res = await post(svc, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body);
        expectShaped(res, 'query');
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      RUNS,
    );
    const sts = new STSClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    sts.destroy();
  });
});

describe('awsJson 1.0 / 1.1 (DynamoDB, CloudWatch, Logs, EventBridge, ACM)', () => {
  const targets: Array<[string, string, string]> = [
    ['dynamodb', 'DynamoDB_20120810', '1.0'],
    ['monitoring', 'GraniteServiceVersion20100801', '1.0'],
    ['logs', 'Logs_20140328', '1.1'],
    ['events', 'AWSEvents', '1.1'],
    ['acm', 'CertificateManager', '1.1'],
  ];
  it('answers every target and body with a result or a __type error', async () => {
    const op = fc.oneof(word, fc.constantFrom('CreateTable', 'PutItem', 'GetItem', 'Query', 'UpdateItem', 'PutRule', 'CreateLogGroup', 'PutMetricData', 'RequestCertificate', 'DescribeTable'));
    const body = fc.oneof(
      bodyText,
      fc.record({ TableName: word, Item: fc.jsonValue({ maxDepth: 2 }), Key: fc.jsonValue({ maxDepth: 2 }), logGroupName: word, Name: word, KeyConditionExpression: fc.string({ maxLength: 30 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    const version = fc.constantFrom('1.0', '1.1');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), op, fc.oneof(fc.constant(undefined), word), body, version, async ([svc, prefix], operation, otherPrefix, text, v) => {
        const res = await post(svc, { 'x-amz-target': `${otherPrefix ?? prefix}.${operation}`, 'content-type': `application/x-amz-json-${v}` }, text);
        expectShaped(res, 'awsJson');
      }),
      RUNS,
    );
    const ddb = new DynamoDBClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toBeDefined();
    ddb.destroy();
  });
});

describe('restJson1 (Lambda, API Gateway, Account)', () => {
  it('answers every method, path and body with a result or x-amzn-ErrorType + message', async () => {
    const prefix = fc.constantFrom('/2015-03-31/functions', '/2015-03-31/functions/f/invocations', '/2017-03-31/tags', '/restapis', '/domainnames', '/getAlternateContactInformation', '');
    const service = fc.constantFrom('lambda', 'apigateway', 'account');
    await fc.assert(
      fc.asyncProperty(service, method, prefix, rawPath, queryString, bodyText, async (svc, m, p, tail, q, body) => {
        const res = await raw(cloud.url, {
          method: m,
          path: `${p}${tail}${q ? `?${q}` : ''}`,
          headers: { authorization: auth(svc), 'content-type': 'application/json' },
          body: m === 'GET' || m === 'HEAD' ? undefined : body,
        });
        if (m !== 'HEAD') expectShaped(res, 'restJson');
      }),
      RUNS,
    );
    const lambda = new LambdaClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await lambda.send(new ListFunctionsCommand({}))).Functions).toBeDefined();
    lambda.destroy();
    const gw = new APIGatewayClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await gw.send(new GetRestApisCommand({}))).items).toBeDefined();
    gw.destroy();
  });
});

describe('restXml (S3, Route 53, CloudFront)', () => {
  it('answers S3 with a result or an S3 <Error>', async () => {
    const sub = fc.constantFrom('', 'versioning', 'tagging', 'policy', 'delete', 'list-type=2', 'versions', 'notification', 'encryption', 'publicAccessBlock', 'uploads', 'location');
    await fc.assert(
      fc.asyncProperty(method, fc.constantFrom('/fuzz', '/fuzz/', '/nope', '', '/fuzz/a/../b'), rawPath, sub, queryString, bodyText, async (m, bucket, tail, s, q, body) => {
        const query = [s, q].filter(Boolean).join('&');
        const res = await raw(cloud.url, {
          method: m,
          path: `${bucket}${tail}${query ? `?${query}` : ''}` || '/',
          headers: { authorization: auth('s3'), 'content-type': 'application/xml' },
          body: m === 'GET' || m === 'HEAD' ? undefined : body,
        });
        expectShaped(res, 's3', m);
      }),
      RUNS,
    );
    const s3 = new S3Client({ endpoint: cloud.url, region: 'us-east-1', credentials, forcePathStyle: true });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('fuzz');
    s3.destroy();
  });

  it('answers Route 53 and CloudFront with a result or an <ErrorResponse>', async () => {
    const prefix = fc.constantFrom('/2013-04-01/hostedzone', '/2013-04-01/healthcheck', '/2013-04-01/change', '/2020-05-31/distribution', '/2013-04-01/hostedzone/Z1/rrset');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('route53', 'cloudfront'), method, prefix, rawPath, queryString, bodyText, async (svc, m, p, tail, q, body) => {
        const res = await raw(cloud.url, {
          method: m,
          path: `${p}${tail}${q ? `?${q}` : ''}`,
          headers: { authorization: auth(svc), 'content-type': 'application/xml' },
          body: m === 'GET' || m === 'HEAD' ? undefined : body,
        });
        if (m !== 'HEAD') expectShaped(res, 'route53');
      }),
      RUNS,
    );
    const r53 = new Route53Client({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await r53.send(new ListHostedZonesCommand({}))).HostedZones?.map((z) => z.Name)).toContain('fuzz.example.com.');
    r53.destroy();
  });
});

describe('the front door itself and the global entry', () => {
  it('answers any mix of headers, hosts and content types in the shape of the protocol it names', async () => {
    const service = fc.constantFrom('sts', 'dynamodb', 'lambda', 's3', 'route53', undefined);
    const host = fc.constantFrom('127.0.0.1', 'localhost', 'evil.example', 'x.fuzz.example.com', 'fuzz.example.com', '[::1]', '127.0.0.256', '');
    const contentType = fc.constantFrom(undefined, 'text/plain', 'application/json', 'application/x-amz-json-1.0', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml');
    const browser = fc.constantFrom<Record<string, string> | undefined>(undefined, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'empty' }, { 'sec-fetch-mode': 'cors' });
    const shapeOf = { sts: 'query', dynamodb: 'awsJson', lambda: 'restJson', s3: 's3', route53: 'route53' } as const;
    await fc.assert(
      fc.asyncProperty(service, host, contentType, browser, method, rawPath, queryString, bodyText, async (svc, h, ct, b, m, p, q, body) => {
        const headers: Record<string, string> = { ...(b ?? {}) };
        if (h) headers.host = h;
        if (ct) headers['content-type'] = ct;
        if (svc) headers.authorization = auth(svc);
        if (svc === 'dynamodb') headers['x-amz-target'] = 'DynamoDB_20120810.ListTables';
        const res = await raw(cloud.url, { method: m, path: `${p}${q ? `?${q}` : ''}`, headers, body: m === 'GET' || m === 'HEAD' ? undefined : body });
        if (m === 'HEAD') return;
        if (svc === 'dynamodb' && res.status === 200) return;
        expectShaped(res, svc ? shapeOf[svc] : 'message', m);
      }),
      RUNS,
    );
    const sts = new STSClient({ endpoint: cloud.url, region: 'us-east-1', credentials });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    sts.destroy();
  });
});

describe('DNS over UDP', () => {
  function ask(packet: Buffer): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      const timer = setTimeout(() => {
        socket.close();
        resolve(undefined);
      }, 2000);
      socket.on('message', (msg) => {
        clearTimeout(timer);
        socket.close();
        resolve(msg);
      });
      socket.on('error', reject);
      socket.send(packet, cloud.dnsPort!, '127.0.0.1');
    });
  }
  const valid = (id: number, name = 'fuzz.example.com') => dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'SOA', name }] });

  it('answers random and mutated queries with a decodable reply carrying the query id', async () => {
    const mutated = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 })).map(([id, edits]) => {
      const packet = Buffer.from(valid(id));
      for (const [at, byte] of edits) packet[2 + (at % (packet.length - 2))] = byte; // keep the id
      return packet;
    });
    const random = fc.uint8Array({ minLength: 2, maxLength: 300 }).map((b) => Buffer.from(b));
    const names = fc.oneof(word, fc.constantFrom('a'.repeat(63) + '.fuzz.example.com', '..', '\\.', 'x.fuzz.example.com'));
    const oddNames = fc.tuple(fc.integer({ min: 0, max: 0xffff }), names).map(([id, name]) => {
      try {
        return Buffer.from(valid(id, name));
      } catch {
        return Buffer.from(valid(id));
      }
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, random, oddNames), async (packet) => {
        const reply = await ask(packet);
        expect(reply, `no reply to ${packet.toString('hex')}`).toBeDefined();
        expect(reply!.readUInt16BE(0)).toBe(packet.readUInt16BE(0));
        const decoded = dnsPacket.decode(reply!);
        expect(decoded.type).toBe('response');
      }),
      { numRuns: 80, ...propertySeed() },
    );
    const answer = dnsPacket.decode((await ask(Buffer.from(valid(4242))))!);
    expect(answer.id).toBe(4242);
    expect((answer as { rcode?: string }).rcode).toBe('NOERROR');
    expect(answer.answers?.[0]?.type).toBe('SOA');
  });
});
