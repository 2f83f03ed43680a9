import type { CloudTarget } from '../aws/target.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { StageLock } from '../deploy/lock.js';
import type { DeployClients } from '../deploy/deploy.js';
import { failoverDrill, type DrillClients, type FailoverReport } from '../drill/failover.js';
import { guardInjection } from '../drill/guard.js';
import type { Journal, LocalFaultSpec } from '../drill/journal.js';
import { describeLocalFault, injectLocalFault, type FaultControl } from '../drill/local-faults.js';
import { replicationDrill, type ReplicationClients, type ReplicationReport } from '../drill/replication.js';
import { injectUnhealthy, restoreFaults } from '../drill/unhealthy.js';
import { Interrupted, RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { planStage } from '../stage/plan.js';
import { readWiring } from '../stage/outputs.js';
import type { Sleeper } from '../wait.js';
import { GAMEDAY_JOURNAL_VERSION, type ActivityRecord, type GamedayJournal, type GamedayStatus, type ObjectiveRecord, type ProbeRecord, type SteadyStateRecord, type StopRecord } from './journal.js';
import type { LoadedGameday } from './load.js';
import { alarmStates, describeProbe, evaluateProbe, replicationLag, stageStatus, TimelineRecorder, type ObserveClients, type Observer } from './observe.js';
import { durationMs, stepKind, type GamedayFile, type Probe, type Step } from './schema.js';

// The game-day runner: steady state before, the steps in order (each under its deadline), stop
// conditions checked between steps and during them (every sleep of a step goes through the
// runner's clock, which looks at the conditions when they are due), rollbacks, the restore of
// every fault the run journaled, steady state after, objectives judged. It returns the journal;
// it never prints (io events) and never exits (the command maps the status to an exit code).

export type GamedayClients = DrillClients & ReplicationClients & ObserveClients & DeployClients;

export interface GamedayRunOptions {
  loaded: LoadedGameday;
  /** regionctl.yml with the game day's regions applied. */
  config: ResolvedConfig;
  clients: GamedayClients;
  journal: Journal;
  target: CloudTarget;
  /** The stage lock, held by the caller for the whole run. */
  lock: StageLock;
  io: Io;
  /** The target's clock: the local cloud's virtual clock, or the wall clock on AWS. */
  clock: Sleeper & { timeScale?: number; dnsPort?: number; realism?: 'fast' | 'aws' };
  /** The local cloud's fault switches; absent on AWS (fault steps then fail with a clear message). */
  faults?: FaultControl;
  /** The deploy feature (synth + deploy), given by the caller. */
  deploy: (signal: AbortSignal) => Promise<{ ok: boolean; summary: string }>;
  /** SIGINT. */
  signal: AbortSignal;
  regionctlVersion: string;
  /** 'local' or the AWS account / endpoint. */
  targetLabel: string;
  /** Failover drills' probe cadence (cloud seconds); tests shorten it. */
  probeSeconds?: number;
  /** Replication drills: cloud ms to wait for arrivals (default 60 s) and real ms without new events before counting them final. */
  replicationDeadlineMs?: number;
  eventsIdleMs?: number;
}

/** Why a run stopped early; thrown inside steps through the abort signal. */
class Stopped extends Error {
  constructor(readonly record: StopRecord) {
    super(record.reason);
  }
}

class StepDeadline extends Error {}

const iso = (ms: number) => new Date(ms).toISOString();
const round1 = (x: number) => Math.round(x * 10) / 10;

/** One line for people: what a step does. */
export function describeStep(step: Step): string {
  switch (stepKind(step)) {
    case 'deploy':
      return 'deploy the stage to every region';
    case 'status':
      return 'read the status of every region';
    case 'wait':
      return `wait ${(step as { wait: string }).wait}`;
    case 'drill': {
      const s = step as Extract<Step, { drill: string }>;
      if (s.drill === 'replication') return `drill replication${s.duringPause ? ` during a pause ${s.duringPause.from} → ${s.duringPause.to}` : ''}${s.samples ? ` (${s.samples} samples per region)` : ''}`;
      if (s.drill === 'restore') return `drill restore ${s.region ?? 'every region'}`;
      return `drill ${s.drill} ${s.region}`;
    }
    case 'fault': {
      const s = step as Extract<Step, { fault: string }>;
      return `fault ${describeLocalFault(faultSpec(s))}${s.duration ? ` for ${s.duration}` : ''}`;
    }
    case 'assert':
      return `assert ${describeProbe((step as { assert: Probe }).assert)}`;
  }
}

function faultSpec(s: Extract<Step, { fault: string }>): LocalFaultSpec {
  if (s.fault === 'replication-pause') return { fault: 'replication-pause', region: s.from!, to: s.to! };
  if (s.fault === 'latency') return { fault: 'latency', region: s.region!, ms: s.ms! };
  return { fault: 'region-outage', region: s.region! };
}

/** The plan --dry-run prints: every check and step in order, with its line. */
export function planLines(loaded: LoadedGameday, config: Pick<ResolvedConfig, 'service' | 'stage' | 'regions'>): string[] {
  const g = loaded.gameday;
  const lines = [`game day "${g.name}" on ${config.service}/${config.stage} in ${config.regions.join(', ')}${g.description ? `: ${g.description}` : ''}`];
  const objectives = Object.entries(g.objectives).map(([k, v]) => `${k} ${String(v)}`);
  lines.push(`objectives: ${objectives.length ? objectives.join(', ') : 'none'}`);
  const stops = [
    g.stopConditions.minHealthyRegions !== undefined ? `fewer than ${g.stopConditions.minHealthyRegions} healthy region(s)` : '',
    g.stopConditions.alarm ? `alarm ${[g.stopConditions.alarm].flat().join(' or ')} in ALARM` : '',
    g.stopConditions.deadline ? `longer than ${g.stopConditions.deadline}` : '',
  ].filter(Boolean);
  lines.push(`stop when: ${stops.length ? stops.join('; ') : 'only on Ctrl-C'} (checked every ${g.stopConditions.every})`);
  lines.push(`steady state (before and after): ${g.steadyState.map(describeProbe).join('; ') || 'none'}`);
  g.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${loaded.display}:${loaded.stepLines[i] ?? '?'} ${s.name ? `${s.name}: ` : ''}${describeStep(s)}${s.deadline ? ` (deadline ${s.deadline})` : ''}`));
  lines.push(`rollbacks (${g.rollbacks.strategy})${g.rollbacks.steps.length ? ':' : ': none besides the restore of every journaled fault'}`);
  g.rollbacks.steps.forEach((s, i) => lines.push(`  r${i + 1}. ${loaded.display}:${loaded.rollbackLines[i] ?? '?'} ${s.name ? `${s.name}: ` : ''}${describeStep(s)}`));
  lines.push('then: restore every fault the run journaled; steady state again; objectives judged');
  return lines;
}

export async function runGameday(opts: GamedayRunOptions): Promise<GamedayJournal> {
  const { loaded, config, clients, io, clock } = opts;
  const g: GamedayFile = loaded.gameday;
  const wallStart = Date.now();
  const start = clock.now();
  const plan = planStage(config);
  const observer: Observer = { config, clients, io, dnsPort: clock.dnsPort, now: () => clock.now() };
  const wiring = Object.fromEntries(await Promise.all(config.regions.map(async (r) => [r, await readWiring(plan, clients, r).catch(() => undefined)] as const)));
  const recorder = new TimelineRecorder(Object.fromEntries(config.regions.map((r) => [r, wiring[r]?.alarmName])));
  const timeline = recorder.timeline;

  // A journaled fault of this stage from before the run would be restored by its end: refuse instead.
  const pending = opts.journal.list().filter(({ fault }) => fault.service === config.service && fault.stage === config.stage);
  if (pending.length > 0) {
    throw new RegionctlError('FaultPending', `${pending.length} fault(s) of ${config.service}/${config.stage} are still journaled (${pending.map((p) => p.id).join(', ')}); a game day starts from a clean stage`, 1, {
      hint: 'run `regionctl drill restore --all` first',
    });
  }

  // ---- the clock every step sleeps on: samples the timeline and checks stop conditions when due ----
  const stopper = new AbortController();
  let stopped: StopRecord | undefined;
  let stepAbort: AbortController | undefined;
  let stepDeadlineAt: number | undefined;
  let checking = true;
  const sampleMs = durationMs(g.sampleEvery);
  const checkMs = durationMs(g.stopConditions.every);
  const deadlineAt = g.stopConditions.deadline ? start + durationMs(g.stopConditions.deadline) : undefined;
  let nextSample = start;
  let nextCheck = start;
  let busy = false;
  const faultEnds = new Map<string, number>();

  const stop = (condition: string, reason: string) => {
    if (stopped || opts.signal.aborted) return;
    stopped = { condition, reason, at: iso(clock.now()) };
    io.emit({ kind: 'warn', message: `stop condition ${condition}: ${reason}; aborting` });
    stopper.abort(new Stopped(stopped));
  };

  // Faults: the journal says what is in place (appliedAt is exact); an entry that is gone has ended.
  const faultEntries = new Map<string, GamedayJournal['timeline']['faults'][number]>();
  const trackFaults = () => {
    const now = clock.now();
    const live = new Map(opts.journal.list().filter(({ fault }) => fault.service === config.service && fault.stage === config.stage).map((e) => [e.id, e.fault]));
    for (const [id, fault] of live) {
      // The same fault injected again later (a second drill of one region) is a new entry.
      if (faultEntries.get(id)?.start === fault.appliedAt) continue;
      const local = fault.kind === 'local-fault' ? fault : undefined;
      const entry = {
        kind: local ? local.fault : 'unhealthy',
        region: fault.region,
        ...(local?.to ? { from: fault.region, to: local.to } : {}),
        detail: local ? describeLocalFault(local) : `UNHEALTHY=true on ${fault.functionName}`,
        start: fault.appliedAt,
        end: null as string | null,
      };
      faultEntries.set(id, entry);
      timeline.faults.push(entry);
    }
    for (const [id, f] of faultEntries) {
      if (f.end !== null) continue;
      const endsAt = faultEnds.get(id);
      if (!live.has(id)) f.end = iso(endsAt !== undefined ? Math.min(endsAt, now) : now);
      else if (endsAt !== undefined && endsAt <= now) f.end = iso(endsAt);
    }
  };

  const sample = async () => {
    const now = clock.now();
    const status = await stageStatus(observer).catch(() => undefined);
    if (status) recorder.status(now, status);
    if (config.table) recorder.lag(now, await replicationLag(observer, Math.max(sampleMs, 60_000)).catch(() => []));
    trackFaults();
    return status;
  };

  const checkStops = async (status?: Awaited<ReturnType<typeof sample>>) => {
    const sc = g.stopConditions;
    if (sc.minHealthyRegions !== undefined) {
      const s = status ?? (await stageStatus(observer).catch(() => undefined));
      if (s && s.healthyRegions < sc.minHealthyRegions) {
        stop('minHealthyRegions', `${s.healthyRegions} healthy region(s), fewer than ${sc.minHealthyRegions} (${s.regions.filter((r) => !r.healthy).map((r) => r.region).join(', ')} not healthy)`);
      }
    }
    for (const name of sc.alarm ? [sc.alarm].flat() : []) {
      const firing = (await alarmStates(observer, name)).filter((a) => a.state === 'ALARM');
      if (firing.length > 0) stop('alarm', `${name} is in ALARM in ${firing.map((a) => a.region).join(', ')}`);
    }
  };

  /** Called before every sleep of a step and between steps. */
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = clock.now();
      if (deadlineAt !== undefined && now >= deadlineAt && checking) stop('deadline', `the game day ran longer than its deadline of ${g.stopConditions.deadline}`);
      if (stepDeadlineAt !== undefined && now >= stepDeadlineAt && stepAbort && !stepAbort.signal.aborted) stepAbort.abort(new StepDeadline());
      let status: Awaited<ReturnType<typeof sample>>;
      if (now >= nextSample) {
        nextSample = now + sampleMs;
        status = await sample();
      } else trackFaults();
      if (checking && now >= nextCheck) {
        nextCheck = now + checkMs;
        await checkStops(status);
      }
    } finally {
      busy = false;
    }
  };

  // Sleeps in slices no longer than the sample/check cadence, so both happen during long steps.
  const slice = Math.max(1000, Math.min(sampleMs, checkMs));
  const runClock: Sleeper & { timeScale?: number; dnsPort?: number; realism?: 'fast' | 'aws' } = {
    timeScale: clock.timeScale,
    dnsPort: clock.dnsPort,
    realism: clock.realism,
    now: () => clock.now(),
    async sleep(ms, signal) {
      let left = ms;
      while (left > 0) {
        await tick();
        if (signal?.aborted) throw new Interrupted();
        const part = Math.min(left, slice);
        await clock.sleep(part, signal);
        left -= part;
      }
      await tick();
    },
  };

  const failovers: FailoverReport[] = [];
  const replications: ReplicationReport[] = [];

  // ---- one step ----
  const runStep = async (step: Step, index: number, line: number | undefined, signal: AbortSignal, kindLabel: 'step' | 'rollback'): Promise<ActivityRecord> => {
    const kind = stepKind(step);
    const detail = describeStep(step);
    const name = step.name ?? `${kindLabel === 'rollback' ? 'rollback' : 'step'} ${index + 1}: ${detail}`;
    const t0 = clock.now();
    const w0 = Date.now();
    stepAbort = new AbortController();
    stepDeadlineAt = step.deadline ? t0 + durationMs(step.deadline) : undefined;
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
        error = opts.signal.aborted ? 'interrupted (Ctrl-C)' : `stopped: ${stopped?.reason ?? 'aborted'}`;
      } else {
        status = 'failed';
        error = err instanceof Error ? err.message : String(err);
      }
      output ??= (err as { output?: unknown }).output;
    } finally {
      stepAbort = undefined;
      stepDeadlineAt = undefined;
    }
    const t1 = clock.now();
    trackFaults();
    io.emit({ kind: 'step', id: 'gameday', state: status === 'succeeded' ? 'done' : 'failed', label: `${step.name ?? detail}: ${status}${error ? ` — ${error}` : ''}` });
    return {
      name,
      type: kind,
      detail,
      ...(line !== undefined ? { line } : {}),
      status,
      start: iso(t0),
      end: iso(t1),
      duration: round1((t1 - t0) / 1000),
      wallSeconds: round1((Date.now() - w0) / 1000),
      ...(output !== undefined ? { output } : {}),
      ...(error ? { error } : {}),
    };
  };

  const common = { service: config.service, stage: config.stage, clients, journal: opts.journal, target: opts.target, io };

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
        await runClock.sleep(durationMs((step as { wait: string }).wait), signal);
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
        if (expires !== undefined) faultEnds.set(id, clock.now() + expires);
        trackFaults();
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
            clock: runClock,
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
            service: config.service,
            stage: config.stage,
            regions: config.regions,
            primaryRegion: config.primaryRegion,
            table: config.table,
            clients,
            io,
            clock: runClock,
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
            clock: runClock,
            region: s.region!,
            lock: opts.lock,
            guard: () => guardInjection({ config, clients, journal: opts.journal, target: opts.target, io, dnsPort: clock.dnsPort, region: s.region!, requireHealthy: false }),
            signal,
          });
          trackFaults();
          return r;
        }
        const restored = await restoreFaults({ ...common, clock: runClock, ...(s.region ? { region: s.region } : {}), signal });
        trackFaults();
        return restored;
      }
    }
  };

  const probeAll = async (label: string): Promise<SteadyStateRecord> => {
    io.emit({ kind: 'step', id: 'gameday', state: 'start', label: `steady state ${label}` });
    const status = await sample();
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
        start: iso(t0),
        end: iso(t1),
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

  // ---- the run ----
  const runSignal = AbortSignal.any([opts.signal, stopper.signal]);
  const run: ActivityRecord[] = [];
  const rollbacks: ActivityRecord[] = [];
  let before: SteadyStateRecord | null = null;
  let after: SteadyStateRecord | null = null;
  let stepFailed = false;
  io.emit({ kind: 'info', message: `game day "${g.name}": ${g.steps.length} step(s) on ${config.service}/${config.stage} in ${config.regions.join(', ')}` });
  try {
    before = await probeAll('before');
    if (!before.steady_state_met) {
      stepFailed = true;
      io.emit({ kind: 'warn', message: 'steady state not met before the run: no step runs' });
      run.push(...g.steps.map((s, i) => skipped(s, i, loaded.stepLines[i], 'the steady state did not hold before the run', iso(clock.now()))));
    } else {
      for (const [i, step] of g.steps.entries()) {
        await tick();
        if (runSignal.aborted) {
          run.push(...g.steps.slice(i).map((s, j) => skipped(s, i + j, loaded.stepLines[i + j], opts.signal.aborted ? 'interrupted' : `stopped: ${stopped?.reason}`, iso(clock.now()))));
          break;
        }
        const record = await runStep(step, i, loaded.stepLines[i], runSignal, 'step');
        run.push(record);
        if (record.status !== 'succeeded') {
          stepFailed = true;
          run.push(...g.steps.slice(i + 1).map((s, j) => skipped(s, i + 1 + j, loaded.stepLines[i + 1 + j], `step ${i + 1} ${record.status}`, iso(clock.now()))));
          break;
        }
      }
    }
  } finally {
    // Rollbacks and the restore run whatever happened, without the aborted signal (a second Ctrl-C exits).
    checking = false;
    const calm = new AbortController().signal;
    const runRollbacks = g.rollbacks.strategy === 'always' || (g.rollbacks.strategy === 'deviated' && (stepFailed || stopped !== undefined || opts.signal.aborted));
    if (runRollbacks) {
      for (const [i, step] of g.rollbacks.steps.entries()) rollbacks.push(await runStep(step, i, loaded.rollbackLines[i], calm, 'rollback'));
    }
    const t0 = clock.now();
    const restored = await restoreFaults({ ...common, clock, signal: undefined }).catch((error: Error) => {
      io.emit({ kind: 'warn', message: `could not restore every fault: ${error.message}; run \`regionctl drill restore --all\`` });
      return null;
    });
    trackFaults();
    if (restored && restored.length > 0) {
      rollbacks.push({
        name: 'restore every journaled fault',
        type: 'rollback',
        detail: restored.map((r) => `${r.region}: ${r.functionName}`).join('; '),
        status: 'succeeded',
        start: iso(t0),
        end: iso(clock.now()),
        duration: round1((clock.now() - t0) / 1000),
        wallSeconds: 0,
        output: restored,
      });
    }
  }
  if (!opts.signal.aborted) {
    // Let the stage settle (alarms back to OK, checks healthy) before judging the steady state after.
    after = await settle(async () => probeAll('after'), runClock, g);
  }
  trackFaults();

  const objectives = judge(g, failovers, replications);
  const end = clock.now();
  const deviated = after !== null && !after.steady_state_met;
  const status: GamedayStatus = opts.signal.aborted
    ? 'interrupted'
    : stopped
      ? 'aborted'
      : stepFailed || objectives.some((o) => !o.met)
        ? 'failed'
        : deviated
          ? 'deviated'
          : 'passed';
  const lag = lagP99s(replications);
  const anyPaused = lag.some((p) => p.paused);
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
    start: iso(start),
    end: iso(end),
    duration: round1((end - start) / 1000),
    wallSeconds: round1((Date.now() - wallStart) / 1000),
    steady_states: { before, after },
    run,
    rollbacks,
    objectives,
    ...(opts.signal.aborted ? { stopped: { condition: 'SIGINT', reason: 'interrupted (Ctrl-C); every fault was restored', at: iso(end) } } : stopped ? { stopped } : {}),
    measurements: {
      rtoSeconds: maxOf(failovers.map((f) => f.measured.failoverSeconds)),
      failbackSeconds: maxOf(failovers.map((f) => f.measured.failbackSeconds)),
      rpoSeconds: maxOf(replications.map((r) => r.rpoSeconds)),
      replicationLagP99Ms: maxOf(lag.filter((p) => !p.paused).map((p) => p.p99)),
      ...(anyPaused ? { replicationLagP99InclPausedMs: maxOf(lag.map((p) => p.p99)) } : {}),
      missingItems: replications.length ? replications.reduce((n, r) => n + r.pairs.reduce((m, p) => m + p.missing, 0), 0) : null,
    },
    timeline,
  };
  return journal;
}

