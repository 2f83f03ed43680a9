import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 7, defect 11, as a user meets it: bad input through the built bin/regionctl in a child
// process gets a clear error and exit 2, never "internal error" or a stack trace.

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'regionctl');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : entry.name.endsWith('.ts') ? statSync(file).mtimeMs : 0);
  }
  return newest;
}

// bin/regionctl runs dist/: build it when it is missing or older than the sources, never test stale code.
async function ensureBuilt(): Promise<void> {
  const entry = join(root, 'dist', 'cli.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSource(join(root, 'src'))) return;
  await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, maxBuffer: 16 << 20 });
}

function regionctl(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No AWS profile, endpoint or keys from this machine leak in.
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cwd = mkdtempSync(join(tmpdir(), 'regionctl-bin-input-'));
const file = (name: string, text: string): string => {
  writeFileSync(join(cwd, name), text);
  return name;
};

beforeAll(ensureBuilt, 240_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function expectClean(r: { code: number | null; stdout: string; stderr: string }): void {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code, r.stderr).toBe(2);
}

describe('bin/regionctl with bad input', () => {
  it('refuses non-decimal and out-of-range ports', async () => {
    for (const port of ['1e3', '0x1202', '']) {
      const r = await regionctl(['--port', port, 'local', 'status'], cwd);
      expectClean(r);
      expect(r.stderr).toContain('--port must be a whole number from 0 to 65535, in decimal digits.');
    }
  });

  it('refuses an endpoint that is not a URL, from the flag and from AWS_ENDPOINT_URL', async () => {
    const flag = await regionctl(['--endpoint', 'not a url', 'status'], cwd);
    expectClean(flag);
    expect(flag.stderr).toMatch(/^error: --endpoint is not a URL\n/);
    const env = await regionctl(['--json', 'status'], cwd, { AWS_ENDPOINT_URL: 'not a url' });
    expectClean(env);
    expect(JSON.parse(env.stdout)).toMatchObject({ error: { code: 'UsageError', message: 'AWS_ENDPOINT_URL is not a URL' } });
  });

  it('reports a YAML alias bomb, a syntax error and 1e400 at their lines', async () => {
    const bomb = ['service: orders', 'regions: [us-east-1]', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) bomb.push(`a${i}: &a${i} [${Array(9).fill(i === 1 ? '*a' : `*a${i - 1}`).join(', ')}]`);
    const b = await regionctl(['--config', file('bomb.yml', `${bomb.join('\n')}\n`), '--json', 'iam-policy'], cwd);
    expectClean(b);
    expect(JSON.parse(b.stdout).error).toMatchObject({ code: 'ConfigSyntax', message: expect.stringMatching(/^bomb\.yml:\d+: a\d\[0\]: invalid YAML: aliases expand/) });

    const syntax = await regionctl(['--config', file('syntax.yml', 'service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    period: 60\n   threshold: 3\n'), 'iam-policy'], cwd);
    expectClean(syntax);
    expect(syntax.stderr).toMatch(/^error: syntax\.yml:6: invalid YAML: /);

    const inf = await regionctl(['--config', file('inf.yml', 'service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    threshold: 1e400\n'), 'iam-policy'], cwd);
    expectClean(inf);
    expect(inf.stderr).toBe('error: inf.yml:5: healthCheck.alarm.threshold: must be a finite number (got infinity)\n');
  });

  it('refuses evaluation periods CloudWatch would refuse mid-deploy', async () => {
    const r = await regionctl(['--config', file('eval.yml', 'service: orders\nregions: [us-east-1]\nhealthCheck:\n  alarm:\n    evaluationPeriods: 1000000\n'), 'synth'], cwd);
    expectClean(r);
    expect(r.stderr).toMatch(/^error: eval\.yml:5: healthCheck\.alarm\.evaluationPeriods: is 1000000: /);
  });
});
