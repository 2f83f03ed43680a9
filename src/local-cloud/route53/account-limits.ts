import { invalidInput } from './record-input.js';

// GetAccountLimit: a fresh account's default Route 53 quotas (Route 53 quotas are per account, not per region).
export const ACCOUNT_LIMITS: Readonly<Record<string, number>> = {
  MAX_HEALTH_CHECKS_BY_OWNER: 200,
  MAX_HOSTED_ZONES_BY_OWNER: 500,
  MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER: 5,
  MAX_REUSABLE_DELEGATION_SETS_BY_OWNER: 100,
  MAX_TRAFFIC_POLICIES_BY_OWNER: 50,
};

/** What the account has of each limited kind; the local cloud has no traffic policies or delegation sets. */
export interface AccountCounts {
  hostedZones: number;
  healthChecks: number;
}

export function accountLimit(type: string, counts: AccountCounts): { Limit: { Type: string; Value: number }; Count: number } {
  const value = ACCOUNT_LIMITS[type];
  if (value === undefined) {
    throw invalidInput(
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(ACCOUNT_LIMITS).join(', ')}]`,
    );
  }
  const count = type === 'MAX_HEALTH_CHECKS_BY_OWNER' ? counts.healthChecks : type === 'MAX_HOSTED_ZONES_BY_OWNER' ? counts.hostedZones : 0;
  return { Limit: { Type: type, Value: value }, Count: count };
}
