import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, describeExit, ensureBuilt, isAlive, jsonOf, regionctl, type Exit } from './regionctl.js';

// Issue 9 through bin/regionctl: a local cloud started `--client-location none` gives private
// client subnets no location, as AWS does. status and `drill failover` still see where each
// region's clients are served from, through the region's vantage point (its canary, invoked).
const REGIONS = ['us-east-1', 'eu-west-1'];
const TIME_SCALE = 60;
const dir = mkdtempSync(join(tmpdir(), 'regionctl-e2e-vantage-'));
const env = cleanEnv(dir);
let port = 0;
let pid = 0;

async function stage(args: string[], timeoutMs?: number): Promise<Exit> {
  if (!isAlive(pid)) throw new Error(`the suite's local cloud (pid ${pid}) is gone; not running regionctl ${args.join(' ')}`);
  return regionctl([...args, '--local', '--port', String(port), '--json'], { cwd: dir, env, timeoutMs });
}
async function stageJson(args: string[], timeoutMs?: number): Promise<any> {
  const exit = await stage(args, timeoutMs);
  expect(exit.code, describeExit(args, exit)).toBe(0);
  return jsonOf(exit);
}

beforeAll(async () => {
  await ensureBuilt();
  const started = jsonOf(await regionctl(['local', 'start', '--client-location', 'none', '--port', '0', '--dns-port', '0', '--time-scale', String(TIME_SCALE), '--json'], { cwd: dir, env }));
  ({ port, pid } = started);
  writeFileSync(join(dir, 'regionctl.yml'), `service: shop\nstage: dev\nregions: [${REGIONS.join(', ')}]\nprimaryRegion: us-east-1\ndns:\n  zone: shop.example\n  createZone: true\n`);
}, 300_000);
afterAll(async () => {
  if (pid && isAlive(pid)) {
    await regionctl(['local', 'stop', '--port', String(port)], { cwd: dir, env });
    if (isAlive(pid)) process.kill(pid, 'SIGKILL'); // only the daemon this suite started
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('vantage points under local start --client-location none (bin/regionctl)', { timeout: 400_000 }, () => {
  it('status shows each region served by itself', async () => {
    expect(jsonOf(await regionctl(['local', 'status', '--port', String(port), '--json'], { cwd: dir, env }))).toMatchObject({ running: true });
    expect((await stageJson(['deploy'], 240_000)).ok).toBe(true);
    let status: any;
    for (let i = 0; i < 30; i++) {
      status = await stageJson(['status']);
      if (status.healthyRegions === REGIONS.length && status.regions.every((r: any) => r.alarmState === 'OK' && r.healthCheck === 'Healthy' && r.dns.answeredBy === r.region)) break;
    }
    for (const r of status.regions) {
      expect(r, r.region).toMatchObject({
        healthy: true,
        dns: { answeredBy: r.region, globalEntry: r.region, testDnsAnswer: r.region },
        vantage: { region: r.region, functionName: 'shop-dev-canary', latency: { name: 'dev-shop.shop.example', servedBy: r.region, status: 200 } },
      });
    }
  });

  it('drill failover --region us-east-1 passes, the DNS move measured through the vantage point', async () => {
    const report = await stageJson(['drill', 'failover', '--region', 'us-east-1', '--objective', '15m', '--deadline', '60m'], 300_000);
    expect(report).toMatchObject({ region: 'us-east-1', result: 'passed', restored: true, movedTo: 'eu-west-1' });
    const moved = report.timeline.find((t: any) => t.phase === 'dns-moved');
    expect(moved.detail).toMatch(/us-east-1's resolver answered 127\.1\.\d+\.1, served by eu-west-1/);
  });
});
