// `regionctl local start --require-auth`: the flag reaches the command, and without the key pair
// configured it is a usage error (exit 2) that names the variables, before anything starts.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli.js';

async function cli(args: string[], opts: { stub?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const out = { stdout: '', stderr: '', opts: undefined as unknown };
  const code = await run(['node', 'regionctl', ...args], {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    env: opts.env ?? {},
    cwd: tmpdir(),
    isTTY: false,
    ...(opts.stub ? { loadCommand: async () => async (_ctx: unknown, o: unknown) => void (out.opts = o) } : {}),
  });
  return { code, ...out };
}

describe('local start --require-auth', () => {
  it('passes the flag to the local command', async () => {
    const r = await cli(['local', 'start', '--require-auth', '--foreground'], { stub: true });
    expect(r.code).toBe(0);
    expect(r.opts).toMatchObject({ action: 'start', requireAuth: true, foreground: true });
  });

  it('exits 2 naming the variables when no key pair is configured', async () => {
    const r = await cli(['local', 'start', '--require-auth', '--foreground', '--port', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REGIONCTL_LOCAL_ACCESS_KEY_ID');
    expect(r.stderr).toContain('REGIONCTL_LOCAL_SECRET_ACCESS_KEY');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
