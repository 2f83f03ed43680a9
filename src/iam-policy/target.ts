import type { RegionctlConfig } from '../config/schema.js';
import { EDGE_REGION, STACK_KINDS, stackName, TOOLKIT_STACK_NAME } from '../deploy/plan.js';

/**
 * Everything the policy names, taken from one stage's plan: exact stack, function, log group,
 * alarm and record names per region, so nothing matches another stage (`dev` never matches `dev-eu`).
 */
export interface PolicyTarget {
  service: string;
  stage: string;
  regions: string[];
  primaryRegion: string;
  zone: string;
  createZone: boolean;
  cdn: boolean;
  /** Certificates regionctl.yml names, by region (doctor describes them; the stacks then create none there). */
  certificateArns: Record<string, string>;
  /** When known, hosted-zone statements name this zone instead of every zone. */
  hostedZoneId?: string;
  /** When known (from permissionsBoundary), ARNs name this account instead of `*`. */
  accountId?: string;
  /** The boundary the principal must put on every role it creates. */
  permissionsBoundary?: string;
  partition?: string;
}

export function policyTarget(
  config: Pick<RegionctlConfig, 'service' | 'stage' | 'regions' | 'primaryRegion' | 'dns' | 'cdn' | 'permissionsBoundary'>,
  opts: { hostedZoneId?: string } = {},
): PolicyTarget {
  const boundaryAccount = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(config.permissionsBoundary ?? '')?.[1];
  return {
    service: config.service,
    stage: config.stage,
    regions: config.regions,
    primaryRegion: config.primaryRegion,
    zone: config.dns.zone,
    createZone: config.dns.createZone,
    cdn: config.cdn,
    certificateArns: { ...(config.dns.certificateArn ?? {}) },
    hostedZoneId: opts.hostedZoneId,
    accountId: boundaryAccount,
    permissionsBoundary: config.permissionsBoundary,
  };
}

export const partitionOf = (t: PolicyTarget): string => t.partition ?? 'aws';
export const accountOf = (t: PolicyTarget): string => t.accountId ?? '*';

/** The boundary's ARN: the configured one, else where `--boundary` tells the user to create it. */
export function boundaryArn(t: PolicyTarget): string {
  return t.permissionsBoundary ?? `arn:${partitionOf(t)}:iam::${accountOf(t)}:policy/regionctl/${t.service}/${t.stage}/permissions-boundary`;
}

/** A stack of the plan and the template it is made from. */
export interface PlannedStack {
  kind: 'toolkit' | 'dns' | 'health' | 'service' | 'edge';
  name: string;
  region: string;
}

export function plannedStacks(t: PolicyTarget): PlannedStack[] {
  const stacks: PlannedStack[] = [];
  if (t.createZone) stacks.push({ kind: 'dns', name: stackName('dns', t), region: t.primaryRegion });
  for (const region of t.regions) {
    stacks.push({ kind: 'toolkit', name: TOOLKIT_STACK_NAME, region });
    for (const kind of STACK_KINDS) stacks.push({ kind, name: stackName(kind, t), region });
  }
  if (t.cdn) stacks.push({ kind: 'edge', name: stackName('edge', t), region: EDGE_REGION });
  return stacks;
}

/** Regions where a stack creates an ACM certificate (none is configured for it there). */
export function certificateRegions(t: PolicyTarget): string[] {
  return [...new Set(plannedStacks(t).filter((s) => (s.kind === 'service' || s.kind === 'edge') && !t.certificateArns[s.region]).map((s) => s.region))];
}

// Names the templates give; src/templates/*.yml is where they are made.
export const functionNames = (t: PolicyTarget): string[] => ['check', 'canary', 'hello'].map((f) => `${t.service}-${t.stage}-${f}`);
export const regionalRecordName = (t: PolicyTarget): string => `${t.stage}-${t.service}.${t.zone}`;
export const globalRecordName = (t: PolicyTarget): string => `${t.service}.${t.zone}`;
export const alarmName = (t: PolicyTarget, region: string): string => `${t.service}-${t.stage}-${region}-5xx`;
export const canaryRuleName = (t: PolicyTarget): string => `${t.service}-${t.stage}-canary`;
export const rolePath = (t: PolicyTarget): string => `/regionctl/${t.service}/${t.stage}/`;
/** doctor's replicated-table check (src/doctor/plan.ts tableName). */
export const stageTableName = (t: PolicyTarget): string => `${t.service}-${t.stage}`;
/** CloudFormation names the unnamed health table `<stack>-HealthTable-<random>`. */
export const healthTablePrefix = (t: PolicyTarget): string => `${stackName('health', t)}-HealthTable-`;
