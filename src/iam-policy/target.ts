import { DEFAULT_HEALTH_CHECK, type RegionctlConfig, type TableConfig } from '../config/schema.js';
import { resourceNames } from '../stage/counts.js';
import * as names from '../stage/names.js';
import { deployOrder, planStage, type StagePlan } from '../stage/plan.js';

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
  /** The stage's plan: the stacks, and what their templates create and name. */
  plan: StagePlan;
  /** The global table, when regionctl.yml has one. */
  table?: TableConfig;
  /** Object replication, when regionctl.yml has it (topology s3 passes a role to S3). */
  replication?: RegionctlConfig['replication'];
}

/** What the policy needs from regionctl.yml; healthCheck only changes parameter values, never what may be called. */
export type PolicyConfig = Pick<RegionctlConfig, 'service' | 'stage' | 'regions' | 'primaryRegion' | 'dns' | 'cdn' | 'permissionsBoundary'> &
  Partial<Pick<RegionctlConfig, 'healthCheck' | 'replication' | 'table'>>;

export function policyTarget(config: PolicyConfig, opts: { hostedZoneId?: string; plan?: StagePlan } = {}): PolicyTarget {
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
    plan: opts.plan ?? planStage({ ...config, healthCheck: config.healthCheck ?? DEFAULT_HEALTH_CHECK }),
    ...(config.table ? { table: config.table } : {}),
    ...(config.replication ? { replication: config.replication } : {}),
  };
}

export const partitionOf = (t: PolicyTarget): string => t.partition ?? 'aws';
export const accountOf = (t: PolicyTarget): string => t.accountId ?? '*';

/** The boundary's ARN: the configured one, else where `--boundary` tells the user to create it. */
export function boundaryArn(t: PolicyTarget): string {
  return t.permissionsBoundary ?? `arn:${partitionOf(t)}:iam::${accountOf(t)}:policy/regionctl/${t.service}/${t.stage}/permissions-boundary`;
}

/** A stack of the plan. */
export interface PlannedStackRef {
  kind: string;
  name: string;
  region: string;
  /** Shared by every stage in the region (the toolkit): its name is not the stage's alone. */
  shared: boolean;
}

export function plannedStacks(t: PolicyTarget): PlannedStackRef[] {
  return deployOrder(t.plan).map((s) => ({ kind: s.kind, name: s.name, region: s.region, shared: s.shared }));
}

/** Regions where a stack creates an ACM certificate (its template does, and regionctl.yml names none there). */
export function certificateRegions(t: PolicyTarget): string[] {
  return [...new Set(deployOrder(t.plan).filter((s) => s.resources.some((r) => r.type === 'AWS::CertificateManager::Certificate')).map((s) => s.region))];
}

// Names the templates give (src/stage/names.ts; functions read from the planned templates).
export const functionNames = (t: PolicyTarget): string[] => resourceNames(t.plan, 'AWS::Lambda::Function');
export const logGroupNames = (t: PolicyTarget): string[] => resourceNames(t.plan, 'AWS::Logs::LogGroup');
export const regionalRecordName = (t: PolicyTarget): string => names.regionalName({ ...t, dns: { zone: t.zone } });
export const globalRecordName = (t: PolicyTarget): string => names.globalName({ ...t, dns: { zone: t.zone } });
export const alarmName = (t: PolicyTarget, region: string): string => names.alarmName(t, region);
export const canaryRuleName = (t: PolicyTarget): string => names.canaryRuleName(t);
/** The function status and drills invoke as a region's vantage point (the canary). */
export const rolePath = (t: PolicyTarget): string => names.rolePath(t);
export const healthTablePrefix = (t: PolicyTarget): string => names.healthTablePrefix(t);
