import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { CloudTarget } from '../aws/target.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { StageLock } from '../deploy/lock.js';
import { Interrupted, RegionctlError } from '../errors.js';
import type { Io } from '../io/types.js';
import { alarmTransition } from '../aws/cloudwatch.js';
import { errorReason } from '../aws/error-reason.js';
import { healthCheckReading, readingHealthy, type HealthCheckReading } from '../aws/route53.js';
import { probeCheck } from '../observe/region-status.js';
import { RoutingView, type RoutingAnswer } from '../observe/routing-view.js';
import { readWiring, type RegionWiring } from '../stage/outputs.js';
import { planStage } from '../stage/plan.js';
import type { Sleeper } from '../wait.js';
import { cloudDelays, theoreticalBound, type BoundParts } from './bound.js';
import { DrillRefused, guardInjection } from './guard.js';
import type { Journal } from './journal.js';
import { injectUnhealthy, restoreFaults } from './unhealthy.js';

export { DrillRefused } from './guard.js';

export interface DrillClients {
  readonly endpoint?: string;
  cloudFormation(region: string): CloudFormationClient;
  lambda(region: string): LambdaClient;
  cloudWatch(region: string): CloudWatchClient;
  route53(): Route53Client;
}

/** The phases of a failover drill's timeline, in the order they normally happen. */
export const PHASES = [
  'injected',
  'first-failing-probe',
  'alarm',
  'health-check-unhealthy',
  'dns-moved',
  'global-entry-moved',
  'restored',
  'alarm-ok',
  'health-check-healthy',
  'dns-back',
  'global-entry-back',
] as const;

export type Phase = (typeof PHASES)[number];

export interface TimelineEntry {
  phase: Phase;
  at: string;
  elapsedSeconds: number;
  detail?: string;
}

export interface FailoverReport {
  region: string;
  result: 'passed' | 'failed' | 'aborted';
  reason?: string;
  timeline: TimelineEntry[];
  measured: { detectSeconds: number | null; failoverSeconds: number | null; failbackSeconds: number | null };
  theoreticalBoundSeconds: number;
  boundFormula: string;
  /** The bound's parts, with the delays of the cloud the drill ran against (bound.ts). */
  bound: BoundParts;
  objectiveSeconds: number;
  restored: boolean;
  movedTo: string | null;
  wallSeconds: number;
  timeScale: number;
}

export interface FailoverOptions {
  config: ResolvedConfig;
  region: string;
  clients: DrillClients;
  journal: Journal;
  /** The cloud and account `clients` talk to (journal records are keyed by it). */
  target: CloudTarget;
  /** The stage lock, held by the caller for the whole drill. */
  lock: StageLock;
  io: Io;
  /** Cloud time: the local cloud's virtual clock or the wall clock on AWS. */
  clock: Sleeper & { timeScale?: number; dnsPort?: number; realism?: 'fast' | 'aws' };
  objectiveSeconds: number;
  deadlineSeconds: number;
  /** Seconds of cloud time between probes (traffic to the broken region, and phase checks). */
  probeSeconds?: number;
  signal?: AbortSignal;
}

/**
 * Break one region on purpose and measure, phase by phase, how long it takes for its clients to
 * be served elsewhere; then restore and measure failback. The fault is journaled before it is
 * applied and restored in `finally`, whatever happens (deadline, error, Ctrl-C).
 */
