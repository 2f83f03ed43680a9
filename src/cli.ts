import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './commands/context.js';
import {
  deployOptions,
  destroyOptions,
  drillFailoverOptions,
  drillReplicationOptions,
  drillRestoreOptions,
  drillSimulateOptions,
  flagSyntax,
  gamedayHistoryOptions,
  gamedayRunOptions,
  globalOptions,
  iamPolicyOptions,
  invokeOptions,
  initOptions,
  localFaultLatencyOptions,
  localFaultOutageOptions,
  localFaultPauseOptions,
  localStartOptions,
  optionValues,
  replicationHealOptions,
  statusOptions,
  type DeployOptions,
  type DestroyOptions,
  type DrillOptions,
  type FlagTable,
  type GamedayHistoryOptions,
  type GamedayOptions,
  type IamPolicyOptions,
  type InvokeOptions,
  type InitOptions,
  type LocalOptions,
  type OptionValues,
  type ReplicationOptions,
  type StatusOptions,
} from './commands/options.js';
import { packageVersion } from './config/package-info.js';
import { Interrupted, RegionctlError } from './errors.js';
import type { CliIo } from './io/index.js';
import { reportError } from './io/report-error.js';
import type { TextSink } from './io/types.js';

// Everything heavy (io with ora, config with zod/yaml, the AWS SDK, command modules) is imported inside
// actions, so `regionctl --help` and `--version` load only commander and the option tables.

// What each command module's function takes, from the option tables (type-only imports: erased).
export interface CommandInputs {
  init: InitOptions;
  synth: Record<string, never>;
  deploy: DeployOptions;
  status: StatusOptions;
  destroy: DestroyOptions;
  doctor: Record<string, never>;
  'iam-policy': IamPolicyOptions;
  local: LocalOptions;
  drill: DrillOptions;
  replication: ReplicationOptions;
  invoke: InvokeOptions;
  'gameday-history': GamedayHistoryOptions;
  gameday: GamedayOptions;
}
export type CommandName = keyof CommandInputs;
export type CommandFn<N extends CommandName = CommandName> = (ctx: CommandContext, opts: CommandInputs[N]) => Promise<unknown>;

// How a command name becomes its module; tests substitute fakes.
export type CommandLoader = <N extends CommandName>(name: N) => Promise<CommandFn<N>>;

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
const commandModules: { [N in CommandName]: () => Promise<CommandFn<N>> } = {
  init: async () => (await import('./commands/init.js')).initCommand,
  synth: async () => (await import('./commands/synth.js')).synthCommand,
  deploy: async () => (await import('./commands/deploy.js')).deployCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  destroy: async () => (await import('./commands/destroy.js')).destroyCommand,
  local: async () => (await import('./commands/local.js')).localCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  'iam-policy': async () => (await import('./commands/iam-policy.js')).iamPolicyCommand,
  drill: async () => (await import('./commands/drill.js')).drillCommand,
  replication: async () => (await import('./commands/replication.js')).replicationCommand,
  invoke: async () => (await import('./commands/invoke.js')).invokeCommand,
  'gameday-history': async () => (await import('./commands/gameday-history.js')).gamedayHistoryCommand,
  gameday: async () => (await import('./commands/gameday.js')).gamedayCommand,
};

export const loadCommandModule: CommandLoader = (name) => commandModules[name]();

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

