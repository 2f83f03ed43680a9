// Metric storage: per-second aggregated points per series, pruned to the last day.
import { DAY_MS, seriesKey, sortDimensions, type Dimension, type Point, type RegionState, type Series } from './model.js';
import { statistic } from './statistics.js';

export interface Sample {
  timestamp: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export function addSample(region: RegionState, namespace: string, metricName: string, dims: Dimension[], unit: string | undefined, s: Sample, now: number): void {
  const key = seriesKey(namespace, metricName, dims);
  const series: Series = (region.series[key] ??= { namespace, metricName, dimensions: sortDimensions(dims), points: [] });
  if (unit && unit !== 'None') series.unit = unit;
  const second = Math.floor(s.timestamp / 1000) * 1000;
  const points = series.points;
  let i = points.length;
  while (i > 0 && points[i - 1][0] > second) i--;
  const same = i > 0 && points[i - 1][0] === second ? points[i - 1] : undefined;
  if (same) {
    same[1] += s.count;
    same[2] += s.sum;
    same[3] = Math.min(same[3], s.min);
    same[4] = Math.max(same[4], s.max);
  } else {
    points.splice(i, 0, [second, s.count, s.sum, s.min, s.max]);
  }
  prune(series, now);
}

/** Drop points older than a day: bounded memory, and AWS keeps only coarser data beyond that anyway. */
export function prune(series: Series, now: number): void {
  const cutoff = now - DAY_MS;
  let drop = 0;
  while (drop < series.points.length && series.points[drop][0] < cutoff) drop++;
  if (drop > 0) series.points.splice(0, drop);
}

export function findSeries(region: RegionState | undefined, namespace: string, metricName: string, dims: Dimension[]): Series | undefined {
  return region?.series[seriesKey(namespace, metricName, dims)];
}

/** Points of [start, end) grouped by period-aligned buckets (aligned to the epoch). */
export function buckets(series: Series | undefined, start: number, end: number, periodMs: number): Map<number, Point[]> {
  const out = new Map<number, Point[]>();
  for (const p of series?.points ?? []) {
    if (p[0] < start || p[0] >= end) continue;
    const b = Math.floor(p[0] / periodMs) * periodMs;
    const list = out.get(b);
    if (list) list.push(p);
    else out.set(b, [p]);
  }
  return out;
}

/** The statistic of each of the last `count` whole periods ending at `end`, oldest first. */
export function lastPeriods(series: Series | undefined, end: number, periodMs: number, count: number, stat: string): { start: number; value: number | undefined }[] {
  const first = end - count * periodMs;
  const grouped = buckets(series, first, end, periodMs);
  const out: { start: number; value: number | undefined }[] = [];
  for (let k = 0; k < count; k++) {
    const start = first + k * periodMs;
    out.push({ start, value: statistic(grouped.get(Math.floor(start / periodMs) * periodMs) ?? [], stat) });
  }
  return out;
}

/** ListMetrics filter: every filter dimension present (Value optional). */
export function matchesFilter(series: Series, namespace?: string, metricName?: string, filter?: { Name: string; Value?: string }[]): boolean {
  if (namespace && series.namespace !== namespace) return false;
  if (metricName && series.metricName !== metricName) return false;
  return (filter ?? []).every((f) => series.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
}
