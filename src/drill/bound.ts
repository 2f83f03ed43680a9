import type { RegionctlConfig } from '../config/schema.js';

// Route 53 re-reads a CloudWatch-metric health check's alarm about every 10 s.
export const CLOUDWATCH_CHECK_REACTION_SECONDS = 10;
// Alias records to API Gateway regional endpoints are answered with a 60 s TTL.
export const ALIAS_TTL_SECONDS = 60;

/**
 * The delays of the cloud a drill runs against that the settings alone do not show. AWS has them
 * all; the local cloud only under `local start --realism aws` (src/local-cloud/realism.ts, the same
 * figures): the default profile publishes per-second points at once and propagates at once.
 */
export interface CloudDelays {
  /**
   * API Gateway publishes its metrics in one-minute periods
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/monitoring-cloudwatch.html):
   * a minute's 5XX count is one data point, complete only when the minute ends. 0: per-second points.
   */
  metricPeriodSeconds: number;
  /** How long after its minute a data point becomes visible to the alarm (CloudWatch ingestion). */
  metricIngestionSeconds: number;
  /**
   * Route 53 propagates a change to its name servers "within 60 seconds under normal conditions"
   * (https://aws.amazon.com/route53/faqs/); a health check's new status reaches the answers no sooner.
   */
  route53PropagationSeconds: number;
}

export const AWS_DELAYS: CloudDelays = { metricPeriodSeconds: 60, metricIngestionSeconds: 30, route53PropagationSeconds: 60 };
export const NO_DELAYS: CloudDelays = { metricPeriodSeconds: 0, metricIngestionSeconds: 0, route53PropagationSeconds: 0 };

/** The delays of a cloud by its realism profile: AWS itself and `--realism aws` have AWS's, the default profile none. */
export function cloudDelays(realism: 'fast' | 'aws' | undefined): CloudDelays {
  return realism === 'aws' ? AWS_DELAYS : NO_DELAYS;
}

export interface BoundParts {
  alarmSeconds: number;
  /**
   * How much later than `alarmSeconds` the alarm can see the failing period: its one-minute point is
   * published `metricIngestionSeconds` after the minute, and the alarm looks once a minute.
   */
  metricDelaySeconds: number;
  healthCheckSeconds: number;
  propagationSeconds: number;
  ttlSeconds: number;
  /** The slowest detection (the alarm firing, or the HTTPS checks failing) may take. */
  detectSeconds: number;
  totalSeconds: number;
  formula: string;
}

/**
 * The slowest a correctly configured failover may take, from the settings and the cloud's delays:
 * alarm period × evaluation periods (the failing minute must end and be evaluated)
 * + the metric delay (a one-minute point published after its minute, seen at the next evaluation)
 * + the health check's reaction (CloudWatch-metric: Route 53's re-read of the alarm;
 *   HTTPS: interval × failure threshold; both: the slower)
 * + Route 53's propagation to its name servers
 * + the DNS TTL resolvers may still serve the old answer for.
 */
export function theoreticalBound(hc: RegionctlConfig['healthCheck'], delays: CloudDelays = NO_DELAYS): BoundParts {
  const usesAlarm = hc.type !== 'https';
  const alarmSeconds = usesAlarm ? hc.alarm.period * hc.alarm.evaluationPeriods : 0;
  // The last point of the failing period is visible `metricIngestionSeconds` after it; the alarm
  // looks once a minute, so it sees the point up to that delay rounded up to whole minutes later.
  const metricDelaySeconds = usesAlarm && delays.metricPeriodSeconds > 0 ? Math.ceil(delays.metricIngestionSeconds / 60) * 60 : 0;
  const https = hc.interval * hc.failureThreshold;
  const healthCheckSeconds =
    hc.type === 'cloudwatch' ? CLOUDWATCH_CHECK_REACTION_SECONDS : hc.type === 'https' ? https : Math.max(https, CLOUDWATCH_CHECK_REACTION_SECONDS);
  const propagationSeconds = delays.route53PropagationSeconds;
  const totalSeconds = alarmSeconds + metricDelaySeconds + healthCheckSeconds + propagationSeconds + ALIAS_TTL_SECONDS;
  const detectSeconds = usesAlarm ? alarmSeconds + metricDelaySeconds : https;
  const extra = [
    metricDelaySeconds ? ` + metric delay ${metricDelaySeconds}s` : '',
  ].join('');
  const tail = `${propagationSeconds ? ` + Route 53 propagation ${propagationSeconds}s` : ''} + TTL ${ALIAS_TTL_SECONDS}s`;
  const formula =
    hc.type === 'https'
      ? `interval ${hc.interval}s × threshold ${hc.failureThreshold}${tail}`
      : `period ${hc.alarm.period}s × ${hc.alarm.evaluationPeriods}${extra} + health check ${healthCheckSeconds}s${tail}`;
  return { alarmSeconds, metricDelaySeconds, healthCheckSeconds, propagationSeconds, ttlSeconds: ALIAS_TTL_SECONDS, detectSeconds, totalSeconds, formula };
}
