import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { healthCheckId } from './ids.js';
import type { HealthCheckConfig, HealthCheckRecord, Route53State } from './model.js';
import type { ProbeResult } from './probe.js';
import { KeyedTimers } from '../clock.js';

/** AWS's default health checker regions, used when HealthCheckConfig.Regions is absent. */
export const DEFAULT_CHECKER_REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
/** Route 53 calls an endpoint healthy when MORE than this share of checkers report it healthy. */
export const HEALTHY_CHECKER_SHARE = 0.18;
const ALARM_RECHECK_MS = 10_000;
const ALARM_TICKER = 'alarm-recheck'; // a key no health check id/region pair can take

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
/** The part of the CloudWatch domain ('monitoring') health checks read. */
export interface AlarmSource {
  alarmState?(region: string, alarmName: string): { state: AlarmStateValue; updatedAt: number } | undefined;
  onAlarmStateChange?: (region: string, alarmName: string, state: AlarmStateValue, previous: AlarmStateValue) => void;
}

export type Prober = (config: HealthCheckConfig, checkerRegion: string) => Promise<ProbeResult>;

const isHttp = (c: HealthCheckConfig): boolean => c.Type.startsWith('HTTP') || c.Type === 'TCP';
export const checkerRegions = (c: HealthCheckConfig): string[] => c.Regions ?? DEFAULT_CHECKER_REGIONS;

// Health checks evaluated on the cloud clock: HTTP(S) checkers probe on staggered timers,
// CLOUDWATCH_METRIC follows the alarm (hook + 10 s re-check), CALCULATED combines children.
export class HealthChecks {
  private readonly timers: KeyedTimers;

  constructor(
    private readonly ctx: CloudContext,
    private readonly state: () => Route53State,
    private readonly probe: Prober,
  ) {
    this.timers = new KeyedTimers(ctx.clock);
  }

  get(id: string): HealthCheckRecord {
    const hc = this.state().healthChecks[id];
    if (!hc) throw new AwsError('NoSuchHealthCheck', `No health check exists with the specified ID ${id}.`, 404);
    return hc;
  }

