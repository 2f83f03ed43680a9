import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type CliDeps, type CommandFn } from '../../src/cli.js';
import type { CommandContext } from '../../src/commands/context.js';
import { ReportedFailure, RegionctlError } from '../../src/errors.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  calls: Array<{ name: string; ctx: CommandContext; opts: Record<string, unknown> }>;
}

async function cli(args: string[], opts: { command?: CommandFn; deps?: CliDeps; real?: boolean } = {}): Promise<Captured> {
  const out = { stdout: '', stderr: '' };
  const calls: Captured['calls'] = [];
  const command: CommandFn = opts.command ?? (async () => undefined);
  const code = await run(['node', 'regionctl', ...args], {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    env: {},
    cwd: tmpdir(),
    isTTY: false,
    ...(opts.real
      ? {}
      : {
          loadCommand: async (name: string) => async (ctx: CommandContext, o: Record<string, unknown>) => {
            calls.push({ name, ctx, opts: o });
            return command(ctx, o);
          },
        }),
    ...opts.deps,
  });
  return { code, ...out, calls };
}

describe('cli flags', () => {
  it('normalises global and command flags into the context and options', async () => {
    const r = await cli(['--regions', 'us-east-1, eu-west-1', '--stage', 'prod', '--profile', 'ops', '--verbose', 'deploy', '--concurrency', '2', '--wait', '90s']);
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(1);
    const [call] = r.calls;
    expect(call.name).toBe('deploy');
    expect(call.opts).toEqual({ concurrency: 2, wait: '90s', removeReplicas: false });
    expect(call.ctx.global).toMatchObject({ regions: ['us-east-1', 'eu-west-1'], stage: 'prod', profile: 'ops', verbose: true, json: false, local: false });
  });

  it('routes local subcommands with --port given after the subcommand', async () => {
    const r = await cli(['local', 'start', '--port', '4999', '--time-scale', '60', '--foreground']);
    expect(r.code).toBe(0);
    expect(r.calls[0].opts).toEqual({ action: 'start', port: 4999, timeScale: 60, foreground: true, requireAuth: false, dnsPort: undefined });
    expect(r.calls[0].ctx.global.port).toBe(4999);
    // The same flags are global, so --local can start the local cloud with them.
    const d = await cli(['--local', '--time-scale', '120', '--dns-port', '0', 'deploy']);
    expect(d.calls[0].ctx.global).toMatchObject({ local: true, timeScale: 120, dnsPort: 0 });
  });

  it('routes drill subcommands', async () => {
    const r = await cli(['drill', 'failover', '--region', 'us-west-2']);
    expect(r.calls[0]).toMatchObject({ name: 'drill', opts: { action: 'failover', region: 'us-west-2', all: false } });
  });

  it('honours NO_COLOR and --no-color, and FORCE_COLOR off a TTY', async () => {
    expect((await cli(['status'], { deps: { env: { FORCE_COLOR: '1' } } })).calls[0].ctx.global.color).toBe(true);
    expect((await cli(['status'], { deps: { env: { FORCE_COLOR: '1', NO_COLOR: '1' } } })).calls[0].ctx.global.color).toBe(false);
    expect((await cli(['--no-color', 'status'], { deps: { env: {}, isTTY: true } })).calls[0].ctx.global.color).toBe(false);
    expect((await cli(['status'], { deps: { env: {}, isTTY: true } })).calls[0].ctx.global.color).toBe(true);
  });
});

