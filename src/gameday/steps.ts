import { failoverDrill, type FailoverReport } from '../drill/failover.js';
import { guardInjection } from '../drill/guard.js';
import { injectLocalFault } from '../drill/local-faults.js';
import { replicationDrill, replicationStage, type ReplicationReport } from '../drill/replication.js';
import { injectUnhealthy, restoreFaults } from '../drill/unhealthy.js';
import { Interrupted, RegionctlError } from '../errors.js';
import { isoAt, round1, type ActivityRecord } from './journal.js';
import { evaluateProbe, stageStatus, type Observer, type TimelineRecorder } from './observe.js';
import { describeStep, faultSpec } from './plan.js';
import type { GamedayRunOptions } from './run-options.js';
import { durationMs, stepKind, type Probe, type Step } from './schema.js';
import { StepDeadline, type RunWatch } from './watch.js';

// One step of a game day (or one rollback): run under its deadline and the run's abort signal,
// recorded with its status, times and output. A step calls the feature (drill, deploy, observe),
// never the CLI; what the drills measure is collected for the objectives.

export type RunStep = (step: Step, index: number, line: number | undefined, signal: AbortSignal, kindLabel: 'step' | 'rollback') => Promise<ActivityRecord>;

export interface StepRunnerDeps {
  opts: GamedayRunOptions;
  observer: Observer;
  recorder: TimelineRecorder;
  watch: RunWatch;
  /** Every failover and replication drill's report, in order, for the objectives. */
  failovers: FailoverReport[];
  replications: ReplicationReport[];
}

/** What restoring (and injecting) a fault needs of the run. */
export function faultContext(opts: GamedayRunOptions) {
  const { config, clients, io } = opts;
  return { service: config.service, stage: config.stage, clients, journal: opts.journal, target: opts.target, io };
}

