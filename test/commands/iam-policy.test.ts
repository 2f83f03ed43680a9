import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext, type GlobalOptions } from '../../src/commands/context.js';
import { iamPolicyCommand } from '../../src/commands/iam-policy.js';
import { UsageError } from '../../src/errors.js';
import { buildIamPolicy, MANAGED_POLICY_MAX_CHARS, policySize, type PolicyDocument } from '../../src/iam-policy/policy.js';
import { policyTarget } from '../../src/iam-policy/target.js';
import { createMemoryIo } from '../../src/io/index.js';

const base: GlobalOptions = { json: true, color: false, verbose: false };
const BOUNDARY = 'arn:aws:iam::123456789012:policy/regionctl/orders/dev/permissions-boundary';

async function run(yml: string, opts: Parameters<typeof iamPolicyCommand>[1] = {}) {
  const cwd = await mkdtemp(path.join(tmpdir(), 'regionctl-iam-policy-'));
  await writeFile(path.join(cwd, 'regionctl.yml'), yml);
  const io = createMemoryIo({ json: true });
  const result = (await iamPolicyCommand(createContext({ cwd, env: {}, global: base, io }), opts)) as PolicyDocument;
  return { io, result };
}

const yml = (extra = '') => `service: orders\nregions: [us-east-1, eu-west-1]\ndns:\n  zone: orders.example\n${extra}`;

describe('regionctl iam-policy', () => {
  it('prints the policy document itself, requiring the configured boundary for roles', async () => {
    const { io, result } = await run(yml(`permissionsBoundary: ${BOUNDARY}\n`));
    expect(JSON.parse(io.stdout)).toEqual(result);
    const create = result.Statement.find((s) => s.Action.includes('iam:CreateRole'))!;
    expect(create.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } });
    expect(create.Resource).toEqual(['arn:aws:iam::123456789012:role/regionctl/orders/dev/*']);
    expect(io.events.filter((e) => e.kind === 'warn' && e.message.includes('permissionsBoundary'))).toEqual([]);
  });

  it('warns, naming the boundary to create, when regionctl.yml sets none', async () => {
    const { io, result } = await run(yml());
    const expected = 'arn:aws:iam::*:policy/regionctl/orders/dev/permissions-boundary';
    expect(result.Statement.find((s) => s.Action.includes('iam:CreateRole'))!.Condition).toEqual({ StringLike: { 'iam:PermissionsBoundary': expected } });
    expect(io.events.find((e) => e.kind === 'warn')).toMatchObject({ message: expect.stringContaining(expected) });
  });

  it('--boundary prints the boundary for the stage roles', async () => {
    const { io, result } = await run(yml(`permissionsBoundary: ${BOUNDARY}\n`), { boundary: true });
    expect(JSON.parse(io.stdout)).toEqual(result);
    expect(result.Statement.map((s) => s.Sid)).toEqual(['WriteOwnLogs', 'HealthProbeItem']);
    expect(result.Statement[0].Resource).toContain('arn:aws:logs:*:123456789012:log-group:/aws/lambda/orders-dev-check:*');
  });

  it('--hosted-zone-id names the zone; a malformed id is a usage error (exit 2)', async () => {
    const { result } = await run(yml(), { hostedZoneId: '/hostedzone/Z0ABC123' });
    const zoneStatements = result.Statement.filter((s) => s.Resource.some((r) => r.startsWith('arn:aws:route53:::hostedzone/')));
    expect(zoneStatements.flatMap((s) => s.Resource)).toEqual(zoneStatements.map(() => 'arn:aws:route53:::hostedzone/Z0ABC123'));
    const err = await run(yml(), { hostedZoneId: 'example.com' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ exitCode: 2, code: 'BadHostedZoneId' });
  });

  it('--split spreads exactly the same statements over documents that each fit a managed policy', async () => {
    const config = yml(`createZone: true\npermissionsBoundary: ${BOUNDARY}\ncdn: true\n`).replace('dns:\n  zone: orders.example\ncreateZone', 'dns:\n  zone: orders.example\n  createZone');
    const whole = await run(config);
    expect(policySize(whole.result)).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    expect(whole.io.events.find((e) => e.kind === 'warn')).toMatchObject({ message: expect.stringContaining('--split') });
    const { io, result } = await run(config, { split: true });
    const parts = result as unknown as PolicyDocument[];
    expect(JSON.parse(io.stdout)).toEqual(parts);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(policySize(part)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    const sids = (docs: PolicyDocument[]) => docs.flatMap((d) => d.Statement.map((st) => JSON.stringify(st))).sort();
    expect(sids(parts)).toEqual(sids([whole.result]));
    expect(whole.result).toEqual(buildIamPolicy(policyTarget({ service: 'orders', stage: 'dev', regions: ['us-east-1', 'eu-west-1'], primaryRegion: 'us-east-1', dns: { zone: 'orders.example', createZone: true }, cdn: true, permissionsBoundary: BOUNDARY })));
  });
});
