import type { RegionctlConfig } from '../config/schema.js';
import { STACK_KINDS, stackName, TOOLKIT_STACK_NAME } from '../deploy/plan.js';

/** The regional custom domain of the service stack: `<stage>-<service>.<zone>`. */
export function regionalName(config: RegionctlConfig): string {
  return `${config.stage}-${config.service}.${config.dns.zone}`;
}

/** The global name the edge stack (CloudFront) serves: `<service>.<zone>`. */
export function globalName(config: RegionctlConfig): string {
  return `${config.service}.${config.dns.zone}`;
}

/** The replicated table's name (global table, one replica per region). */
export function tableName(config: RegionctlConfig): string {
  return `${config.service}-${config.stage}`;
}

// Every stack kind the deploy plan knows, in every region: an over-estimate for the one-region kinds
// (table, edge) is fine for a headroom check.
export function plannedStacks(config: RegionctlConfig): string[] {
  return [TOOLKIT_STACK_NAME, ...STACK_KINDS.map((kind) => stackName(kind, config))];
}

// Health stack's check API and service stack's hello API.
export const REST_APIS_PER_REGION = 2;

// cloudwatch and https: one check each; both: the two plus the CALCULATED parent that combines them.
export function healthChecksPerRegion(config: RegionctlConfig): number {
  return config.healthCheck.type === 'both' ? 3 : 1;
}
