import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locksDir } from '../../src/deploy/lock.js';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { deployCommand } from '../../src/commands/deploy.js';
import { drillCommand } from '../../src/commands/drill.js';
import type { Harness } from '../integration/harness.js';
import { deployedStage } from './steady.js';

// Two regionctl runs on one stage at the same time. Without a lock, two drills each saw "the other
// region is healthy" and together broke both, and two deploys raced on one change set.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGIONS = ['us-east-1', 'us-west-2'];
let h: Harness;

async function faulted(): Promise<string[]> {
  const out: string[] = [];
  for (const region of REGIONS) {
    const lambda = new LambdaClient({ region, endpoint: h.cloud.url, credentials });
    const vars = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-test-check' }))).Environment?.Variables;
    if (vars?.UNHEALTHY === 'true') out.push(region);
  }
  return out;
}

/** Resolves once some run holds the stage lock (so the next one is certainly second). */
async function lockTaken(): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (existsSync(locksDir(h.dir)) && readdirSync(locksDir(h.dir)).some((f) => f.endsWith('.lock'))) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no run took the lock within 30 s');
}

beforeAll(async () => {
  h = await deployedStage();
});
afterAll(async () => h?.close());

describe('one stage, one writer', () => {
  it('two drills at once: the second is refused with who holds the lock, and never breaks the last region', async () => {
    const results = await Promise.allSettled(REGIONS.map((region) => drillCommand(h.context(), { action: 'simulate-unhealthy', region })));
    try {
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0].reason).toMatchObject({ code: 'StageLocked', exitCode: 1 });
      expect(refused[0].reason.message).toMatch(new RegExp(`locked by pid ${process.pid} \\(drill simulate-unhealthy --region us-[a-z]+-\\d\\) since \\d{4}-`));
      const broken = await faulted();
      expect(broken).toHaveLength(1);
      // Run again once the first has finished: the guard, re-checked under the lock, refuses.
      const other = REGIONS.find((r) => r !== broken[0])!;
      await expect(drillCommand(h.context(), { action: 'simulate-unhealthy', region: other })).rejects.toMatchObject({
        code: 'DrillRefused',
        message: expect.stringMatching(/would leave 0 healthy region\(s\)/),
      });
      expect(await faulted()).toEqual(broken);
    } finally {
      await drillCommand(h.context(), { action: 'restore', all: true });
    }
    expect(await faulted()).toEqual([]);
  });

  it('--wait: the second drill waits for the first, then the guard sees the first one\'s fault and refuses', async () => {
    const first = drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-east-1' });
    await lockTaken();
    const second = drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-west-2', wait: '60s' });
    const [a, b] = await Promise.allSettled([first, second]);
    try {
      expect(a.status).toBe('fulfilled');
      expect(b).toMatchObject({ status: 'rejected', reason: { code: 'DrillRefused' } });
      expect(await faulted()).toEqual(['us-east-1']);
    } finally {
      await drillCommand(h.context(), { action: 'restore', all: true });
    }
  });

  it('two deploys at once: one runs, the other exits 1 with StageLocked instead of racing on a change set', async () => {
    const results = await Promise.allSettled([deployCommand(h.context()), deployCommand(h.context())]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code)).sort()).toEqual(['StageLocked', 'ok']);
  });

  it('deploy --wait runs after the one in progress', async () => {
    const waited = h.context();
    // A no-change deploy can finish within a few polls of the lock file; 150 ms per request keeps
    // the first one holding the lock while the second arrives (as a real deploy of minutes would).
    h.cloud.faults.replace({ latencyMs: { '*': 150 } });
    let results: PromiseSettledResult<unknown>[];
    try {
      const first = deployCommand(h.context());
      await lockTaken();
      results = await Promise.allSettled([first, deployCommand(waited, { wait: '5m' })]);
    } finally {
      h.cloud.faults.replace({ latencyMs: {} });
    }
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(waited.io.stderr).toMatch(/waiting for the lock on shop\/test: held by pid \d+ \(deploy\)/);
  });

  it('a bad --wait is a usage error before anything runs', async () => {
    await expect(deployCommand(h.context(), { wait: 'soon' })).rejects.toMatchObject({ code: 'BadDuration', exitCode: 2 });
  });
});
