import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/commands/doctor.js';
import { ReportedFailure } from '../../src/errors.js';
import { startHarness, type Harness } from '../integration/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('regionctl doctor', () => {
  it('--json prints {ok, findings} and passes on a fresh local cloud with the demo config', async () => {
    h.writeConfig('service: shop\nstage: test\nregions: [us-east-1, us-west-2]\ndns:\n  createZone: true\n');
    const ctx = h.context({ json: true });
    await doctorCommand(ctx);
    const out = JSON.parse(ctx.io.stdout);
    expect(out.ok).toBe(true);
    expect(out.findings.length).toBeGreaterThan(8);
    for (const f of out.findings) expect(Object.keys(f).sort()).toEqual(expect.arrayContaining(['check', 'message', 'region', 'status']));
  });

  it('exits 1 (ReportedFailure) and prints one line per finding with the exact fix', async () => {
    h.writeConfig(
      'service: shop\nstage: test\nregions: [us-east-1, us-west-2]\ndns:\n  createZone: true\n  certificateArn:\n    us-west-2: arn:aws:acm:us-east-1:000000000000:certificate/abc\n',
    );
    const ctx = h.context();
    await expect(doctorCommand(ctx)).rejects.toBeInstanceOf(ReportedFailure);
    const line = ctx.io.stdout.split('\n').find((l) => l.includes('certificate') && l.includes('FAIL'));
    expect(line).toMatch(/^us-west-2\s+certificate\s+FAIL\s+certificate arn:aws:acm:us-east-1:000000000000:certificate\/abc is in us-east-1, .* — request one in us-west-2 \(aws acm request-certificate --region us-west-2 /);
    expect(ctx.io.stdout).toMatch(/not ready: 1 failed/);
  });
});
