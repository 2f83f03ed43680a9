import type { Clock } from './clock.js';

// How close to AWS's timing the local cloud runs (`regionctl local start --realism aws`). The
// default profile, fast, answers at once where AWS takes its time; aws waits as AWS does, on the
// local cloud's clock (virtual in tests, scaled by --time-scale in the daemon). The table below is
// the one documented in docs/real-aws.md ("What differs on AWS") and in each service's SPEC.md.
export type RealismProfile = 'fast' | 'aws';
export const REALISM_PROFILES: readonly RealismProfile[] = ['fast', 'aws'];

export interface Realism {
  readonly profile: RealismProfile;
  /**
   * Route 53: a change stays PENDING this long, then INSYNC
   * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html); AWS propagates
   * changes "within 60 seconds under normal conditions" (https://aws.amazon.com/route53/faqs/).
   */
  readonly route53ChangeMs: number;
  /**
   * Lambda: after UpdateFunctionCode/UpdateFunctionConfiguration, LastUpdateStatus stays
   * InProgress this long; another update meanwhile is a ResourceConflictException
   * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).
   */
  readonly lambdaUpdateMs: number;
  /**
   * CloudFront: a created or updated distribution is InProgress this long, then Deployed
   * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-creating-console.html:
   * "it can take a few minutes for the distribution to deploy").
   */
  readonly cloudFrontDeployMs: number;
  /**
   * CloudWatch: API Gateway and Lambda metrics are sent "in one-minute periods"
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/monitoring-cloudwatch.html), so
   * each minute's samples become one data point stamped at the minute's start, published this
   * long after the minute ends (0 = per-second points, visible at once).
   */
  readonly metricIngestionDelayMs: number;
  /** Aggregation of AWS-published metrics: 60 000 (one-minute periods) or 0 (every sample as sent). */
  readonly metricPeriodMs: number;
  /**
   * ACM DNS validation: a certificate stays PENDING_VALIDATION until its validation CNAME resolves
   * from a delegated zone; ACM looks this often
   * (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html). 0 = issued at once.
   */
  readonly acmValidationPollMs: number;
  /** ACM gives up (VALIDATION_TIMED_OUT, FAILED) after 72 hours (same page). */
  readonly acmValidationTimeoutMs: number;
}

const FAST: Realism = {
  profile: 'fast',
  route53ChangeMs: 0,
  lambdaUpdateMs: 0,
  cloudFrontDeployMs: 0,
  metricIngestionDelayMs: 0,
  metricPeriodMs: 0,
  acmValidationPollMs: 0,
  acmValidationTimeoutMs: 0,
};

const AWS: Realism = {
  profile: 'aws',
  route53ChangeMs: 60_000,
  lambdaUpdateMs: 5_000,
  cloudFrontDeployMs: 5 * 60_000,
  metricIngestionDelayMs: 30_000,
  metricPeriodMs: 60_000,
  acmValidationPollMs: 60_000,
  acmValidationTimeoutMs: 72 * 3600_000,
};

export function realismProfile(profile: RealismProfile = 'fast'): Realism {
  return profile === 'aws' ? AWS : FAST;
}

export function isRealismProfile(value: unknown): value is RealismProfile {
  return value === 'fast' || value === 'aws';
}

/** Sleep on the local cloud's clock (virtual in tests): resolves when the clock passes now + ms. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => clock.after(ms, resolve));
}

/**
 * Where EDNS client subnets place a client. `subnets` (default): 10.i.0.0/16 is a client of
 * region i (src/regions.ts), so one machine can stand in for clients everywhere. `none`: as on
 * AWS, a private address carries no location; only public prefixes do (client-location.ts).
 */
export type ClientLocationMode = 'subnets' | 'none';
export const CLIENT_LOCATION_MODES: readonly ClientLocationMode[] = ['subnets', 'none'];
export function isClientLocationMode(value: unknown): value is ClientLocationMode {
  return value === 'subnets' || value === 'none';
}
