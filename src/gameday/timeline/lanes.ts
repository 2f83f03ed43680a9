import type { GamedayJournal, Timeline } from '../journal.js';

// The timeline as lanes of spans and markers on one time axis (cloud time, ms since the epoch):
// the geometry-free model that the SVG renderer draws. The journal records transitions only, so a
// lane's state holds from one entry to the next; before a lane's first entry its state is unknown.

export interface Span<S> {
  from: number;
  to: number;
  state: S;
}

export type Health = 'healthy' | 'unhealthy' | 'unknown';

export interface RegionLane {
  region: string;
  spans: Span<Health>[];
  alarms: Array<{ at: number; name: string; state: Timeline['alarms'][number]['state'] }>;
  checks: Array<{ at: number; healthy: boolean }>;
}

/** Who served a client subnet: a region, nobody (null), or not yet observed (undefined). */
export interface RoutingLane {
  subnet: string;
  label?: string;
  spans: Span<string | null | undefined>[];
}

export interface FaultBar {
  kind: string;
  where: string;
  detail: string;
  from: number;
  to: number;
  /** Still in place when the journal ended. */
  open: boolean;
  /** Row within the faults lane, so overlapping faults do not hide each other. */
  row: number;
}

export interface StepBand {
  index: number;
  name: string;
  type: string;
  status: string;
  rollback: boolean;
  from: number;
  to: number;
}

export interface LagSeries {
  pair: string;
  points: Array<{ at: number; ms: number }>;
}

export interface TimelineModel {
  t0: number;
  t1: number;
  regions: RegionLane[];
  routing: RoutingLane[];
  faults: FaultBar[];
  faultRows: number;
  steps: StepBand[];
  lag: LagSeries[];
  maxLagMs: number;
  stoppedAt?: number;
  /** Every region that appears anywhere, in the journal's order first: one colour each. */
  palette: string[];
}

const time = (iso: string): number => Date.parse(iso);
const valid = (t: number): boolean => Number.isFinite(t);

