import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsError } from './aws-error.js';
import { ScaledClock, type Clock } from './clock.js';
import { delay, Faults } from './faults.js';
import { startDnsServer, type DnsServer } from './dns/server.js';
import { handleGlobalEntry } from './global-entry/index.js';
import type { Route53Domain } from './route53/domain.js';
import { serviceFactories } from './services.js';
import { credentialScope } from './sigv4-scope.js';
import { ContentBlobStore, JsonStateStore } from './state.js';
import type { CloudContext, CloudRequest, CloudResponse, LocalService, ResourceProvider, ServiceFactory } from './types.js';

export const LOCAL_ACCOUNT_ID = '000000000000';
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface LocalCloudOptions {
  /** 0 picks a free port. Default 4566. */
  port?: number;
  clock?: Clock;
  /** Where state survives restarts; omitted → memory only. */
  dataDir?: string;
  log?: (line: string) => void;
  /** UDP port for the DNS server on 127.0.0.1 (0 picks a free one); omitted → no DNS server. */
  dnsPort?: number;
  /** Replace the built-in services (tests of the front door itself). */
  services?: ServiceFactory[];
  /**
   * Sees every signed API request routed to a service, before it is handled (tests record what a
   * principal sends, e.g. to check `regionctl iam-policy` against it). Must not throw or mutate.
   */
  onRequest?: (req: Readonly<CloudRequest>) => void;
}

export interface LocalCloud {
  url: string;
  port: number;
  /** The DNS server's UDP port, when one was asked for and could bind. */
  dnsPort?: number;
  clock: Clock;
  faults: Faults;
  /** A service's domain object (e.g. 'lambda'), for tests and the daemon's own endpoints. */
  service<T = unknown>(name: string): T;
  close(): Promise<void>;
}

interface ApiGatewayExecutor {
  execute(
    apiId: string,
    stage: string,
    req: { method: string; path: string; query: URLSearchParams; headers: Record<string, string>; body: Buffer; sourceIp?: string },
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }>;
  regionOf?(apiId: string): string | undefined;
}

