import type { CloudContext } from '../types.js';
import { HealthChecks, type Prober } from './health-checks.js';
import type { HealthCheckConfig, Route53State, ZoneRecord } from './model.js';
import { localProber } from './probe.js';
import { Resolver, type DnsAnswer } from './resolve.js';
import { HostedZones } from './zones.js';
import { placedBy } from './client-location.js';
import { dict, keyedState } from '../keyed.js';

/** Route 53 as other services (DNS server, global entry, CloudFormation) use it. Global: no region argument. */
export class Route53Domain {
  readonly zones: HostedZones;
  readonly healthChecks: HealthChecks;
  private readonly resolver: Resolver;

  /** Of the addresses a query can be placed by (client subnet, resolver), the one Route 53 uses (client-location.ts). */
  readonly placeClient: (ips: Array<string | undefined>) => string | undefined;

  constructor(ctx: CloudContext, prober?: Prober) {
    this.placeClient = (ips) => placedBy(ips, ctx.clientLocation);
    const state = () => keyedState<Route53State>(ctx.state, 'route53', () => ({ zones: dict(), healthChecks: dict(), changes: dict() }));
    this.zones = new HostedZones(ctx, state);
    this.healthChecks = new HealthChecks(ctx, state, prober ?? localProber(ctx));
    this.resolver = new Resolver(ctx, this.zones, this.healthChecks);
  }

  healthCheckStatus(id: string): 'Healthy' | 'Unhealthy' {
    this.healthChecks.get(id);
    return this.healthChecks.isHealthy(id) ? 'Healthy' : 'Unhealthy';
  }

  createHealthCheck(callerReference: string, config: HealthCheckConfig): string {
    return this.healthChecks.create(callerReference, config).hc.id;
  }

  /** What Route 53 answers for a query from a client at clientIp (EDNS client subnet / resolver IP). */
  resolve(name: string, type: string, clientIp?: string): DnsAnswer {
    return this.resolver.resolve(name, type, clientIp);
  }

  /** The hosted zone authoritative for a name, if any (the DNS server answers REFUSED otherwise). */
  zoneFor(name: string): ZoneRecord | undefined {
    return this.zones.zoneFor(name);
  }

  start(): void {
    this.healthChecks.start();
  }

  stop(): void {
    this.healthChecks.stop();
  }
}