export async function failoverDrill(opts: FailoverOptions): Promise<FailoverReport> {
  const { config, region, clients, io, clock } = opts;
  const wallStart = Date.now();
  const probeMs = (opts.probeSeconds ?? 10) * 1000;
  const bound = theoreticalBound(config.healthCheck, cloudDelays(clock.realism));

  // Steady state: every region healthy, and R's clients answered by R.
  io.emit({ kind: 'step', id: 'drill', state: 'start', label: 'checking steady state' });
  const guard = { config, clients, journal: opts.journal, target: opts.target, io, dnsPort: clock.dnsPort, region, requireHealthy: true };
  const status = await guardInjection(guard);
  const plan = planStage(config);
  const healthy = status.regions.filter((r) => r.healthy).map((r) => r.region);
  const wiring: Record<string, RegionWiring> = Object.fromEntries(
    await Promise.all(config.regions.map(async (r) => [r, await readWiring(plan, clients, r)] as const)),
  );
  const mine = wiring[region];
  if (!mine.checkUrl) throw new DrillRefused(`${region} has no check endpoint (is the health stack deployed?)`, 'run `regionctl deploy` first');
  const checkUrl = mine.checkUrl;
  const view = await RoutingView.create(config, clients, wiring, clock.dnsPort);
  const route53 = clients.route53();
  // Where R's clients are served from: R's vantage point (its canary resolves and calls the
  // stage's names from R), with Route 53's TestDNSAnswer as the second signal. One invocation per
  // round answers both the DNS and the global-entry phase; a failed read leaves both unseen.
  const routing = async (): Promise<RoutingAnswer> => {
    try {
      return await view.answerFor(region);
    } catch (err) {
      const reason = errorReason(err);
      if (!unreadable.has(reason)) io.emit({ kind: 'warn', message: `where ${region}'s clients are served from cannot be read: ${reason}` });
      unreadable.add(reason);
      return {};
    }
  };
  const via = (a: RoutingAnswer) => {
    const o = a.vantage?.latency;
    const parts = [o?.address ? `${region}'s resolver answered ${o.address}${o.servedBy ? `, served by ${o.servedBy}` : ''}` : undefined, a.testDnsAnswer ? `TestDNSAnswer: ${a.testDnsAnswer}` : undefined];
    return parts.filter(Boolean).join('; ');
  };
  const alarmNow = async () => (mine.alarmName ? alarmTransition(clients.cloudWatch(region), mine.alarmName) : undefined);
  // The alarm says when it changed state, so its phase is timed by the cloud, not by when a poll
  // happened to look: at a high time scale one poll round spans seconds, and traffic can move
  // (the loop ends) in the same round the alarm fired.
  const markAlarm = async (phase: 'alarm' | 'alarm-ok', want: 'ALARM' | 'OK', after: number, detail?: string) => {
    if (seen(phase)) return;
    const alarm = await alarmNow();
    if (alarm?.state === want) mark(phase, detail, alarm.since === undefined ? undefined : Math.max(after, alarm.since));
  };
  // A failed read leaves the phase unseen for this round (the next poll asks again); the reason is
  // shown once, so a denied or throttled call is never mistaken for a health check that did not move.
  const unreadable = new Set<string>();
  // Which checks to read is asked once, before the fault (a CALCULATED check is read through its
  // children): Route 53's API is rate-limited per account, the drill polls, and the timed loop
  // should not pay the extra round trip. A failed read here is retried (and reported) in the loop.
  let reading: HealthCheckReading | undefined = mine.healthCheckId ? await healthCheckReading(route53, mine.healthCheckId).catch(() => undefined) : undefined;
  const checkHealthy = async () => {
    if (!mine.healthCheckId) return undefined;
    try {
      reading ??= await healthCheckReading(route53, mine.healthCheckId);
      return await readingHealthy(route53, reading);
    } catch (err) {
      const reason = errorReason(err);
      if (!unreadable.has(reason)) io.emit({ kind: 'warn', message: `the health check ${mine.healthCheckId} cannot be read: ${reason}` });
      unreadable.add(reason);
      return undefined;
    }
  };

  const steady = await routing();
  const steadyDns = steady.dns;
  const steadyEntry = view.hasGlobalEntry ? steady.entry : undefined;
  if (steadyDns !== undefined && steadyDns !== region) {
    throw new DrillRefused(`before the drill, ${region}'s clients are answered with ${steadyDns}, not ${region} (steady state not met)`);
  }
  if (steadyEntry !== undefined && steadyEntry !== region) {
    throw new DrillRefused(`before the drill, the global entry serves ${region}'s clients from ${steadyEntry}, not ${region} (steady state not met)`);
  }
  // What the drill can watch: the DNS answer and the global entry, each only when it could name
  // the region serving R's clients before the fault. With neither, failover cannot be measured.
  const watchDns = steadyDns === region;
  const watchEntry = steadyEntry === region;
  if (!watchDns && !watchEntry) {
    throw new DrillRefused(
      `cannot observe which region serves ${region}'s clients (no latency record answer or global entry that names a region)`,
      'deploy the service stack (latency record and custom domain) with `regionctl deploy`, and check `regionctl status`',
    );
  }
  const moved = () => (!watchDns || seen('dns-moved')) && (!watchEntry || seen('global-entry-moved'));
  const back = () => (!watchDns || seen('dns-back')) && (!watchEntry || seen('global-entry-back'));
  io.emit({ kind: 'step', id: 'drill', state: 'done', label: `steady state: ${healthy.length} healthy region(s); ${region}'s clients are served by ${region}` });

  const timeline: TimelineEntry[] = [];
  let injectedAt = 0;
  let restoredAt = 0;
  const mark = (phase: Phase, detail?: string, when?: number) => {
    const now = Math.min(when ?? clock.now(), clock.now());
    if (phase === 'injected') injectedAt = now;
    if (phase === 'restored') restoredAt = now;
    const origin = phase === 'injected' || injectedAt === 0 ? now : injectedAt;
    const entry: TimelineEntry = { phase, at: new Date(now).toISOString(), elapsedSeconds: round((now - origin) / 1000), ...(detail ? { detail } : {}) };
    // Chronological, also when a phase is timed by the cloud's own timestamp after a later one was seen.
    const later = timeline.findIndex((t) => Date.parse(t.at) > now);
    timeline.splice(later < 0 ? timeline.length : later, 0, entry);
    io.emit({ kind: 'info', region, message: `+${entry.elapsedSeconds}s ${phase}${detail ? ` (${detail})` : ''}` });
  };
  const seen = (phase: Phase) => timeline.some((t) => t.phase === phase);
  const at = (phase: Phase) => timeline.find((t) => t.phase === phase);

  let result: FailoverReport['result'] = 'failed';
  let reason: string | undefined;
  let restored = false;
  let movedTo: string | null = null;
  const deadline = clock.now() + opts.deadlineSeconds * 1000;
  const common = { service: config.service, stage: config.stage, clients, journal: opts.journal, target: opts.target, io, clock };
  try {
    // The guard again, right before the fault: the steady-state checks above took a while.
    await injectUnhealthy({ ...common, region, lock: opts.lock, guard: () => guardInjection(guard), signal: opts.signal });
    mark('injected', `UNHEALTHY=true on ${region}'s check function`);
    // Phase 1: drive traffic to the broken region until its clients are served elsewhere.
    while (!moved()) {
      if (opts.signal?.aborted) throw new Interrupted();
      if (clock.now() > deadline) throw new RegionctlError('DrillDeadline', `deadline of ${opts.deadlineSeconds}s reached before ${region}'s clients moved`);
      const probe = await probeCheck(checkUrl);
      if (!seen('first-failing-probe') && probe.httpStatus !== 200) mark('first-failing-probe', `HTTP ${probe.httpStatus ?? probe.error}`);
      await markAlarm('alarm', 'ALARM', injectedAt, mine.alarmName);
      if (!seen('health-check-unhealthy') && (await checkHealthy()) === false) mark('health-check-unhealthy', mine.healthCheckId);
      const answer = watchDns && !seen('dns-moved') ? await routing() : watchEntry && !seen('global-entry-moved') ? await routing() : {};
      if (watchDns && !seen('dns-moved')) {
        const now = answer.dns;
        if (now !== undefined && now !== region) {
          movedTo = now;
          mark('dns-moved', `${region}'s clients now answered by ${now}${via(answer) ? ` (${via(answer)})` : ''}`);
        }
      }
      if (watchEntry && !seen('global-entry-moved')) {
        const now = answer.entry;
        if (now !== undefined && now !== region) {
          movedTo ??= now;
          mark('global-entry-moved', `served by ${now}`);
        }
      }
      if (moved()) {
        await markAlarm('alarm', 'ALARM', injectedAt, mine.alarmName);
        break;
      }
      await clock.sleep(probeMs, opts.signal);
    }
  } catch (error) {
    if (error instanceof Interrupted || opts.signal?.aborted) {
      result = 'aborted';
      reason = 'interrupted';
    } else {
      reason = (error as Error).message;
    }
  } finally {
    // Restore without the abort signal: an interrupted drill must still undo its fault.
    const outcomes = await restoreFaults({ ...common, region, signal: undefined });
    restored = outcomes.length > 0 || injectedAt === 0;
    if (injectedAt !== 0) mark('restored');
  }

  // Phase 2: failback, measured the same way (skipped when aborted).
  if (result !== 'aborted' && injectedAt !== 0) {
    const backDeadline = clock.now() + opts.deadlineSeconds * 1000;
    try {
      for (;;) {
        if (opts.signal?.aborted) throw new Interrupted();
        await probeCheck(checkUrl);
        await markAlarm('alarm-ok', 'OK', restoredAt);
        if (!seen('health-check-healthy') && (await checkHealthy()) === true) mark('health-check-healthy');
        const answer = (watchDns && !seen('dns-back')) || (watchEntry && !seen('global-entry-back')) ? await routing() : {};
        if (watchDns && !seen('dns-back') && answer.dns === region) mark('dns-back');
        if (watchEntry && !seen('global-entry-back') && answer.entry === region) mark('global-entry-back');
        if (back()) {
          await markAlarm('alarm-ok', 'OK', restoredAt);
          break;
        }
        if (clock.now() > backDeadline) {
          reason ??= `deadline of ${opts.deadlineSeconds}s reached before ${region} failed back`;
          break;
        }
        await clock.sleep(probeMs, opts.signal);
      }
    } catch (error) {
      if (error instanceof Interrupted) {
        result = 'aborted';
        reason = 'interrupted during failback (the fault is already restored)';
      } else {
        reason ??= (error as Error).message;
      }
    }
  }

  const since = (phase: Phase, from: number) => (at(phase) ? round((Date.parse(at(phase)!.at) - from) / 1000) : null);
  const movedPhase: Phase | undefined = seen('dns-moved') ? 'dns-moved' : seen('global-entry-moved') ? 'global-entry-moved' : undefined;
  const lastMove = [at('dns-moved'), at('global-entry-moved')].filter(Boolean).map((t) => Date.parse(t!.at));
  const lastBack = [at('dns-back'), at('global-entry-back')].filter(Boolean).map((t) => Date.parse(t!.at));
  const measured = {
    detectSeconds: injectedAt ? since('alarm', injectedAt) ?? since('health-check-unhealthy', injectedAt) : null,
    failoverSeconds: movedPhase && lastMove.length ? round((Math.max(...lastMove) - injectedAt) / 1000) : null,
    failbackSeconds: lastBack.length && restoredAt ? round((Math.max(...lastBack) - restoredAt) / 1000) : null,
  };
  if (result !== 'aborted') {
    if (reason === undefined && measured.failoverSeconds !== null && measured.failoverSeconds <= opts.objectiveSeconds && restored) result = 'passed';
    else if (reason === undefined && measured.failoverSeconds !== null) reason = `failover took ${measured.failoverSeconds}s, over the objective of ${opts.objectiveSeconds}s`;
    else reason ??= 'clients never moved';
  }
  return {
    region,
    result,
    ...(reason && result !== 'passed' ? { reason } : {}),
    timeline,
    measured,
    theoreticalBoundSeconds: bound.totalSeconds,
    boundFormula: bound.formula,
    bound,
    objectiveSeconds: opts.objectiveSeconds,
    restored,
    movedTo,
    wallSeconds: round((Date.now() - wallStart) / 1000),
    timeScale: clock.timeScale ?? 1,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
