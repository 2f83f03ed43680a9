import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Drives the real handler (real SDK client) against a tiny DynamoDB stand-in, to prove the wiring:
// both calls are actually made, the endpoint comes from AWS_ENDPOINT_URL, and the 1 s budget holds.
type Reply = (target: string, body: any, res: ServerResponse) => void;

let server: Server | undefined;
const saved = { ...process.env };

async function serve(reply: Reply): Promise<{ url: string; seen: Array<{ target: string; body: any }> }> {
  const seen: Array<{ target: string; body: any }> = [];
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      seen.push({ target, body });
      reply(target, body, res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

async function loadHandler() {
  vi.resetModules();
  return (await import('../../../src/lambdas/check/index.js')).handler;
}

beforeEach(() => {
  Object.assign(process.env, {
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: 'probe-table',
  });
  delete process.env.UNHEALTHY;
  delete process.env.AWS_PROFILE;
});

afterEach(async () => {
  process.env = { ...saved };
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('check handler', () => {
  it('calls GetItem and PutItem on TABLE_NAME at AWS_ENDPOINT_URL and answers 200', async () => {
    const { url, seen } = await serve((_t, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    });
    process.env.AWS_ENDPOINT_URL = url;
    const res = await (await loadHandler())({});
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).region).toBe('us-west-2');
    const targets = seen.map((s) => s.target).sort();
    expect(targets).toEqual(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.PutItem']);
    for (const s of seen) {
      expect(s.body.TableName).toBe('probe-table');
      expect(s.body.Key?.id ?? s.body.Item?.id).toEqual({ S: 'us-west-2' });
    }
  });

  it('answers 503 with the DynamoDB error', async () => {
    const { url } = await serve((_t, _b, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' }));
    });
    process.env.AWS_ENDPOINT_URL = url;
    const res = await (await loadHandler())({});
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).error).toMatch(/ResourceNotFoundException/);
  });

  it('gives up after the 1 s client timeout instead of hanging until the Lambda timeout', { timeout: 10_000 }, async () => {
    // Never answers: only the client's requestTimeout can end the call (2 attempts x 1 s).
    const { url } = await serve(() => undefined);
    process.env.AWS_ENDPOINT_URL = url;
    const started = Date.now();
    const res = await (await loadHandler())({});
    const elapsed = Date.now() - started;
    expect(res.statusCode).toBe(503);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
  });

  it('answers 503 when TABLE_NAME is missing', async () => {
    delete process.env.TABLE_NAME;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    const res = await (await loadHandler())({});
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body).error).toBe('TABLE_NAME is not set');
  });
});
