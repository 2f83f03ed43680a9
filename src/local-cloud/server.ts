import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsError } from './aws-error.js';
import { ScaledClock, type Clock } from './clock.js';
import { delay, Faults } from './faults.js';
import { anonymousObjectRead } from './s3/anonymous-access.js';
import { startDnsServer, type DnsServer } from './dns/server.js';
import { handleGlobalEntry } from './global-entry/index.js';
import { publicDnsView } from './route53/delegation.js';
import type { ServiceDomains, ServiceName } from './registry.js';
import { serviceFactories } from './services.js';
import { API_PAYLOAD_LIMIT, bodyLimit, browserHeader, contentTypeRefusal, forbidden, hostOf, isLoopbackHost } from './front-door.js';
import { wireOf, type Wire } from './protocols/wire.js';
import { credentialScope } from './sigv4-scope.js';
import { verifySigV4, type LocalCredentials } from './sigv4-verify.js';
import { ContentBlobStore } from './persistence/blobs.js';
import { JsonStateStore } from './state.js';
import { Rest, type RestOptions, type RestState } from './rest.js';
import { realismProfile, type ClientLocationMode, type RealismProfile } from './realism.js';
import type { CloudContext, CloudRequest, CloudResponse, LocalService, ResourceProvider, ServiceFactory } from './types.js';

export const LOCAL_ACCOUNT_ID = '000000000000';

export interface LocalCloudOptions {
  /** 0 picks a free port. Default 4566. */
  port?: number;
  clock?: Clock;
  /** Where state survives restarts; omitted → memory only. */
  dataDir?: string;
  log?: (line: string) => void;
  /** UDP port for the DNS server on 127.0.0.1 (0 picks a free one); omitted → no DNS server. */
  dnsPort?: number;
  /**
   * Verify every signed request's SigV4 signature against these keys and refuse others with the
   * service's own error (`regionctl local start --require-auth`). Omitted: any credentials work.
   */
  requireAuth?: LocalCredentials[];
  /** fdatasync every commit so acknowledged writes survive power loss, not only kill -9 (slower). */
  fsync?: boolean;
  /** Replace the built-in services (tests of the front door itself). */
  services?: ServiceFactory[];
  /**
   * Sees every signed API request routed to a service, before it is handled (tests record what a
   * principal sends, e.g. to check `regionctl iam-policy` against it). Must not throw or mutate.
   */
  onRequest?: (req: Readonly<CloudRequest>) => void;
  /**
   * Timing profile: fast (default) answers at once; aws takes AWS's time on the cloud's clock
   * (realism.ts has the table with sources; `regionctl local start --realism aws`).
   */
  realism?: RealismProfile;
  /** Where EDNS client subnets place clients: subnets (default, 10.i = region i) or none (as on AWS). */
  clientLocation?: ClientLocationMode;
  /**
   * Rest at real time after `afterMs` real milliseconds without a client (rest.ts); needs a
   * ScaledClock running faster than real time. Omitted: never rests.
   */
  rest?: RestOptions;
}

export interface LocalCloud {
  url: string;
  port: number;
  /** Where the cloud's own functions call it back (their AWS_ENDPOINT_URL); not a client's address. */
  functionsUrl: string;
  /** The DNS server's UDP port, when one was asked for and could bind. */
  dnsPort?: number;
  clock: Clock;
  faults: Faults;
  /** A service's domain object (e.g. 'lambda'), for tests and the daemon's own endpoints; throws when this cloud does not run it. */
  service<K extends ServiceName>(name: K): ServiceDomains[K];
  /** Whether the clock rests (runs at real time) while no client talks to the cloud; undefined when it never does. */
  rest(): RestState | undefined;
  close(): Promise<void>;
}