/** A step that never ran: start and end are the moment it was skipped. */
function skipped(step: Step, index: number, line: number | undefined, why: string, at: string): ActivityRecord {
  return { name: step.name ?? `step ${index + 1}: ${describeStep(step)}`, type: stepKind(step), detail: describeStep(step), ...(line !== undefined ? { line } : {}), status: 'skipped', start: at, end: at, duration: 0, wallSeconds: 0, error: why };
}

/**
 * Every measured pair's p99 lag. A pair the drill itself paused measures the pause, not
 * replication: its catch-up and missing items are reported (pause, maxMissingItems), its lag is
 * marked `paused` so neither the objective nor the headline measurement holds it against the stage.
 */
export function lagP99s(replications: ReplicationReport[]): Array<{ from: string; to: string; p99: number; paused: boolean }> {
  return replications.flatMap((r) =>
    r.pairs.flatMap((p) => (p.p99Ms === null ? [] : [{ from: p.from, to: p.to, p99: p.p99Ms, paused: r.pause !== undefined && r.pause.from === p.from && r.pause.to === p.to }])),
  );
}

function maxOf(xs: Array<number | null>): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
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

const fmtSeconds = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${round1(s)}s`);

/** Objectives vs what the drills measured: which one missed, and by how much. */
export function judge(g: GamedayFile, failovers: FailoverReport[], replications: ReplicationReport[]): ObjectiveRecord[] {
  const out: ObjectiveRecord[] = [];
  const o = g.objectives;
  const seconds = (name: 'failoverWithin' | 'failbackWithin', goal: string, values: Array<number | null>, what: string) => {
    const limit = durationMs(goal) / 1000;
    if (values.length === 0) return out.push({ name, goal, measured: null, unit: 's', met: false, message: `not measured: no failover drill ran` });
    if (values.some((v) => v === null)) return out.push({ name, goal, measured: null, unit: 's', met: false, message: `${what} never happened in ${values.filter((v) => v === null).length} drill(s)` });
    const worst = Math.max(...(values as number[]));
    const met = worst <= limit;
    out.push({ name, goal, measured: worst, unit: 's', met, message: met ? `${what} took ${fmtSeconds(worst)}, within ${goal}` : `${what} took ${fmtSeconds(worst)}, ${fmtSeconds(worst - limit)} over ${goal}` });
  };
  if (o.failoverWithin) seconds('failoverWithin', o.failoverWithin, failovers.map((f) => f.measured.failoverSeconds), 'failover');
  if (o.failbackWithin) seconds('failbackWithin', o.failbackWithin, failovers.map((f) => f.measured.failbackSeconds), 'failback');
  if (o.replicationLagP99Below) {
    const limit = durationMs(o.replicationLagP99Below);
    const p99 = lagP99s(replications).filter((p) => !p.paused);
    if (p99.length === 0) out.push({ name: 'replicationLagP99Below', goal: o.replicationLagP99Below, measured: null, unit: 'ms', met: false, message: replications.length ? 'no replication lag was measured' : 'not measured: no replication drill ran' });
    else {
      const worst = p99.reduce((w, p) => (p.p99 > w.p99 ? p : w));
      const met = worst.p99 < limit;
      out.push({
        name: 'replicationLagP99Below',
        goal: o.replicationLagP99Below,
        measured: worst.p99,
        unit: 'ms',
        met,
        message: met ? `worst p99 ${worst.p99} ms (${worst.from} → ${worst.to}), below ${o.replicationLagP99Below}` : `p99 lag ${worst.from} → ${worst.to} was ${worst.p99} ms, ${round1(worst.p99 - limit)} ms over ${o.replicationLagP99Below}`,
      });
    }
  }
  if (o.maxMissingItems !== undefined) {
    if (replications.length === 0) out.push({ name: 'maxMissingItems', goal: o.maxMissingItems, measured: null, unit: 'items', met: false, message: 'not measured: no replication drill ran' });
    else {
      const missing = replications.reduce((n, r) => n + r.pairs.reduce((m, p) => m + p.missing, 0), 0);
      const met = missing <= o.maxMissingItems;
      out.push({ name: 'maxMissingItems', goal: o.maxMissingItems, measured: missing, unit: 'items', met, message: met ? `${missing} item(s) missing, at most ${o.maxMissingItems} allowed` : `${missing} acknowledged write(s) missing at the deadline, ${missing - o.maxMissingItems} over ${o.maxMissingItems}` });
    }
  }
  return out;
}
