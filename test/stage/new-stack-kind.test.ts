// Adding a stack kind is one entry in src/stage plus its template: this fixture kind ("audit", a log
// group that reads the health stack's HealthCheckId and feeds outputs forward) reaches synth, deploy
// order, destroy order, status and iam-policy through the plan alone, against the local cloud.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsProvider } from '../../src/aws/provider.js';
import { configSchema, type ResolvedConfig } from '../../src/config/schema.js';
import { deploy } from '../../src/deploy/deploy.js';
import { destroy } from '../../src/deploy/destroy.js';
import { synth, type SynthResult } from '../../src/deploy/synth.js';
import { buildIamPolicy } from '../../src/iam-policy/policy.js';
import { plannedStacks, policyTarget } from '../../src/iam-policy/target.js';
import { createMemoryIo } from '../../src/io/index.js';
import { ManualClock } from '../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local-cloud/server.js';
import { regionStatus } from '../../src/observe/region-status.js';
import { STACK_KINDS, type StackKindSpec } from '../../src/stage/kinds.js';
import { planStage, type StagePlan } from '../../src/stage/plan.js';
import { wallClock } from '../../src/wait.js';

const AUDIT: StackKindSpec = {
  kind: 'audit',
  phase: 'region',
  template: fileURLToPath(new URL('./fixtures/audit.yml', import.meta.url)),
  parameters: (c) => ({ Service: c.service, Stage: c.stage }),
  outputParameters: { HealthCheckId: 'HealthCheckId' },
};

const REGION = 'us-east-1';
const config: ResolvedConfig = {
  ...configSchema.parse({ service: 'shop', stage: 'kind', regions: [REGION], primaryRegion: REGION, dns: { zone: 'shop.example', createZone: true } }),
  file: null,
  dir: '/tmp',
};
const plan: StagePlan = planStage(config, { kinds: [...STACK_KINDS, AUDIT] });

let cloud: LocalCloud;
let aws: AwsProvider;
let cwd: string;
let built: SynthResult;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock() });
  aws = new AwsProvider({ endpoint: cloud.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, env: {} });
  cwd = mkdtempSync(join(tmpdir(), 'regionctl-kind-'));
}, 60_000);
afterAll(async () => {
  aws?.close();
  await cloud?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe('a stack kind added in one place', () => {
  it('is rendered by synth with its parameters and the output it is fed', async () => {
    built = await synth({ config, plan, cwd });
    const stacks = built.regions[0].stacks;
    expect(stacks.map((s) => s.stackName)).toEqual(['regionctl-toolkit', 'shop-kind-health', 'shop-kind-service', 'shop-kind-audit']);
    expect(stacks[3]).toMatchObject({ kind: 'audit', parameters: { Service: 'shop', Stage: 'kind' }, outputParameters: { HealthCheckId: 'HealthCheckId' } });
    expect(stacks[3].templatePath).toBe(join(cwd, '.regionctl', 'build', REGION, 'shop-kind-audit.template.json'));
  }, 120_000);

  it('is deployed after the stacks it depends on, with their outputs', async () => {
    const report = await deploy({ config, synthResult: built, clients: aws, io: createMemoryIo(), clock: wallClock });
    expect(report.ok).toBe(true);
    const stacks = report.results[0].stacks;
    expect(stacks.map((s) => [s.stackName, s.type])).toEqual([
      ['regionctl-toolkit', 'created'],
      ['shop-kind-health', 'created'],
      ['shop-kind-service', 'created'],
      ['shop-kind-audit', 'created'],
    ]);
    expect(stacks[3].outputs).toMatchObject({ AuditLogName: '/regionctl/shop/kind/audit', WatchedHealthCheck: stacks[1].outputs.HealthCheckId });
  }, 120_000);

  it('is shown by status, and a missing one makes the region unhealthy', async () => {
    const status = await regionStatus({ config, plan, clients: aws, io: createMemoryIo() });
    expect(status.regions[0].stacks).toEqual([
      { kind: 'toolkit', stackName: 'regionctl-toolkit', status: 'CREATE_COMPLETE' },
      { kind: 'health', stackName: 'shop-kind-health', status: 'CREATE_COMPLETE' },
      { kind: 'service', stackName: 'shop-kind-service', status: 'CREATE_COMPLETE' },
      { kind: 'audit', stackName: 'shop-kind-audit', status: 'CREATE_COMPLETE' },
    ]);
    expect(status.regions[0]).toMatchObject({ healthy: true, reasons: [] });
    // The same stage planned with a kind it never deployed: status says which stack is missing.
    const more = planStage(config, { kinds: [...STACK_KINDS, AUDIT, { ...AUDIT, kind: 'extra' }] });
    const missing = await regionStatus({ config, plan: more, clients: aws, io: createMemoryIo() });
    expect(missing.regions[0].healthy).toBe(false);
    expect(missing.regions[0].reasons).toEqual(['the extra stack shop-kind-extra does not exist']);
  }, 60_000);

  it('is granted by iam-policy: its stack, and the resources its template names', () => {
    const target = policyTarget(config, { plan });
    expect(plannedStacks(target).map((s) => s.name)).toContain('shop-kind-audit');
    const statement = (sid: string) => buildIamPolicy(target).Statement.find((s) => s.Sid === sid)!;
    expect(statement('StageStacks').Resource).toContain('arn:aws:cloudformation:*:*:stack/shop-kind-audit/*');
    expect(statement('StageLogGroups').Resource).toContain('arn:aws:logs:*:*:log-group:/regionctl/shop/kind/audit');
    // Without the kind, none of it is there.
    const without = buildIamPolicy(policyTarget(config)).Statement;
    expect(JSON.stringify(without)).not.toContain('audit');
  });

  it('is destroyed first, the reverse of deploy order', async () => {
    const report = await destroy({ config, plan, clients: aws, io: createMemoryIo(), clock: wallClock });
    expect(report.ok).toBe(true);
    expect(report.results[0].ok && report.results[0].value.deleted).toEqual(['shop-kind-audit', 'shop-kind-service', 'shop-kind-health', 'regionctl-toolkit']);
    expect(report.global.map((g) => [g.stackName, g.deleted])).toEqual([['shop-kind-dns', true]]);
  }, 120_000);
});
