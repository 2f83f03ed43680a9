import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, cleanEnv, ensureBuilt, root } from '../e2e/regionctl.js';

// `regionctl --version` is answered by bin/regionctl itself (issue 13: CLI start-up vs `node -e 0`):
// the process loads neither the CLI bundle nor commander. Anything more goes through the CLI.

const trace = path.join(root, 'test/cli/fixtures/trace-imports.mjs');

async function traced(args: string[]): Promise<{ stdout: string; urls: string[] }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'regionctl-trace-')), 'modules.txt');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', trace, bin, ...args], { cwd: root, env: { ...cleanEnv(tmpdir()), REGIONCTL_TRACE_FILE: file } });
  const urls = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { stdout, urls };
}

describe('bin/regionctl --version fast path', () => {
  let version: string;
  beforeAll(async () => {
    await ensureBuilt();
    version = (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  }, 120_000);

  it.each([['--version'], ['-V']])('%s prints the package version without loading dist/cli.js or commander', async (flag) => {
    const { stdout, urls } = await traced([flag]);
    expect(stdout).toBe(`${version}\n`);
    expect(urls.filter((u) => u.includes('/dist/') || u.includes('/commander/'))).toEqual([]);
  });

  it('--version with anything else is left to the CLI (which still answers it)', async () => {
    const { stdout, urls } = await traced(['--no-color', '--version']);
    expect(stdout).toBe(`${version}\n`);
    expect(urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true); // the trace sees the CLI load
  });
});
