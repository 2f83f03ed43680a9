import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { renderTemplate, STACK_KIND_NAMES as STACK_KINDS } from '../../src/deploy/render-template.js';
import { synth, type SynthStack } from '../../src/deploy/synth.js';
import { REGIONS } from '../../src/regions.js';
import { skipWithoutTool } from '../support/require-tool.js';

// cfn-lint is a Python tool: run it when installed, and say why not otherwise.
function cfnLintVersion(): string | undefined {
  try {
    return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const version = cfnLintVersion();
const skip = skipWithoutTool('cfn-lint', version ? undefined : 'cfn-lint is not on PATH (pip install cfn-lint)');

const dir = mkdtempSync(join(tmpdir(), 'regionctl-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every region regionctl can deploy to; informational checks too, so nothing slips by unexplained.
function lint(file: string | string[], regions: string[] = REGIONS.map((r) => r.name)): { status: number | null; output: string } {
  const res = spawnSync(
    'cfn-lint',
    ['--format', 'parseable', '--include-checks', 'I', '--regions', ...regions, '--', ...[file].flat()],
    { encoding: 'utf8' },
  );
  return { status: res.status, output: `${res.stdout}${res.stderr}`.trim() };
}

describe.skipIf(skip)(`templates pass ${version ?? 'cfn-lint'}`, () => {
  for (const kind of STACK_KINDS) {
    it(`${kind} has no errors, warnings or notes in any region`, () => {
      const file = join(dir, `${kind}.template.json`);
      writeFileSync(file, renderTemplate(kind));
      const { status, output } = lint(file);
      expect(output).toBe('');
      expect(status).toBe(0);
    });
  }

  // Values deploy would take from earlier stacks' outputs, in the shapes AWS gives them.
  const OUTPUT_VALUES: Record<string, string> = {
    ArtifactBucketName: 'regionctl-toolkit-artifactbucket-1a2b3c4d5e6f',
    HealthCheckId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    HostedZoneId: 'Z0123456789ABCDEFGHIJ',
  };

  // Each synthesised stack with its parameters baked in as defaults, so cfn-lint sees the values
  // (and the conditions they select) that CloudFormation would.
  function withValues(stack: SynthStack): string {
    const template = JSON.parse(stack.templateBody);
    const values = { ...stack.parameters };
    for (const [parameter, output] of Object.entries(stack.outputParameters)) values[parameter] = OUTPUT_VALUES[output];
    for (const [key, value] of Object.entries(values)) {
      template.Parameters[key].Default = template.Parameters[key].Type === 'Number' ? Number(value) : value;
    }
    return JSON.stringify(template, null, 2);
  }

  it('every stack synth renders is clean for each health check type, statistic, certificate and cdn choice', async () => {
    const cwd = join(dir, 'project');
    const files: string[] = [];
    const lintRegions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    for (const type of ['cloudwatch', 'https', 'both'] as const) {
      for (const sum of [true, false]) {
        for (const withCertificates of [false, true]) {
          const cdn = sum === withCertificates;
          const certificateArn = withCertificates
            ? Object.fromEntries(lintRegions.map((r) => [r, `arn:aws:acm:${r}:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`]))
            : undefined;
          const config = configSchema.parse({
            service: 'orders',
            regions: lintRegions,
            dns: { zone: 'example.com', createZone: cdn, certificateArn },
            healthCheck: { type, interval: type === 'https' ? 10 : 30, alarm: { statistic: sum ? 'Sum' : 'Maximum' } },
            cdn,
          });
          const result = await synth({ config, cwd });
          const stacks = [...result.before, ...result.regions.flatMap((r) => r.stacks), ...result.after];
          for (const stack of stacks) {
            const file = join(dir, `${type}-${sum}-${withCertificates}-${stack.region}-${stack.kind}.json`);
            writeFileSync(file, withValues(stack));
            files.push(file);
          }
        }
      }
    }
    expect(files.filter((f) => f.endsWith('-edge.json'))).toHaveLength(6);
    expect(files.filter((f) => f.endsWith('-dns.json'))).toHaveLength(6);
    const { status, output } = lint(files, lintRegions);
    expect(output).toBe('');
    expect(status).toBe(0);
  }, 120_000);

  it('would catch a broken template (the harness can fail)', () => {
    const template = JSON.parse(renderTemplate('health'));
    template.Resources.CheckFunction.Properties.Runtime = 'nodejs20.x';
    template.Resources.CheckFunction.Properties.Timeout = 'six';
    const file = join(dir, 'broken.template.json');
    writeFileSync(file, JSON.stringify(template));
    const { status, output } = lint(file);
    expect(status).not.toBe(0);
    expect(output).toMatch(/E2533|E3012/);
  });
});
