import { restoreFaults } from '../drill/unhealthy.js';
import type { FailoverReport } from '../drill/failover.js';
import type { ReplicationReport } from '../drill/replication.js';
import { RegionctlError } from '../errors.js';
import { planStage } from '../stage/plan.js';
import { readWiring } from '../stage/outputs.js';
import type { Sleeper } from '../wait.js';
import { GAMEDAY_JOURNAL_VERSION, isoAt, round1, type ActivityRecord, type GamedayJournal, type GamedayStatus, type ProbeRecord, type SteadyStateRecord } from './journal.js';
import { judge, measurements } from './objectives.js';
import { describeProbe, evaluateProbe, TimelineRecorder, type Observer } from './observe.js';
import type { GamedayRunOptions } from './run-options.js';
import type { GamedayFile } from './schema.js';
import { faultContext, skipped, stepRunner } from './steps.js';
import { RunWatch } from './watch.js';

// The game-day runner: steady state before, the steps in order (each under its deadline), stop
// conditions checked between steps and during them (every sleep of a step goes through the
// watch's clock, which looks at the conditions when they are due), rollbacks, the restore of
// every fault the run journaled, steady state after, objectives judged. It returns the journal;
// it never prints (io events) and never exits (the command maps the status to an exit code).
// The parts: plan.ts (steps in words), watch.ts (clock, samples, stop conditions), steps.ts (one
// step), objectives.ts (measurements and objectives).

