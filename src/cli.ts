import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './commands/context.js';
import { packageVersion } from './config/package-info.js';
import { Interrupted, RegionctlError } from './errors.js';
import type { CliIo } from './io/index.js';
import { reportError } from './io/report-error.js';
import type { TextSink } from './io/types.js';

// Everything heavy (io with ora, config with zod/yaml, the AWS SDK, command modules) is imported inside
// actions, so `regionctl --help` and `--version` load only commander.

export interface DeployFlags {
  concurrency?: number;
  yes: boolean;
  wait?: string | boolean;
}
export interface StatusFlags {
  watch: boolean;
  interval?: number;
}
export interface DestroyFlags {
  yes: boolean;
  wait?: string | boolean;
}
export interface LocalFlags {
  action: 'start' | 'stop' | 'status' | 'reset';
  port?: number;
  timeScale?: number;
  foreground: boolean;
  dnsPort?: number;
  requireAuth?: boolean;
  realism?: string;
  clientLocation?: string;
}
export interface DrillFlags {
  action: 'simulate-unhealthy' | 'restore' | 'failover';
  region?: string;
  all: boolean;
  objective?: string;
  deadline?: string;
  wait?: string | boolean;
}

export type CommandFn = (ctx: CommandContext, opts: any) => Promise<unknown>;

// How a command name becomes its module; tests substitute fakes.
export type CommandLoader = (name: string) => Promise<CommandFn>;

export interface CliDeps {
  stdout?: TextSink;
  stderr?: TextSink;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  isTTY?: boolean;
  signal?: AbortSignal;
  loadCommand?: CommandLoader;
}

// Literal imports keep each module out of the startup path and still type-check its export.
const commandModules: Record<string, () => Promise<CommandFn>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  synth: async () => (await import('./commands/synth.js')).synthCommand,
  deploy: async () => (await import('./commands/deploy.js')).deployCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  destroy: async () => (await import('./commands/destroy.js')).destroyCommand,
  local: async () => (await import('./commands/local.js')).localCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  'iam-policy': async () => (await import('./commands/iam-policy.js')).iamPolicyCommand,
};

// Commands still being written are loaded by name; a missing one is reported, not crashed on.
async function loadByName(name: string): Promise<CommandFn> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(`./commands/${name}.js`)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(`commands/${name}.`)) {
      throw new RegionctlError('NotImplemented', `"regionctl ${name}" is not available in this build`, 1, { cause: err });
    }
    throw err;
  }
  const fn = mod[`${name}Command`];
  if (typeof fn !== 'function') throw new Error(`src/commands/${name}.ts does not export ${name}Command`);
  return fn as CommandFn;
}

export const loadCommandModule: CommandLoader = (name) => (commandModules[name] ?? (() => loadByName(name)))();

// Commands that change a stage take its lock; --wait waits for another run to finish instead of
// exiting 1 with "locked by pid N".
const WAIT_FLAG = '--wait [duration]';
const WAIT_HELP = 'if another regionctl holds the stage lock, wait for it (default 30m; e.g. 90s, 10m) instead of exiting 1';

// Flag values are checked here, at the edge, so commands get typed, in-range values. Number() is not
// used to parse them: it takes "1e3", "0x1202", " 12 " and even "" (as 0).
function parseIntArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, in decimal digits.`);
    return n;
  };
}

// A decimal such as 60 or 0.5, within [min, max].
function parseDecimalArg(name: string, min: number, max: number, unit: string, examples: string) {
  return (value: string): number => {
    const n = /^[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max} ${unit}, in decimal digits (such as ${examples}).`);
    return n;
  };
}

// "90s", "5m", "1h" or plain seconds, as the drill reads them; anything over a day is a typo.
const MAX_DURATION_SECONDS = 86_400;
function parseDurationArg(name: string) {
  return (value: string): string => {
    const m = /^([0-9]+(?:\.[0-9]+)?)(s|m|h)?$/.exec(value);
    const seconds = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : NaN;
    if (!(seconds > 0 && seconds <= MAX_DURATION_SECONDS)) throw new InvalidArgumentError(`${name} must be a duration such as 90s, 5m or 1h (more than 0, at most 24h).`);
    return value;
  };
}

