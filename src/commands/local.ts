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
      ctx.io.result(
        status.running
          ? `local cloud running on ${status.url} (pid ${status.info?.pid ?? '?'}, cloud time ${status.now}, time scale ${status.timeScale}${status.restAfterSeconds ? `, real time after ${status.restAfterSeconds} s without a client` : ''})\n`
          : 'local cloud is not running (`regionctl local start` or any command with --local starts it)\n',
        { running: status.running, url: status.url ?? null, pid: status.info?.pid ?? null, now: status.now ?? null, timeScale: status.timeScale ?? null, restAfterSeconds: status.restAfterSeconds ?? null, dnsPort: status.dnsPort ?? null },
      );
      return;
    }
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
