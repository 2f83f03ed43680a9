import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { attempt } from '../aws/error-reason.js';
import { findHostedZoneId, latencyRecordRegions, testDnsAnswer } from '../aws/route53.js';
import type { ResolvedConfig } from '../config/schema.js';
import { globalName } from '../stage/names.js';
import type { RegionWiring, WiringClients } from '../stage/outputs.js';
import { clientIpNear } from './client-location.js';
import { regionAddresses, regionOfAnswer } from './dns-answer.js';
import { globalEntryRegion } from './global-entry.js';

export interface RoutingClients extends WiringClients {
  cloudWatch(region: string): CloudWatchClient;
  route53(): Route53Client;
}

/**
 * Answers "which region serves clients near R?" both ways: Route 53's DNS answer for R's client
 * subnet, and the global entry (CloudFront or the latency name) for a client there.
 */
export class RoutingView {
  private constructor(
    private readonly clients: RoutingClients,
    private readonly zoneId: string | undefined,
    private readonly latencyName: string | undefined,
    private readonly globalName: string | undefined,
    private readonly addresses: Map<string, string>,
    /** Why DNS answers cannot be asked for (undefined when they can, or when nothing is deployed). */
    readonly dnsProblem: string | undefined,
  ) {}

  static async create(config: Pick<ResolvedConfig, 'service' | 'dns' | 'cdn'>, clients: RoutingClients, wiring: Record<string, RegionWiring>, dnsPort?: number): Promise<RoutingView> {
    const latencyName = Object.values(wiring).find((w) => w.regionalName)?.regionalName;
    let zoneId: string | undefined;
    let dnsProblem: string | undefined;
    if (latencyName) {
      const zone = await attempt(() => findHostedZoneId(clients.route53(), config.dns.zone));
      if (!zone.ok) dnsProblem = `the hosted zone ${config.dns.zone} cannot be read: ${zone.reason}`;
      else if (!zone.value) dnsProblem = `there is no public hosted zone ${config.dns.zone}`;
      else zoneId = zone.value;
    }
    const addresses = await regionAddresses(
      Object.fromEntries(Object.entries(wiring).flatMap(([r, w]) => (w.regionalDomainName ? [[r, w.regionalDomainName]] : []))),
      dnsPort,
    );
    const entryName = config.cdn ? globalName(config) : latencyName;
    return new RoutingView(clients, zoneId, latencyName, entryName, addresses, dnsProblem);
  }

  /**
   * The regions that have a latency record under the service's name in the zone (SetIdentifier =
   * region, as the service stack writes it); undefined when the zone or name is unknown.
   */
  async latencyRecordRegions(): Promise<Set<string> | undefined> {
    if (!this.zoneId || !this.latencyName) return undefined;
    return latencyRecordRegions(this.clients.route53(), this.zoneId, this.latencyName);
  }

  get hasDns(): boolean {
    return this.zoneId !== undefined && this.latencyName !== undefined;
  }

  get hasGlobalEntry(): boolean {
    return this.globalName !== undefined;
  }

  async dnsAnswerFor(region: string): Promise<string | undefined> {
    if (!this.zoneId || !this.latencyName) return undefined;
    return regionOfAnswer(await testDnsAnswer(this.clients.route53(), this.zoneId, this.latencyName, clientIpNear(region)), this.addresses);
  }

  /** The region the global entry served a client near `region` (undefined when it named none). */
  async globalEntryFor(region: string): Promise<string | undefined> {
    return (await this.globalEntryAnswer(region)).region;
  }

  /** The same, with why no region came back. */
  async globalEntryAnswer(region: string): Promise<{ region?: string; problem?: string }> {
    if (!this.globalName) return {};
    const answer = await globalEntryRegion({ endpoint: this.clients.endpoint, name: this.globalName, clientIp: clientIpNear(region) });
    if (answer.region) return { region: answer.region };
    return { problem: answer.error ? `${this.globalName} did not answer: ${answer.error}` : `${this.globalName} answered ${answer.status} without naming a region` };
  }
}