// The SDK throws a bare TypeError deep inside the first request for an endpoint it cannot parse.
function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (!value.includes('://')) return 'is missing http:// or https://';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}, not http or https`;
  if (url.username !== '' || url.password !== '') return 'must not contain credentials (use --profile or AWS_ACCESS_KEY_ID instead)';
  if (url.search !== '' || url.hash !== '') return 'has a query or fragment';
  return undefined;
}

function parseList(value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new InvalidArgumentError('expected a comma-separated list such as us-east-1,eu-west-1.');
  return list;
}

function truthyEnv(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

// Color only for humans: off with --no-color, NO_COLOR (any value, per no-color.org) or a non-TTY,
// unless FORCE_COLOR asks for it.
function wantsColor(flag: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!flag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  return truthyEnv(env.FORCE_COLOR) || isTTY;
}

interface RunState {
  io?: CliIo;
  json: boolean;
  color: boolean;
}

function buildProgram(deps: Required<Pick<CliDeps, 'stdout' | 'stderr' | 'env' | 'cwd' | 'isTTY' | 'loadCommand'>> & CliDeps, signal: AbortSignal, state: RunState): Command {
  const program = new Command('regionctl');
  program
    .description('Run one service active-active across AWS regions: deploy, route, replicate, drill.')
    .version(packageVersion(), '-V, --version', 'print the regionctl version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
    .showSuggestionAfterError(true)
    .option('--config <file>', 'configuration file (default: ./regionctl.yml)')
    .option('--stage <stage>', 'stage to operate on (overrides the config)')
    .option('--regions <list>', 'comma-separated regions (overrides the config)', parseList)
    .option('--profile <profile>', 'AWS profile (default: AWS_PROFILE or the default chain)')
    .option('--endpoint <url>', 'AWS endpoint URL (default: AWS_ENDPOINT_URL)')
    .option('--local', 'use the embedded local cloud, starting it if needed')
    .option('--port <port>', 'local cloud port (default 4566; 0 picks a free one for `local start`)', parseIntArg('--port', 0, 65535))
    // Global, like --port, so that --local honours them when it starts the local cloud.
    .option('--time-scale <factor>', 'local cloud: virtual seconds per real second when it starts (default 60)', parseDecimalArg('--time-scale', 0.001, 3600, 'virtual seconds per second', '60 or 0.5'))
    .option('--dns-port <port>', 'local cloud: UDP port of its DNS server when it starts (default 5353, 0 any free port)', parseIntArg('--dns-port', 0, 65535))
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--no-color', 'disable colors (NO_COLOR is honoured too)')
    .option('--verbose', 'show debug output')
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 an operation or check failed, 2 usage or configuration error, 130 interrupted.',
    );

  // Every command goes through here: normalise flags, build io and context, run, dispose.
  const runCommand = (name: string, flags: (opts: Record<string, any>, cmd: Command) => unknown) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const raw = cmd.optsWithGlobals();
    const global: GlobalOptions = {
      config: raw.config,
      stage: raw.stage,
      regions: raw.regions,
      profile: raw.profile,
      endpoint: raw.endpoint,
      local: raw.local === true,
      port: raw.port,
      timeScale: raw.timeScale,
      dnsPort: raw.dnsPort,
      json: raw.json === true,
      color: wantsColor(raw.color !== false, deps.env, deps.isTTY),
      verbose: raw.verbose === true,
    };
    if (global.local && global.endpoint) throw new RegionctlError('UsageError', '--local and --endpoint cannot be combined', 2, { hint: 'use one of them' });
    // Checked here rather than by commander, whose message would echo a URL with a password in it.
    const [endpointFrom, endpoint] = global.endpoint !== undefined ? ['--endpoint', global.endpoint] : global.local ? [] : ['AWS_ENDPOINT_URL', deps.env.AWS_ENDPOINT_URL];
    // An empty AWS_ENDPOINT_URL is unset, as for the SDK; an empty --endpoint is a mistake.
    const endpointError = endpoint !== undefined && (endpoint !== '' || endpointFrom === '--endpoint') ? endpointProblem(endpoint) : undefined;
    if (endpointError) {
      throw new RegionctlError('UsageError', `${endpointFrom} ${endpointError}`, 2, { hint: 'use a URL such as https://cloudformation.us-east-1.amazonaws.com or http://127.0.0.1:4566' });
    }
    state.json = global.json;
    state.color = global.color;
    const { createIo } = await import('./io/index.js');
    state.io = createIo({
      json: global.json,
      color: global.color,
      verbose: global.verbose,
      stdout: deps.stdout,
      stderr: deps.stderr,
      stdin: deps.stdin,
      isTTY: deps.isTTY,
      env: deps.env,
    });
    const { createContext } = await import('./commands/context.js');
    const ctx = createContext({ cwd: deps.cwd, env: deps.env, global, io: state.io, signal });
    try {
      const fn = await deps.loadCommand(name);
      await fn(ctx, flags(cmd.opts(), cmd));
    } finally {
      state.io.close();
      await ctx.dispose();
    }
  };

  program
    .command('init')
    .description('write a commented regionctl.yml')
    .option('--force', 'overwrite an existing file')
    .action(runCommand('init', (o) => ({ force: o.force === true })));

  program
    .command('synth')
    .description('render templates and Lambda zips per region into .regionctl/build/')
    .action(runCommand('synth', () => ({})));

  program
    .command('deploy')
    .description('deploy everything to every configured region (parallel, idempotent)')
    .option('--concurrency <n>', 'regions deployed at once', parseIntArg('--concurrency', 1, 64))
    .option('--yes', 'do not ask for confirmation')
    .option(WAIT_FLAG, WAIT_HELP)
    .action(runCommand('deploy', (o): DeployFlags => ({ concurrency: o.concurrency, yes: o.yes === true, wait: o.wait })));

  program
    .command('status')
    .description('one view of all regions: stacks, health, alarms, DNS, replication')
    .option('--watch', 'keep refreshing until interrupted')
    .option('--interval <seconds>', 'seconds between refreshes with --watch', parseDecimalArg('--interval', 1, 3600, 'seconds', '5 or 2.5'))
    .action(runCommand('status', (o): StatusFlags => ({ watch: o.watch === true, interval: o.interval })));

  program
    .command('destroy')
    .description('remove replicas, empty buckets, delete stacks (reverse order)')
    .option('--yes', 'do not ask for confirmation')
    .option(WAIT_FLAG, WAIT_HELP)
    .action(runCommand('destroy', (o): DestroyFlags => ({ yes: o.yes === true, wait: o.wait })));

  program
    .command('doctor')
    .description('check per region what a real deploy needs (credentials, region, zone, certificates, quotas) and print fixes')
    .action(runCommand('doctor', () => ({})));

  program
    .command('iam-policy')
    .description('print the IAM policy document a deploying principal needs')
    .option('--boundary', "print the permissions boundary for the stage's roles instead")
    .option('--hosted-zone-id <id>', 'name this hosted zone in the policy instead of every zone')
    .option('--split', 'print a JSON array of documents that each fit the managed-policy size quota')
    .action(runCommand('iam-policy', (o) => ({ boundary: o.boundary === true, hostedZoneId: o.hostedZoneId, split: o.split === true })));

  const local = program.command('local').description('the embedded local cloud');
  // --port, --time-scale and --dns-port are global flags (commander accepts them after the subcommand
  // too), so they are read from the globals.
  const localFlags = (action: LocalFlags['action']) => (o: Record<string, any>, cmd: Command): LocalFlags => ({
    action,
    port: cmd.optsWithGlobals().port,
    timeScale: cmd.optsWithGlobals().timeScale,
    foreground: o.foreground === true,
    dnsPort: cmd.optsWithGlobals().dnsPort,
    ...(o.requireAuth === true ? { requireAuth: true } : {}),
    ...(o.realism !== undefined ? { realism: String(o.realism) } : {}),
    ...(o.clientLocation !== undefined ? { clientLocation: String(o.clientLocation) } : {}),
  });
  for (const [action, description] of [
    ['start', 'start the local cloud in the background (or --foreground)'],
    ['stop', 'stop the local cloud'],
    ['status', 'show whether the local cloud runs, its port and virtual time'],
    ['reset', 'wipe the local cloud state and restart it'],
  ] as const) {
    const sub = local.command(action).description(description).configureHelp({ showGlobalOptions: true });
    if (action === 'start' || action === 'reset') sub.option('--foreground', 'run in this process until Ctrl-C');
    if (action === 'start') sub.option('--require-auth', 'verify SigV4 signatures with REGIONCTL_LOCAL_ACCESS_KEY_ID / REGIONCTL_LOCAL_SECRET_ACCESS_KEY');
    if (action === 'start') sub.option('--realism <profile>', 'timing profile: fast (default) or aws (AWS\'s delays on the cloud clock; docs/real-aws.md)');
    if (action === 'start') sub.option('--client-location <mode>', 'EDNS client subnets: subnets (default, 10.i = region i) or none (private addresses carry no location, as on AWS)');
    sub.action(runCommand('local', localFlags(action)));
  }

  const drill = program.command('drill').description('inject faults and measure failover');
  drill
    .command('simulate-unhealthy')
    .description("flip the region's health check to failing")
    .requiredOption('--region <region>', 'region to make unhealthy')
    .option(WAIT_FLAG, WAIT_HELP)
    .action(runCommand('drill', (o): DrillFlags => ({ action: 'simulate-unhealthy', region: o.region, all: false, wait: o.wait })));
  drill
    .command('restore')
    .description('undo any injected fault (also after a crash)')
    .addOption(new Option('--region <region>', 'region to restore').conflicts('all'))
    .option('--all', 'restore every region')
    .option(WAIT_FLAG, WAIT_HELP)
    .action(runCommand('drill', (o): DrillFlags => ({ action: 'restore', region: o.region, all: o.all === true, wait: o.wait })));
  drill
    .command('failover')
    .description('inject, watch every phase, restore, report RTO')
    .requiredOption('--region <region>', 'region to fail')
    .option('--objective <duration>', 'recovery time objective: pass when clients move within it (e.g. 90s, 5m)', parseDurationArg('--objective'), '5m')
    .option('--deadline <duration>', 'give up (and restore) after this long in each direction (e.g. 20m)', parseDurationArg('--deadline'), '20m')
    .option(WAIT_FLAG, WAIT_HELP)
    .action(runCommand('drill', (o): DrillFlags => ({ action: 'failover', region: o.region, all: false, objective: o.objective, deadline: o.deadline, wait: o.wait })));

  return program;
}

// Parses argv (process.argv shape), runs the command, and returns the exit code; never exits itself.
export async function run(argv: string[], deps: CliDeps = {}): Promise<number> {
  const full = {
    ...deps,
    stdout: deps.stdout ?? process.stdout,
    stderr: deps.stderr ?? process.stderr,
    env: deps.env ?? process.env,
    cwd: deps.cwd ?? process.cwd(),
    isTTY: deps.isTTY ?? Boolean(process.stderr.isTTY && process.stdin.isTTY),
    loadCommand: deps.loadCommand ?? loadCommandModule,
  };
  const signal = deps.signal ?? new AbortController().signal;
  const state: RunState = { json: argv.includes('--json'), color: wantsColor(!argv.includes('--no-color'), full.env, full.isTTY) };
  const program = buildProgram(full, signal, state);
  if (argv.length <= 2) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync(argv);
    if (signal.aborted) return reportError(new Interrupted(), { ...full, ...state, resultWritten: true });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; everything else commander rejects is a usage error
      // whose message commander has already printed.
      if (err.exitCode === 0) return 0;
      if (state.json) full.stdout.write(`${JSON.stringify({ error: { code: 'UsageError', message: err.message.replace(/^error: /, '') } })}\n`);
      return 2;
    }
    state.io?.close();
    // After Ctrl-C, whatever the command threw on its way out (AbortError, a cancelled request) is the interruption.
    const reason = signal.aborted && !(err instanceof RegionctlError) ? new Interrupted('Interrupted', 'interrupted', 130, { cause: err }) : err;
    return reportError(reason, { ...full, ...state, resultWritten: state.io?.resultWritten ?? false });
  }
}

// The process entry (bin/regionctl): Ctrl-C aborts the command's signal so it can restore what it
// injected; a second Ctrl-C quits at once.
export async function main(argv: string[], deps: Omit<CliDeps, 'signal'> = {}): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\ninterrupted: cleaning up (press Ctrl-C again to quit now)\n');
    controller.abort(new Interrupted());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await run(argv, { ...deps, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
