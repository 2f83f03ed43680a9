import type { CloudFormationClient, Stack } from '@aws-sdk/client-cloudformation';
import { executeApiUrl } from '../aws/endpoints.js';
import { describeStack, stackOutputs } from '../aws/stacks.js';
import { regionalStack, type PlannedStack, type StagePlan } from './plan.js';

/** One planned stack as it stands in the cloud (absent: no such stack). */
export interface StackState {
  kind: string;
  stackName: string;
  status?: string;
  outputs: Record<string, string>;
}

/** The health stack's outputs (src/templates/health.yml). */
export interface HealthOutputs {
  CheckUrl?: string;
  RestApiId?: string;
  StageName?: string;
  RestApiName?: string;
  CheckFunctionName?: string;
  HealthTableName?: string;
  AlarmName?: string;
  HealthCheckId?: string;
  HealthCheckType?: string;
}

/** The service stack's outputs (src/templates/service.yml). */
export interface ServiceOutputs {
  RegionalName?: string;
  RegionalDomainName?: string;
  RestApiId?: string;
  StageName?: string;
  HelloFunctionName?: string;
}

/** What the stacks of one region expose, read from their outputs. */
export interface RegionWiring {
  /** Every planned stack of the region, in deploy order, with its status when it exists. */
  stacks: StackState[];
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

export interface WiringClients {
  readonly endpoint?: string;
  cloudFormation(region: string): CloudFormationClient;
}

/** Describe every planned stack of a region at once (one round trip per stack, all in parallel). */
export async function readRegionStacks(plan: StagePlan, cfn: CloudFormationClient, region: string): Promise<StackState[]> {
  const planned: PlannedStack[] = plan.regions.find((r) => r.region === region)?.stacks ?? [];
  const described: Array<Stack | undefined> = await Promise.all(planned.map((s) => describeStack(cfn, s.name)));
  return planned.map((s, i) => ({ kind: s.kind, stackName: s.name, status: described[i]?.StackStatus, outputs: stackOutputs(described[i]) }));
}

/** The health stack's outputs, from a stack read directly (drills, which know only service and stage). */
export async function readHealthOutputs(cfn: CloudFormationClient, healthStackName: string): Promise<HealthOutputs & { exists: boolean }> {
  const stack = await describeStack(cfn, healthStackName);
  return { exists: stack !== undefined, ...(stackOutputs(stack) as HealthOutputs) };
}

export async function readWiring(plan: StagePlan, clients: WiringClients, region: string): Promise<RegionWiring> {
  const stacks = await readRegionStacks(plan, clients.cloudFormation(region), region);
  const of = (kind: string) => stacks.find((s) => s.kind === kind);
  const healthStack = of('health');
  const serviceStack = of('service');
  const health = (healthStack?.outputs ?? {}) as HealthOutputs;
  const service = (serviceStack?.outputs ?? {}) as ServiceOutputs;
  const checkUrl = health.RestApiId
    ? executeApiUrl({ endpoint: clients.endpoint, apiId: health.RestApiId, region, stage: health.StageName ?? plan.stage, path: '/check' })
    : health.CheckUrl;
  const helloUrl = service.RestApiId
    ? executeApiUrl({ endpoint: clients.endpoint, apiId: service.RestApiId, region, stage: service.StageName ?? plan.stage, path: '/hello' })
    : undefined;
  return {
    stacks,
    stackStatus: healthStack?.status,
    serviceStackStatus: serviceStack?.status,
    checkUrl,
    helloUrl,
    alarmName: health.AlarmName,
    healthCheckId: health.HealthCheckId,
    regionalName: service.RegionalName,
    regionalDomainName: service.RegionalDomainName,
  };
}

/** The planned health stack's name in a region (the stack drills and status read first). */
export function healthStackOf(plan: StagePlan, region: string): PlannedStack | undefined {
  return regionalStack(plan, region, 'health');
}
