import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { CLIENT_LOCATION_MODES, REALISM_PROFILES } from '../local-cloud/realism.js';

// Every flag of every command, declared once: name (the table key, camelCase of the flag), kind,
// description, default, validation. src/cli.ts builds the commander program from these tables and
// hands each command the options object whose type is derived here, so a flag cannot be parsed
// one way and read another. This module loads only commander: `regionctl --help` stays light.

/** A switch: absent is false. `negate` declares it as --no-<name> (present by default). */
interface BooleanFlag {
  kind: 'boolean';
  description: string;
  negate?: boolean;
}

/** --name <placeholder>: parse validates and converts (throwing InvalidArgumentError). */
interface ValueFlag<T> {
  kind: 'value';
  placeholder: string;
  description: string;
  parse: (raw: string) => T;
  default?: T;
  required?: boolean;
  /** Names of flags it cannot be combined with. */
  conflicts?: readonly string[];
}

/** --name [placeholder]: absent, present alone (true), or present with a parsed value. */
interface OptionalValueFlag<T> {
  kind: 'optional-value';
  placeholder: string;
  description: string;
  parse: (raw: string) => T;
}

type Flag = BooleanFlag | ValueFlag<unknown> | OptionalValueFlag<unknown>;
export type FlagTable = Readonly<Record<string, Flag>>;

/** The value a command receives for one flag. */
type FlagValue<F> = F extends BooleanFlag
  ? boolean
  : F extends ValueFlag<infer T>
    ? F extends { default: unknown } | { required: true }
      ? T
      : T | undefined
    : F extends OptionalValueFlag<infer T>
      ? T | true | undefined
      : never;

/** What the edge hands a command: every flag of the table, parsed, defaults applied. */
export type OptionValues<T extends FlagTable> = { -readonly [K in keyof T]: FlagValue<T[K]> };

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The commander flags string of one table entry, e.g. "--dns-port <port>" or "--no-color". */
export function flagSyntax(key: string, flag: Flag): string {
  if (flag.kind === 'boolean') return flag.negate ? `--no-${flagName(key).slice(2)}` : flagName(key);
  return flag.kind === 'value' ? `${flagName(key)} <${flag.placeholder}>` : `${flagName(key)} [${flag.placeholder}]`;
}

/** Reads a table's values out of what commander parsed (already validated by each flag's parse). */
export function optionValues<T extends FlagTable>(table: T, raw: Record<string, unknown>): OptionValues<T> {
  const out: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(table)) {
    // commander stores --no-color as color: false, and as true when absent.
    out[key] = flag.kind === 'boolean' ? (flag.negate ? raw[key] !== false : raw[key] === true) : raw[key];
  }
  return out as OptionValues<T>;
}

const bool = (description: string): BooleanFlag => ({ kind: 'boolean', description });

function value<T, const E extends Partial<Pick<ValueFlag<T>, 'default' | 'required' | 'conflicts'>> = object>(
  placeholder: string,
  description: string,
  parse: (raw: string) => T,
  extra?: E,
): ValueFlag<T> & E {
  return { kind: 'value', placeholder, description, parse, ...(extra as E) };
}

const text = (raw: string): string => raw;

/** One of a fixed list of words. */
function parseChoice<const C extends string>(name: string, choices: readonly C[]) {
  return (raw: string): C => {
    if (!(choices as readonly string[]).includes(raw)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(', ')}.`);
    return raw as C;
  };
}

// Flag values are checked at the edge, so commands get typed, in-range values. Number() is not used
// to parse them: it takes "1e3", "0x1202", " 12 " and even "" (as 0).
function parseIntArg(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, in decimal digits.`);
    return n;
  };
}

