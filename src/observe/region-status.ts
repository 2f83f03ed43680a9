import { alarmState } from '../aws/cloudwatch.js';
import { attempt, type Read } from '../aws/error-reason.js';
import { healthCheckReading, readingHealthy } from '../aws/route53.js';
import type { ResolvedConfig } from '../config/schema.js';
import { fanOut } from '../fan-out.js';
import type { Io } from '../io/types.js';
import { readWiring, type RegionWiring } from '../stage/outputs.js';
import { planStage, type StagePlan } from '../stage/plan.js';
import { RoutingView, type RoutingClients } from './routing-view.js';
import { vantageProblem, type VantageView } from './vantage.js';

export type StatusClients = RoutingClients;

/** One region at a glance. Field names are a contract (`status --json`): add, never rename. */
export interface RegionStatus {
  region: string;
  /** The health stack's status (NOT_DEPLOYED when it does not exist). */
  stackStatus: string;
  /** The service stack's status (NOT_DEPLOYED when it does not exist). */
  serviceStackStatus: string;
  /**
   * The region serves its clients: both stacks in a settled *_COMPLETE state (not a rollback or a
   * delete), its check answers 200, its hello endpoint answers 200 and its latency record exists.
   */
  healthy: boolean;
  /** Why the region is not healthy (empty when it is). */
  reasons: string[];
  checkUrl: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  /** The region the check answered from (its body), when it answered. */
  answeredBy: string | null;
  /** HTTP status of the service's own /hello on this region's API. */
  helloStatus: number | null;
  /** Whether Route 53 has this region's latency record (null when the zone or name is unknown). */
  latencyRecord: boolean | null;
  /** The 5XXError alarm's state (OK, ALARM, INSUFFICIENT_DATA), when deployed. */
  alarmState: string | null;
  /** Route 53's view of the region's health check. */
  healthCheck: 'Healthy' | 'Unhealthy' | null;
  /**
   * For clients in this region: the region they are answered with for the latency name (from the
   * region's vantage point, else Route 53's TestDNSAnswer), the region the global entry served them
   * from (vantage point), and TestDNSAnswer's answer for a client subnet and resolver in the region.
   */
  dns: { answeredBy: string | null; globalEntry: string | null; testDnsAnswer?: string | null };
  /** What the region's vantage point (its canary, invoked on demand) observed; null when it was not asked. */
  vantage?: VantageView | null;
  /** Every stack the plan puts in the region, in deploy order (status NOT_DEPLOYED when it does not exist). */
  stacks: Array<{ kind: string; stackName: string; status: string }>;
  /** Why a value above is null although it should be known (a read was denied, throttled, failed). */
  notes: string[];
  error?: string;
}

export interface StatusReport {
  service: string;
  stage: string;
  regions: RegionStatus[];
  healthyRegions: number;
  /** Stage-wide reads that failed (the hosted zone, its records), and why. */
  notes: string[];
}

/** Probe one check endpoint: status, latency, and which region answered. */
export async function probeCheck(url: string, timeoutMs = 5000): Promise<{ httpStatus: number | null; latencyMs: number | null; answeredBy: string | null; error?: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'cache-control': 'no-cache' } });
    const text = await res.text();
    const latencyMs = Math.round(performance.now() - started);
    let answeredBy: string | null = null;
    try {
      answeredBy = (JSON.parse(text) as { region?: string }).region ?? null;
    } catch {
      answeredBy = null;
    }
    return { httpStatus: res.status, latencyMs, answeredBy };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { httpStatus: null, latencyMs: null, answeredBy: null, error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message) };
  }
}

/**
 * One more try when a probe got no answer at all: the first call after a deploy meets a cold
 * function, and Route 53 too calls a region unhealthy only after several failed checks, never one.
 * An HTTP error status is an answer and is not retried.
 */
