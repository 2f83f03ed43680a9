// How AWS services publish their own metrics under the realism profile: "in one-minute periods"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/monitoring-cloudwatch.html).
// Each minute's samples of a series are summed up into one data point (StatisticValues) stamped at
// the minute's start and put only once the minute is over plus the ingestion delay. Until then
// alarms and GetMetricStatistics see nothing of that minute, and sub-minute periods see one point
// per minute, as on AWS. Fast profile: every sample is put at once, as it happens.
import type { Clock } from '../clock.js';
import type { Realism } from '../realism.js';
import type { MetricDatum } from './domain.js';

export type PutMetric = (region: string, namespace: string, metricName: string, dims: Record<string, string>, value: number, unit?: string) => void;

interface Pending {
  region: string;
  namespace: string;
  datum: MetricDatum & { StatisticValues: { SampleCount: number; Sum: number; Minimum: number; Maximum: number } };
}

export function minutePublisher(
  clock: Clock,
  realism: Realism | undefined,
  put: PutMetric,
  putData: (region: string, namespace: string, data: MetricDatum[]) => void,
): PutMetric {
  const periodMs = realism?.metricPeriodMs ?? 0;
  if (periodMs <= 0) return put;
  const delayMs = realism?.metricIngestionDelayMs ?? 0;
  // Samples of minutes not yet published, by minute start, then by series.
  const minutes = new Map<number, Map<string, Pending>>();
  return (region, namespace, metricName, dims, value, unit) => {
    const minute = Math.floor(clock.now() / periodMs) * periodMs;
    let series = minutes.get(minute);
    if (!series) {
      series = new Map();
      minutes.set(minute, series);
      const batch = series;
      clock.at(minute + periodMs + delayMs, () => {
        minutes.delete(minute);
        const byTarget = new Map<string, MetricDatum[]>();
        for (const p of batch.values()) {
          const key = `${p.region}\n${p.namespace}`;
          byTarget.set(key, [...(byTarget.get(key) ?? []), p.datum]);
        }
        for (const [key, data] of byTarget) {
          const [r, ns] = key.split('\n');
          putData(r, ns, data);
        }
      });
    }
    const key = JSON.stringify([region, namespace, metricName, Object.entries(dims).sort()]);
    const found = series.get(key);
    if (found) {
      const s = found.datum.StatisticValues;
      s.SampleCount += 1;
      s.Sum += value;
      s.Minimum = Math.min(s.Minimum, value);
      s.Maximum = Math.max(s.Maximum, value);
      return;
    }
    series.set(key, {
      region,
      namespace,
      datum: {
        MetricName: metricName,
        Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
        Timestamp: minute,
        Unit: unit,
        StatisticValues: { SampleCount: 1, Sum: value, Minimum: value, Maximum: value },
      },
    });
  };
}