/** A decimal such as 60 or 0.5, within [min, max]. */
function parseDecimalArg(name: string, min: number, max: number, unit: string, examples: string) {
  return (raw: string): number => {
    const n = /^[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max} ${unit}, in decimal digits (such as ${examples}).`);
    return n;
  };
}

/** The same rule for code that calls a command without the CLI: a bad duration is a usage error. */
export function parseDuration(flag: string, raw: string): number {
  const seconds = durationSeconds(raw.trim());
  if (seconds === undefined) throw new UsageError('BadDuration', `${flag} must be a duration such as 90s, 5m or 1h, got "${raw}"`);
  return seconds;
}

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(s|m|h)?$/;

/** "90s", "5m", "1h" or plain seconds → seconds; undefined when it is not a duration. */
function durationSeconds(raw: string): number | undefined {
  const m = DURATION.exec(raw);
  return m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : undefined;
}

// Anything over a day is a typo for the drill's objective and deadline.
const MAX_DURATION_SECONDS = 86_400;
function parseDurationArg(name: string) {
  return (raw: string): string => {
    const seconds = durationSeconds(raw) ?? NaN;
    if (!(seconds > 0 && seconds <= MAX_DURATION_SECONDS)) throw new InvalidArgumentError(`${name} must be a duration such as 90s, 5m or 1h (more than 0, at most 24h).`);
    return raw;
  };
}

/** The local cloud's --rest-after in seconds: `never` is 0, otherwise a duration up to 24 h. */
function parseRestAfter(raw: string): number {
  if (raw.trim().toLowerCase() === 'never') return 0;
  return durationSeconds(parseDurationArg('--rest-after')(raw).trim())!;
}

function parseList(raw: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new InvalidArgumentError('expected a comma-separated list such as us-east-1,eu-west-1.');
  return list;
}

/** `--wait` alone waits this long for another run on the stage to finish. */
export const DEFAULT_LOCK_WAIT = '30m';

// Commands that change a stage take its lock; --wait waits for another run to finish instead of
// exiting 1 with "locked by pid N". 0s means do not wait.
const waitFlag: OptionalValueFlag<string> = {
  kind: 'optional-value',
  placeholder: 'duration',
  description: `if another regionctl holds the stage lock, wait for it (default ${DEFAULT_LOCK_WAIT}; e.g. 90s, 10m) instead of exiting 1`,
  parse: (raw) => {
    if (durationSeconds(raw) === undefined) throw new InvalidArgumentError('--wait must be a duration such as 90s, 5m or 1h.');
    return raw;
  },
};

const port = (name: string) => parseIntArg(name, 0, 65535);

/** Flags every command takes, before or after its name. */
export const globalOptions = {
  config: value('file', 'configuration file (default: ./regionctl.yml)', text),
  stage: value('stage', 'stage to operate on (overrides the config)', text),
  regions: value('list', 'comma-separated regions (overrides the config)', parseList),
  profile: value('profile', 'AWS profile (default: AWS_PROFILE or the default chain)', text),
  endpoint: value('url', 'AWS endpoint URL (default: AWS_ENDPOINT_URL)', text),
  local: bool('use the embedded local cloud, starting it if needed'),
  port: value('port', 'local cloud port (default 4566; 0 picks a free one for `local start`)', port('--port')),
  // Global, like --port, so that --local honours them when it starts the local cloud.
  timeScale: value(
    'factor',
    'local cloud: virtual seconds per real second when it starts (default 60)',
    parseDecimalArg('--time-scale', 0.001, 3600, 'virtual seconds per second', '60 or 0.5'),
  ),
  dnsPort: value('port', 'local cloud: UDP port of its DNS server when it starts (default 5353, 0 any free port)', port('--dns-port')),
  json: bool('print one JSON document on stdout and nothing else there'),
  color: { kind: 'boolean', negate: true, description: 'disable colors (NO_COLOR is honoured too)' } satisfies BooleanFlag,
  verbose: bool('show debug output'),
} as const satisfies FlagTable;

export const initOptions = { force: bool('overwrite an existing file') } as const satisfies FlagTable;

export const deployOptions = {
  concurrency: value('n', 'regions deployed at once', parseIntArg('--concurrency', 1, 64)),
  removeReplicas: bool('remove global-table replicas in regions no longer listed without asking'),
  wait: waitFlag,
} as const satisfies FlagTable;

export const statusOptions = {
  watch: bool('keep refreshing until interrupted'),
  interval: value('seconds', 'seconds between refreshes with --watch', parseDecimalArg('--interval', 1, 3600, 'seconds', '5 or 2.5')),
} as const satisfies FlagTable;

export const destroyOptions = {
  yes: bool('do not ask for confirmation'),
  wait: waitFlag,
} as const satisfies FlagTable;

export const iamPolicyOptions = {
  boundary: bool("print the permissions boundary for the stage's roles instead"),
  hostedZoneId: value('id', 'name this hosted zone in the policy instead of every zone', text),
  split: bool('print a JSON array of documents that each fit the managed-policy size quota'),
} as const satisfies FlagTable;

export const localStartOptions = {
  foreground: bool('run in this process until Ctrl-C'),
  requireAuth: bool('verify SigV4 signatures with REGIONCTL_LOCAL_ACCESS_KEY_ID / REGIONCTL_LOCAL_SECRET_ACCESS_KEY'),
  realism: value('profile', "timing profile: fast (default) or aws (AWS's delays on the cloud clock; docs/real-aws.md)", parseChoice('--realism', REALISM_PROFILES)),
  clientLocation: value('mode', 'EDNS client subnets: subnets (default, 10.i = region i) or none (private addresses carry no location, as on AWS)', parseChoice('--client-location', CLIENT_LOCATION_MODES)),
  restAfter: value('duration', 'run the clock at real time after this long without a client (default 30s; never: keep the time scale)', parseRestAfter),
} as const satisfies FlagTable;

// ---- local fault ... and gameday run (issue 12) ----

export const localFaultOutageOptions = {
  region: value('region', 'region to take out: every endpoint answers 503, its replication stops, its checks fail', text, { required: true }),
  duration: value('duration', 'end the outage by itself after this long on the cloud clock (e.g. 5m)', parseDurationArg('--duration')),
} as const satisfies FlagTable;

export const localFaultPauseOptions = {
  from: value('region', 'region whose writes stop replicating', text, { required: true }),
  to: value('region', 'region that stops receiving them', text, { required: true }),
  duration: value('duration', 'lift the pause by itself after this long on the cloud clock (e.g. 2m)', parseDurationArg('--duration')),
} as const satisfies FlagTable;

export const localFaultLatencyOptions = {
  region: value('region', 'region whose every request is slowed', text, { required: true }),
  ms: value('n', 'milliseconds added to every request (1 to 60000)', parseIntArg('--ms', 1, 60_000), { required: true }),
  duration: value('duration', 'remove the latency by itself after this long on the cloud clock', parseDurationArg('--duration')),
} as const satisfies FlagTable;

export const gamedayRunOptions = {
  dryRun: bool('validate the file and print the plan; change nothing'),
  reportDir: value('dir', 'where journal.json and the reports go (default .regionctl/gamedays/<timestamp>/)', text),
  wait: waitFlag,
} as const satisfies FlagTable;

export type LocalFaultKind = 'region-outage' | 'replication-pause' | 'latency' | 'clear';
/** local fault region-outage|replication-pause|latency|clear. */
export type LocalFaultOptions = { fault: LocalFaultKind } & Partial<
  OptionValues<typeof localFaultOutageOptions> & OptionValues<typeof localFaultPauseOptions> & OptionValues<typeof localFaultLatencyOptions>
>;

/** gameday run FILE. */
export type GamedayOptions = { action: 'run'; file: string } & Partial<OptionValues<typeof gamedayRunOptions>>;

// ---- end of issue 12 tables ----

export const drillSimulateOptions = {
  region: value('region', 'region to make unhealthy', text, { required: true }),
  wait: waitFlag,
} as const satisfies FlagTable;

export const drillRestoreOptions = {
  region: value('region', 'region to restore', text, { conflicts: ['all'] }),
  all: bool('restore every region'),
  wait: waitFlag,
} as const satisfies FlagTable;

export const drillFailoverOptions = {
  region: value('region', 'region to fail', text, { required: true }),
  objective: value('duration', 'recovery time objective: pass when clients move within it (e.g. 90s, 5m)', parseDurationArg('--objective'), { default: '5m' }),
  deadline: value('duration', 'give up (and restore) after this long in each direction (e.g. 20m)', parseDurationArg('--deadline'), { default: '20m' }),
  wait: waitFlag,
} as const satisfies FlagTable;

export const invokeOptions = {
  region: value('region', 'region whose function to invoke', text, { required: true }),
  data: value('json|@file', 'the event: inline JSON, or @file holding JSON (default {})', text),
  log: bool("print the tail of the invocation's log"),
} as const satisfies FlagTable;

export const drillReplicationOptions = {
  samples: value('n', 'canary items written in each region', parseIntArg('--samples', 1, 100_000), { default: 100 }),
  duringPause: value('from,to', 'pause replication from one region to another while writing (local cloud), and report catch-up', parseList),
  isolate: value('region', "cut a region off from the others while writing (local cloud), and report what the table's consistency mode does", text),
  buckets: bool("drill the replication buckets instead of the table: canary objects in every region's bucket, lag per pair, missing, copies per object per bucket"),
} as const satisfies FlagTable;

export const replicationHealOptions = {
  wait: waitFlag,
} as const satisfies FlagTable;

// gameday history (issue 12, reports side)
export const gamedayHistoryOptions = {
  reportDir: value('dir', 'where game-day reports are kept: one folder per run holding journal.json (default .regionctl/gamedays)', text),
} as const satisfies FlagTable;

export type GlobalFlagValues = OptionValues<typeof globalOptions>;

// The options object each command function takes. The CLI always passes every key; code and tests
// that call a command directly may leave out what they do not need (the command then applies the
// table's default).
export type InitOptions = Partial<OptionValues<typeof initOptions>>;
export type DeployOptions = Partial<OptionValues<typeof deployOptions>>;
export type StatusOptions = Partial<OptionValues<typeof statusOptions>>;
export type DestroyOptions = Partial<OptionValues<typeof destroyOptions>>;
export type IamPolicyOptions = Partial<OptionValues<typeof iamPolicyOptions>>;
/** invoke FUNCTION: the positional function name and the table's flags. */
export type InvokeOptions = { function: string } & Partial<OptionValues<typeof invokeOptions>>;

type LocalAction = 'start' | 'stop' | 'status' | 'reset' | 'fault';
/** local start|stop|status|reset|fault: the action, the global local-cloud flags, and start's own (fault: which one and its flags). */
export type LocalOptions = { action: LocalAction } & Partial<Pick<GlobalFlagValues, 'port' | 'timeScale' | 'dnsPort'> & OptionValues<typeof localStartOptions>> & Partial<LocalFaultOptions>;

type DrillAction = 'simulate-unhealthy' | 'restore' | 'failover' | 'replication';
/** drill simulate-unhealthy|restore|failover: one object for the three subcommands' flags. */
export type DrillOptions = { action: DrillAction } & Partial<
  OptionValues<typeof drillSimulateOptions> & OptionValues<typeof drillRestoreOptions> & OptionValues<typeof drillFailoverOptions> & OptionValues<typeof drillReplicationOptions>
>;

/** gameday history: where to look for past runs. */
export type GamedayHistoryOptions = Partial<OptionValues<typeof gamedayHistoryOptions>>;

/** replication heal: re-chain around unhealthy regions and backfill. */
export type ReplicationOptions = { action: 'heal' } & Partial<OptionValues<typeof replicationHealOptions>>;
