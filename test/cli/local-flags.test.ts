import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type CliDeps } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { probe, readDaemonInfo, startDaemon, stopDaemon } from '../../src/local-cloud/daemon.js';
import { freeTcpPort, freeUdpPort } from './fixtures/free-port.js';

// Issue 7, defect 12: `local reset` and `--local` auto-start ignored --dns-port/--time-scale (and
// bound 5353); `local stop` ignored --port. Real background daemons on ports found at test time.

const started: Array<{ dir: string; port: number }> = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'regionctl-local-flags-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const { dir, port } of started) await stopDaemon(dir, { port });
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function cli(cwd: string, args: string[], deps: CliDeps = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'regionctl', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    cwd,
    isTTY: false,
    ...deps,
  });
  return { code, stdout, stderr };
}

// A command that only asks for AWS clients: with --local that is what starts the local cloud.
const needsAws = { loadCommand: async () => async (ctx: CommandContext) => void (await ctx.aws()) };

describe('local cloud flags', () => {
  it('local reset restarts with --dns-port and --time-scale, and keeps them on a later plain reset', async () => {
    const cwd = tempDir();
    const [port, dns1, dns2] = [await freeTcpPort(), await freeUdpPort(), await freeUdpPort()];
    started.push({ dir: cwd, port });
    const start = await cli(cwd, ['--json', 'local', 'start', '--port', String(port), '--dns-port', String(dns1), '--time-scale', '10']);
    expect(start.code).toBe(0);
    expect(readDaemonInfo(cwd)).toMatchObject({ port, dnsPort: dns1, timeScale: 10 });

    const reset = await cli(cwd, ['--json', 'local', 'reset', '--port', String(port), '--dns-port', String(dns2), '--time-scale', '20']);
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ reset: true, restarted: true, url: `http://127.0.0.1:${port}`, timeScale: 20, dnsPort: dns2 });
    expect(readDaemonInfo(cwd)).toMatchObject({ port, dnsPort: dns2, timeScale: 20 });
    expect(await probe(`http://127.0.0.1:${port}`)).toMatchObject({ timeScale: 20, dnsPort: dns2 });

    // Without flags the restarted daemon keeps what it had, never falling back to 5353.
    const again = await cli(cwd, ['local', 'reset', '--port', String(port)]);
    expect(again.code).toBe(0);
    expect(readDaemonInfo(cwd)).toMatchObject({ port, dnsPort: dns2, timeScale: 20 });
  });

  it('--local starts the local cloud with --port, --dns-port and --time-scale, and warns when a running one differs', async () => {
    const cwd = tempDir();
    const [port, dns] = [await freeTcpPort(), await freeUdpPort()];
    started.push({ dir: cwd, port });
    const first = await cli(cwd, ['--local', '--port', String(port), '--dns-port', String(dns), '--time-scale', '30', 'status'], needsAws);
    expect(first.stderr).toContain(`started the local cloud at http://127.0.0.1:${port}`);
    expect(first.code).toBe(0);
    expect(readDaemonInfo(cwd)).toMatchObject({ port, dnsPort: dns, timeScale: 30 });
    expect(await probe(`http://127.0.0.1:${port}`)).toMatchObject({ timeScale: 30, dnsPort: dns });

    const second = await cli(cwd, ['--local', '--port', String(port), '--time-scale', '90', 'status'], needsAws);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('the local cloud was already running, so --time-scale 90 (it runs at 30) did not apply');
    expect((await probe(`http://127.0.0.1:${port}`))?.timeScale).toBe(30);
  });

  it('local stop --port N stops the daemon on N, not the one this directory started', async () => {
    const [here, there] = [tempDir(), tempDir()];
    const [portHere, portThere] = [await freeTcpPort(), await freeTcpPort()];
    started.push({ dir: here, port: portHere }, { dir: there, port: portThere });
    await startDaemon({ cwd: here, port: portHere, dnsPort: 0 });
    await startDaemon({ cwd: there, port: portThere, dnsPort: 0 });

    const stop = await cli(here, ['--json', 'local', 'stop', '--port', String(portThere)]);
    expect(stop.code).toBe(0);
    expect(JSON.parse(stop.stdout)).toEqual({ stopped: true });
    expect(await probe(`http://127.0.0.1:${portThere}`)).toBeUndefined();
    expect(await probe(`http://127.0.0.1:${portHere}`)).toBeDefined();
    expect(readDaemonInfo(here)?.port).toBe(portHere);

    const again = await cli(here, ['--json', 'local', 'stop', '--port', String(portThere)]);
    expect(JSON.parse(again.stdout)).toEqual({ stopped: false });
    expect(await probe(`http://127.0.0.1:${portHere}`)).toBeDefined();

    // Without --port, stop means this directory's daemon.
    expect(JSON.parse((await cli(here, ['--json', 'local', 'stop'])).stdout)).toEqual({ stopped: true });
    expect(await probe(`http://127.0.0.1:${portHere}`)).toBeUndefined();
  });

  it('a port another program holds is a clear error (LocalCloudPortInUse / LocalCloudNotStarted), exit 1', async () => {
    const cwd = tempDir();
    const { createServer } = await import('node:net');
    const squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const r = await cli(cwd, ['local', 'start', '--port', String(port), '--dns-port', '0']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^error: port ${port} on 127\\.0\\.0\\.1 is in use by a program that is not the local cloud`));
      expect(r.stderr).toContain('hint: pick another port with --port');
      expect(r.stderr).not.toContain('internal error');
      // In the foreground the same port is refused in this process, just as clearly.
      const fg = await cli(cwd, ['local', 'start', '--foreground', '--port', String(port), '--dns-port', '0']);
      expect(fg.code).toBe(1);
      expect(fg.stderr).toMatch(new RegExp(`^error: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      expect(fg.stderr).not.toContain('internal error');
    } finally {
      squatter.close();
    }
  });
});