async function probeAnswered(url: string, timeoutMs?: number): ReturnType<typeof probeCheck> {
  const first = await probeCheck(url, timeoutMs);
  return first.httpStatus === null ? probeCheck(url, timeoutMs) : first;
}

const blank = (region: string, stackStatus: string, reason: string, error?: string, serviceStackStatus = 'UNKNOWN'): RegionStatus => ({
  region,
  stackStatus,
  serviceStackStatus,
  healthy: false,
  reasons: [reason],
  checkUrl: null,
  httpStatus: null,
  latencyMs: null,
  answeredBy: null,
  helloStatus: null,
  latencyRecord: null,
  alarmState: null,
  healthCheck: null,
  dns: { answeredBy: null, globalEntry: null },
  stacks: [],
  notes: [],
  ...(error ? { error } : {}),
});

/**
 * A stack that is in place and settled. Rollback and delete states count as broken even when
 * "complete": UPDATE_ROLLBACK_COMPLETE means the last change failed, and the region may be running
 * half of it.
 */
function settled(status: string): boolean {
  return /_COMPLETE$/.test(status) && !/ROLLBACK|DELETE/.test(status);
}

const valueOf = <T>(read: Read<T> | undefined, what: string, notes: string[]): T | undefined => {
  if (!read) return undefined;
  if (read.ok) return read.value;
  notes.push(`${what} cannot be read: ${read.reason}`);
  return undefined;
};

