import type { AwsProvider } from '../aws/provider.js';
import type { CloudTarget } from '../aws/target.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { StageLock } from '../deploy/lock.js';
import { wallClock } from '../wait.js';
import type { CommandContext } from './context.js';
import { DEFAULT_LOCK_WAIT, parseDuration } from './options.js';

/** --wait [duration] → milliseconds to wait for the stage lock (0: refuse at once). Validated before any work starts. */
export function lockWaitMs(flag: string | boolean | undefined): number {
  if (flag === undefined || flag === false) return 0;
  return parseDuration('--wait', flag === true ? DEFAULT_LOCK_WAIT : flag) * 1000;
}

/**
 * Run fn while holding the stage's lock for the cloud and account `aws` talks to. The lock is
 * released however fn ends (its finally runs after Ctrl-C too; a second Ctrl-C exits the process,
 * whose exit hook releases it; after kill -9 it is stale and the next run takes it over).
 */
export async function withStageLock<T>(
  ctx: CommandContext,
  config: ResolvedConfig,
  aws: AwsProvider,
  opts: { command: string; waitMs: number },
  fn: (lock: StageLock, target: CloudTarget) => Promise<T>,
): Promise<T> {
  const { cloudTarget } = await import('../aws/target.js');
  const { acquireStageLock } = await import('../deploy/lock.js');
  const target = await cloudTarget(aws, config.primaryRegion);
  const lock = await acquireStageLock({
    cwd: ctx.cwd,
    service: config.service,
    stage: config.stage,
    target,
    command: opts.command,
    waitMs: opts.waitMs,
    clock: wallClock,
    signal: ctx.signal,
    onWait: (holder) =>
      ctx.io.emit({
        kind: 'info',
        message: `waiting for the lock on ${config.service}/${config.stage}${holder ? `: held by pid ${holder.pid} (${holder.command}) since ${holder.startedAt}` : ''}`,
      }),
  });
  try {
    return await fn(lock, target);
  } finally {
    lock.release();
  }
}
