// CloudWatch statistics over the aggregated points of one period.
import type { Point } from './model.js';

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

export function isStatistic(stat: string): boolean {
  return (BASIC_STATISTICS as readonly string[]).includes(stat) || /^p(\d{1,2}(\.\d+)?|100)$/.test(stat);
}

/** One statistic of the points; undefined when there are none. */
export function statistic(points: Point[], stat: string): number | undefined {
  if (points.length === 0) return undefined;
  const count = points.reduce((n, p) => n + p[1], 0);
  const sum = points.reduce((n, p) => n + p[2], 0);
  switch (stat) {
    case 'SampleCount':
      return count;
    case 'Sum':
      return sum;
    case 'Average':
      return count === 0 ? 0 : sum / count;
    case 'Minimum':
      return Math.min(...points.map((p) => p[3]));
    case 'Maximum':
      return Math.max(...points.map((p) => p[4]));
  }
  const pct = /^p(\d+(\.\d+)?)$/.exec(stat);
  if (!pct) return undefined;
  return percentile(points, Number(pct[1]));
}

// Points are aggregated per second, so percentiles are nearest-rank over each second's average
// weighted by its sample count: exact for one sample per second, an approximation otherwise.
function percentile(points: Point[], p: number): number {
  const values = points.map((pt) => ({ v: pt[1] === 0 ? 0 : pt[2] / pt[1], n: pt[1] })).sort((a, b) => a.v - b.v);
  const total = values.reduce((n, x) => n + x.n, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const x of values) {
    seen += x.n;
    if (seen >= rank) return x.v;
  }
  return values[values.length - 1].v;
}
