import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCommandModule, type CommandLoader } from '../../src/cli.js';
import type { CommandContext, GlobalOptions } from '../../src/commands/context.js';
import type { IamPolicyOptions } from '../../src/commands/options.js';
import { REGIONS } from '../../src/regions.js';
import { crashOf, runCli } from './fixtures/in-process.js';
import { propertySeed } from '../support/property-runs.js';

// Issue 7: property-based tests for the command line, driven through the CLI in-process. Any argv:
// exit 0, or exit 2 with a message (never a stack trace or "internal error"); a command only ever
// runs with typed, in-range options. Valid argv parses to exactly the values given.

const cwd = mkdtempSync(join(tmpdir(), 'regionctl-argv-props-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

interface Call {
  name: string;
  global: GlobalOptions;
  opts: Record<string, unknown>;
}
let calls: Call[] = [];

// Commands are stubbed after loading the config (what every config-reading command does first), so
// no property run talks to AWS or starts a daemon; iam-policy, which needs neither, runs for real.
const loader: CommandLoader = async (name) => {
  const real = name === 'iam-policy' ? await loadCommandModule('iam-policy') : undefined;
  return async (ctx: CommandContext, opts: Record<string, unknown>) => {
    calls.push({ name, global: ctx.global, opts });
    if (real) return real(ctx, opts as IamPolicyOptions);
    if (name !== 'local' && name !== 'init') await ctx.loadConfig();
    return undefined;
  };
};

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  calls = [];
  return runCli(args, { cwd, env, loadCommand: loader });
}

const REGION_NAMES = REGIONS.map((r) => r.name);
const COMMANDS: string[][] = [
  ['init'], ['synth'], ['deploy'], ['status'], ['destroy'], ['doctor'], ['iam-policy'],
  ['local', 'start'], ['local', 'stop'], ['local', 'status'], ['local', 'reset'],
  ['drill', 'simulate-unhealthy'], ['drill', 'restore'], ['drill', 'failover'],
];
const FLAGS = [
  '--config', '--stage', '--regions', '--profile', '--endpoint', '--local', '--port', '--time-scale', '--dns-port', '--json',
  '--no-color', '--verbose', '--force', '--concurrency', '--yes', '--watch', '--interval', '--foreground', '--region', '--all',
  '--objective', '--deadline',
];

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(s|m|h)?$/;
const durationSeconds = (d: string): number => {
  const m = DURATION.exec(d)!;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
};

// What a command may rely on, whatever argv it came from.
function checkTyped(call: Call): void {
  const g = call.global;
  const within = (v: unknown, min: number, max: number, int: boolean): boolean =>
    v === undefined || (typeof v === 'number' && v >= min && v <= max && (!int || Number.isInteger(v)));
  expect(within(g.port, 0, 65535, true), `port ${g.port}`).toBe(true);
  expect(within(g.dnsPort, 0, 65535, true), `dnsPort ${g.dnsPort}`).toBe(true);
  expect(within(g.timeScale, 0.001, 3600, false), `timeScale ${g.timeScale}`).toBe(true);
  if (g.endpoint !== undefined) expect(['http:', 'https:']).toContain(new URL(g.endpoint).protocol);
  expect(g.local && g.endpoint !== undefined).toBe(false);
  if (g.regions !== undefined) {
    expect(g.regions.length).toBeGreaterThan(0);
    for (const r of g.regions) expect(r.trim() === r && r !== '').toBe(true);
  }
  const o = call.opts;
  if (call.name === 'deploy') expect(within(o.concurrency, 1, 64, true), `concurrency ${o.concurrency}`).toBe(true);
  if (call.name === 'status') expect(within(o.interval, 1, 3600, false), `interval ${o.interval}`).toBe(true);
  if (call.name === 'local') {
    expect(['start', 'stop', 'status', 'reset']).toContain(o.action);
    expect(o.port).toBe(g.port);
  }
  if (call.name === 'drill') {
    if (o.action !== 'restore') expect(typeof o.region).toBe('string');
    else expect(o.region !== undefined && o.all === true).toBe(false);
    for (const d of [o.objective, o.deadline]) {
      if (d === undefined) continue;
      expect(String(d)).toMatch(DURATION);
      expect(durationSeconds(String(d))).toBeGreaterThan(0);
      expect(durationSeconds(String(d))).toBeLessThanOrEqual(86_400);
    }
  }
}

// Values of the kinds that slipped through before: exponents, hex, padding, empty, signs, words.
const nastyValue = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e3', '0x1202', ' 12 ', '12.0', '+80', '65536', 'Infinity', 'NaN', '1_000', '٣', 'not a url', 'http://', 'ftp://x',
    'http://u:p@127.0.0.1:1', '5m', '0s', '25h', 'us-east-1', 'us-east-1,', ',', '--', '-', '-x', '__proto__', 'constructor', 'regionctl.yml', '.', '/'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -100_000, max: 100_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
);
const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FLAGS) },
  { weight: 3, arbitrary: nastyValue },
  { weight: 2, arbitrary: fc.constantFrom(...COMMANDS.flat()) },
  { weight: 1, arbitrary: fc.constantFrom(...FLAGS).chain((f) => nastyValue.map((v) => `${f}=${v}`)) },
);
const anyArgv = fc.oneof(
  fc.array(token, { maxLength: 10 }),
  // A real command first, then noise: exercises each command's own option parsing.
  fc.tuple(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 8 })).map(([c, rest]) => [...c, ...rest]),
);

