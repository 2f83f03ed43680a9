import { promises as dns } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isObserveEvent, observe, type HelloRequest, type ObserveResult } from './observe.js';
import { ping, type PingResult } from './ping.js';

// Invoked by the EventBridge schedule (ping /check); regionctl invokes it with an `observe` event to
// ask where this region's clients are served from (observe.ts). Lambda puts AWS_REGION (and, on the
// local cloud, AWS_ENDPOINT_URL) in the environment, the stack puts API_ID and STAGE.
export async function handler(event: unknown): Promise<PingResult | ObserveResult> {
  if (isObserveEvent(event)) {
    return observe(event, { env: process.env, resolve4: (name) => dns.resolve4(name), hello: (req) => hello(req, process.env), now: Date.now });
  }
  return ping({
    env: process.env,
    fetch: (url, init) => fetch(url, init),
    log: (line) => console.log(line),
    now: Date.now,
  });
}

// On AWS: HTTPS to the name, connected to the address the resolver gave (so the answer is the one
// observed), SNI and Host the name. Behind AWS_ENDPOINT_URL (the local cloud, one HTTP server) the
// request goes to the endpoint with the name as Host and, as the source address the local cloud
// places clients by, the one it gives this function's region (REGIONCTL_LOCAL_SOURCE_IP).
function hello(req: HelloRequest, env: Record<string, string | undefined>): Promise<{ status: number; region?: string; body: string }> {
  const endpoint = env.AWS_ENDPOINT_URL?.trim();
  const headers: Record<string, string> = { 'user-agent': 'regionctl-vantage', 'cache-control': 'no-cache' };
  let send: typeof httpsRequest;
  let options: RequestOptions;
  if (endpoint) {
    const url = new URL('/hello', endpoint);
    send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    headers.host = req.name;
    if (env.REGIONCTL_LOCAL_SOURCE_IP) headers['x-forwarded-for'] = env.REGIONCTL_LOCAL_SOURCE_IP;
    options = { hostname: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers, timeout: req.timeoutMs };
  } else {
    send = httpsRequest;
    options = {
      hostname: req.name,
      servername: req.name,
      path: '/hello',
      method: 'GET',
      headers,
      timeout: req.timeoutMs,
      // With autoSelectFamily (Node's default) the socket asks for every address at once.
      lookup: ((_host: string, opts: { all?: boolean }, cb: (err: Error | null, address: unknown, family?: number) => void) =>
        opts.all ? cb(null, [{ address: req.address, family: 4 }]) : cb(null, req.address, 4)) as RequestOptions['lookup'],
    };
  }
  return new Promise((resolve, reject) => {
    const r = send(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 65536) body += c;
      });
      res.on('end', () => {
        const header = res.headers['x-regionctl-region'];
        resolve({ status: res.statusCode ?? 0, region: typeof header === 'string' ? header : undefined, body });
      });
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', reject);
    r.end();
  });
}
