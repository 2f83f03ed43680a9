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
}
export interface StatusFlags {
  watch: boolean;
  interval?: number;
}
export interface DestroyFlags {
  yes: boolean;
}
export interface LocalFlags {
  action: 'start' | 'stop' | 'status' | 'reset';
  port?: number;
  timeScale?: number;
  foreground: boolean;
  dnsPort?: number;
  requireAuth?: boolean;
}
export interface DrillFlags {
  action: 'simulate-unhealthy' | 'restore' | 'failover';
  region?: string;
  all: boolean;
  objective?: string;
  deadline?: string;
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

function parseIntArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number.');
  return n;
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
    .option('--port <port>', 'local cloud port (default 4566)', parseIntArg('--port', 1, 65535))
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
      json: raw.json === true,
      color: wantsColor(raw.color !== false, deps.env, deps.isTTY),
      verbose: raw.verbose === true,
    };
    if (global.local && global.endpoint) throw new RegionctlError('UsageError', '--local and --endpoint cannot be combined', 2, { hint: 'use one of them' });
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
    .action(runCommand('deploy', (o): DeployFlags => ({ concurrency: o.concurrency, yes: o.yes === true })));

  program
    .command('status')
    .description('one view of all regions: stacks, health, alarms, DNS, replication')
    .option('--watch', 'keep refreshing until interrupted')
    .option('--interval <seconds>', 'seconds between refreshes with --watch', parsePositive)
    .action(runCommand('status', (o): StatusFlags => ({ watch: o.watch === true, interval: o.interval })));

  program
    .command('destroy')
    .description('remove replicas, empty buckets, delete stacks (reverse order)')
    .option('--yes', 'do not ask for confirmation')
    .action(runCommand('destroy', (o): DestroyFlags => ({ yes: o.yes === true })));

  program
    .command('doctor')
    .description('check per region what a real deploy needs (credentials, region, zone, certificates, quotas) and print fixes')
    .action(runCommand('doctor', () => ({})));

  program
    .command('iam-policy')
    .description('print the IAM policy document a deploying principal needs')
    .action(runCommand('iam-policy', () => ({})));

  const local = program.command('local').description('the embedded local cloud');
  // --port is a global flag (commander accepts it after the subcommand too), so it is read from the globals.
  const localFlags = (action: LocalFlags['action']) => (o: Record<string, any>, cmd: Command): LocalFlags => ({
    action,
    port: cmd.optsWithGlobals().port,
    timeScale: o.timeScale,
    foreground: o.foreground === true,
    dnsPort: o.dnsPort,
    requireAuth: o.requireAuth === true ? true : undefined,
  });
  for (const [action, description] of [
    ['start', 'start the local cloud in the background (or --foreground)'],
    ['stop', 'stop the local cloud'],
    ['status', 'show whether the local cloud runs, its port and virtual time'],
    ['reset', 'wipe the local cloud state and restart it'],
  ] as const) {
    const sub = local.command(action).description(description);
    if (action === 'start' || action === 'reset') {
      sub
        .option('--time-scale <factor>', 'virtual seconds per real second (default 60)', parsePositive)
        .option('--foreground', 'run in this process until Ctrl-C')
        .option('--dns-port <port>', 'UDP port of the DNS server (default 5353)', parseIntArg('--dns-port', 1, 65535));
    }
    if (action === 'start') sub.option('--require-auth', 'verify SigV4 signatures with REGIONCTL_LOCAL_ACCESS_KEY_ID / REGIONCTL_LOCAL_SECRET_ACCESS_KEY');
    sub.action(runCommand('local', localFlags(action)));
  }

  const drill = program.command('drill').description('inject faults and measure failover');
  drill
    .command('simulate-unhealthy')
    .description("flip the region's health check to failing")
    .requiredOption('--region <region>', 'region to make unhealthy')
    .action(runCommand('drill', (o): DrillFlags => ({ action: 'simulate-unhealthy', region: o.region, all: false })));
  drill
    .command('restore')
    .description('undo any injected fault (also after a crash)')
    .addOption(new Option('--region <region>', 'region to restore').conflicts('all'))
    .option('--all', 'restore every region')
    .action(runCommand('drill', (o): DrillFlags => ({ action: 'restore', region: o.region, all: o.all === true })));
  drill
    .command('failover')
    .description('inject, watch every phase, restore, report RTO')
    .requiredOption('--region <region>', 'region to fail')
    .option('--objective <duration>', 'recovery time objective: pass when clients move within it (e.g. 90s, 5m)', '5m')
    .option('--deadline <duration>', 'give up (and restore) after this long in each direction (e.g. 20m)', '20m')
    .action(runCommand('drill', (o): DrillFlags => ({ action: 'failover', region: o.region, all: false, objective: o.objective, deadline: o.deadline })));

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