const NUM_RUNS = Number(process.env.REGIONCTL_PROPERTY_RUNS ?? 300);

describe('command-line properties', () => {
  it('any argv: exit 0, or exit 2 with an explanation; never a crash; commands get typed options', async () => {
    await fc.assert(
      fc.asyncProperty(anyArgv, async (argv) => {
        const r = await cli(argv);
        const shown = `argv ${JSON.stringify(argv)}\nstdout ${r.stdout}\nstderr ${r.stderr}`;
        expect(crashOf(r), shown).toBeUndefined();
        expect([0, 2], shown).toContain(r.code);
        for (const call of calls) checkTyped(call);
        if (r.code === 2 && argv.length > 0) {
          // commander's "error: ..." or a command group's usage; ours are "error: ..." too.
          expect(r.stderr, shown).toMatch(/^(error: |Usage: )/);
          const helpAsked = argv.some((a) => a === '--help' || a === '-h' || a === 'help');
          if (argv.includes('--json') && !helpAsked && r.stderr.startsWith('error: ')) {
            const doc = JSON.parse(r.stdout) as { error: { code: string; message: string } };
            expect(doc.error.code).toMatch(/^[A-Z][A-Za-z]+$/);
          }
        }
      }),
      { numRuns: NUM_RUNS, ...propertySeed() },
    );
  });

  const int = (min: number, max: number) => fc.integer({ min, max });
  const decimal = (min: number, max: number) =>
    fc.tuple(int(Math.floor(min), Math.floor(max)), int(0, 999)).map(([i, f]) => `${i}.${String(f).padStart(3, '0')}`).filter((s) => Number(s) >= min && Number(s) <= max);
  const duration = fc.oneof(int(1, 86_400).map((n) => `${n}s`), int(1, 1440).map((n) => `${n}m`), int(1, 24).map((n) => `${n}h`), int(1, 86_400).map(String));
  const region = fc.constantFrom(...REGION_NAMES);

  interface ValidCase {
    argv: string[];
    name: string;
    global: Partial<GlobalOptions>;
    opts: Record<string, unknown>;
  }

  const validGlobals = fc.record(
    {
      stage: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/),
      regions: fc.uniqueArray(region, { minLength: 1, maxLength: 4 }),
      profile: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
      target: fc.oneof(fc.constant({ local: true as const }), fc.webUrl({ validSchemes: ['http', 'https'] }).map((endpoint) => ({ endpoint }))),
      port: int(1, 65535),
      timeScale: fc.oneof(int(1, 3600).map(String), decimal(0.001, 3600)),
      dnsPort: int(0, 65535),
      json: fc.constant(true),
      verbose: fc.constant(true),
    },
    { requiredKeys: [] },
  );

  const validCommand = fc.oneof(
    fc.record({ force: fc.boolean() }).map(({ force }) => ({ path: ['init'], name: 'init', args: force ? ['--force'] : [], opts: { force } })),
    fc.constant({ path: ['synth'], name: 'synth', args: [] as string[], opts: {} }),
    fc.record({ concurrency: fc.option(int(1, 64), { nil: undefined }), wait: fc.option(duration, { nil: undefined }), removeReplicas: fc.boolean() }).map(({ concurrency, wait, removeReplicas }) => ({
      path: ['deploy'],
      name: 'deploy',
      args: [...(concurrency === undefined ? [] : ['--concurrency', String(concurrency)]), ...(wait === undefined ? [] : ['--wait', wait]), ...(removeReplicas ? ['--remove-replicas'] : [])],
      opts: { concurrency, wait, removeReplicas },
    })),
    fc.record({ interval: fc.option(fc.oneof(int(1, 3600).map(String), decimal(1, 3600)), { nil: undefined }) }).map(({ interval }) => ({
      path: ['status'],
      name: 'status',
      args: ['--watch', ...(interval === undefined ? [] : ['--interval', interval])],
      opts: { watch: true, interval: interval === undefined ? undefined : Number(interval) },
    })),
    fc.boolean().map((yes) => ({ path: ['destroy'], name: 'destroy', args: yes ? ['--yes'] : [], opts: { yes } })),
    fc.constant({ path: ['doctor'], name: 'doctor', args: [] as string[], opts: {} }),
    fc.constantFrom('start', 'stop', 'status', 'reset').map((action) => ({ path: ['local', action], name: 'local', args: [] as string[], opts: { action } })),
    region.map((r) => ({ path: ['drill', 'simulate-unhealthy'], name: 'drill', args: ['--region', r], opts: { action: 'simulate-unhealthy', region: r, all: false } })),
    fc.oneof(region.map((r) => ['--region', r]), fc.constant(['--all'])).map((args) => ({
      path: ['drill', 'restore'],
      name: 'drill',
      args,
      opts: { action: 'restore', region: args[0] === '--region' ? args[1] : undefined, all: args[0] === '--all' },
    })),
    fc.tuple(region, duration, duration).map(([r, objective, deadline]) => ({
      path: ['drill', 'failover'],
      name: 'drill',
      args: ['--region', r, '--objective', objective, '--deadline', deadline],
      opts: { action: 'failover', region: r, all: false, objective, deadline },
    })),
  );

  const validCase: fc.Arbitrary<ValidCase> = fc.tuple(validGlobals, validCommand, fc.boolean(), fc.boolean()).map(([g, c, globalsAfter, equals]) => {
    const flag = (name: string, value: string): string[] => (equals ? [`${name}=${value}`] : [name, value]);
    const args: string[] = [];
    const global: Partial<GlobalOptions> = {};
    if (g.stage !== undefined) args.push(...flag('--stage', g.stage)), (global.stage = g.stage);
    if (g.regions !== undefined) args.push(...flag('--regions', g.regions.join(','))), (global.regions = g.regions);
    if (g.profile !== undefined) args.push(...flag('--profile', g.profile)), (global.profile = g.profile);
    if (g.target !== undefined && 'local' in g.target) args.push('--local'), (global.local = true);
    if (g.target !== undefined && 'endpoint' in g.target) args.push(...flag('--endpoint', g.target.endpoint)), (global.endpoint = g.target.endpoint);
    if (g.port !== undefined) args.push(...flag('--port', String(g.port))), (global.port = g.port);
    if (g.timeScale !== undefined) args.push(...flag('--time-scale', g.timeScale)), (global.timeScale = Number(g.timeScale));
    if (g.dnsPort !== undefined) args.push(...flag('--dns-port', String(g.dnsPort))), (global.dnsPort = g.dnsPort);
    if (g.json) args.push('--json'), (global.json = true);
    if (g.verbose) args.push('--verbose'), (global.verbose = true);
    const argv = globalsAfter ? [...c.path, ...c.args, ...args] : [...args, ...c.path, ...c.args];
    const opts: Record<string, unknown> = { ...c.opts };
    if (c.name === 'local') Object.assign(opts, { port: global.port, timeScale: global.timeScale, dnsPort: global.dnsPort }, c.path[1] === 'start' ? { foreground: false, requireAuth: false } : {});
    return { argv, name: c.name, global, opts };
  });

  it('valid argv, flags in any position and form: exit 0 with exactly the values given', async () => {
    await fc.assert(
      fc.asyncProperty(validCase, async (v) => {
        const r = await cli(v.argv);
        const shown = `argv ${JSON.stringify(v.argv)}\nstderr ${r.stderr}`;
        // A stage or regions that the config then refuses is a config error (exit 2), not a parse error.
        expect(r.code, shown).toBe(0);
        expect(calls, shown).toHaveLength(1);
        expect(calls[0].name).toBe(v.name);
        expect(calls[0].global).toMatchObject(v.global);
        expect(calls[0].opts).toEqual(v.opts);
        checkTyped(calls[0]);
      }),
      { numRuns: NUM_RUNS, ...propertySeed() },
    );
  });

  // Exactly the plain decimal numbers in range are accepted, each as its own value: Number() would
  // also have taken 1e3, 0x1202, ' 12 ' and ''.
  const NUMERIC: Array<{ flag: string; command: string[]; read: (c: Call) => unknown; min: number; max: number; int: boolean }> = [
    { flag: '--port', command: ['local', 'status'], read: (c) => c.global.port, min: 0, max: 65535, int: true },
    { flag: '--dns-port', command: ['local', 'start'], read: (c) => c.global.dnsPort, min: 0, max: 65535, int: true },
    { flag: '--time-scale', command: ['local', 'start'], read: (c) => c.global.timeScale, min: 0.001, max: 3600, int: false },
    { flag: '--concurrency', command: ['deploy'], read: (c) => c.opts.concurrency, min: 1, max: 64, int: true },
    { flag: '--interval', command: ['status', '--watch'], read: (c) => c.opts.interval, min: 1, max: 3600, int: false },
  ];
  it('numeric flags take exactly the plain decimal numbers in their range', async () => {
    const numberish = fc.oneof(
      nastyValue,
      fc.integer({ min: -10, max: 70_000 }).map(String),
      fc.tuple(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 9999 })).map(([i, f]) => `${i}.${f}`),
      fc.constantFrom('1e1', '0x10', '0o17', '0b1', '1.', '.5', '00080', '1 ', '\t1', '１２'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NUMERIC), numberish, fc.boolean(), async (spec, value, equals) => {
        const args = [...spec.command, ...(equals ? [`${spec.flag}=${value}`] : [spec.flag, value])];
        const r = await cli(args);
        const plain = spec.int ? /^[0-9]+$/.test(value) : /^[0-9]+(\.[0-9]+)?$/.test(value);
        const n = Number(value);
        const ok = plain && n >= spec.min && n <= spec.max;
        expect(crashOf(r)).toBeUndefined();
        expect(r.code, `${spec.flag} ${JSON.stringify(value)}: ${r.stderr}`).toBe(ok ? 0 : 2);
        if (ok) expect(spec.read(calls[0])).toBe(n);
        else expect(calls).toHaveLength(0);
      }),
      { numRuns: NUM_RUNS, ...propertySeed() },
    );
  });

  it('a bad AWS_ENDPOINT_URL is a usage error for every command that reaches AWS', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMANDS.filter((c) => c[0] !== 'local')), fc.constantFrom('not a url', 'localhost:4566', 'ftp://x', 'http://a:b@h'), async (path, bad) => {
        const args = path[0] === 'drill' && path[1] !== 'restore' ? [...path, '--region', 'us-east-1'] : path[1] === 'restore' ? [...path, '--all'] : path;
        const r = await cli(args, { AWS_ENDPOINT_URL: bad });
        expect(crashOf(r)).toBeUndefined();
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^error: AWS_ENDPOINT_URL /);
        expect(r.stderr).not.toContain('a:b@');
      }),
      { numRuns: 40, ...propertySeed() },
    );
  });
});
