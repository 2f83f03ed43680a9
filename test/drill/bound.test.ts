import { describe, expect, it } from 'vitest';
import { AWS_DELAYS, cloudDelays, NO_DELAYS, theoreticalBound } from '../../src/drill/bound.js';
import type { RegionctlConfig } from '../../src/config/schema.js';

const hc = (over: Partial<RegionctlConfig['healthCheck']> = {}, alarm: Partial<RegionctlConfig['healthCheck']['alarm']> = {}): RegionctlConfig['healthCheck'] =>
  ({
    type: 'cloudwatch',
    interval: 30,
    failureThreshold: 3,
    ...over,
    alarm: { statistic: 'Sum', period: 60, evaluationPeriods: 1, threshold: 0, dimension: true, ...alarm },
  }) as RegionctlConfig['healthCheck'];

describe('theoretical failover bound', () => {
  it('from the settings alone on a cloud without delays (the local cloud\'s default profile)', () => {
    expect(theoreticalBound(hc())).toMatchObject({ alarmSeconds: 60, metricDelaySeconds: 0, healthCheckSeconds: 10, propagationSeconds: 0, detectSeconds: 60, totalSeconds: 130 });
    expect(theoreticalBound(hc()).formula).toBe('period 60s × 1 + health check 10s + TTL 60s');
  });

  it('adds AWS\'s delays: the one-minute point published 30 s late (seen a period later) and Route 53\'s propagation', () => {
    const b = theoreticalBound(hc(), AWS_DELAYS);
    expect(b).toMatchObject({ alarmSeconds: 60, metricDelaySeconds: 60, healthCheckSeconds: 10, propagationSeconds: 60, ttlSeconds: 60, detectSeconds: 120, totalSeconds: 250 });
    expect(b.formula).toBe('period 60s × 1 + metric delay 60s + health check 10s + Route 53 propagation 60s + TTL 60s');
  });

  it('the publication delay is one evaluation (a minute) whatever the period', () => {
    expect(theoreticalBound(hc({}, { period: 300, evaluationPeriods: 2 }), AWS_DELAYS)).toMatchObject({ alarmSeconds: 600, metricDelaySeconds: 60, detectSeconds: 660 });
  });

  it('HTTPS checks do not wait for metrics: only propagation and TTL come on top', () => {
    const b = theoreticalBound(hc({ type: 'https', interval: 10, failureThreshold: 3 }), AWS_DELAYS);
    expect(b).toMatchObject({ alarmSeconds: 0, metricDelaySeconds: 0, healthCheckSeconds: 30, detectSeconds: 30, totalSeconds: 150 });
  });

  it('AWS and --realism aws have AWS\'s delays; the default profile none', () => {
    expect(cloudDelays('aws')).toEqual(AWS_DELAYS);
    expect(cloudDelays('fast')).toEqual(NO_DELAYS);
    expect(cloudDelays(undefined)).toEqual(NO_DELAYS);
  });
});
