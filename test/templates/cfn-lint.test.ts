import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTemplate, STACK_KINDS } from '../../src/deploy/render-template.js';
import { REGIONS } from '../../src/regions.js';

// cfn-lint is a Python tool: run it when installed, and say why not otherwise.
function cfnLintVersion(): string | undefined {
  try {
    return execFileSync('cfn-lint', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const version = cfnLintVersion();
if (!version) console.warn('skipping cfn-lint tests: cfn-lint is not on PATH (pip install cfn-lint)');

const dir = mkdtempSync(join(tmpdir(), 'regionctl-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every region regionctl can deploy to; informational checks too, so nothing slips by unexplained.
function lint(file: string): { status: number | null; output: string } {
  const res = spawnSync(
    'cfn-lint',
    ['--format', 'parseable', '--include-checks', 'I', '--regions', ...REGIONS.map((r) => r.name), '--', file],
    { encoding: 'utf8' },
  );
  return { status: res.status, output: `${res.stdout}${res.stderr}`.trim() };
}

describe.skipIf(!version)(`templates pass ${version ?? 'cfn-lint'}`, () => {
  for (const kind of STACK_KINDS) {
    it(`${kind} has no errors, warnings or notes in any region`, () => {
      const file = join(dir, `${kind}.template.json`);
      writeFileSync(file, renderTemplate(kind));
      const { status, output } = lint(file);
      expect(output).toBe('');
      expect(status).toBe(0);
    });
  }

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
