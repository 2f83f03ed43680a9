import type { AwsProvider } from '../aws/provider.js';
import type { ResolvedConfig } from '../config/schema.js';
import { RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import type { Sleeper } from '../wait.js';
import type { GlobalFlagValues } from './options.js';

// The global flags as src/cli.ts normalised them (color: whether to use it, after NO_COLOR and the TTY).
// Contexts built in code and tests may leave out what the table defaults.
export type GlobalOptions = Partial<GlobalFlagValues> & Pick<GlobalFlagValues, 'json' | 'color' | 'verbose'>;

export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  global: GlobalOptions;
  io: Io;
  signal: AbortSignal;
  // Applies --config, --stage and --regions.
  loadConfig(): Promise<ResolvedConfig>;
  // Lazy so commands that never touch AWS (init, synth, --help) never load the SDK.
  aws(): Promise<AwsProvider>;
  // What waits on the cloud's own transitions (a replica CREATING → ACTIVE) sleep on. Absent: the
  // endpoint's clock (cloudClock: a local cloud's scaled time, else the wall). Tests with an
  // in-process cloud on a manual clock pass one that advances it.
  clock?: Sleeper;
}

// The local cloud imports nothing from the CLI, so its daemon's explained failures (port in use,
// did not start) arrive as DaemonError and become RegionctlErrors here: exit 1, message, hint.
export function explainDaemonError(err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== 'DaemonError') return err;
  const { code, hint } = err as Error & { code: string; hint?: string };
  return new RegionctlError(code, err.message, 1, { cause: err, ...(hint ? { hint } : {}) });
}

// The local cloud accepts any key; these match what its docs and the AWS CLI examples use.
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

// What the CLI holds beyond the contract: closing the provider's sockets once the command is done.
export interface OwnedCommandContext extends CommandContext {
  dispose(): Promise<void>;
}

// Generic over the io so tests that pass a memory io get it back typed (ctx.io.stdout).
export function createContext<I extends Io = Io>(opts: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  global: GlobalOptions;
  io: I;
  signal?: AbortSignal;
  clock?: Sleeper;
}): OwnedCommandContext & { io: I } {
  const { cwd, env, global, io } = opts;
  const signal = opts.signal ?? new AbortController().signal;
  let config: Promise<ResolvedConfig> | undefined;
  let provider: Promise<AwsProvider> | undefined;

  async function makeProvider(): Promise<AwsProvider> {
    const { AwsProvider } = await import('../aws/provider.js');
    if (global.local) {
      const daemon = await import('../local-cloud/daemon.js');
      const { warnMismatch } = await import('./local.js');
      const local = await daemon
        .ensureLocalCloud({ cwd, port: global.port, timeScale: global.timeScale, dnsPort: global.dnsPort })
        .catch((err: unknown) => {
          throw explainDaemonError(err);
        });
      if (local.started) io.emit({ kind: 'info', message: `started the local cloud at ${local.url}` });
      else warnMismatch({ io }, daemon.mismatchedFlags(local.running, global));
      // A daemon started with --require-auth accepts only its configured key pair.
      const { localAuthKeys } = await import('../local-cloud/sigv4-verify.js');
      return new AwsProvider({ endpoint: local.url, credentials: localAuthKeys(env) ?? { ...LOCAL_CREDENTIALS }, env });
    }
    return new AwsProvider({ profile: global.profile, endpoint: global.endpoint, env });
  }

  return {
    cwd,
    env,
    global,
    io,
    signal,
    ...(opts.clock ? { clock: opts.clock } : {}),
    loadConfig() {
      config ??= import('../config/load.js').then(({ loadConfig }) =>
        loadConfig({ cwd, file: global.config, stage: global.stage, regions: global.regions }),
      );
      return config;
    },
    aws() {
      provider ??= makeProvider();
      // A failed start (e.g. port busy) should not be cached: the next call may succeed.
      provider.catch(() => (provider = undefined));
      return provider;
    },
    async dispose() {
      const p = provider;
      provider = undefined;
      if (p) (await p.catch(() => undefined))?.close();
    },
  };
}
