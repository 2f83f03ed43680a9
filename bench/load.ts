// Server-side throughput plumbing: requests signed ONCE by the AWS SDK's own signer (captured
// just before they would go on the wire), then replayed by autocannon, so the benchmark
// measures the server and not the client's signing or the SDK's parsing.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { cpuSeconds, QUICK, root, round, runs, stats } from './lib.js';

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

class Captured extends Error {
  constructor(readonly request: WireRequest) {
    super('captured');
  }
}

/**
 * A request handler for an SDK client that records the finished (signed) request instead of
 * sending it: `client.send(cmd)` then rejects with it.
 */
export const capturingHandler = {
  handle: async (req: { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown }) => {
    const query = Object.entries(req.query ?? {})
      .flatMap(([k, v]) => (v === null ? [encodeURIComponent(k)] : (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`)))
      .join('&');
    let body: string | Buffer | undefined;
    if (typeof req.body === 'string') body = req.body;
    else if (req.body instanceof Uint8Array) body = Buffer.from(req.body);
    else if (req.body !== undefined && req.body !== null) throw new Error(`cannot replay a ${typeof req.body} body`);
    throw new Captured({ method: req.method, path: query ? `${req.path}?${query}` : req.path, headers: { ...req.headers }, body });
  },
};

/** The wire request the client would send for `command`. */
export async function capture(client: { send(c: unknown): Promise<unknown> }, command: unknown): Promise<WireRequest> {
  try {
    await client.send(command);
  } catch (err) {
    if (err instanceof Captured) return err.request;
    throw err;
  }
  throw new Error('the request was sent, not captured');
}

export interface Load {
  requestsPerSec: number;
  p50: number;
  p99: number;
  total: number;
}

/** Replay `requests` (cycled) against `url` for `seconds`; any non-2xx or error fails the run. */
export async function load(url: string, requests: WireRequest[], opts: { connections: number; seconds: number }): Promise<Load> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    ...(QUICK ? { amount: 20 } : { duration: opts.seconds }),
    // autocannon writes its own Content-Length; a second one makes servers refuse the request.
    requests: requests.map((r) => ({ method: r.method, path: r.path, headers: withoutContentLength(r.headers), body: r.body })),
  });
  if (process.env.BENCH_DEBUG) console.error(url, result.requests.total, result.duration, result.non2xx, result.errors, result.timeouts);
  if (result.errors || result.timeouts || result.non2xx || !result.requests.total) {
    throw new Error(`load on ${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`);
  }
  return { requestsPerSec: result.requests.total / (result.duration || 1), p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

function withoutContentLength(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-length'));
}

/** A peer (bench/peers/server.ts) in a process of its own. */
export async function startPeer(kind: 'dynalite' | 's3rver' | 'floor', arg?: string): Promise<{ url: string; pid: number; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'peers', 'server.ts'), kind, ...(arg ? [arg] : [])], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => child.kill('SIGTERM');
  process.on('exit', stop);
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} exited ${code} before listening`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}

/**
 * Sub-millisecond latencies of one request replayed back to back on one keep-alive connection
 * for `seconds` (autocannon reports whole milliseconds, too coarse for a floor under 1 ms).
 */
export async function latencies(url: string, path: string, seconds: number): Promise<{ p50: number; p99: number; count: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now();
      const req = httpRequest(new URL(path, url), { agent, method: 'GET' }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${url}${path} answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  const xs: number[] = [];
  const until = performance.now() + (QUICK ? 0 : seconds * 1000);
  do xs.push(await once());
  while (performance.now() < until || xs.length < 20);
  agent.destroy();
  xs.sort((a, b) => a - b);
  const at = (q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  return { p50: at(0.5), p99: at(0.99), count: xs.length };
}

/**
 * The same pre-built requests against the local cloud and a peer, interleaved per run: requests/s
 * per op and side, the median ratio per op (local cloud / peer), the worst ratio, and a summary line.
 */
export async function compareThroughput<Op extends string>(opts: {
  ops: readonly Op[];
  ours: { url: string; requests: Record<Op, WireRequest[]>; pid?: number };
  theirs: { url: string; requests: Record<Op, WireRequest[]>; pid?: number };
  peerLabel: string;
  connections: number;
  seconds: number;
}): Promise<{ rate: Record<string, number[]>; ratios: Record<string, number>; worst: number; measured: string; cpuMicrosPerRequest: Record<string, number> }> {
  const { ops, ours, theirs, peerLabel, connections, seconds } = opts;
  const mine = (op: Op) => `${op}LocalCloud`;
  const peer = (op: Op) => `${op}${peerLabel}`;
  const rate: Record<string, number[]> = {};
  for (const op of ops) {
    rate[mine(op)] = [];
    rate[peer(op)] = [];
    if (QUICK) continue; // the smoke test only needs each request to work once
    // warm both
    await load(ours.url, ours.requests[op], { connections, seconds: 0.5 });
    await load(theirs.url, theirs.requests[op], { connections, seconds: 0.5 });
  }
  // The server's own CPU time per request (user+system, from /proc): what a request costs it,
  // whatever else loads the machine. Requests/s on a shared machine move with the load; this does not.
  const cpu: Record<string, { seconds: number; requests: number }> = {};
  const measure = async (key: string, side: { url: string; pid?: number }, requests: WireRequest[]) => {
    const before = side.pid !== undefined && process.platform === 'linux' ? cpuSeconds(side.pid) : undefined;
    const r = await load(side.url, requests, { connections, seconds });
    rate[key]!.push(r.requestsPerSec);
    if (before === undefined) return;
    cpu[key] ??= { seconds: 0, requests: 0 };
    cpu[key].seconds += cpuSeconds(side.pid!) - before;
    cpu[key].requests += r.total;
  };
  for (let i = 0; i < runs(3); i++) {
    for (const op of ops) {
      await measure(mine(op), ours, ours.requests[op]);
      await measure(peer(op), theirs, theirs.requests[op]);
    }
  }
  const cpuMicrosPerRequest = Object.fromEntries(Object.entries(cpu).map(([k, c]) => [k, round((c.seconds / c.requests) * 1e6, 1)]));
  const median = (key: string) => stats(rate[key]!).median;
  const ratios: Record<string, number> = Object.fromEntries(ops.map((op) => [op, median(mine(op)) / median(peer(op))]));
  const measured = ops.map((op) => `${op} ${Math.round(median(mine(op)))} vs ${Math.round(median(peer(op)))}/s (${ratios[op]!.toFixed(2)}×)`).join('; ');
  return { rate, ratios, worst: Math.min(...Object.values(ratios)), measured, cpuMicrosPerRequest };
}