export function stepRunner(deps: StepRunnerDeps): RunStep {
  const { opts, observer, recorder, watch, failovers, replications } = deps;
  const { config, clients, io, clock } = opts;
  const g = opts.loaded.gameday;

  const runStep = async (step: Step, index: number, line: number | undefined, signal: AbortSignal, kindLabel: 'step' | 'rollback'): Promise<ActivityRecord> => {
    const kind = stepKind(step);
    const detail = describeStep(step);
    const name = step.name ?? `${kindLabel === 'rollback' ? 'rollback' : 'step'} ${index + 1}: ${detail}`;
    const t0 = clock.now();
    const w0 = Date.now();
    const stepAbort = new AbortController();
    const stepDeadlineAt = step.deadline ? t0 + durationMs(step.deadline) : undefined;
    watch.step = { abort: stepAbort, deadlineAt: stepDeadlineAt };
    const stepSignal = AbortSignal.any([signal, stepAbort.signal]);
    io.emit({ kind: 'step', id: 'gameday', state: 'start', label: `${kindLabel === 'rollback' ? 'rollback' : 'step'} ${index + 1}/${kindLabel === 'rollback' ? g.rollbacks.steps.length : g.steps.length}: ${step.name ?? detail}` });
    let status: ActivityRecord['status'] = 'succeeded';
    let error: string | undefined;
    let output: unknown;
    try {
      output = await execute(step, stepSignal);
      if (stepAbort.signal.aborted || (stepDeadlineAt !== undefined && clock.now() > stepDeadlineAt)) throw new StepDeadline();
    } catch (err) {
      if ((err instanceof StepDeadline || stepAbort.signal.aborted) && !signal.aborted) {
        status = 'failed';
        error = `took longer than its deadline of ${step.deadline}`;
      } else if (signal.aborted) {
        status = 'aborted';
        error = opts.signal.aborted ? 'interrupted (Ctrl-C)' : `stopped: ${watch.stopped?.reason ?? 'aborted'}`;
      } else {
        status = 'failed';
        error = err instanceof Error ? err.message : String(err);
      }
      output ??= (err as { output?: unknown }).output;
    } finally {
      watch.step = undefined;
    }
    const t1 = clock.now();
    watch.trackFaults();
    io.emit({ kind: 'step', id: 'gameday', state: status === 'succeeded' ? 'done' : 'failed', label: `${step.name ?? detail}: ${status}${error ? ` — ${error}` : ''}` });
    return {
      name,
      type: kind,
      detail,
      ...(line !== undefined ? { line } : {}),
      status,
      start: isoAt(t0),
      end: isoAt(t1),
      duration: round1((t1 - t0) / 1000),
      wallSeconds: round1((Date.now() - w0) / 1000),
      ...(output !== undefined ? { output } : {}),
      ...(error ? { error } : {}),
    };
  };

  const common = faultContext(opts);

  // A step calls the feature (drill, deploy, observe), never the CLI.
  const execute = async (step: Step, signal: AbortSignal): Promise<unknown> => {
    switch (stepKind(step)) {
      case 'deploy': {
        const r = await opts.deploy(signal);
        if (!r.ok) throw new RegionctlError('DeployFailed', r.summary);
        return { summary: r.summary };
      }
      case 'status': {
        const s = await stageStatus(observer);
        recorder.status(clock.now(), s);
        return { healthyRegions: s.healthyRegions, regions: s.regions.map((r) => ({ region: r.region, healthy: r.healthy, alarmState: r.alarmState, healthCheck: r.healthCheck, answeredBy: r.dns.answeredBy })) };
      }
      case 'wait': {
        await watch.clock.sleep(durationMs((step as { wait: string }).wait), signal);
        return undefined;
      }
      case 'assert': {
        const probe = (step as { assert: Probe }).assert;
        const r = await evaluateProbe(observer, probe);
        if (!r.met) throw Object.assign(new RegionctlError('AssertFailed', `assertion did not hold: ${r.detail}`), { output: r.output });
        return r.output;
      }
      case 'fault': {
        const s = step as Extract<Step, { fault: string }>;
        if (!opts.faults) throw new RegionctlError('NeedsLocalCloud', `fault ${s.fault} needs the local cloud (--local or its --endpoint); AWS has no such switch (use AWS FIS there)`);
        for (const r of [s.region, s.from, s.to]) if (r && !config.regions.includes(r)) throw new RegionctlError('UnknownRegion', `${r} is not one of the game day's regions (${config.regions.join(', ')})`);
        const spec = faultSpec(s);
        if (spec.fault === 'region-outage') {
          // "Never take down the last healthy region": the same guard as the drills.
          await guardInjection({ config, clients, journal: opts.journal, target: opts.target, io, dnsPort: clock.dnsPort, region: spec.region, requireHealthy: false });
        }
        const expires = s.duration ? durationMs(s.duration) : undefined;
        const id = await injectLocalFault({ journal: opts.journal, target: opts.target, service: config.service, stage: config.stage, control: opts.faults, io, now: () => clock.now() }, spec, expires);
        if (expires !== undefined) watch.faultEnds.set(id, clock.now() + expires);
        watch.trackFaults();
        return { journal: id, ...spec, ...(s.duration ? { duration: s.duration } : {}) };
      }
      case 'drill': {
        const s = step as Extract<Step, { drill: string }>;
        if (s.region && !config.regions.includes(s.region)) throw new RegionctlError('UnknownRegion', `${s.region} is not one of the game day's regions (${config.regions.join(', ')})`);
        if (s.drill === 'failover') {
          const objective = s.objective ?? g.objectives.failoverWithin;
          const deadlineSeconds = (s.deadline ? durationMs(s.deadline) : 20 * 60_000) / 1000;
          const report = await failoverDrill({
            config,
            region: s.region!,
            clients,
            journal: opts.journal,
            target: opts.target,
            lock: opts.lock,
            io,
            clock: watch.clock,
            // The game day's objectives judge the time; the drill's own verdict is "clients moved and came back".
            objectiveSeconds: objective ? durationMs(objective) / 1000 : deadlineSeconds,
            deadlineSeconds,
            ...(opts.probeSeconds ? { probeSeconds: opts.probeSeconds } : {}),
            signal,
          });
          failovers.push(report);
          const out = { region: report.region, result: report.result, measured: report.measured, movedTo: report.movedTo, restored: report.restored, timeline: report.timeline, reason: report.reason };
          if (report.result === 'aborted') throw Object.assign(new Interrupted(), { output: out });
          if (report.measured.failoverSeconds === null || !report.restored) throw Object.assign(new RegionctlError('DrillFailed', `failover drill: ${report.reason ?? 'clients never moved'}`), { output: out });
          return out;
        }
        if (s.drill === 'replication') {
          if (!config.table) throw new RegionctlError('NoTable', 'drill replication needs a global table, and regionctl.yml has no table: section');
          if (s.duringPause && !opts.faults) throw new RegionctlError('NeedsLocalCloud', 'drill replication with duringPause needs the local cloud');
          const report = await replicationDrill({
            ...replicationStage(config, config.table),
            clients,
            io,
            clock: watch.clock,
            samples: s.samples ?? 20,
            ...(s.duringPause ? { duringPause: [s.duringPause.from, s.duringPause.to] as [string, string], holdMs: s.hold ? durationMs(s.hold) : 10_000 } : {}),
            ...(opts.faults ? { faults: opts.faults, journal: { journal: opts.journal, target: opts.target } } : {}),
            ...(opts.replicationDeadlineMs ? { deadlineMs: opts.replicationDeadlineMs } : {}),
            ...(opts.eventsIdleMs !== undefined ? { eventsIdleMs: opts.eventsIdleMs } : {}),
            signal,
          });
          replications.push(report);
          recorder.lag(clock.now(), report.pairs.filter((p) => p.maxMs !== null).map((p) => ({ from: p.from, to: p.to, ms: p.maxMs! })));
          const out = { table: report.table, result: report.result, failures: report.failures, pairs: report.pairs, rpoSeconds: report.rpoSeconds, events: report.events, ...(report.pause ? { pause: report.pause } : {}) };
          // Missing items and lag are the objectives' to judge; other failures (duplicates, refusals) fail the step.
          const other = report.failures.filter((f) => !/missing at the deadline/.test(f));
          if (other.length > 0) throw Object.assign(new RegionctlError('DrillFailed', `replication drill: ${other.join('; ')}`), { output: out });
          return out;
        }
        if (s.drill === 'simulate-unhealthy') {
          const r = await injectUnhealthy({
            ...common,
            clock: watch.clock,
            region: s.region!,
            lock: opts.lock,
            guard: () => guardInjection({ config, clients, journal: opts.journal, target: opts.target, io, dnsPort: clock.dnsPort, region: s.region!, requireHealthy: false }),
            signal,
          });
          watch.trackFaults();
          return r;
        }
        const restored = await restoreFaults({ ...common, clock: watch.clock, ...(s.region ? { region: s.region } : {}), signal });
        watch.trackFaults();
        return restored;
      }
    }
  };

  return runStep;
}

/** A step that never ran: start and end are the moment it was skipped. */
export function skipped(step: Step, index: number, line: number | undefined, why: string, at: string): ActivityRecord {
  return { name: step.name ?? `step ${index + 1}: ${describeStep(step)}`, type: stepKind(step), detail: describeStep(step), ...(line !== undefined ? { line } : {}), status: 'skipped', start: at, end: at, duration: 0, wallSeconds: 0, error: why };
}
