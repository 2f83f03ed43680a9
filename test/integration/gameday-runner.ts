import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudTarget } from '../../src/aws/target.js';
import { loadConfig } from '../../src/config/load.js';
import { acquireStageLock } from '../../src/deploy/lock.js';
import { deploy } from '../../src/deploy/deploy.js';
import { synth } from '../../src/deploy/synth.js';
import { Journal, drillsDir } from '../../src/drill/journal.js';
import { localFaults } from '../../src/drill/local-faults.js';
import type { GamedayJournal } from '../../src/gameday/journal.js';
import { checkAgainstConfig, loadGameday } from '../../src/gameday/load.js';
import { runGameday } from '../../src/gameday/run.js';
import { wallClock } from '../../src/wait.js';
import type { Io, IoEvent } from '../../src/io/types.js';
import type { Harness } from './harness.js';

// runGameday as `gameday run --local` wires it, on an in-process harness: every sleep of the
// runner (and of the drills it runs) advances the cloud's virtual clock, so alarms, health checks
// and the canaries run as they would, and nothing waits on the wall clock.

export function virtualSleeper(h: Harness) {
  return {
    now: () => h.clock.now(),
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new Error('aborted');
      await h.clock.advance(Math.ceil(ms));
    },
    timeScale: 0,
    dnsPort: h.cloud.dnsPort,
  };
}

/** The same io, also telling `listen` every event (a test acts at a moment of the run). */
function withListener(io: Io, listen: (event: IoEvent) => void): Io {
  return Object.assign(Object.create(io) as Io, {
    emit: (event: IoEvent) => {
      io.emit(event);
      listen(event);
    },
  });
}

/** Writes `yaml` as `file` in the harness's project and runs it as a game day under the stage lock. */
export async function runGamedayYaml(h: Harness, yaml: string, opts: { signal?: AbortSignal; file?: string; onEvent?: (event: IoEvent) => void } = {}): Promise<GamedayJournal> {
  const file = opts.file ?? 'gd.yml';
  writeFileSync(join(h.dir, file), yaml);
  const loaded = await loadGameday(h.dir, file);
  const config = await loadConfig({ cwd: h.dir, regions: loaded.gameday.regions });
  checkAgainstConfig(loaded, config);
  const ctx = h.context();
  const aws = await ctx.aws();
  const target = await cloudTarget(aws, config.primaryRegion);
  const lock = await acquireStageLock({ cwd: h.dir, service: config.service, stage: config.stage, target, command: 'test gameday' });
  try {
    return await runGameday({
      loaded,
      config,
      clients: aws,
      journal: new Journal(drillsDir(h.dir)),
      target,
      lock,
      io: opts.onEvent ? withListener(ctx.io, opts.onEvent) : ctx.io,
      clock: virtualSleeper(h),
      faults: localFaults(h.cloud.url),
      deploy: async (signal) => {
        const report = await deploy({ config, synthResult: await synth({ config, cwd: h.dir }), clients: aws, io: ctx.io, clock: wallClock, signal });
        return { ok: report.ok, summary: report.ok ? 'deployed' : 'failed' };
      },
      signal: opts.signal ?? new AbortController().signal,
      regionctlVersion: '0.0.0-test',
      targetLabel: 'local',
    });
  } finally {
    lock.release();
  }
}
