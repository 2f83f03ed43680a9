import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { cloudTarget } from '../../src/aws/target.js';
import { drillCommand } from '../../src/commands/drill.js';
import { statusCommand } from '../../src/commands/status.js';
import { acquireStageLock } from '../../src/deploy/lock.js';
import { failoverDrill } from '../../src/drill/failover.js';
import { Journal, drillsDir, type UnhealthyFault } from '../../src/drill/journal.js';
import type { Harness } from '../integration/harness.js';
import { deployedStage, steadyState } from './steady.js';

// Fault records belong to the cloud and account they were taken from. A project directory that
// has drilled both AWS and the local cloud holds records of both; a drill through one must never
// apply (and delete) the other's record.
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const AWS_ACCOUNT = '123456789012';
let h: Harness;

const lambda = (region: string) => new LambdaClient({ region, endpoint: h.cloud.url, credentials });
const unhealthyValue = async (region: string) =>
  (await lambda(region).send(new GetFunctionConfigurationCommand({ FunctionName: 'shop-test-check' }))).Environment?.Variables?.UNHEALTHY;
const journalFiles = () => {
  try {
    return readdirSync(drillsDir(h.dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
};

/** A record as a crashed drill against real AWS leaves it: same service, stage, region and function name. */
function plantAwsRecord(region: string, opts: { legacy?: boolean } = {}): string {
  const fault: UnhealthyFault = {
    kind: 'unhealthy',
    service: 'shop',
    stage: 'test',
    region,
    functionName: 'shop-test-check',
    previous: 'aws-original',
    appliedAt: '2026-11-30T12:00:00.000Z',
    ...(opts.legacy ? {} : { target: { endpoint: null, account: AWS_ACCOUNT } }),
  };
  mkdirSync(drillsDir(h.dir), { recursive: true });
  // Legacy records used this id (no endpoint, no account): the collision of the defect.
  const name = opts.legacy ? `unhealthy-shop-test-${region}.json` : `unhealthy-shop-test-${region}-aws-${AWS_ACCOUNT}-shop-test-check.json`;
  writeFileSync(join(drillsDir(h.dir), name), JSON.stringify(fault, null, 2));
  return name;
}

beforeAll(async () => {
  h = await deployedStage();
});
afterAll(async () => h?.close());
beforeEach(() => rmSync(drillsDir(h.dir), { recursive: true, force: true }));

describe('fault journal keyed by cloud target', () => {
  it('a failover drill against the local cloud leaves an AWS record alone (defect 3)', { timeout: 120_000 }, async () => {
    for (const legacy of [false, true]) {
      const planted = plantAwsRecord('us-east-1', { legacy });
      const ctx = h.context();
      const config = await ctx.loadConfig();
      const aws = await ctx.aws();
      const target = await cloudTarget(aws, 'us-east-1');
      const lock = await acquireStageLock({ cwd: h.dir, service: 'shop', stage: 'test', target, command: 'test' });
      try {
        await failoverDrill({
          config,
          region: 'us-east-1',
          clients: aws,
          journal: new Journal(drillsDir(h.dir)),
          target,
          lock,
          io: ctx.io,
          clock: { now: () => h.clock.now(), sleep: (ms: number) => h.clock.advance(ms), timeScale: 0 },
          objectiveSeconds: 300,
          deadlineSeconds: 30,
        });
      } finally {
        lock.release();
      }
      // The local function is back to its own previous value (unset), not AWS's.
      expect(await unhealthyValue('us-east-1')).toBeUndefined();
      // The AWS record is still there, byte for byte, for a restore against AWS.
      expect(journalFiles()).toEqual([planted]);
      expect(JSON.parse(readFileSync(join(drillsDir(h.dir), planted), 'utf8')).previous).toBe('aws-original');
      await h.clock.advance(240_000);
      await steadyState(h);
      rmSync(join(drillsDir(h.dir), planted));
    }
  });

  it('restore --all restores this cloud\'s faults and lists the others with the command that restores each', async () => {
    const awsRecord = plantAwsRecord('us-west-2');
    await drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-west-2' });
    expect(await unhealthyValue('us-west-2')).toBe('true');
    expect(journalFiles()).toHaveLength(2);

    const ctx = h.context({ json: true });
    await drillCommand(ctx, { action: 'restore', all: true });
    const out = JSON.parse(ctx.io.stdout);
    expect(out.restored).toEqual([expect.objectContaining({ region: 'us-west-2', functionName: 'shop-test-check', restoredTo: null })]);
    expect(out.notRestored).toEqual([
      expect.objectContaining({ region: 'us-west-2', endpoint: null, account: AWS_ACCOUNT, restoreCommand: 'regionctl drill restore --region us-west-2' }),
    ]);
    expect(await unhealthyValue('us-west-2')).toBeUndefined();
    expect(journalFiles()).toEqual([awsRecord]);

    const text = h.context();
    await drillCommand(text, { action: 'restore', all: true });
    expect(text.io.stdout).toContain('nothing to restore here');
    expect(text.io.stdout).toContain('regionctl drill restore --region us-west-2   # with credentials for AWS account 123456789012');
  });

  it('an explicit restore through the same endpoint adopts a record written before records carried their account', async () => {
    await drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-east-1' });
    // Rewrite the record the way regionctl 0.1 wrote it: no target, endpoint only, the old id.
    const [file] = journalFiles();
    const fault = JSON.parse(readFileSync(join(drillsDir(h.dir), file), 'utf8'));
    delete fault.target;
    rmSync(join(drillsDir(h.dir), file));
    writeFileSync(join(drillsDir(h.dir), 'unhealthy-shop-test-us-east-1.json'), JSON.stringify({ ...fault, endpoint: h.cloud.url }));

    // A new injection on that function refuses rather than journal 'true' as the previous value.
    await expect(drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-east-1' })).rejects.toMatchObject({ code: 'FaultPending' });

    const ctx = h.context({ json: true });
    await drillCommand(ctx, { action: 'restore', region: 'us-east-1' });
    expect(JSON.parse(ctx.io.stdout).restored).toEqual([
      expect.objectContaining({ region: 'us-east-1', restoredTo: null, note: expect.stringMatching(/older regionctl/) }),
    ]);
    expect(await unhealthyValue('us-east-1')).toBeUndefined();
    expect(journalFiles()).toEqual([]);
  });

  it('status warns about every pending fault with the exact restore command (text and --json pendingFaults)', async () => {
    plantAwsRecord('us-east-1');
    await drillCommand(h.context(), { action: 'simulate-unhealthy', region: 'us-west-2' });
    try {
      const json = h.context({ json: true });
      await statusCommand(json);
      const report = JSON.parse(json.io.stdout);
      expect(report.pendingFaults).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ region: 'us-east-1', endpoint: null, account: AWS_ACCOUNT, currentTarget: false, restoreCommand: 'regionctl drill restore --region us-east-1' }),
          expect.objectContaining({
            region: 'us-west-2',
            endpoint: h.cloud.url,
            account: '000000000000',
            currentTarget: true,
            functionName: 'shop-test-check',
            restoreCommand: `regionctl drill restore --region us-west-2 --endpoint ${h.cloud.url}`,
          }),
        ]),
      );
      expect(report.pendingFaults).toHaveLength(2);

      const text = h.context();
      await statusCommand(text);
      expect(text.io.stdout).toContain(`undo with: regionctl drill restore --region us-west-2 --endpoint ${h.cloud.url}`);
      expect(text.io.stdout).toMatch(/pending fault: shop-test-check in us-east-1 \(shop\/test on AWS, account 123456789012/);
    } finally {
      await drillCommand(h.context(), { action: 'restore', all: true });
    }
    const after = h.context({ json: true });
    await statusCommand(after);
    expect(JSON.parse(after.io.stdout).pendingFaults).toEqual([expect.objectContaining({ region: 'us-east-1', endpoint: null })]);
  });
});