export async function runGameday(opts: GamedayRunOptions): Promise<GamedayJournal> {
  const { loaded, config, clients, io, clock } = opts;
  const g: GamedayFile = loaded.gameday;
  const wallStart = Date.now();
  const start = clock.now();
  const plan = planStage(config);
  const observer: Observer = { config, clients, io, dnsPort: clock.dnsPort, now: () => clock.now() };
  // The alarm names label the timeline; a region whose stacks cannot be read is drawn without its alarm, and the operator told why.
  const wiring = Object.fromEntries(
    await Promise.all(
      config.regions.map(async (r) => {
        const w = await readWiring(plan, clients, r).catch((error: Error) => {
          io.emit({ kind: 'warn', region: r, message: `could not read the stage's stacks (${error.message}): the timeline shows no alarm for ${r}` });
          return undefined;
        });
        return [r, w] as const;
      }),
    ),
  );
  const recorder = new TimelineRecorder(Object.fromEntries(config.regions.map((r) => [r, wiring[r]?.alarmName])));
  const timeline = recorder.timeline;

  // A journaled fault of this stage from before the run would be restored by its end: refuse instead.
  const pending = opts.journal.list().filter(({ fault }) => fault.service === config.service && fault.stage === config.stage);
  if (pending.length > 0) {
    throw new RegionctlError('FaultPending', `${pending.length} fault(s) of ${config.service}/${config.stage} are still journaled (${pending.map((p) => p.id).join(', ')}); a game day starts from a clean stage`, 1, {
      hint: 'run `regionctl drill restore --all` first',
    });
  }

  const watch = new RunWatch({ g, config, journal: opts.journal, observer, recorder, io, clock, signal: opts.signal, start });
  const failovers: FailoverReport[] = [];
  const replications: ReplicationReport[] = [];
  const runStep = stepRunner({ opts, observer, recorder, watch, failovers, replications });

  const probeAll = async (label: string): Promise<SteadyStateRecord> => {
    io.emit({ kind: 'step', id: 'gameday', state: 'start', label: `steady state ${label}` });
    const status = await watch.sample();
    const probes: ProbeRecord[] = [];
    for (const [i, probe] of g.steadyState.entries()) {
      const t0 = clock.now();
      const w0 = Date.now();
      const r = await evaluateProbe(observer, probe, probe.probe === 'replication-lag' ? undefined : status);
      const t1 = clock.now();
      probes.push({
        name: probe.name ?? `${label} ${i + 1}: ${describeProbe(probe)}`,
        type: 'probe',
        detail: r.detail,
        status: r.met ? 'succeeded' : 'failed',
        start: isoAt(t0),
        end: isoAt(t1),
        duration: round1((t1 - t0) / 1000),
        wallSeconds: round1((Date.now() - w0) / 1000),
        output: r.output,
        tolerance_met: r.met,
        ...(r.met ? {} : { error: r.detail }),
      });
    }
    const met = probes.every((p) => p.tolerance_met);
    io.emit({ kind: 'step', id: 'gameday', state: met ? 'done' : 'failed', label: `steady state ${label}: ${met ? 'met' : `NOT met — ${probes.filter((p) => !p.tolerance_met).map((p) => p.detail).join('; ')}`}` });
    return { steady_state_met: met, probes };
  };

  const calm = new AbortController().signal;
  const rollbacks: ActivityRecord[] = [];
  let rolledBack = false;
  const rollBack = async (): Promise<void> => {
    rolledBack = true;
    for (const [i, step] of g.rollbacks.steps.entries()) rollbacks.push(await runStep(step, i, loaded.rollbackLines[i], calm, 'rollback'));
  };
  const restoreAll = async (): Promise<void> => {
    const t0 = clock.now();
    const restored = await restoreFaults({ ...faultContext(opts), clock, signal: undefined }).catch((error: Error) => {
      io.emit({ kind: 'warn', message: `could not restore every fault: ${error.message}; run \`regionctl drill restore --all\`` });
      return null;
    });
    watch.trackFaults();
    if (restored && restored.length > 0) {
      rollbacks.push({
        name: 'restore every journaled fault',
        type: 'rollback',
        detail: restored.map((r) => `${r.region}: ${r.functionName}`).join('; '),
        status: 'succeeded',
        start: isoAt(t0),
        end: isoAt(clock.now()),
        duration: round1((clock.now() - t0) / 1000),
        wallSeconds: 0,
        output: restored,
      });
    }
  };

  // ---- the run ----
  const runSignal = AbortSignal.any([opts.signal, watch.stopper.signal]);
  const run: ActivityRecord[] = [];
  let before: SteadyStateRecord | null = null;
  let after: SteadyStateRecord | null = null;
  let stepFailed = false;
  io.emit({ kind: 'info', message: `game day "${g.name}": ${g.steps.length} step(s) on ${config.service}/${config.stage} in ${config.regions.join(', ')}` });
  try {
    before = await probeAll('before');
    if (!before.steady_state_met) {
      stepFailed = true;
      io.emit({ kind: 'warn', message: 'steady state not met before the run: no step runs' });
      run.push(...g.steps.map((s, i) => skipped(s, i, loaded.stepLines[i], 'the steady state did not hold before the run', isoAt(clock.now()))));
    } else {
      for (const [i, step] of g.steps.entries()) {
        await watch.tick();
        if (runSignal.aborted) {
          run.push(...g.steps.slice(i).map((s, j) => skipped(s, i + j, loaded.stepLines[i + j], opts.signal.aborted ? 'interrupted' : `stopped: ${watch.stopped?.reason}`, isoAt(clock.now()))));
          break;
        }
        const record = await runStep(step, i, loaded.stepLines[i], runSignal, 'step');
        run.push(record);
        if (record.status !== 'succeeded') {
          stepFailed = true;
          run.push(...g.steps.slice(i + 1).map((s, j) => skipped(s, i + 1 + j, loaded.stepLines[i + 1 + j], `step ${i + 1} ${record.status}`, isoAt(clock.now()))));
          break;
        }
      }
    }
  } finally {
    // Rollbacks and the restore run whatever happened, without the aborted signal (a second Ctrl-C exits).
    watch.checking = false;
    const runRollbacks = g.rollbacks.strategy === 'always' || (g.rollbacks.strategy === 'deviated' && (stepFailed || watch.stopped !== undefined || opts.signal.aborted));
    if (runRollbacks) await rollBack();
    await restoreAll();
  }
  if (!opts.signal.aborted) {
    // Let the stage settle (alarms back to OK, checks healthy) before judging the steady state after.
    after = await settle(async () => probeAll('after'), watch.clock, g);
    // Chaos Toolkit's order: a run that deviated (the steady state after does not hold) gets its
    // rollbacks under strategy deviated too, once that is known; then every fault is restored again.
    if (!after.steady_state_met && g.rollbacks.strategy === 'deviated' && !rolledBack && g.rollbacks.steps.length > 0) {
      io.emit({ kind: 'warn', message: 'the steady state did not hold after the run: running the rollbacks (strategy deviated)' });
      await rollBack();
      await restoreAll();
    }
  }
  watch.trackFaults();

  const objectives = judge(g, failovers, replications);
  const end = clock.now();
  const deviated = after !== null && !after.steady_state_met;
  const status: GamedayStatus = opts.signal.aborted
    ? 'interrupted'
    : watch.stopped
      ? 'aborted'
      : stepFailed || objectives.some((o) => !o.met)
        ? 'failed'
        : deviated
          ? 'deviated'
          : 'passed';
  const journal: GamedayJournal = {
    version: GAMEDAY_JOURNAL_VERSION,
    regionctl: opts.regionctlVersion,
    name: g.name,
    ...(g.description ? { description: g.description } : {}),
    file: loaded.display,
    service: config.service,
    stage: config.stage,
    regions: [...config.regions],
    target: opts.targetLabel,
    status,
    deviated,
    start: isoAt(start),
    end: isoAt(end),
    duration: round1((end - start) / 1000),
    wallSeconds: round1((Date.now() - wallStart) / 1000),
    steady_states: { before, after },
    run,
    rollbacks,
    objectives,
    ...(opts.signal.aborted ? { stopped: { condition: 'SIGINT', reason: 'interrupted (Ctrl-C); every fault was restored', at: isoAt(end) } } : watch.stopped ? { stopped: watch.stopped } : {}),
    measurements: measurements(failovers, replications),
    timeline,
  };
  return journal;
}

/** The steady state after: asked again (every 30 s, for up to 5 min of target time) while it does not hold yet. */
async function settle(probe: () => Promise<SteadyStateRecord>, clock: Sleeper, g: GamedayFile): Promise<SteadyStateRecord> {
  const until = clock.now() + 5 * 60_000;
  let last = await probe();
  while (!last.steady_state_met && clock.now() < until && g.steadyState.length > 0) {
    await clock.sleep(30_000);
    last = await probe();
  }
  return last;
}