function truthyEnv(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

// Color only for humans: off with --no-color, NO_COLOR (any value, per no-color.org) or a non-TTY,
// unless FORCE_COLOR asks for it.
function wantsColor(flag: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!flag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  return truthyEnv(env.FORCE_COLOR) || isTTY;
}

// commander hands a value flag the next word even when it is one of our flags, so `deploy --config
// --json` would read a file named "--json" and quietly drop JSON output. A value that is a flag of
// this program is refused; any other word (a profile named "--odd") is still a value.
function refusingFlags<T>(syntax: string, parse: (raw: string) => T, known: ReadonlySet<string>): (raw: string) => T {
  return (raw) => {
    const next = raw.split('=')[0];
    if (known.has(next)) throw new InvalidArgumentError(`${syntax.split(' ')[0]} needs a value before the next flag ${next}.`);
    return parse(raw);
  };
}

/** Adds a table's flags to cmd in table order, and their names to known (every flag of the program, for refusingFlags). */
function addOptions(cmd: Command, table: FlagTable, known: Set<string>): Command {
  for (const [key, flag] of Object.entries(table)) {
    const syntax = flagSyntax(key, flag);
    known.add(syntax.split(' ')[0]);
    const option = new Option(syntax, flag.description);
    if (flag.kind !== 'boolean') option.argParser(refusingFlags(syntax, flag.parse, known));
    if (flag.kind === 'value') {
      if (flag.default !== undefined) option.default(flag.default);
      if (flag.required) option.makeOptionMandatory();
      if (flag.conflicts) option.conflicts([...flag.conflicts]);
    }
    cmd.addOption(option);
  }
  return cmd;
}

// Global flags, checked once: --local with --endpoint, and the endpoint (from the flag or
// AWS_ENDPOINT_URL) is an http(s) URL without credentials.
function globalOptionsOf(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, isTTY: boolean): GlobalOptions {
  const values = optionValues(globalOptions, raw);
  const global: GlobalOptions = { ...values, color: wantsColor(values.color, env, isTTY) };
  if (global.local && global.endpoint) throw new RegionctlError('UsageError', '--local and --endpoint cannot be combined', 2, { hint: 'use one of them' });
  // Checked here rather than by commander, whose message would echo a URL with a password in it.
  const [endpointFrom, endpoint] = global.endpoint !== undefined ? ['--endpoint', global.endpoint] : global.local ? [] : ['AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL];
  // An empty AWS_ENDPOINT_URL is unset, as for the SDK; an empty --endpoint is a mistake.
  const endpointError = endpoint !== undefined && (endpoint !== '' || endpointFrom === '--endpoint') ? endpointProblem(endpoint) : undefined;
  if (endpointError) {
    throw new RegionctlError('UsageError', `${endpointFrom} ${endpointError}`, 2, { hint: 'use a URL such as https://cloudformation.us-east-1.amazonaws.com or http://127.0.0.1:4566' });
  }
  return global;
}

interface RunState {
  io?: CliIo;
  json: boolean;
  color: boolean;
}

function buildProgram(deps: Required<Pick<CliDeps, 'stdout' | 'stderr' | 'env' | 'cwd' | 'isTTY' | 'loadCommand'>> & CliDeps, signal: AbortSignal, state: RunState): Command {
  const program = new Command('regionctl');
  program
    .description('Run one service active-active across AWS regions: deploy, route, observe, drill.')
    .version(packageVersion(), '-V, --version', 'print the regionctl version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.stdout.write(s), writeErr: (s) => deps.stderr.write(s) })
    .showSuggestionAfterError(true);
  const known = new Set(['--help', '--version']);
  addOptions(program, globalOptions, known).addHelpText(
    'after',
    '\nExit codes: 0 success, 1 an operation or check failed, 2 usage or configuration error, 130 interrupted.',
  );

  // Every command goes through here: read its table's flags, build io and context, run, dispose.
  function command<T extends FlagTable, N extends CommandName>(
    parent: Command,
    spec: { name: string; description: string; options: T; module: N; showGlobalOptions?: boolean },
    input: (values: OptionValues<T>, global: GlobalOptions, args: string[]) => CommandInputs[N],
  ): void {
    const cmd = addOptions(parent.command(spec.name).description(spec.description), spec.options, known);
    if (spec.showGlobalOptions) cmd.configureHelp({ showGlobalOptions: true });
    cmd.action(async () => {
      const global = globalOptionsOf(cmd.optsWithGlobals(), deps.env, deps.isTTY);
      const opts = input(optionValues(spec.options, cmd.opts()), global, cmd.args);
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
        const fn = await deps.loadCommand(spec.module);
        await fn(ctx, opts);
      } finally {
        state.io.close();
        await ctx.dispose();
      }
    });
  }
  const none = {} as const satisfies FlagTable;
  const same = <V,>(values: V): V => values;

  command(program, { name: 'init', description: 'write a commented regionctl.yml', options: initOptions, module: 'init' }, same);
  command(program, { name: 'synth', description: 'render templates and Lambda zips per region into .regionctl/build/', options: none, module: 'synth' }, () => ({}));
  command(program, { name: 'deploy', description: 'deploy everything to every configured region (parallel, idempotent)', options: deployOptions, module: 'deploy' }, same);
  command(program, { name: 'status', description: 'one view of all regions: stacks, health, alarms, DNS', options: statusOptions, module: 'status' }, same);
  command(program, { name: 'destroy', description: "delete the stage's stacks in reverse deploy order (the shared artifacts bucket is emptied once no stage uses it)", options: destroyOptions, module: 'destroy' }, same);
  command(
    program,
    { name: 'doctor', description: 'check per region what a real deploy needs (credentials, region, zone, certificates, quotas) and print fixes', options: none, module: 'doctor' },
    () => ({}),
  );
  command(
    program,
    { name: 'invoke <function>', description: "invoke one of the stage's bundled functions in a region and print its result (--log: and its log tail)", options: invokeOptions, module: 'invoke' },
    (o, _g, args) => ({ function: args[0] ?? '', ...o }),
  );
  command(program, { name: 'iam-policy', description: 'print the IAM policy document a deploying principal needs', options: iamPolicyOptions, module: 'iam-policy' }, same);

  const local = program.command('local').description('the embedded local cloud');
  // --port, --time-scale and --dns-port are global flags (commander accepts them after the subcommand
  // too), so they are read from the globals.
  const localInput =
    (action: LocalOptions['action']) =>
    (values: Partial<OptionValues<typeof localStartOptions>>, g: GlobalOptions): LocalOptions => ({ action, port: g.port, timeScale: g.timeScale, dnsPort: g.dnsPort, ...values });
  const localSpec = (name: string, description: string) => ({ name, description, module: 'local' as const, showGlobalOptions: true });
  command(local, { ...localSpec('start', 'start the local cloud in the background (or --foreground)'), options: localStartOptions }, localInput('start'));
  command(local, { ...localSpec('stop', 'stop the local cloud'), options: none }, localInput('stop'));
  command(local, { ...localSpec('status', 'show whether the local cloud runs, its port and virtual time'), options: none }, localInput('status'));
  command(local, { ...localSpec('reset', 'wipe the local cloud state and restart it'), options: none }, localInput('reset'));
  const fault = local.command('fault').description('inject a fault into the local cloud (journaled; `drill restore` or `local fault clear` lifts it)');
  const faultInput = (kind: 'region-outage' | 'replication-pause' | 'latency' | 'clear') => (values: object, g: GlobalOptions): LocalOptions => ({ action: 'fault', fault: kind, port: g.port, ...values });
  command(fault, { ...localSpec('region-outage', 'take a whole region out: every endpoint answers 503, its replication stops, its health checks fail'), options: localFaultOutageOptions }, faultInput('region-outage'));
  command(fault, { ...localSpec('replication-pause', 'pause global-table replication from one region to another'), options: localFaultPauseOptions }, faultInput('replication-pause'));
  command(fault, { ...localSpec('latency', 'add latency to every request to a region'), options: localFaultLatencyOptions }, faultInput('latency'));
  command(fault, { ...localSpec('clear', 'lift every fault in the local cloud'), options: none }, faultInput('clear'));

  const drill = program.command('drill').description('inject faults and measure failover');
  const drillSpec = (name: DrillOptions['action'], description: string) => ({ name, description, module: 'drill' as const });
  command(drill, { ...drillSpec('simulate-unhealthy', "flip the region's health check to failing"), options: drillSimulateOptions }, (o) => ({ action: 'simulate-unhealthy', all: false, ...o }));
  command(drill, { ...drillSpec('restore', 'undo any injected fault (also after a crash)'), options: drillRestoreOptions }, (o) => ({ action: 'restore', ...o }));
  command(drill, { ...drillSpec('failover', 'inject, watch every phase, restore, report RTO'), options: drillFailoverOptions }, (o) => ({ action: 'failover', all: false, ...o }));
  command(
    drill,
    { ...drillSpec('replication', 'write canaries in every region; report lag per region pair, items missing at the deadline (RPO) and events per write'), options: drillReplicationOptions },
    (o) => ({ action: 'replication', all: false, ...o }),
  );

  const gameday = program.command('gameday').description('scripted game days: steady state, steps, stop conditions, rollbacks, reports, history');
  command(
    gameday,
    { name: 'run <file>', description: 'run a game-day file (validated whole first); exit 0 passed, 1 failed/deviated/aborted, 130 interrupted', options: gamedayRunOptions, module: 'gameday' },
    (o, _g, args) => ({ action: 'run', file: args[0] ?? '', ...o }),
  );

  const replication = program.command('replication').description('object replication between the regions\' buckets');
  command(
    replication,
    { name: 'heal', description: 're-chain around unhealthy regions; once they recover, restore the chain and backfill what they missed', options: replicationHealOptions, module: 'replication' },
    (o) => ({ action: 'heal', ...o }),
  );

  command(gameday, { name: 'history', description: 'past game-day runs: verdict, RTO, RPO, replication lag p99 and the RTO trend', options: gamedayHistoryOptions, module: 'gameday-history' }, same);

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
