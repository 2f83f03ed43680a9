import type { ResolvedConfig } from '../config/schema.js';
import { stackName } from '../deploy/plan.js';
import { fanOut } from '../fan-out.js';
import type { Io } from '../io/types.js';
import { alarmState, healthCheckHealthy, readWiring, RoutingView, type RegionWiring, type RoutingClients } from './wiring.js';

export type StatusClients = RoutingClients;

/** One region at a glance. Field names are a contract (`status --json`): add, never rename. */
export interface RegionStatus {
  region: string;
  stackStatus: string;
  healthy: boolean;
  checkUrl: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  /** The region the check answered from (its body), when it answered. */
  answeredBy: string | null;
  /** The 5XXError alarm's state (OK, ALARM, INSUFFICIENT_DATA), when deployed. */
  alarmState: string | null;
  /** Route 53's view of the region's health check. */
  healthCheck: 'Healthy' | 'Unhealthy' | null;
  /** For clients in this region's subnet: the region Route 53 answers, and the region the global entry served. */
  dns: { answeredBy: string | null; globalEntry: string | null };
  error?: string;
}

export interface StatusReport {
  service: string;
  stage: string;
  regions: RegionStatus[];
  healthyRegions: number;
}

export function healthStackName(config: Pick<ResolvedConfig, 'service' | 'stage'>): string {
  return stackName('health', config);
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

const blank = (region: string, stackStatus: string, error?: string): RegionStatus => ({
  region,
  stackStatus,
  healthy: false,
  checkUrl: null,
  httpStatus: null,
  latencyMs: null,
  answeredBy: null,
  alarmState: null,
  healthCheck: null,
  dns: { answeredBy: null, globalEntry: null },
  ...(error ? { error } : {}),
});

export async function regionStatus(opts: { config: ResolvedConfig; clients: StatusClients; io: Io; timeoutMs?: number; dnsPort?: number }): Promise<StatusReport> {
  const { config, clients } = opts;
  const wiringResults = await fanOut(config.regions, config.regions.length, (region) => readWiring(config, clients, region));
  const wiring: Record<string, RegionWiring> = Object.fromEntries(wiringResults.map((r) => [r.region, r.ok ? r.value : {}]));
  const view = await RoutingView.create(config, clients, wiring, opts.dnsPort).catch(() => undefined);
  const results = await fanOut(config.regions, config.regions.length, async (region): Promise<RegionStatus> => {
    const w = wiring[region];
    if (!w.stackStatus) return blank(region, 'NOT_DEPLOYED');
    if (!w.checkUrl) return blank(region, w.stackStatus, 'the health stack has no check endpoint output');
    const [probe, alarm, check, dnsAnswer, entry] = await Promise.all([
      probeCheck(w.checkUrl, opts.timeoutMs),
      w.alarmName ? alarmState(clients.cloudWatch(region), w.alarmName).catch(() => undefined) : undefined,
      w.healthCheckId ? healthCheckHealthy(clients.route53(), w.healthCheckId).catch(() => undefined) : undefined,
      view?.dnsAnswerFor(region).catch(() => undefined),
      view?.globalEntryFor(region).catch(() => undefined),
    ]);
    const stable = w.stackStatus === 'CREATE_COMPLETE' || w.stackStatus === 'UPDATE_COMPLETE';
    return {
      region,
      stackStatus: w.stackStatus,
      checkUrl: w.checkUrl,
      ...probe,
      healthy: stable && probe.httpStatus === 200,
      alarmState: alarm ?? null,
      healthCheck: check === undefined ? null : check ? 'Healthy' : 'Unhealthy',
      dns: { answeredBy: dnsAnswer ?? null, globalEntry: entry ?? null },
    };
  });
  const regions = results.map((r) => (r.ok ? r.value : blank(r.region, 'UNKNOWN', r.error.message)));
  return { service: config.service, stage: config.stage, regions, healthyRegions: regions.filter((r) => r.healthy).length };
}
