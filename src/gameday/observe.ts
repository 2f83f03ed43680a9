import { DescribeAlarmsCommand, GetMetricStatisticsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ResolvedConfig } from '../config/schema.js';
import { errorReason } from '../aws/error-reason.js';
import type { Io } from '../io/types.js';
import { clientNear } from '../observe/client-location.js';
import { regionStatus, type StatusClients, type StatusReport } from '../observe/region-status.js';
import { globalTableName } from '../stage/names.js';
import type { Timeline } from './journal.js';
import type { Probe } from './schema.js';
import { durationMs } from './schema.js';

// What a game day looks at: the stage's status (observe/region-status, the same view as
// `regionctl status`), CloudWatch alarms by name and the global table's ReplicationLatency. Used
// by the steady-state and assert probes, the stop conditions and the timeline samples.

export interface ObserveClients extends StatusClients {
  cloudWatch(region: string): CloudWatchClient;
}

export interface Observer {
  config: ResolvedConfig;
  clients: ObserveClients;
  io: Io;
  dnsPort?: number;
  now: () => number;
}

/** A quiet io for the status reads (their debug lines would flood a game day's progress). */
function quiet(io: Io): Io {
  return { ...io, emit: () => undefined, jsonMode: io.jsonMode, color: io.color, interactive: io.interactive, style: io.style, result: io.result.bind(io), confirm: io.confirm.bind(io) };
}

export async function stageStatus(o: Observer): Promise<StatusReport> {
  return regionStatus({ config: o.config, clients: o.clients, io: quiet(o.io), dnsPort: o.dnsPort });
}

/** The state of every alarm with this name in the stage's regions (regions where it is absent are left out). */
export async function alarmStates(o: Observer, name: string): Promise<Array<{ region: string; state: string }>> {
  const out = await Promise.all(
    o.config.regions.map(async (region) => {
      try {
        const res = await o.clients.cloudWatch(region).send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
        const alarm = res.MetricAlarms?.[0];
        return alarm?.StateValue ? { region, state: String(alarm.StateValue) } : undefined;
      } catch {
        return undefined; // a region that cannot answer (an outage) has no readable alarm
      }
    }),
  );
  return out.filter((x): x is { region: string; state: string } => x !== undefined);
}

