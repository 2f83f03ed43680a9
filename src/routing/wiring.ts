import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetHealthCheckStatusCommand, ListResourceRecordSetsCommand, type Route53Client } from '@aws-sdk/client-route-53';
import type { ResolvedConfig } from '../config/schema.js';
import { executeApiUrl } from '../aws/endpoints.js';
import { stackName } from '../deploy/plan.js';
import { describeStack, stackOutputs } from '../deploy/stack.js';
import { clientIpNear } from './client-location.js';
import { findHostedZoneId, regionAddresses, regionOfAnswer, testDnsAnswer } from './dns-answer.js';
import { globalEntryRegion } from './global-entry.js';

export interface RoutingClients {
  readonly endpoint?: string;
  cloudFormation(region: string): CloudFormationClient;
  cloudWatch(region: string): CloudWatchClient;
  route53(): Route53Client;
}

/** What the stacks of one region expose for routing, read from their outputs. */
export interface RegionWiring {
  /** The health stack's status (absent: no such stack). */
  stackStatus?: string;
  /** The service stack's status (absent: no such stack). */
  serviceStackStatus?: string;
  checkUrl?: string;
  /** The service's own /hello on this region's API, what the region's clients are served. */
  helloUrl?: string;
  alarmName?: string;
  healthCheckId?: string;
  regionalName?: string;
  regionalDomainName?: string;
}

export async function readWiring(config: ResolvedConfig, clients: Pick<RoutingClients, 'endpoint' | 'cloudFormation'>, region: string): Promise<RegionWiring> {
  const cfn = clients.cloudFormation(region);
  const [healthStack, serviceStack] = await Promise.all([describeStack(cfn, stackName('health', config)), describeStack(cfn, stackName('service', config))]);
  const health = stackOutputs(healthStack);
  const service = stackOutputs(serviceStack);
  const checkUrl = health.RestApiId
    ? executeApiUrl({ endpoint: clients.endpoint, apiId: health.RestApiId, region, stage: health.StageName ?? config.stage, path: '/check' })
    : health.CheckUrl;
  const helloUrl = service.RestApiId
    ? executeApiUrl({ endpoint: clients.endpoint, apiId: service.RestApiId, region, stage: service.StageName ?? config.stage, path: '/hello' })
    : undefined;
  return {
    stackStatus: healthStack?.StackStatus,
    serviceStackStatus: serviceStack?.StackStatus,
    checkUrl,
    helloUrl,
    alarmName: health.AlarmName,
    healthCheckId: health.HealthCheckId,
    regionalName: service.RegionalName,
    regionalDomainName: service.RegionalDomainName,
  };
}

/** Route 53's view of a health check: healthy when more than 18% of its checkers say so. */
export async function healthCheckHealthy(route53: Route53Client, healthCheckId: string): Promise<boolean | undefined> {
  const out = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }));
  const observations = out.HealthCheckObservations ?? [];
  if (observations.length === 0) return undefined;
  const ok = observations.filter((o) => /^Success/.test(o.StatusReport?.Status ?? '')).length;
  return ok / observations.length > 0.18;
}

export async function alarmState(cloudWatch: CloudWatchClient, alarmName: string): Promise<string | undefined> {
  return (await alarmTransition(cloudWatch, alarmName)).state;
}

/** The alarm's state and when the cloud moved it there (StateTransitionedTimestamp, the cloud's own clock). */
export async function alarmTransition(cloudWatch: CloudWatchClient, alarmName: string): Promise<{ state?: string; since?: number }> {
  const alarm = (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName] }))).MetricAlarms?.[0];
  return { state: alarm?.StateValue, since: (alarm?.StateTransitionedTimestamp ?? alarm?.StateUpdatedTimestamp)?.getTime() };
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
  ) {}

  static async create(config: ResolvedConfig, clients: RoutingClients, wiring: Record<string, RegionWiring>, dnsPort?: number): Promise<RoutingView> {
    const latencyName = Object.values(wiring).find((w) => w.regionalName)?.regionalName;
    const zoneId = latencyName ? await findHostedZoneId(clients.route53(), config.dns.zone).catch(() => undefined) : undefined;
    const addresses = await regionAddresses(
      Object.fromEntries(Object.entries(wiring).flatMap(([r, w]) => (w.regionalDomainName ? [[r, w.regionalDomainName]] : []))),
      dnsPort,
    );
    const globalName = config.cdn ? `${config.service}.${config.dns.zone}` : latencyName;
    return new RoutingView(clients, zoneId, latencyName, globalName, addresses);
  }

  /**
   * The regions that have a latency record under the service's name in the zone (SetIdentifier =
   * region, as the service stack writes it); undefined when the zone or name is unknown.
   */
  async latencyRecordRegions(): Promise<Set<string> | undefined> {
    if (!this.zoneId || !this.latencyName) return undefined;
    const name = this.latencyName.endsWith('.') ? this.latencyName : `${this.latencyName}.`;
    const regions = new Set<string>();
    let start: { name?: string; type?: string; id?: string } = { name, type: 'A' };
    for (let page = 0; page < 20; page++) {
      const out = await this.clients.route53().send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: this.zoneId,
          StartRecordName: start.name,
          StartRecordType: start.type as 'A' | undefined,
          ...(start.id ? { StartRecordIdentifier: start.id } : {}),
        }),
      );
      for (const record of out.ResourceRecordSets ?? []) {
        if (record.Name?.toLowerCase() !== name.toLowerCase() || record.Type !== 'A') return regions;
        if (record.Region && record.SetIdentifier) regions.add(record.Region);
      }
      if (!out.IsTruncated) return regions;
      start = { name: out.NextRecordName, type: out.NextRecordType, id: out.NextRecordIdentifier };
    }
    return regions;
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

  async globalEntryFor(region: string): Promise<string | undefined> {
    if (!this.globalName) return undefined;
    return (await globalEntryRegion({ endpoint: this.clients.endpoint, name: this.globalName, clientIp: clientIpNear(region) })).region;
  }
}
