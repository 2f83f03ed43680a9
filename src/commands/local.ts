import { RegionctlError, UsageError } from '../errors.js';
import { LOCAL_KEY_ENV, localAuthKeys, type LocalCredentials } from '../local-cloud/sigv4-verify.js';
import { explainDaemonError, type CommandContext } from './context.js';
import type { LocalOptions as LocalCommandOptions } from './options.js';

export async function localCommand(ctx: CommandContext, opts: LocalCommandOptions): Promise<void> {
  try {
    await run(ctx, opts);
  } catch (err) {
    throw explainDaemonError(err);
  }
}

async function run(ctx: CommandContext, opts: LocalCommandOptions): Promise<void> {
  const daemon = await import('../local-cloud/daemon.js');
  const port = opts.port ?? ctx.global.port;
  const cloudMode = {
    ...(opts.realism ? { realism: opts.realism } : {}),
    ...(opts.clientLocation ? { clientLocation: opts.clientLocation } : {}),
    ...(opts.restAfter !== undefined ? { restAfterSeconds: opts.restAfter } : {}),
  };
  let keys: LocalCredentials | undefined;
  if (opts.requireAuth) {
    keys = localAuthKeys(ctx.env);
    if (!keys) {
      throw new UsageError('MissingLocalKeys', `--require-auth needs the key pair it accepts: set ${LOCAL_KEY_ENV.id} and ${LOCAL_KEY_ENV.secret}`);
    }
  }
  switch (opts.action) {
    case 'start': {
      if (opts.foreground) {
        await daemon
          .runForeground({
            cwd: ctx.cwd,
            port,
            timeScale: opts.timeScale,
            dnsPort: opts.dnsPort,
            requireAuth: keys,
            ...cloudMode,
            signal: ctx.signal,
            onReady: (info) => ctx.io.emit({ kind: 'success', message: `local cloud listening on ${info.url}${info.dnsPort ? `, DNS on udp/127.0.0.1:${info.dnsPort}` : ''} (time scale ${info.timeScale}, state ${info.dataDir})` }),
          })
          .catch((err: unknown) => {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'EADDRINUSE' || code === 'EACCES') {
              throw new RegionctlError('LocalCloudNotStarted', `cannot listen on 127.0.0.1:${port ?? daemon.DEFAULT_PORT}: ${(err as Error).message}`, 1, { cause: err, hint: 'pick another port with --port' });
            }
            throw err;
          });
        return;
      }
      const started = await daemon.startDaemon({ cwd: ctx.cwd, port, timeScale: opts.timeScale, dnsPort: opts.dnsPort, requireAuth: opts.requireAuth, ...cloudMode });
      const verb = started.alreadyRunning ? 'already running' : 'started';
      if (started.alreadyRunning) warnMismatch(ctx, daemon.mismatchedFlags(started.running, opts));
      // The bound ports are part of the answer: with --port 0 / --dns-port 0 they are only known now.
      const dnsPort = started.info?.dnsPort ?? null;
      ctx.io.result(`local cloud ${verb} on ${started.url}${dnsPort ? `, DNS on udp/127.0.0.1:${dnsPort}` : ''}\n`, {
        running: true,
        started: !started.alreadyRunning,
        url: started.url,
        port: Number(new URL(started.url).port),
        dnsPort,
        pid: started.info?.pid ?? null,
      });
      return;
    }
    case 'stop': {
      const stopped = await daemon.stopDaemon(ctx.cwd, { port });
      ctx.io.result(stopped ? 'local cloud stopped (state kept; `regionctl local reset` wipes it)\n' : 'local cloud was not running\n', { stopped });
      return;
    }
    case 'status': {
      const status = await daemon.daemonStatus(ctx.cwd, port);
      const { localFaults } = await import('../drill/local-faults.js');
      const faults = status.running && status.url ? ((await localFaults(status.url).get()) as ActiveFaults) : null;
      ctx.io.result(
        status.running
          ? `local cloud running on ${status.url} (pid ${status.info?.pid ?? '?'}, cloud time ${status.now}, time scale ${status.timeScale}${status.restAfterSeconds ? `, real time after ${status.restAfterSeconds} s without a client` : ''})\n${renderFaults(faults)}`
          : 'local cloud is not running (`regionctl local start` or any command with --local starts it)\n',
        {
          running: status.running,
          url: status.url ?? null,
          pid: status.info?.pid ?? null,
          now: status.now ?? null,
          timeScale: status.timeScale ?? null,
          restAfterSeconds: status.restAfterSeconds ?? null,
          dnsPort: status.dnsPort ?? null,
          faults: faults ? activeFaultList(faults) : null,
        },
      );
      return;
    }
    case 'fault':
      await faultCommand(ctx, opts, port);
      return;
    case 'reset': {
      const result = await daemon.resetDaemon(ctx.cwd, { port, timeScale: opts.timeScale, dnsPort: opts.dnsPort });
      ctx.io.result(result.restarted ? `local cloud state wiped; restarted on ${result.url}\n` : 'local cloud state wiped\n', {
        reset: true,
        restarted: result.restarted,
        ...(result.url ? { url: result.url } : {}),
        ...(result.info ? { timeScale: result.info.timeScale, dnsPort: result.info.dnsPort ?? null } : {}),
      });
      return;
    }
  }
}

export function warnMismatch(ctx: Pick<CommandContext, 'io'>, mismatched: string[]): void {
  if (mismatched.length === 0) return;
  ctx.io.emit({ kind: 'warn', message: `the local cloud was already running, so ${mismatched.join(' and ')} did not apply; run "regionctl local stop" first to restart it with them` });
}

