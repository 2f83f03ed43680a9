import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { attempt } from '../aws/error-reason.js';
import { findHostedZoneId, latencyRecordRegions, testDnsAnswer } from '../aws/route53.js';
import type { ResolvedConfig } from '../config/schema.js';
import { functionName, globalName } from '../stage/names.js';
import type { RegionWiring, WiringClients } from '../stage/outputs.js';
import { clientNear } from './client-location.js';
import { regionAddresses, regionOfAnswer } from './dns-answer.js';
import { dnsRegionOf, entryRegionOf, observeFrom, type VantageView } from './vantage.js';

export interface RoutingClients extends WiringClients {
  cloudWatch(region: string): CloudWatchClient;
  route53(): Route53Client;
  lambda(region: string): LambdaClient;
}

/** Where R's clients are served from, by both signals. */
export interface RoutingAnswer {
  /** The region R's clients are answered with for the latency name: the vantage point's, else TestDNSAnswer's. */
  dns?: string;
  /** The region that served R's clients through the global entry (the vantage point's call). */
  entry?: string;
  /** Route 53's TestDNSAnswer for a client subnet and resolver in R (the second signal). */
  testDnsAnswer?: string;
  vantage?: VantageView;
}

/**
 * Answers "which region serves clients in R?": R's vantage point (its canary, invoked to resolve
 * and call the stage's names from R, vantage.ts) and Route 53's TestDNSAnswer for a client subnet
 * and resolver inside R's published address space.
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
    private readonly probeFunction: string,
    /** Regions whose health stack (and so whose vantage point) exists. */
    private readonly probed: Set<string>,
  ) {}

  static async create(
    config: Pick<ResolvedConfig, 'service' | 'stage' | 'dns' | 'cdn'>,
    clients: RoutingClients,
    wiring: Record<string, RegionWiring>,
    dnsPort?: number,
  ): Promise<RoutingView> {
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
    const probed = new Set(Object.entries(wiring).flatMap(([r, w]) => (w.stackStatus ? [r] : [])));
    return new RoutingView(clients, zoneId, latencyName, entryName, addresses, dnsProblem, functionName(config, 'canary'), probed);
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

  /** Route 53's TestDNSAnswer for a client subnet and resolver inside R's published prefix. */
  async dnsAnswerFor(region: string): Promise<string | undefined> {
    if (!this.zoneId || !this.latencyName) return undefined;
    const { clientIp, resolverIp } = clientNear(region);
    return regionOfAnswer(await testDnsAnswer(this.clients.route53(), this.zoneId, this.latencyName, clientIp, resolverIp), this.addresses);
  }

  /** R's vantage point: undefined when R has no health stack (no canary) or there is no name to observe. */
  async vantage(region: string): Promise<VantageView | undefined> {
    if (!this.latencyName || !this.probed.has(region)) return undefined;
    return observeFrom({
      lambda: this.clients.lambda(region),
      region,
      functionName: this.probeFunction,
      latencyName: this.latencyName,
      ...(this.globalName && this.globalName !== this.latencyName ? { globalName: this.globalName } : {}),
      addresses: this.addresses,
    });
  }

  /**
   * Both signals at once (the vantage point and TestDNSAnswer in parallel). A TestDNSAnswer that
   * cannot be read is left out when the vantage point answered, and thrown when it did not.
   */
  async answerFor(region: string): Promise<RoutingAnswer> {
    const [vantage, test] = await Promise.all([
      this.vantage(region),
      this.hasDns ? this.dnsAnswerFor(region).then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e })) : undefined,
    ]);
    const viaVantage = dnsRegionOf(vantage);
    if (test && !test.ok && !viaVantage) throw test.e;
    const testDnsAnswer = test?.ok ? test.v : undefined;
    return {
      dns: viaVantage ?? testDnsAnswer,
      entry: this.globalName ? entryRegionOf(vantage) : undefined,
      ...(testDnsAnswer ? { testDnsAnswer } : {}),
      ...(vantage ? { vantage } : {}),
    };
  }
}