/** Start the local cloud: one HTTP server on 127.0.0.1 (never another interface). */
export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const clock = opts.clock ?? new ScaledClock(1);
  const state = new JsonStateStore(opts.dataDir);
  const blobs = new ContentBlobStore(opts.dataDir);
  const tempWork = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'regionctl-local-'));
  const workDir = opts.dataDir ? join(opts.dataDir, 'work') : tempWork!;
  const faults = new Faults();
  const log = opts.log ?? (() => {});
  let baseUrl = '';

  const byName = new Map<string, LocalService & { domain?: unknown }>();
  const providers = new Map<string, ResourceProvider>();
  const ctx: CloudContext = {
    clock,
    accountId: LOCAL_ACCOUNT_ID,
    url: () => baseUrl,
    state,
    blobs,
    workDir,
    service<T>(name: string): T {
      return byName.get(name)?.domain as T;
    },
    resource: (type) => providers.get(type),
    log,
    faults,
  };
  const services = (opts.services ?? serviceFactories).map((factory) => factory(ctx));
  for (const svc of services) {
    for (const name of svc.names) byName.set(name, svc);
    for (const provider of svc.resources ?? []) providers.set(provider.type, provider);
  }
  for (const svc of services) svc.start?.();

  let dns: DnsServer | undefined;
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`internal error: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'local cloud internal error' }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    }
    const requestId = randomUUID();
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }

    if (path.startsWith('/_localcloud/')) return send(res, await internal(req.method ?? 'GET', path, body));

    const scope = credentialScope(headers.authorization, url.searchParams);
    if (!scope) {
      const host = (headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      if (host && host !== '127.0.0.1' && host !== 'localhost') {
        const served = await handleGlobalEntry(ctx, { service: '', region: '', accountId: LOCAL_ACCOUNT_ID, method: req.method ?? 'GET', path, query: url.searchParams, headers, body, requestId });
        if (served) {
          state.markDirty();
          return send(res, served);
        }
      }
      const execute = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(url.pathname);
      if (execute) return send(res, await executeApi(execute, req, url, headers, body));
      return send(res, {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          message:
            'The local cloud needs SigV4-signed requests (any credentials work) or an API Gateway invoke URL ' +
            '(/restapis/{apiId}/{stage}/_user_request_/{path}).',
        }),
      });
    }
    const svc = byName.get(scope.service);
    const cloudReq: CloudRequest = {
      service: scope.service,
      region: scope.region,
      accountId: LOCAL_ACCOUNT_ID,
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers,
      body,
      requestId,
    };
    opts.onRequest?.(cloudReq);
    if (!svc) return send(res, unsupportedService(cloudReq));
    if (faults.isRegionDown(scope.region) && !isGlobal(scope.service)) {
      return send(res, { status: 503, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' }, body: JSON.stringify({ message: `Region ${scope.region} is unavailable (local cloud fault).` }) });
    }
    await delay(faults.latencyFor(isGlobal(scope.service) ? undefined : scope.region));
    const started = Date.now();
    const response = await svc.handle(cloudReq);
    log(`${scope.region} ${scope.service} ${cloudReq.method} ${url.pathname}${url.search} → ${response.status} ${Date.now() - started}ms`);
    if (cloudReq.method !== 'GET' && cloudReq.method !== 'HEAD') state.markDirty();
    send(res, response);
  }

  async function executeApi(m: RegExpExecArray, req: IncomingMessage, url: URL, headers: Record<string, string>, body: Buffer): Promise<CloudResponse> {
    const apigw = ctx.service<ApiGatewayExecutor>('apigateway');
    if (!apigw) return { status: 404, body: 'API Gateway is not available in this local cloud' };
    const region = apigw.regionOf?.(m[1]);
    await delay(faults.latencyFor(region));
    if (region && faults.isRegionDown(region)) {
      return { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Service Unavailable' }) };
    }
    const result = await apigw.execute(m[1], m[2], {
      method: req.method ?? 'GET',
      path: m[3] ? decodeURIComponent(m[3]) : '/',
      query: url.searchParams,
      headers,
      body,
      sourceIp: req.socket.remoteAddress,
    });
    state.markDirty();
    return { status: result.status, headers: result.headers, body: result.body };
  }

  async function internal(_method: string, path: string, body: Buffer): Promise<CloudResponse> {
    if (path === '/_localcloud/faults') {
      if (_method === 'POST' || _method === 'PUT') {
        try {
          faults.replace(JSON.parse(body.toString('utf8') || '{}'));
        } catch (error) {
          return json(400, { message: `bad fault request: ${(error as Error).message}` });
        }
      }
      return json(200, faults.state());
    }
    if (path === '/_localcloud/health') {
      return json(200, { ok: true, service: 'regionctl-local-cloud', pid: process.pid, now: new Date(clock.now()).toISOString(), timeScale: clock.timeScale, dnsPort: dns?.port ?? null, services: [...byName.keys()].sort() });
    }
    return json(404, { message: `unknown local cloud endpoint ${path}` });
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4566, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  baseUrl = `http://127.0.0.1:${port}`;
  if (opts.dnsPort !== undefined) {
    try {
      dns = await startDnsServer({ port: opts.dnsPort, route53: () => ctx.service<Route53Domain | undefined>('route53'), log });
    } catch (error) {
      // mDNS daemons often hold 5353; the HTTP side is still useful without DNS.
      log(`dns: could not listen on 127.0.0.1:${opts.dnsPort} (${(error as Error).message}); DNS server not started`);
    }
  }

  return {
    url: baseUrl,
    port,
    dnsPort: dns?.port,
    clock,
    faults,
    service: ctx.service,
    async close() {
      await dns?.close();
      await Promise.all(services.map((s) => s.stop?.()));
      state.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (tempWork) rmSync(tempWork, { recursive: true, force: true });
    },
  };
}

// Route 53, IAM and CloudFront are global: a regional outage does not take them down.
function isGlobal(service: string): boolean {
  return service === 'route53' || service === 'iam' || service === 'cloudfront' || service === 'sts';
}

function unsupportedService(req: CloudRequest): CloudResponse {
  const e = new AwsError('NotImplemented', `The local cloud does not implement the ${req.service} service.`, 501, false);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.includes('json')) {
    return { status: e.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code }, body: JSON.stringify({ __type: e.code, message: e.message }) };
  }
  return {
    status: e.status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse><Error><Type>Receiver</Type><Code>${e.code}</Code><Message>${e.message}</Message></Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`,
  };
}

function json(status: number, value: unknown): CloudResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function send(res: ServerResponse, response: CloudResponse): void {
  const body = response.body === undefined ? undefined : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (body && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
