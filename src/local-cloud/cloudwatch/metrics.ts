// Metric storage: aggregated points per series in a bounded window. Recent data keeps per-second
// resolution (AWS keeps sub-minute data 3 hours); older data is rolled up into per-minute points
// (the resolution AWS stores standard metrics at) and dropped after a day, the longest an alarm can
// look back (Period x EvaluationPeriods <= 1 day). A series thus holds at most
// 3 h x 3600 + 21 h x 60 points however many samples arrive.
import { DAY_MS, seriesKey, sortDimensions, type Dimension, type Point, type RegionState, type Series } from './model.js';
import { statistic } from './statistics.js';

export interface Sample {
  timestamp: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** How long points keep per-second resolution. */
export const RAW_WINDOW_MS = 3 * 60 * 60 * 1000;
/** How long any point is kept. */
export const RETENTION_MS = DAY_MS;
const MINUTE_MS = 60_000;
/** The most points one series can hold. */
export const MAX_POINTS_PER_SERIES = RAW_WINDOW_MS / 1000 + (RETENTION_MS - RAW_WINDOW_MS) / MINUTE_MS;

/** Points before this (minute-aligned) are kept per minute. */
const rawCutoff = (now: number): number => Math.floor((now - RAW_WINDOW_MS) / MINUTE_MS) * MINUTE_MS;

/**
 * What changed in a series' points, for the state's write barrier: nothing, the points at these
 * indices (in place or appended), or 'all' (points removed or inserted before the end).
 */
export type PointsChange = number[] | 'all';

export function addSample(region: RegionState, namespace: string, metricName: string, dims: Dimension[], unit: string | undefined, s: Sample, now: number): PointsChange {
  if (s.timestamp < now - RETENTION_MS) return []; // would be dropped at once
  const key = seriesKey(namespace, metricName, dims);
  const series: Series = (region.series[key] ??= { namespace, metricName, dimensions: sortDimensions(dims), points: [] });
  if (unit && unit !== 'None') series.unit = unit;
  const compacted = compact(series, now);
  const resolution = s.timestamp < rawCutoff(now) ? MINUTE_MS : 1000;
  const at = Math.floor(s.timestamp / resolution) * resolution;
  const points = series.points;
  const i = lowerBound(points, at);
  const same = i < points.length && points[i][0] === at ? points[i] : undefined;
  if (same) merge(same, [at, s.count, s.sum, s.min, s.max]);
  else points.splice(i, 0, [at, s.count, s.sum, s.min, s.max]);
  if (compacted === 'all' || (!same && i < points.length - 1)) return 'all';
  return [...compacted, i];
}

/**
 * Drop points older than the retention and roll per-second points older than the raw window up
 * into per-minute points. Cheap when called often: it only looks at what changed since last time.
 */
export function compact(series: Series, now: number): PointsChange {
  const points = series.points;
  const expired = lowerBound(points, now - RETENTION_MS);
  if (expired > 0) points.splice(0, expired);
  const cutoff = rawCutoff(now);
  const from = series.rolledUntil ?? 0;
  if (cutoff <= from) return expired > 0 ? 'all' : [];
  series.rolledUntil = cutoff;
  const first = lowerBound(points, from);
  const last = lowerBound(points, cutoff);
  if (last - first < 2) {
    if (last - first === 1) points[first][0] = Math.floor(points[first][0] / MINUTE_MS) * MINUTE_MS;
    return expired > 0 ? 'all' : last - first === 1 ? [first] : [];
  }
  const rolled: Point[] = [];
  for (let k = first; k < last; k++) {
    const p = points[k];
    const minute = Math.floor(p[0] / MINUTE_MS) * MINUTE_MS;
    const prev = rolled[rolled.length - 1];
    if (prev && prev[0] === minute) merge(prev, p);
    else rolled.push([minute, p[1], p[2], p[3], p[4]]);
  }
  points.splice(first, last - first, ...rolled);
  return 'all';
}

function merge(into: Point, p: Point): void {
  into[1] += p[1];
  into[2] += p[2];
  into[3] = Math.min(into[3], p[3]);
  into[4] = Math.max(into[4], p[4]);
}

/** Index of the first point at or after `at` (points are sorted by time). */
function lowerBound(points: Point[], at: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid][0] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function findSeries(region: RegionState | undefined, namespace: string, metricName: string, dims: Dimension[]): Series | undefined {
  return region?.series[seriesKey(namespace, metricName, dims)];
}

/** Points of [start, end) grouped by period-aligned buckets (aligned to the epoch). */
export function buckets(series: Series | undefined, start: number, end: number, periodMs: number): Map<number, Point[]> {
  const out = new Map<number, Point[]>();
  const points = series?.points ?? [];
  for (let k = lowerBound(points, start); k < points.length; k++) {
    const p = points[k];
    if (p[0] >= end) break;
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
