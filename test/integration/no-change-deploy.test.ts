import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommand } from '../../src/commands/deploy.js';
import { startHarness, type Harness } from './harness.js';

// A deploy with nothing to change decides so from the DescribeStacks it makes anyway (template
// hash, parameters with the zips' content-addressed keys, tags): it verifies no zip in the
// artifacts bucket (one HeadObject per function and region), since no change set will read them.
// A stack that will change gets its zips verified (and uploaded) first, as before.
const requests: string[] = [];
let h: Harness;
beforeAll(async () => {
  h = await startHarness(`service: shop\nstage: quiet\nregions: [us-east-1, eu-west-1]\ndns:\n  zone: shop.example\n  createZone: true\n`, {
    onRequest: (req) => requests.push(`${req.service} ${req.method} ${req.path}`),
  });
});
afterAll(async () => h?.close());

const zipChecks = () => requests.filter((r) => /^s3 (HEAD|PUT) .*\.zip$/.test(r));

describe('a no-change deploy', () => {
  it('reads no zip of the artifacts bucket, and still writes the stage marker', async () => {
    await deployCommand(h.context());
    expect(zipChecks().length).toBeGreaterThan(0); // the first deploy verified and uploaded them
    requests.length = 0;
    const ctx = h.context({ json: true });
    await deployCommand(ctx);
    const out = JSON.parse(ctx.io.stdout) as { regions: Array<{ uploaded: string[]; stacks: Array<{ result: string }> }> };
    expect(out.regions.flatMap((r) => r.stacks.map((s) => s.result)).every((r) => r === 'no-changes')).toBe(true);
    expect(out.regions.every((r) => r.uploaded.length === 0)).toBe(true);
    expect(zipChecks()).toEqual([]);
    expect(requests.filter((r) => /^s3 PUT .*\/stages\/shop\/quiet$/.test(r))).toHaveLength(2);
  });

  it('verifies the zips again before a stack whose parameters differ', async () => {
    requests.length = 0;
    h.writeConfig(`service: shop\nstage: quiet\nregions: [us-east-1, eu-west-1]\ndns:\n  zone: shop.example\n  createZone: true\nhealthCheck:\n  failureThreshold: 2\n`);
    await deployCommand(h.context({ json: true }));
    const heads = zipChecks().filter((r) => r.startsWith('s3 HEAD'));
    // Every zip, in both regions (their health stacks' HealthCheckFailureThreshold differs).
    expect(heads.length).toBeGreaterThan(0);
    expect(heads.length % 2).toBe(0);
  });
});