interface ActiveFaults {
  regionOutages?: string[];
  latencyMs?: Record<string, number>;
  replicationPaused?: string[];
  until?: Record<string, string>;
}

/** The faults in place, one entry each (`local status --json`: faults[]). */
function activeFaultList(f: ActiveFaults): Array<{ fault: string; region: string; to?: string; ms?: number; until: string | null }> {
  const until = (key: string) => f.until?.[key] ?? null;
  return [
    ...(f.regionOutages ?? []).map((region) => ({ fault: 'region-outage', region, until: until(`outage:${region}`) })),
    ...(f.replicationPaused ?? []).map((pair) => {
      const [region, to] = pair.split('>') as [string, string];
      return { fault: 'replication-pause', region, to, until: until(`pause:${pair}`) };
    }),
    ...Object.entries(f.latencyMs ?? {}).map(([region, ms]) => ({ fault: 'latency', region, ms, until: until(`latency:${region}`) })),
  ];
}

function renderFaults(f: ActiveFaults | null): string {
  const list = f ? activeFaultList(f) : [];
  if (list.length === 0) return 'faults: none\n';
  return (
    'faults:\n' +
    list
      .map((x) => `  ${x.fault} ${x.region}${x.to ? ` → ${x.to}` : ''}${x.ms !== undefined ? ` +${x.ms} ms` : ''}${x.until ? ` (ends ${x.until} cloud time)` : ''}\n`)
      .join('')
  );
}

// local fault ...: journaled (for the stage regionctl.yml names, so `drill restore` lifts it after
// a crash), then applied through the local cloud's fault endpoint. --endpoint picks a local cloud
// other than this directory's daemon.
async function faultCommand(ctx: CommandContext, opts: LocalCommandOptions, port: number | undefined): Promise<void> {
  const daemon = await import('../local-cloud/daemon.js');
  const status = ctx.global.endpoint ? undefined : await daemon.daemonStatus(ctx.cwd, port);
  const endpoint = ctx.global.endpoint ?? (status?.running ? status.url : undefined);
  if (!endpoint) {
    throw new RegionctlError('LocalCloudNotRunning', 'the local cloud is not running, so there is nothing to inject a fault into', 1, { hint: 'start it with `regionctl local start` (or run any command with --local)' });
  }
  const { localFaults, injectLocalFault, liftLocalFault, journaledLocalFaults, describeLocalFault } = await import('../drill/local-faults.js');
  const { Journal, drillsDir } = await import('../drill/journal.js');
  const { AwsProvider } = await import('../aws/provider.js');
  const { cloudTarget } = await import('../aws/target.js');
  const { parseDuration } = await import('./options.js');
  const { isKnownRegion } = await import('../regions.js');
  const control = localFaults(endpoint);
  const health = (await (await fetch(`${endpoint.replace(/\/$/, '')}/_localcloud/health`, { signal: AbortSignal.timeout(5000) })).json()) as { now?: string };
  const cloudNow = Date.parse(health.now ?? '') || Date.now();
  const journal = new Journal(drillsDir(ctx.cwd));
  const provider = new AwsProvider({ endpoint, credentials: localAuthKeys(ctx.env) ?? { accessKeyId: 'test', secretAccessKey: 'test' }, env: ctx.env });
  try {
    const target = await cloudTarget(provider, 'us-east-1');
    if (opts.fault === 'clear') {
      const entries = journaledLocalFaults(journal, target);
      for (const { id, fault } of entries) await liftLocalFault({ journal, control, io: ctx.io }, id, fault);
      await control.set({});
      ctx.io.result(`lifted every local cloud fault${entries.length ? ` (${entries.length} journaled)` : ''}\n`, { cleared: true, journaled: entries.map((e) => e.id) });
      return;
    }
    for (const r of [opts.region, opts.from, opts.to]) {
      if (r !== undefined && !isKnownRegion(r)) throw new UsageError('UnknownRegion', `${r} is not an AWS region name`, 2, { hint: 'use a region name such as us-east-1' });
    }
    const spec =
      opts.fault === 'replication-pause'
        ? { fault: 'replication-pause' as const, region: opts.from!, to: opts.to! }
        : opts.fault === 'latency'
          ? { fault: 'latency' as const, region: opts.region!, ms: opts.ms! }
          : { fault: 'region-outage' as const, region: opts.region! };
    if (spec.fault === 'replication-pause' && spec.region === spec.to) throw new UsageError('BadPause', '--from and --to must be two different regions');
    const config = await ctx.loadConfig();
    const seconds = opts.duration !== undefined ? parseDuration('--duration', opts.duration) : undefined;
    const id = await injectLocalFault({ journal, target, service: config.service, stage: config.stage, control, io: ctx.io, now: () => cloudNow }, spec, seconds !== undefined ? seconds * 1000 : undefined);
    ctx.io.result(
      `local cloud: ${describeLocalFault(spec)}${seconds !== undefined ? ` for ${seconds}s of cloud time` : ''} (journaled as ${id})\nundo with: regionctl local fault clear, or regionctl drill restore --region ${spec.region}${ctx.global.endpoint ? ` --endpoint ${ctx.global.endpoint}` : ' --local'}\n`,
      { injected: true, ...spec, durationSeconds: seconds ?? null, journal: id },
    );
  } finally {
    provider.close();
  }
}
