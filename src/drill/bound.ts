import type { RegionctlConfig } from '../config/schema.js';

// Route 53 re-reads a CloudWatch-metric health check's alarm about every 10 s.
export const CLOUDWATCH_CHECK_REACTION_SECONDS = 10;
// Alias records to API Gateway regional endpoints are answered with a 60 s TTL.
export const ALIAS_TTL_SECONDS = 60;

export interface BoundParts {
  alarmSeconds: number;
  healthCheckSeconds: number;
  ttlSeconds: number;
  totalSeconds: number;
  formula: string;
}

/**
 * The slowest a correctly configured failover may take, from the settings alone:
 * alarm period × evaluation periods (the failing minute must end and be evaluated)
 * + the health check's reaction (CloudWatch-metric: Route 53's re-read of the alarm;
 *   HTTPS: interval × failure threshold; both: the slower)
 * + the DNS TTL resolvers may still serve the old answer for.
 */
export function theoreticalBound(hc: RegionctlConfig['healthCheck']): BoundParts {
  const alarmSeconds = hc.alarm.period * hc.alarm.evaluationPeriods;
  const https = hc.interval * hc.failureThreshold;
  const healthCheckSeconds =
    hc.type === 'cloudwatch' ? CLOUDWATCH_CHECK_REACTION_SECONDS : hc.type === 'https' ? https : Math.max(https, CLOUDWATCH_CHECK_REACTION_SECONDS);
  const totalSeconds = (hc.type === 'https' ? 0 : alarmSeconds) + healthCheckSeconds + ALIAS_TTL_SECONDS;
  const formula =
    hc.type === 'https'
      ? `interval ${hc.interval}s × threshold ${hc.failureThreshold} + TTL ${ALIAS_TTL_SECONDS}s`
      : `period ${hc.alarm.period}s × ${hc.alarm.evaluationPeriods} + health check ${healthCheckSeconds}s + TTL ${ALIAS_TTL_SECONDS}s`;
  return { alarmSeconds: hc.type === 'https' ? 0 : alarmSeconds, healthCheckSeconds, ttlSeconds: ALIAS_TTL_SECONDS, totalSeconds, formula };
}