/** Transitions (sorted by time) → spans from t0 to t1, merging repeats; unknown before the first. */
export function spansOf<S>(transitions: Array<{ at: number; state: S }>, t0: number, t1: number, unknown: S): Span<S>[] {
  const sorted = transitions.filter((e) => valid(e.at)).sort((a, b) => a.at - b.at);
  const spans: Span<S>[] = [];
  let state = unknown;
  let from = t0;
  for (const e of sorted) {
    if (e.state === state) continue;
    const at = Math.min(Math.max(e.at, t0), t1);
    // Two transitions at one instant: the later one wins, no zero-width span.
    if (at > from) spans.push({ from, to: at, state });
    state = e.state;
    from = at;
  }
  if (t1 > from) spans.push({ from, to: t1, state });
  // Adjacent spans can end up equal after clamping: merge them.
  return spans.reduce<Span<S>[]>((out, s) => {
    const last = out[out.length - 1];
    if (last && last.state === s.state && last.to === s.from) last.to = s.to;
    else out.push({ ...s });
    return out;
  }, []);
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

/** The chart's time range: the run, widened to every timestamp the timeline holds. */
function bounds(j: GamedayJournal): [number, number] {
  const tl = j.timeline;
  const all = [
    time(j.start),
    time(j.end),
    ...tl.regionHealth.map((e) => time(e.at)),
    ...tl.routing.map((e) => time(e.at)),
    ...tl.alarms.map((e) => time(e.at)),
    ...tl.healthChecks.map((e) => time(e.at)),
    ...tl.faults.flatMap((f) => [time(f.start), f.end === null ? NaN : time(f.end)]),
    ...tl.replicationLag.map((e) => time(e.at)),
    ...[...j.run, ...j.rollbacks].flatMap((a) => [time(a.start), time(a.end)]),
  ].filter(valid);
  if (all.length === 0) return [0, 1000];
  const t0 = Math.min(...all);
  const t1 = Math.max(...all);
  return [t0, t1 > t0 ? t1 : t0 + 1000];
}

/** Greedy row assignment: each fault goes in the first row whose last bar ended before it starts. */
function stackFaults(faults: Omit<FaultBar, 'row'>[]): { bars: FaultBar[]; rows: number } {
  const rowEnds: number[] = [];
  const bars = [...faults]
    .sort((a, b) => a.from - b.from)
    .map((f) => {
      let row = rowEnds.findIndex((end) => end <= f.from);
      if (row === -1) row = rowEnds.push(0) - 1;
      rowEnds[row] = f.to;
      return { ...f, row };
    });
  return { bars, rows: rowEnds.length };
}

export function timelineModel(j: GamedayJournal): TimelineModel {
  const [t0, t1] = bounds(j);
  const tl = j.timeline;
  const regionNames = uniq([...j.regions, ...tl.regionHealth.map((e) => e.region), ...tl.alarms.map((e) => e.region), ...tl.healthChecks.map((e) => e.region)]);
  const regions: RegionLane[] = regionNames.map((region) => ({
    region,
    spans: spansOf<Health>(
      tl.regionHealth.filter((e) => e.region === region).map((e) => ({ at: time(e.at), state: e.healthy ? 'healthy' : 'unhealthy' })),
      t0,
      t1,
      'unknown',
    ),
    alarms: tl.alarms.filter((e) => e.region === region && valid(time(e.at))).map((e) => ({ at: time(e.at), name: e.name, state: e.state })),
    checks: tl.healthChecks.filter((e) => e.region === region && valid(time(e.at))).map((e) => ({ at: time(e.at), healthy: e.healthy })),
  }));

  const subnets = uniq(tl.routing.map((e) => e.subnet));
  const routing: RoutingLane[] = subnets.map((subnet) => {
    const entries = tl.routing.filter((e) => e.subnet === subnet);
    const label = entries.find((e) => e.label)?.label;
    return {
      subnet,
      ...(label ? { label } : {}),
      spans: spansOf<string | null | undefined>(entries.map((e) => ({ at: time(e.at), state: e.region })), t0, t1, undefined),
    };
  });

  const { bars, rows } = stackFaults(
    tl.faults
      .filter((f) => valid(time(f.start)))
      .map((f) => {
        const end = f.end === null ? NaN : time(f.end);
        return {
          kind: f.kind,
          where: f.region ?? (f.from !== undefined && f.to !== undefined ? `${f.from} → ${f.to}` : f.from ?? f.to ?? ''),
          detail: f.detail,
          from: time(f.start),
          to: valid(end) ? Math.max(end, time(f.start)) : t1,
          open: !valid(end),
        };
      }),
  );

  const steps: StepBand[] = [
    ...j.run.map((a, i) => ({ a, i, rollback: false })),
    ...j.rollbacks.map((a, i) => ({ a, i, rollback: true })),
  ]
    .filter(({ a }) => valid(time(a.start)))
    .map(({ a, i, rollback }) => ({
      index: i + 1,
      name: a.name,
      type: a.type,
      status: a.status,
      rollback,
      from: time(a.start),
      to: valid(time(a.end)) ? Math.max(time(a.end), time(a.start)) : time(a.start),
    }));

  const pairs = uniq(tl.replicationLag.map((e) => `${e.from} → ${e.to}`));
  const lag: LagSeries[] = pairs.map((pair) => ({
    pair,
    points: tl.replicationLag
      .filter((e) => `${e.from} → ${e.to}` === pair && valid(time(e.at)) && Number.isFinite(e.ms))
      .map((e) => ({ at: time(e.at), ms: Math.max(0, e.ms) }))
      .sort((a, b) => a.at - b.at),
  }));
  const maxLagMs = Math.max(0, ...lag.flatMap((s) => s.points.map((p) => p.ms)));

  const palette = uniq([...regionNames, ...tl.routing.flatMap((e) => (e.region === null ? [] : [e.region]))]);
  const stoppedAt = j.stopped ? time(j.stopped.at) : NaN;
  return { t0, t1, regions, routing, faults: bars, faultRows: rows, steps, lag, maxLagMs, ...(valid(stoppedAt) ? { stoppedAt } : {}), palette };
}