/** Start the local cloud: one HTTP server on 127.0.0.1 (never another interface). */
export async function startLocalCloud(opts: LocalCloudOptions = {}): Promise<LocalCloud> {
  const clock = opts.clock ?? new ScaledClock(1);
  const log = opts.log ?? (() => {});
  const state = new JsonStateStore({ dataDir: opts.dataDir, fsync: opts.fsync, log });
  const blobs = new ContentBlobStore(opts.dataDir, opts.fsync);
  const tempWork = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'regionctl-local-'));
  const workDir = opts.dataDir ? join(opts.dataDir, 'work') : tempWork!;
  const faults = new Faults(clock);
  const requireAuth = opts.requireAuth && opts.requireAuth.length > 0 ? opts.requireAuth : undefined;
  let baseUrl = '';
  let functionsUrl = '';

  const byName = new Map<string, LocalService & { domain?: unknown }>();
  const providers = new Map<string, ResourceProvider>();
  const ctx: CloudContext = {
    clock,
    accountId: LOCAL_ACCOUNT_ID,
    url: () => baseUrl,
    functionsUrl: () => functionsUrl,
    state,
    blobs,
    workDir,
    // The one cast of the registry: each factory's domain was checked against its name (ServiceFactory<K>).
    service: <K extends ServiceName>(name: K) => byName.get(name)?.domain as ServiceDomains[K] | undefined,
    resource: (type) => providers.get(type),
    log,
    faults,
    realism: realismProfile(opts.realism),
    clientLocation: opts.clientLocation ?? 'subnets',
    ...(requireAuth ? { credentials: requireAuth[0] } : {}),
  };
  const services = (opts.services ?? serviceFactories).map((factory) => factory(ctx));
  for (const svc of services) {
    for (const name of svc.names) byName.set(name, svc);
    for (const provider of svc.resources ?? []) providers.set(provider.type, provider);
  }
  for (const svc of services) svc.start?.();

  let dns: DnsServer | undefined;
  const rest = opts.rest && clock instanceof ScaledClock && clock.timeScale > 1 ? new Rest(clock, { log, ...opts.rest }) : undefined;
  // Clients use `server`; the cloud's own functions call back on `functionsServer` (their
  // AWS_ENDPOINT_URL), so a canary's request does not count as a client waking a resting clock.
  const server = createServer((req, res) => {
    rest?.activity();
    serve(req, res);
  });
  const functionsServer = createServer((req, res) => serve(req, res));
  function serve(req: IncomingMessage, res: ServerResponse): void {
    answerOnlyWhenDurable(req, res);
    handle(req, res).catch((error) => {
      log(`internal error: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'local cloud internal error' }));
    });
  }
  // Expect: 100-continue (the S3 SDK sends it for large bodies): decide before the client sends the body.
  for (const s of [server, functionsServer]) s.on('checkContinue', (req, res) => s.emit('request', Object.assign(req, { expectsContinue: true }), res));

  // Every response goes out through res.end; hold it until the state it reports is in the log.
  // A write is acknowledged only once it survives kill -9, and a read never answers with a change
  // that a crash could still take back. Reads sent as GET/HEAD change nothing of their own, so
  // they only wait for a commit already under way; other requests commit when a service declared
  // a change (state.changed), which spares the many reads sent as POST.
  function answerOnlyWhenDurable(req: IncomingMessage, res: ServerResponse): void {
    const mark = state.mark();
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      (readOnly ? state.settled() : state.commit(mark)).then(
        () => end(...args),
        (error: unknown) => {
          // Not durable, so not acknowledged: drop the connection rather than answer.
          log(`state: could not save a request's changes (${(error as Error).message}); connection closed unanswered`);
          res.destroy();
        },
      );
      return res;
    }) as ServerResponse['end'];
  }

  async function handle(req: IncomingMessage & { expectsContinue?: boolean }, res: ServerResponse): Promise<void> {
    const headers: Record<string, string> = Object.create(null);
    // node:http names them in lower case already.
    const raw = req.headers;
    for (const k in raw) {
      const v = raw[k];
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    }
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    // The path as sent: WHATWG URL parsing would resolve `..` segments (S3 keys are opaque) and
    // read `//x` as a host.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
    const host = hostOf(headers);
    const scope = credentialScope(headers.authorization, query);
    const svc = scope ? byName.get(scope.service) : undefined;
    const stub: CloudRequest = { service: scope?.service ?? '', region: scope?.region ?? '', accountId: LOCAL_ACCOUNT_ID, method, path: rawPath, query, headers, body: Buffer.alloc(0), requestId };
    const wire = svc ? wireOf(svc.handle, stub) : undefined;
    // Refusals before the body is read answer in the protocol's error shape, or API Gateway's.
    const refuse = (e: AwsError): void => {
      log(`refused ${method} ${rawPath} (${e.code}): ${e.message}`);
      send(res, wire ? wire.error(stub, e) : { status: e.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code }, body: JSON.stringify({ message: e.message }) });
    };

    const browser = browserHeader(headers);
    if (browser) {
      return refuse(forbidden(wire, `The local cloud refuses requests from web browsers (the request carries ${browser}): a web page must not drive it. Use an AWS SDK or CLI.`));
    }
    if (!rawPath.startsWith('/')) return refuse(forbidden(wire, `The local cloud only serves origin-form request targets, not ${JSON.stringify(target.slice(0, 100))}.`));
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still carries its own name in Host.
    if (!isLoopbackHost(host) && !servesRecord(host)) {
      return refuse(forbidden(wire, `Host ${JSON.stringify(host)} is not a loopback name (127.0.0.0/8, localhost, *.localhost, [::1]) or a record name in a local hosted zone.`));
    }

    const limit = scope ? bodyLimit(wire, { method, path: rawPath, headers }) : { bytes: API_PAYLOAD_LIMIT, error: () => new AwsError('RequestEntityTooLarge', 'Request Too Long', 413) };
    const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    if (declared !== undefined && declared > limit.bytes) return refuse(limit.error());
    if (req.expectsContinue) res.writeContinue();
    const read = await readBody(req, limit.bytes);
    if (read.tooLarge) return refuse(limit.error());
    const body = read.body;

    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return refuse(new AwsError(wire?.name === 'restXml' ? 'InvalidURI' : scope ? 'ValidationException' : 'BadRequest', `Couldn't parse the specified URI: ${rawPath.slice(0, 200)} has a malformed percent-encoding.`, 400));
    }

    if (path.startsWith('/_localcloud/')) return send(res, await internal(method, path, body));

    if (!scope) {
      if (host && host !== '127.0.0.1' && host !== 'localhost') {
        const served = await handleGlobalEntry(ctx, { service: '', region: '', accountId: LOCAL_ACCOUNT_ID, method, path, query, headers, body, requestId });
        if (served) return send(res, served);
      }
      const execute = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(path);
      if (execute) return send(res, await executeApi(execute, req, query, headers, body));
      // An unsigned object read (a public object's URL): S3 decides by the bucket's policy and public access block.
      const anonymous = await anonymousObjectRead(ctx.service('s3'), byName.get('s3'), { accountId: LOCAL_ACCOUNT_ID, method, path, query, headers, body, requestId }, (r) => faults.isRegionDown(r));
      if (anonymous) return send(res, anonymous);
      return send(res, {
        status: 403,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
        body: JSON.stringify({
          message:
            'The local cloud needs SigV4-signed requests (an Authorization header, or a presigned URL with X-Amz-Algorithm, ' +
            'X-Amz-Credential and X-Amz-Signature) or an API Gateway invoke URL (/restapis/{apiId}/{stage}/_user_request_/{path}).',
        }),
      });
    }
    const cloudReq: CloudRequest = { ...stub, path, body };
    opts.onRequest?.(cloudReq);
    if (!svc) return send(res, unsupportedService(cloudReq));
    const badType = wire && contentTypeRefusal(wire, { method, path, headers, bodyLength: body.length });
    if (badType) return refuse(badType);
    if (requireAuth) {
      const verdict = await verifySigV4({ method, rawPath, query, headers, body }, requireAuth);
      if (!verdict.ok) return refuse(authError(wire, verdict.reason, verdict.message));
    }
    if (faults.isRegionDown(scope.region) && !isGlobal(scope.service)) {
      return send(res, { status: 503, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' }, body: JSON.stringify({ message: `Region ${scope.region} is unavailable (local cloud fault).` }) });
    }
    await delay(faults.latencyFor(isGlobal(scope.service) ? undefined : scope.region));
    const started = Date.now();
    const response = await svc.handle(cloudReq);
    log(`${scope.region} ${scope.service} ${method} ${rawPath}${q < 0 ? '' : target.slice(q)} → ${response.status} ${Date.now() - started}ms`);
    send(res, response);
  }

  function servesRecord(host: string): boolean {
    return host !== '' && ctx.service('route53')?.zoneFor(host) !== undefined;
  }

  async function executeApi(m: RegExpExecArray, req: IncomingMessage, query: URLSearchParams, headers: Record<string, string>, body: Buffer): Promise<CloudResponse> {
    const apigw = ctx.service('apigateway');
    if (!apigw) return { status: 404, body: 'API Gateway is not available in this local cloud' };
    const region = apigw.regionOf?.(m[1]);
    await delay(faults.latencyFor(region));
    if (region && faults.isRegionDown(region)) {
      return { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Service Unavailable' }) };
    }
    const result = await apigw.execute(m[1], m[2], {
      method: req.method ?? 'GET',
      path: m[3] ?? '/',
      query,
      headers,
      body,
      sourceIp: req.socket.remoteAddress,
    });
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
      return json(200, { ok: true, service: 'regionctl-local-cloud', pid: process.pid, now: new Date(clock.now()).toISOString(), timeScale: clock.timeScale, rest: rest?.state() ?? null, realism: ctx.realism!.profile, clientLocation: ctx.clientLocation, dnsPort: dns?.port ?? null, services: [...byName.keys()].sort() });
    }
    const publicDns = /^\/_localcloud\/public-dns\/([^/]+)\/([A-Z]+)$/.exec(path);
    if (publicDns) {
      const zones = ctx.service('route53')?.zones;
      return json(200, publicDnsView(zones, decodeURIComponent(publicDns[1]).toLowerCase().replace(/\.?$/, '.'), publicDns[2], ctx.realism!.acmValidationPollMs > 0));
    }
    return json(404, { message: `unknown local cloud endpoint ${path}` });
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4566, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  baseUrl = `http://127.0.0.1:${port}`;
  const functionsPort = await new Promise<number>((resolve, reject) => {
    functionsServer.once('error', reject);
    functionsServer.listen(0, '127.0.0.1', () => resolve((functionsServer.address() as AddressInfo).port));
  });
  functionsUrl = `http://127.0.0.1:${functionsPort}`;
  if (opts.dnsPort !== undefined) {
    try {
      dns = await startDnsServer({ port: opts.dnsPort, route53: () => ctx.service('route53'), log, onQuery: () => rest?.activity() });
    } catch (error) {
      // mDNS daemons often hold 5353; the HTTP side is still useful without DNS.
      log(`dns: could not listen on 127.0.0.1:${opts.dnsPort} (${(error as Error).message}); DNS server not started`);
    }
  }

  return {
    url: baseUrl,
    port,
    functionsUrl,
    dnsPort: dns?.port,
    clock,
    faults,
    service(name) {
      const domain = ctx.service(name);
      if (domain === undefined) throw new Error(`this local cloud runs no ${name} service`);
      return domain;
    },
    rest: () => rest?.state(),
    async close() {
      rest?.close();
      faults.close();
      await dns?.close();
      await Promise.all(services.map((s) => s.stop?.()));
      try {
        state.close(); // throws when the state audit (tests) found a change no service declared
      } finally {
        for (const s of [server, functionsServer]) s.closeAllConnections();
        await Promise.all([server, functionsServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
        if (tempWork) rmSync(tempWork, { recursive: true, force: true });
      }
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

// A text body goes out as text: node:http then sends the head and the body in one write, where a
// Buffer takes a copy and a writev of two (the writev was the daemon's top function under load).
function send(res: ServerResponse, response: CloudResponse): void {
  const body = response.body;
  const headers: Record<string, string> = { ...response.headers };
  if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** The body, or only the fact that it passed `limit` (the rest is read and dropped, so the answer is not a reset). */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: size > limit ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge: size > limit }));
    req.on('error', reject);
  });
}

function authError(wire: Wire | undefined, reason: 'unknown-key' | 'bad-signature' | 'malformed', message: string): AwsError {
  const name = wire?.name;
  const json = name === 'awsJson1_0' || name === 'awsJson1_1';
  const status = json ? 400 : 403;
  if (reason === 'unknown-key') {
    const code = json || name === 'restJson1' ? 'UnrecognizedClientException' : wire?.service === 's3' ? 'InvalidAccessKeyId' : 'InvalidClientTokenId';
    const text = wire?.service === 's3' ? 'The AWS Access Key Id you provided does not exist in our records.' : message;
    return new AwsError(code, text, status);
  }
  if (json || name === 'restJson1') return new AwsError('InvalidSignatureException', message, status);
  return new AwsError(wire?.service === 's3' && reason === 'malformed' ? 'AuthorizationHeaderMalformed' : 'SignatureDoesNotMatch', message, reason === 'malformed' && wire?.service === 's3' ? 400 : 403);
}