  list(): HealthCheckRecord[] {
    return Object.values(this.state().healthChecks).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  // Same CallerReference + same config returns the existing check, as Route 53 does.
  create(callerReference: string, config: HealthCheckConfig): { hc: HealthCheckRecord; created: boolean } {
    if (!callerReference) throw new AwsError('InvalidInput', "Invalid request: Missing field 'CallerReference' in CreateHealthCheckRequest", 400);
    const existing = Object.values(this.state().healthChecks).find((h) => h.callerReference === callerReference);
    if (existing) {
      if (JSON.stringify(existing.config) === JSON.stringify(config)) return { hc: existing, created: false };
      throw new AwsError('HealthCheckAlreadyExists', `A health check with CallerReference ${callerReference} already exists with different settings.`, 409);
    }
    this.validateChildren(config);
    const hc: HealthCheckRecord = {
      id: healthCheckId(),
      callerReference,
      version: 1,
      createdAt: this.ctx.clock.now(),
      config,
      checkers: {},
      lastKnownHealthy: true,
    };
    this.resetCheckers(hc);
    this.state().healthChecks[hc.id] = hc;
    this.ctx.state.changed('route53', 'healthChecks', hc.id);
    this.arm(hc);
    return { hc, created: true };
  }

  update(id: string, changes: Partial<HealthCheckConfig>, version?: number): HealthCheckRecord {
    const hc = this.get(id);
    if (version !== undefined && version !== hc.version) {
      throw new AwsError('HealthCheckVersionMismatch', 'The value of HealthCheckVersion in the request doesn\'t match the value of HealthCheckVersion in the health check.', 409);
    }
    const next: HealthCheckConfig = { ...hc.config };
    for (const [k, v] of Object.entries(changes)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    this.validateChildren(next);
    hc.config = next;
    hc.version += 1;
    this.resetCheckers(hc);
    this.ctx.state.changed('route53', 'healthChecks', hc.id);
    this.arm(hc);
    return hc;
  }

  delete(id: string): void {
    this.get(id);
    this.disarm(id);
    delete this.state().healthChecks[id];
    this.ctx.state.changed('route53', 'healthChecks', id);
  }

  private validateChildren(config: HealthCheckConfig): void {
    for (const child of config.ChildHealthChecks ?? []) {
      if (!this.state().healthChecks[child]) throw new AwsError('InvalidInput', `Invalid request: child health check ${child} does not exist`, 400);
    }
  }

  private resetCheckers(hc: HealthCheckRecord): void {
    if (!isHttp(hc.config)) {
      hc.checkers = {};
      return;
    }
    const keep = hc.checkers;
    hc.checkers = {};
    for (const r of checkerRegions(hc.config)) hc.checkers[r] = keep[r] ?? { healthy: true, streak: 0 };
  }

  /** Healthy or Unhealthy, as Route 53 would answer DNS with it now. */
  isHealthy(id: string, seen = new Set<string>()): boolean {
    const hc = this.state().healthChecks[id];
    if (!hc) return true;
    if (hc.config.Disabled) return true;
    const raw = this.rawHealthy(hc, seen);
    return hc.config.Inverted ? !raw : raw;
  }

  private rawHealthy(hc: HealthCheckRecord, seen: Set<string>): boolean {
    const c = hc.config;
    if (c.Type === 'CLOUDWATCH_METRIC') return this.refreshAlarm(hc);
    if (c.Type === 'CALCULATED') {
      if (seen.has(hc.id)) return false;
      seen.add(hc.id);
      const healthy = (c.ChildHealthChecks ?? []).filter((child) => this.isHealthy(child, new Set(seen))).length;
      return healthy >= (c.HealthThreshold ?? 0);
    }
    const checkers = Object.values(hc.checkers);
    if (checkers.length === 0) return true;
    return checkers.filter((s) => s.healthy).length / checkers.length > HEALTHY_CHECKER_SHARE;
  }

  private alarms(): AlarmSource | undefined {
    return this.ctx.service('monitoring');
  }

  // Reads the alarm now; OK/ALARM also become the "last known" status for INSUFFICIENT_DATA.
  private refreshAlarm(hc: HealthCheckRecord): boolean {
    const alarm = hc.config.AlarmIdentifier;
    const state = alarm ? this.alarms()?.alarmState?.(alarm.Region, alarm.Name)?.state : undefined;
    const value: AlarmStateValue = state ?? 'INSUFFICIENT_DATA';
    const lastKnownHealthy = value === 'OK' ? true : value === 'ALARM' ? false : hc.lastKnownHealthy;
    if (hc.lastAlarmState !== value || hc.lastKnownHealthy !== lastKnownHealthy) {
      if (hc.lastAlarmState !== value) hc.checkedAt = this.ctx.clock.now();
      hc.lastAlarmState = value;
      hc.lastKnownHealthy = lastKnownHealthy;
      this.ctx.state.changed('route53', 'healthChecks', hc.id);
    }
    if (value !== 'INSUFFICIENT_DATA') return value === 'OK';
    const policy = hc.config.InsufficientDataHealthStatus ?? 'LastKnownStatus';
    return policy === 'Healthy' ? true : policy === 'Unhealthy' ? false : hc.lastKnownHealthy;
  }

  private refreshAllAlarms(): void {
    for (const hc of Object.values(this.state().healthChecks)) {
      if (hc.config.Type === 'CLOUDWATCH_METRIC') this.refreshAlarm(hc);
    }
  }

  /** Per-checker observations for GetHealthCheckStatus. */
  observations(id: string): Array<{ region: string; ip: string; status: string; checkedAt: number }> {
    const hc = this.get(id);
    const c = hc.config;
    if (c.Type === 'CALCULATED') {
      throw new AwsError('InvalidInput', 'Invalid request: GetHealthCheckStatus is not supported for health checks of type CALCULATED', 400);
    }
    const ip = (i: number) => `15.177.${i * 8}.${10 + i}`;
    if (c.Type === 'CLOUDWATCH_METRIC') {
      const healthy = this.isHealthy(id);
      const state = hc.lastAlarmState ?? 'INSUFFICIENT_DATA';
      const status = healthy
        ? `Success: CloudWatch alarm ${c.AlarmIdentifier?.Name} is in state ${state}`
        : `Failure: CloudWatch alarm ${c.AlarmIdentifier?.Name} is in state ${state}`;
      return DEFAULT_CHECKER_REGIONS.map((region, i) => ({ region, ip: ip(i), status, checkedAt: hc.checkedAt ?? hc.createdAt }));
    }
    return checkerRegions(c).flatMap((region, i) => {
      const s = hc.checkers[region];
      return s?.lastStatus ? [{ region, ip: ip(i), status: s.lastStatus, checkedAt: s.checkedAt ?? hc.createdAt }] : [];
    });
  }

  /** Re-arm probes and the alarm hook after a (re)start. */
  start(): void {
    for (const hc of Object.values(this.state().healthChecks)) this.arm(hc);
    const source = this.alarms();
    if (source) {
      const previous = source.onAlarmStateChange;
      source.onAlarmStateChange = (region, name, state, prior) => {
        previous?.(region, name, state, prior);
        this.refreshAllAlarms();
      };
    }
    const tick = () => {
      this.refreshAllAlarms();
      this.timers.after(ALARM_TICKER, ALARM_RECHECK_MS, tick);
    };
    this.timers.after(ALARM_TICKER, ALARM_RECHECK_MS, tick);
  }

  stop(): void {
    this.timers.cancelAll();
  }

  private disarm(id: string): void {
    this.timers.cancelPrefix(`${id}/`);
  }

  // Checker i of N first probes at createdAt + (i+1)·interval/N, then every interval.
  private arm(hc: HealthCheckRecord): void {
    this.disarm(hc.id);
    if (!isHttp(hc.config)) return;
    const interval = (hc.config.RequestInterval ?? 30) * 1000;
    const regions = checkerRegions(hc.config);
    regions.forEach((region, i) => {
      const first = hc.createdAt + ((i + 1) * interval) / regions.length;
      const now = this.ctx.clock.now();
      const next = now <= first ? first : first + Math.ceil((now - first) / interval) * interval;
      const fire = (at: number) => {
        this.timers.at(`${hc.id}/${region}`, at, () => {
          if (this.state().healthChecks[hc.id] !== hc) return;
          fire(at + interval);
          void this.runProbe(hc, region, at);
        });
      };
      fire(next);
    });
  }

  private async runProbe(hc: HealthCheckRecord, region: string, at: number): Promise<void> {
    let result: ProbeResult;
    try {
      result = await this.probe(hc.config, region);
    } catch (error) {
      result = { ok: false, status: `Failure: ${(error as Error).message}` };
    }
    const s = hc.checkers[region];
    if (!s) return;
    s.lastStatus = result.status;
    s.checkedAt = at;
    if (result.ok === s.healthy) s.streak = 0;
    else if (++s.streak >= (hc.config.FailureThreshold ?? 3)) {
      s.healthy = result.ok;
      s.streak = 0;
    }
    this.ctx.state.changed('route53', 'healthChecks', hc.id, 'checkers', region);
  }
}