export async function regionStatus(opts: { config: ResolvedConfig; plan?: StagePlan; clients: StatusClients; io: Io; timeoutMs?: number; dnsPort?: number }): Promise<StatusReport> {
  const { config, clients } = opts;
  const plan = opts.plan ?? planStage(config);
  const regionNames = plan.regions.map((r) => r.region);
  const wiringResults = await fanOut(regionNames, regionNames.length, (region) => readWiring(plan, clients, region));
  const wiring: Record<string, RegionWiring> = Object.fromEntries(wiringResults.map((r) => [r.region, r.ok ? r.value : { stacks: [] }]));
  const notes: string[] = [];
  const view = await RoutingView.create(config, clients, wiring, opts.dnsPort);
  if (view.dnsProblem) notes.push(view.dnsProblem);
  const recordsRead = await attempt(() => view.latencyRecordRegions());
  const records = valueOf(recordsRead, `the latency records in ${config.dns.zone}`, notes);
  const recordsProblem = view.dnsProblem ?? (recordsRead.ok ? undefined : recordsRead.reason);
  const results = await fanOut(regionNames, regionNames.length, async (region): Promise<RegionStatus> => {
    const w = wiring[region];
    const regional = plan.regions.find((r) => r.region === region)!.stacks;
    const health = regional.find((s) => s.kind === 'health')?.name ?? 'health';
    const service = regional.find((s) => s.kind === 'service')?.name ?? 'service';
    const serviceStackStatus = w.serviceStackStatus ?? 'NOT_DEPLOYED';
    const stacks = w.stacks.map((s) => ({ kind: s.kind, stackName: s.stackName, status: s.status ?? 'NOT_DEPLOYED' }));
    if (!w.stackStatus) return { ...blank(region, 'NOT_DEPLOYED', `the health stack ${health} does not exist`, undefined, serviceStackStatus), stacks };
    if (!w.checkUrl) {
      const why = 'the health stack has no check endpoint output';
      return { ...blank(region, w.stackStatus, why, why, serviceStackStatus), stacks };
    }
    // The hello probe after the check, and the vantage point after the hello (whose API it
    // reaches too): cold starts one after another per region, not all at once, so a busy machine
    // does not turn a first status into timeouts.
    const probes = async () => {
      const probe = await probeAnswered(w.checkUrl!, opts.timeoutMs);
      const hello = w.helloUrl ? await probeAnswered(w.helloUrl, opts.timeoutMs) : undefined;
      const routing = await attempt(() => view.answerFor(region));
      return { probe, hello, routing };
    };
    const [{ probe, hello, routing }, alarmRead, checkRead] = await Promise.all([
      probes(),
      w.alarmName ? attempt(() => alarmState(clients.cloudWatch(region), w.alarmName!)) : undefined,
      w.healthCheckId ? attempt(async () => readingHealthy(clients.route53(), await healthCheckReading(clients.route53(), w.healthCheckId!))) : undefined,
    ]);
    const regionNotes: string[] = [];
    const alarm = valueOf(alarmRead, `the alarm ${w.alarmName}`, regionNotes);
    const check = valueOf(checkRead, `the health check ${w.healthCheckId}`, regionNotes);
    const answer = valueOf(routing, 'the DNS answer', regionNotes);
    const vantage = answer?.vantage;
    const problem = vantage ? vantageProblem(vantage) : undefined;
    if (problem) regionNotes.push(`the vantage point names no region: ${problem}`);
    if (answer?.testDnsAnswer && vantage?.latency?.servedBy && answer.testDnsAnswer !== vantage.latency.servedBy) {
      regionNotes.push(`Route 53's TestDNSAnswer for a client in ${region} says ${answer.testDnsAnswer}, the vantage point in ${region} was served by ${vantage.latency.servedBy}`);
    }
    const latencyRecord = records === undefined ? null : records.has(region);
    const reasons: string[] = [];
    if (!settled(w.stackStatus)) reasons.push(`the health stack ${health} is ${w.stackStatus}`);
    if (!w.serviceStackStatus) reasons.push(`the service stack ${service} does not exist`);
    else if (!settled(w.serviceStackStatus)) reasons.push(`the service stack ${service} is ${w.serviceStackStatus}`);
    // Every other stage-owned stack of the region (kinds added later) must be in place too; the
    // shared toolkit belongs to every stage and its absence shows in the health stack's.
    for (const s of w.stacks) {
      if (s.kind === 'health' || s.kind === 'service' || regional.find((p) => p.kind === s.kind)?.shared) continue;
      if (!s.status) reasons.push(`the ${s.kind} stack ${s.stackName} does not exist`);
      else if (!settled(s.status)) reasons.push(`the ${s.kind} stack ${s.stackName} is ${s.status}`);
    }
    if (probe.httpStatus !== 200) reasons.push(`the check answers ${probe.httpStatus ?? probe.error}`);
    if (w.serviceStackStatus) {
      if (!w.helloUrl) reasons.push('the service stack has no API output');
      else if (hello?.httpStatus !== 200) reasons.push(`hello answers ${hello?.httpStatus ?? hello?.error}`);
    }
    if (latencyRecord !== true && w.serviceStackStatus) {
      reasons.push(latencyRecord === false ? `no latency record for ${region} in ${config.dns.zone}` : `the latency record cannot be read (zone ${config.dns.zone}${recordsProblem ? `: ${recordsProblem}` : ''})`);
    }
    return {
      region,
      stackStatus: w.stackStatus,
      serviceStackStatus,
      checkUrl: w.checkUrl,
      ...probe,
      helloStatus: hello?.httpStatus ?? null,
      latencyRecord,
      healthy: reasons.length === 0,
      reasons,
      alarmState: alarm ?? null,
      healthCheck: check === undefined ? null : check ? 'Healthy' : 'Unhealthy',
      dns: { answeredBy: answer?.dns ?? null, globalEntry: answer?.entry ?? null, testDnsAnswer: answer?.testDnsAnswer ?? null },
      vantage: vantage ?? null,
      stacks,
      notes: regionNotes,
    };
  });
  const regions = results.map((r) => (r.ok ? r.value : blank(r.region, 'UNKNOWN', `its status cannot be read: ${r.error.message}`, r.error.message)));
  return { service: config.service, stage: config.stage, regions, healthyRegions: regions.filter((r) => r.healthy).length, notes };
}
