// API Gateway → Lambda, warm invoke latency (p50/p99, one keep-alive connection, so no queueing) of the
// deployed `hello` function through the local cloud, vs the floor: a bare node:http server in a
// process of its own calling the same bundled handler in-process (bench/peers/server.ts floor).
// Latency is timed per request by a plain node:http client (autocannon's histogram has 1 ms
// resolution, coarser than the floor). Goal: local cloud p50 ≤ 2× the floor's p50.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { latencies, startPeer } from './load.js';
import { cpuSeconds, project, regionctl, round, runs, save, startDaemon, stats } from './lib.js';

const SECONDS = 2;
const p = project();
const daemon = await startDaemon(p.dir);
let floor: { url: string; pid: number; stop: () => void } | undefined;
try {
  const exit = await regionctl(['deploy', ...daemon.flags(['us-east-1']), '--json'], p.dir);
  const doc = JSON.parse(exit.stdout) as { regions: Array<{ stacks: Array<{ stackName: string; outputs?: Record<string, string> }> }> };
  const service = doc.regions[0].stacks.find((s) => s.stackName === 'bench-b-service');
  if (!service?.outputs?.RestApiId) throw new Error('the deploy reported no service API');
  const invokeUrl = `${daemon.url}/restapis/${service.outputs.RestApiId}/${service.outputs.StageName ?? 'b'}/_user_request_/hello`;
  const zips = join(p.dir, '.regionctl', 'build', 'lambdas');
  const helloZip = readdirSync(zips).find((f) => /^hello-.*\.zip$/.test(f));
  if (!helloZip) throw new Error(`no hello zip in ${zips}`);
  floor = await startPeer('floor', join(zips, helloZip));

  const ours = new URL(invokeUrl).pathname;
  const check = await fetch(invokeUrl);
  if (check.status !== 200) throw new Error(`hello answered ${check.status}: ${await check.text()}`);
  // warm both (the local cloud's worker for hello, the floor's JIT)
  await latencies(daemon.url, ours, 1);
  await latencies(floor.url, '/hello', 1);
  const r: Record<string, number[]> = { localCloudP50: [], localCloudP99: [], floorP50: [], floorP99: [] };
  // Each server's CPU time (all its threads, from /proc) per request: what an invoke costs it,
  // which the load of a shared machine moves far less than it moves latency.
  const cpu = { localCloud: { s: 0, n: 0 }, floor: { s: 0, n: 0 } };
  const cpuOf = (pid: number) => (process.platform === 'linux' ? cpuSeconds(pid) : NaN);
  const timed = async (side: 'localCloud' | 'floor', pid: number, url: string, path: string) => {
    const before = cpuOf(pid);
    const x = await latencies(url, path, SECONDS);
    cpu[side].s += cpuOf(pid) - before;
    cpu[side].n += x.count;
    return x;
  };
  for (let i = 0; i < runs(3); i++) {
    const a = await timed('localCloud', daemon.pid, daemon.url, ours);
    r.localCloudP50.push(a.p50);
    r.localCloudP99.push(a.p99);
    const b = await timed('floor', floor.pid, floor.url, '/hello');
    r.floorP50.push(b.p50);
    r.floorP99.push(b.p99);
  }
  const cpuMicrosPerRequest = { localCloud: round((cpu.localCloud.s / cpu.localCloud.n) * 1e6, 1), floor: round((cpu.floor.s / cpu.floor.n) * 1e6, 1) };
  const m = (k: string) => round(stats(r[k]).median, 2);
  const ratio = m('localCloudP50') / m('floorP50');
  save({
    name: 'apigw-lambda',
    figure: 'API Gateway → Lambda warm invoke p50 vs bare node:http calling the same handler',
    unit: 'ms',
    runs: r,
    ratio,
    goal: { op: '<=', value: 2 },
    measured: `p50 ${m('localCloudP50')} vs ${m('floorP50')} ms, p99 ${m('localCloudP99')} vs ${m('floorP99')} ms`,
    extra: { cpuMicrosPerRequest, connections: 1, secondsPerRun: SECONDS, client: 'node:http, one keep-alive connection, requests back to back' },
  });
} finally {
  floor?.stop();
  await daemon.stop();
  p.remove();
}
