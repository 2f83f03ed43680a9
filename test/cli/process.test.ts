import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(root, 'test/cli/fixtures');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function node(args: string[], env: NodeJS.ProcessEnv = {}, onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function traced(args: string[]): Promise<{ exit: Exit; urls: string[] }> {
  const trace = path.join(await mkdtemp(path.join(tmpdir(), 'regionctl-trace-')), 'modules.txt');
  const exit = await node(['--import', path.join(fixtures, 'trace-imports.mjs'), path.join(fixtures, 'run-cli.ts'), ...args], {
    REGIONCTL_TRACE_FILE: trace,
  });
  const urls = (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
  return { exit, urls };
}

describe('regionctl process', () => {
  it('--version prints the package version without loading the AWS SDK or any command', async () => {
    const { exit, urls } = await traced(['--version']);
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(exit).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(urls.some((u) => u.includes('/commander/'))).toBe(true); // the trace works
    expect(urls.filter((u) => u.includes('@aws-sdk') || u.includes('@smithy'))).toEqual([]);
    // The option tables (src/commands/options.ts, commander only) declare the flags; no command loads.
    expect(urls.filter((u) => u.includes('/src/commands/') && !/\/src\/commands\/options\.[jt]s$/.test(u))).toEqual([]);
  });

  it('--help for a subcommand does not load the AWS SDK either', async () => {
    const { exit, urls } = await traced(['deploy', '--help']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('--concurrency <n>');
    expect(urls.filter((u) => u.includes('@aws-sdk'))).toEqual([]);
  });

  it('Ctrl-C aborts the command, lets it restore, and exits 130', async () => {
    let sent = false;
    const exit = await node([path.join(fixtures, 'interruptible.ts'), 'status'], {}, (text, kill) => {
      if (!sent && text.includes('ready')) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(exit.code).toBe(130);
    expect(exit.stderr).toContain('restored the injected fault');
    expect(exit.stderr).toContain('error: interrupted');
  });
});
