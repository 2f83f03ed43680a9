import { UsageError } from '../errors.js';
import { explainDaemonError, type CommandContext } from './context.js';

export interface LocalCommandOptions {
  action: 'start' | 'stop' | 'status' | 'reset';
  port?: number;
  timeScale?: number;
  foreground?: boolean;
  dnsPort?: number;
}

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
  if (opts.timeScale !== undefined && !(opts.timeScale > 0)) {
    throw new UsageError('BadTimeScale', `--time-scale must be a positive number, got ${opts.timeScale}`);
  }
  switch (opts.action) {
    case 'start': {
      if (opts.foreground) {
        await daemon.runForeground({
          cwd: ctx.cwd,
          port,
          timeScale: opts.timeScale,
          dnsPort: opts.dnsPort,
          signal: ctx.signal,
          onReady: (info) => ctx.io.emit({ kind: 'success', message: `local cloud listening on ${info.url}${info.dnsPort ? `, DNS on udp/127.0.0.1:${info.dnsPort}` : ''} (time scale ${info.timeScale}, state ${info.dataDir})` }),
        });
        return;
      }
      const started = await daemon.startDaemon({ cwd: ctx.cwd, port, timeScale: opts.timeScale, dnsPort: opts.dnsPort });
      const verb = started.alreadyRunning ? 'already running' : 'started';
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
      const stopped = await daemon.stopDaemon(ctx.cwd);
      ctx.io.result(stopped ? 'local cloud stopped (state kept; `regionctl local reset` wipes it)\n' : 'local cloud was not running\n', { stopped });
      return;
    }
    case 'status': {
      const status = await daemon.daemonStatus(ctx.cwd, port);
      ctx.io.result(
        status.running
          ? `local cloud running on ${status.url} (pid ${status.info?.pid ?? '?'}, cloud time ${status.now}, time scale ${status.timeScale})\n`
          : 'local cloud is not running (`regionctl local start` or any command with --local starts it)\n',
        { running: status.running, url: status.url ?? null, pid: status.info?.pid ?? null, now: status.now ?? null, timeScale: status.timeScale ?? null, dnsPort: status.dnsPort ?? null },
      );
      return;
    }
    case 'reset': {
      const result = await daemon.resetDaemon(ctx.cwd);
      ctx.io.result(result.restarted ? `local cloud state wiped; restarted on ${result.url}\n` : 'local cloud state wiped\n', { reset: true, ...result });
      return;
    }
  }
}
