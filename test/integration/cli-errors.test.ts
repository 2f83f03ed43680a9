import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a user sees for the four classic mistakes, through the real process: one clear line on
// stderr and the documented exit code (2 for usage/config, 1 for runtime failures).
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'test/cli/fixtures/run-cli.ts');
// Absolute, because the CLI runs in a scratch directory where `tsx` is not resolvable.
const tsx = import.meta.resolve('tsx');
let dir: string;

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const child = spawn(process.execPath, ['--import', tsx, cli, ...args], {
      cwd: dir,
      env: { ...clean, NO_COLOR: '1', CI: 'true', HOME: dir, AWS_CONFIG_FILE: join(dir, 'nope-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'nope-credentials'), AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error:'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'regionctl-cli-errors-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clear errors and exit codes', () => {
  it('malformed config: file:line, exit 2', async () => {
    writeFileSync(join(dir, 'bad.yml'), 'service: shop\nregions: [us-east-1\n');
    const r = await run(['status', '--config', 'bad.yml']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toHaveLength(1);
    expect(errorLines(r.stderr)[0]).toMatch(/bad\.yml:\d+/);
  });

  it('unknown region: names the key and suggests the right one, exit 2', async () => {
    writeFileSync(join(dir, 'region.yml'), 'service: shop\nregions:\n  - us-east-1\n  - us-east-9\n');
    const r = await run(['deploy', '--config', 'region.yml']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/region\.yml:4: regions\[1\].*us-east-9/)]);
    expect(r.stderr).toMatch(/did you mean "us-east-[12]"/);
  });

  it('unreachable endpoint: one line naming it, exit 1, in seconds not minutes', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const started = Date.now();
    const r = await run(['status', '--endpoint', `http://127.0.0.1:${port}`], { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringContaining(`127.0.0.1:${port}`)]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('missing credentials: says how to provide them, exit 1, never prints a secret', async () => {
    const r = await run(['status', '--endpoint', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/credentials/i)]);
    expect(r.stderr).toMatch(/--profile|AWS_PROFILE|--local/);
  });
});