describe('cli exit codes', () => {
  it('exits 2 on an unknown option, with commander explaining it on stderr', async () => {
    const r = await cli(['deploy', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stdout).toBe('');
    expect(r.calls).toHaveLength(0);
  });

  it('exits 2 on bad flag values and conflicting flags', async () => {
    expect((await cli(['deploy', '--concurrency', '0'])).code).toBe(2);
    expect((await cli(['--port', 'abc', 'status'])).code).toBe(2);
    expect((await cli(['drill', 'restore', '--region', 'us-east-1', '--all'])).code).toBe(2);
    expect((await cli(['drill', 'failover'])).code).toBe(2);
    const both = await cli(['--local', '--endpoint', 'http://x', 'status']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error: --local and --endpoint cannot be combined');
  });

  // Issue 8: flags that did nothing are gone, and --wait is checked before any command runs.
  it('refuses the dropped flags deploy --yes and local reset --foreground, and a bad --wait, exit 2', async () => {
    for (const args of [['deploy', '--yes'], ['local', 'reset', '--foreground']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: unknown option/);
      expect(r.calls).toHaveLength(0);
    }
    for (const args of [['deploy', '--wait', 'soon'], ['destroy', '--wait=5 m'], ['drill', 'restore', '--all', '--wait', '-1']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--wait must be a duration such as 90s, 5m or 1h.');
      expect(r.calls).toHaveLength(0);
    }
    expect((await cli(['destroy', '--wait'])).calls[0].opts).toEqual({ yes: false, wait: true });
    expect((await cli(['drill', 'restore', '--all', '--wait', '0s'])).calls[0].opts).toEqual({ action: 'restore', all: true, region: undefined, wait: '0s' });
  });

  // Issue 7, defect 11: Number() let 1e3, 0x1202, ' 12 ' and '' through as numbers.
  it('accepts only plain decimal integers in range for ports and counts', async () => {
    for (const bad of ['1e3', '0x1202', ' 12 ', '', '12.0', '-1', '+80', '65536', '99999999999', 'Infinity', '١٢٣']) {
      const r = await cli(['--port', bad, 'local', 'status']);
      expect(r.code, `--port ${JSON.stringify(bad)}`).toBe(2);
      expect(r.stderr).toContain('--port must be a whole number from 0 to 65535, in decimal digits.');
      expect(r.calls).toHaveLength(0);
    }
    for (const bad of ['1e1', '0x2', '65', ' 2']) expect((await cli(['deploy', '--concurrency', bad])).code, bad).toBe(2);
    for (const bad of ['-1', '65536', '53.5']) expect((await cli(['local', 'start', '--dns-port', bad])).code, bad).toBe(2);
    expect((await cli(['--port', '65535', 'local', 'start', '--dns-port', '0'])).calls[0].opts).toMatchObject({ port: 65535, dnsPort: 0 });
    expect((await cli(['deploy', '--concurrency', '064'])).calls[0].opts.concurrency).toBe(64);
  });

  it('accepts only decimal time scales, intervals and durations within their ranges', async () => {
    for (const bad of ['1e3', '0x10', '0', '3601', 'Infinity', ' 5', '.5', '5.']) expect((await cli(['local', 'start', '--time-scale', bad])).code, bad).toBe(2);
    expect((await cli(['local', 'start', '--time-scale', '0.5'])).calls[0].opts.timeScale).toBe(0.5);
    for (const bad of ['0', '0.5', '1e2', '3601']) expect((await cli(['status', '--watch', '--interval', bad])).code, bad).toBe(2);
    expect((await cli(['status', '--watch', '--interval', '2.5'])).calls[0].opts.interval).toBe(2.5);
    for (const bad of ['0s', '5 m', '1e3', '25h', '-5m', 'soon', '']) {
      expect((await cli(['drill', 'failover', '--region', 'us-east-1', '--objective', bad])).code, bad).toBe(2);
      expect((await cli(['drill', 'failover', '--region', 'us-east-1', '--deadline', bad])).code, bad).toBe(2);
    }
    expect((await cli(['drill', 'failover', '--region', 'us-east-1', '--objective', '90s', '--deadline', '1.5h'])).calls[0].opts).toMatchObject({ objective: '90s', deadline: '1.5h' });
  });

  it('refuses an endpoint that is not an http(s) URL, from the flag or AWS_ENDPOINT_URL, exit 2', async () => {
    const hint = 'hint: use a URL such as https://cloudformation.us-east-1.amazonaws.com or http://127.0.0.1:4566\n';
    const cases: Array<[string, string]> = [
      ['not a url', 'is not a URL'],
      ['', 'is not a URL'],
      ['localhost:4566', 'is missing http:// or https://'],
      ['ftp://example.com', 'uses ftp, not http or https'],
      ['http://user:secret@127.0.0.1:4566', 'must not contain credentials (use --profile or AWS_ACCESS_KEY_ID instead)'],
      ['http://127.0.0.1:4566/?x=1', 'has a query or fragment'],
    ];
    for (const [bad, problem] of cases) {
      const r = await cli(['--endpoint', bad, 'status']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toBe(`error: --endpoint ${problem}\n${hint}`);
      expect(r.calls).toHaveLength(0);
    }
    const env = await cli(['--json', 'status'], { deps: { env: { AWS_ENDPOINT_URL: 'not a url' } } });
    expect(env.code).toBe(2);
    expect(JSON.parse(env.stdout)).toMatchObject({ error: { code: 'UsageError', message: 'AWS_ENDPOINT_URL is not a URL' } });
    expect(env.calls).toHaveLength(0);
    expect((await cli(['--endpoint', 'https://cloudformation.us-east-1.amazonaws.com', 'status'])).calls[0].ctx.global.endpoint).toBe('https://cloudformation.us-east-1.amazonaws.com');
  });

  it('runs the real status with a bad endpoint to a clear error, not an internal one', async () => {
    const r = await cli(['--endpoint', 'not a url', 'status'], { real: true });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('prints a JSON error on stdout for usage errors in --json mode', async () => {
    const r = await cli(['--json', 'nosuchcommand']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'UsageError' } });
  });

  it('refuses a value flag followed by another flag instead of taking the flag as its value (seed 589634110)', async () => {
    const r = await cli(['deploy', '--config', '--json']);
    expect(r.code).toBe(2);
    expect(r.calls).toHaveLength(0);
    expect(r.stderr).toMatch(/--config needs a value before the next flag --json/);
    // --json was meant as a flag, so the error is JSON too.
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'UsageError' } });
    const eq = await cli(['--regions', '--stage=prod', 'status']);
    expect(eq.code).toBe(2);
    expect(eq.stderr).toMatch(/--regions needs a value before the next flag --stage/);
    // A word that is not one of our flags is still a value.
    const ok = await cli(['--profile', '--odd', 'deploy', '--config', '-odd.yml']);
    expect(ok.code).toBe(0);
    expect(ok.calls[0].ctx.global.profile).toBe('--odd');
  });

  it('exits 0 for --help and 2 with help when no command is given', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 success');
    const none = await cli([]);
    expect(none.code).toBe(2);
  });

  it('turns a config error into "error: file:line: key: ..." plus hint, exit 2', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'regionctl-cli-'));
    await writeFile(path.join(cwd, 'regionctl.yml'), 'service: orders\nregions:\n  - us-east-1\n  - us-east-9\n');
    const r = await cli(['synth'], { command: async (ctx) => ctx.loadConfig(), deps: { cwd } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: regionctl.yml:4: regions[1]: unknown AWS region "us-east-9"\nhint: did you mean "us-east-1"?\n');
    expect(r.stdout).toBe('');
  });

  it('prints {"error":{code,message}} on stdout in --json mode', async () => {
    const r = await cli(['--json', 'status'], { command: async () => { throw new RegionctlError('StackMissing', 'no stacks deployed'); } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'StackMissing', message: 'no stacks deployed' } });
    expect(r.stderr).toBe('error: no stacks deployed\n');
  });

  it('keeps a single JSON document when the command printed its summary and then failed', async () => {
    const r = await cli(['--json', 'deploy'], {
      command: async (ctx) => {
        ctx.io.result('1 of 2 regions failed', { regions: [{ region: 'us-east-1', ok: true }, { region: 'eu-west-1', ok: false }] });
        throw new ReportedFailure('ReportedFailure', '1 of 2 regions failed');
      },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ regions: [{ ok: true }, { ok: false }] });
  });

  it('reports unexpected exceptions as internal errors with the stack, exit 1', async () => {
    const r = await cli(['status'], { command: async () => { throw new TypeError('cannot read x of undefined'); } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^internal error: TypeError: cannot read x of undefined\n\s+at /);
    expect(r.stderr).toContain('please report this');
  });

  it('exits 130 when the signal was aborted, whatever the command threw on its way out', async () => {
    const controller = new AbortController();
    const r = await cli(['status', '--watch'], {
      deps: { signal: controller.signal },
      command: async () => {
        controller.abort();
        throw new DOMException('The operation was aborted', 'AbortError');
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('error: interrupted\n');
  });

  it('runs the real init: writes the file, then refuses to overwrite it (exit 2)', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'regionctl-cli-init-'));
    const first = await cli(['init'], { real: true, deps: { cwd } });
    expect(first.code).toBe(0);
    expect(await readFile(path.join(cwd, 'regionctl.yml'), 'utf8')).toContain('service: regionctl-cli-init-');
    const second = await cli(['init'], { real: true, deps: { cwd } });
    expect(second.code).toBe(2);
    expect(second.stderr).toBe('error: regionctl.yml already exists\nhint: pass --force to overwrite it\n');
  });
});