/** The highest ReplicationLatency per pair over the last `windowMs` (ms); pairs without data are left out. */
export async function replicationLag(o: Observer, windowMs: number): Promise<Array<{ from: string; to: string; ms: number }>> {
  if (!o.config.table) return [];
  const table = globalTableName(o.config);
  const end = o.now();
  const start = end - windowMs;
  let period = 60;
  while (period < 86_400 && Math.floor(start / (period * 1000)) !== Math.floor(end / (period * 1000))) period += 60;
  const pairs = o.config.regions.flatMap((from) => o.config.regions.filter((to) => to !== from).map((to) => ({ from, to })));
  const out = await Promise.all(
    pairs.map(async ({ from, to }) => {
      try {
        const res = await o.clients.cloudWatch(from).send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/DynamoDB',
            MetricName: 'ReplicationLatency',
            Dimensions: [{ Name: 'TableName', Value: table }, { Name: 'ReceivingRegion', Value: to }],
            StartTime: new Date(start),
            EndTime: new Date(end + 1000),
            Period: period,
            Statistics: ['Maximum'],
          }),
        );
        const max = Math.max(...(res.Datapoints ?? []).map((d) => d.Maximum ?? 0));
        return Number.isFinite(max) && (res.Datapoints ?? []).length > 0 ? { from, to, ms: Math.round(max * 10) / 10 } : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return out.filter((x): x is { from: string; to: string; ms: number } => x !== undefined);
}

export interface ProbeOutcome {
  met: boolean;
  detail: string;
  output: unknown;
}

/** Evaluate one probe against the stage now. */
export async function evaluateProbe(o: Observer, probe: Probe, status?: StatusReport): Promise<ProbeOutcome> {
  try {
    switch (probe.probe) {
      case 'all-regions-healthy': {
        const s = status ?? (await stageStatus(o));
        const bad = s.regions.filter((r) => !r.healthy);
        return {
          met: bad.length === 0,
          detail: bad.length === 0 ? `all ${s.regions.length} region(s) healthy` : bad.map((r) => `${r.region}: ${r.reasons.join('; ')}`).join(' | '),
          output: s.regions.map((r) => ({ region: r.region, healthy: r.healthy, reasons: r.reasons })),
        };
      }
      case 'region-healthy': {
        const s = status ?? (await stageStatus(o));
        const r = s.regions.find((x) => x.region === probe.region);
        const healthy = r?.healthy ?? false;
        return { met: healthy === probe.expect, detail: `${probe.region} is ${healthy ? 'healthy' : `not healthy (${r?.reasons.join('; ') ?? 'not in the stage'})`}`, output: { region: probe.region, healthy } };
      }
      case 'dns': {
        const s = status ?? (await stageStatus(o));
        const answeredBy = s.regions.find((x) => x.region === probe.client)?.dns.answeredBy ?? null;
        const met = probe.expect === 'any-other' ? answeredBy !== null && answeredBy !== probe.client : answeredBy === probe.expect;
        return { met, detail: `clients in ${probe.client} are answered by ${answeredBy ?? 'nobody'} (expected ${probe.expect})`, output: { client: probe.client, answeredBy } };
      }
      case 'replication-lag': {
        if (!o.config.table) return { met: false, detail: 'the stage has no global table (regionctl.yml table:)', output: null };
        const lag = await replicationLag(o, durationMs(probe.window));
        const limit = durationMs(probe.below);
        const worst = lag.reduce<{ from: string; to: string; ms: number } | undefined>((w, x) => (!w || x.ms > w.ms ? x : w), undefined);
        return {
          met: lag.every((x) => x.ms < limit),
          detail: worst ? `worst pair ${worst.from} → ${worst.to}: ${worst.ms} ms (below ${limit} ms expected)` : `no replication in the last ${probe.window}`,
          output: lag,
        };
      }
      case 'health-check': {
        const s = status ?? (await stageStatus(o));
        const hc = s.regions.find((x) => x.region === probe.region)?.healthCheck ?? null;
        return { met: hc === probe.expect, detail: `${probe.region}'s health check is ${hc ?? 'unreadable'} (expected ${probe.expect})`, output: { region: probe.region, healthCheck: hc } };
      }
      case 'alarm': {
        const s = status ?? (await stageStatus(o));
        const state = s.regions.find((x) => x.region === probe.region)?.alarmState ?? null;
        return { met: state === probe.expect, detail: `${probe.region}'s alarm is ${state ?? 'unreadable'} (expected ${probe.expect})`, output: { region: probe.region, alarmState: state } };
      }
    }
  } catch (error) {
    return { met: false, detail: `the probe could not be read: ${errorReason(error)}`, output: null };
  }
}

/** A one-line description of a probe for plans and journals. */
export function describeProbe(p: Probe): string {
  switch (p.probe) {
    case 'all-regions-healthy':
      return 'all regions healthy';
    case 'region-healthy':
      return `${p.region} ${p.expect ? 'healthy' : 'not healthy'}`;
    case 'dns':
      return `clients in ${p.client} answered by ${p.expect}`;
    case 'replication-lag':
      return `replication lag below ${p.below} (last ${p.window})`;
    case 'health-check':
      return `${p.region} health check ${p.expect}`;
    case 'alarm':
      return `${p.region} alarm ${p.expect}`;
  }
}

/** Records transitions only: each lane's entry is appended when its value changes. */
export class TimelineRecorder {
  readonly timeline: Timeline = { regionHealth: [], routing: [], alarms: [], healthChecks: [], faults: [], replicationLag: [] };
  private last = new Map<string, string>();

  /** alarmNames: each region's health alarm (from the health stack's outputs), for the alarm lane. */
  constructor(private readonly alarmNames: Record<string, string | undefined> = {}) {}

  private changed(key: string, value: string): boolean {
    if (this.last.get(key) === value) return false;
    this.last.set(key, value);
    return true;
  }

  /** Add what a status read saw (at: cloud ms). */
  status(at: number, s: StatusReport): void {
    const iso = new Date(at).toISOString();
    for (const r of s.regions) {
      if (this.changed(`h:${r.region}`, String(r.healthy))) this.timeline.regionHealth.push({ at: iso, region: r.region, healthy: r.healthy });
      const served = r.dns.answeredBy;
      if (this.changed(`d:${r.region}`, String(served))) {
        let subnet = r.region;
        try {
          subnet = `${clientNear(r.region).clientIp.replace(/\.[0-9]+$/, '.0')}/24`;
        } catch {
          // an unknown region keeps its name as the lane's key
        }
        this.timeline.routing.push({ at: iso, subnet, label: `clients in ${r.region}`, region: served });
      }
      const alarm = r.alarmState;
      if ((alarm === 'OK' || alarm === 'ALARM' || alarm === 'INSUFFICIENT_DATA') && this.changed(`a:${r.region}`, alarm)) {
        this.timeline.alarms.push({ at: iso, region: r.region, name: this.alarmNames[r.region] ?? `${s.service}-${s.stage} health alarm`, state: alarm });
      }
      if (r.healthCheck !== null && this.changed(`c:${r.region}`, r.healthCheck)) this.timeline.healthChecks.push({ at: iso, region: r.region, healthy: r.healthCheck === 'Healthy' });
    }
  }

  lag(at: number, lag: Array<{ from: string; to: string; ms: number }>): void {
    const iso = new Date(at).toISOString();
    for (const l of lag) this.timeline.replicationLag.push({ at: iso, ...l });
  }
}
