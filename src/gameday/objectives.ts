import type { FailoverReport } from '../drill/failover.js';
import type { ReplicationReport } from '../drill/replication.js';
import { round1, type GamedayJournal, type ObjectiveRecord } from './journal.js';
import { durationMs, type GamedayFile } from './schema.js';

// What the drills of a run measured, and the game day's objectives judged against it: which one
// missed and by how much. The headline measurements and the objectives use the same figures.

/** The journal's headline measurements, for history and trends; on the same basis as the objectives. */
export function measurements(failovers: FailoverReport[], replications: ReplicationReport[]): GamedayJournal['measurements'] {
  const lag = lagP99s(replications);
  return {
    rtoSeconds: maxOf(failovers.map((f) => f.measured.failoverSeconds)),
    failbackSeconds: maxOf(failovers.map((f) => f.measured.failbackSeconds)),
    rpoSeconds: maxOf(replications.map((r) => r.rpoSeconds)),
    replicationLagP99Ms: maxOf(lag.filter((p) => !p.paused).map((p) => p.p99)),
    ...(lag.some((p) => p.paused) ? { replicationLagP99InclPausedMs: maxOf(lag.map((p) => p.p99)) } : {}),
    missingItems: replications.length ? missingItems(replications) : null,
  };
}

function missingItems(replications: ReplicationReport[]): number {
  return replications.reduce((n, r) => n + r.pairs.reduce((m, p) => m + p.missing, 0), 0);
}

/**
 * Every measured pair's p99 lag. A pair the drill itself paused measures the pause, not
 * replication: its catch-up and missing items are reported (pause, maxMissingItems), its lag is
 * marked `paused` so neither the objective nor the headline measurement holds it against the stage.
 */
export function lagP99s(replications: ReplicationReport[]): Array<{ from: string; to: string; p99: number; paused: boolean }> {
  return replications.flatMap((r) =>
    r.pairs.flatMap((p) => (p.p99Ms === null ? [] : [{ from: p.from, to: p.to, p99: p.p99Ms, paused: r.pause !== undefined && r.pause.from === p.from && r.pause.to === p.to }])),
  );
}

function maxOf(xs: Array<number | null>): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
}

const fmtSeconds = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${round1(s)}s`);

/** Objectives vs what the drills measured: which one missed, and by how much. */
export function judge(g: GamedayFile, failovers: FailoverReport[], replications: ReplicationReport[]): ObjectiveRecord[] {
  const out: ObjectiveRecord[] = [];
  const o = g.objectives;
  const seconds = (name: 'failoverWithin' | 'failbackWithin', goal: string, values: Array<number | null>, what: string) => {
    const limit = durationMs(goal) / 1000;
    if (values.length === 0) return out.push({ name, goal, measured: null, unit: 's', met: false, message: `not measured: no failover drill ran` });
    if (values.some((v) => v === null)) return out.push({ name, goal, measured: null, unit: 's', met: false, message: `${what} never happened in ${values.filter((v) => v === null).length} drill(s)` });
    const worst = Math.max(...(values as number[]));
    const met = worst <= limit;
    out.push({ name, goal, measured: worst, unit: 's', met, message: met ? `${what} took ${fmtSeconds(worst)}, within ${goal}` : `${what} took ${fmtSeconds(worst)}, ${fmtSeconds(worst - limit)} over ${goal}` });
  };
  if (o.failoverWithin) seconds('failoverWithin', o.failoverWithin, failovers.map((f) => f.measured.failoverSeconds), 'failover');
  if (o.failbackWithin) seconds('failbackWithin', o.failbackWithin, failovers.map((f) => f.measured.failbackSeconds), 'failback');
  if (o.replicationLagP99Below) {
    const limit = durationMs(o.replicationLagP99Below);
    const p99 = lagP99s(replications).filter((p) => !p.paused);
    if (p99.length === 0) out.push({ name: 'replicationLagP99Below', goal: o.replicationLagP99Below, measured: null, unit: 'ms', met: false, message: replications.length ? 'no replication lag was measured' : 'not measured: no replication drill ran' });
    else {
      const worst = p99.reduce((w, p) => (p.p99 > w.p99 ? p : w));
      const met = worst.p99 < limit;
      out.push({
        name: 'replicationLagP99Below',
        goal: o.replicationLagP99Below,
        measured: worst.p99,
        unit: 'ms',
        met,
        message: met ? `worst p99 ${worst.p99} ms (${worst.from} → ${worst.to}), below ${o.replicationLagP99Below}` : `p99 lag ${worst.from} → ${worst.to} was ${worst.p99} ms, ${round1(worst.p99 - limit)} ms over ${o.replicationLagP99Below}`,
      });
    }
  }
  if (o.maxMissingItems !== undefined) {
    if (replications.length === 0) out.push({ name: 'maxMissingItems', goal: o.maxMissingItems, measured: null, unit: 'items', met: false, message: 'not measured: no replication drill ran' });
    else {
      const missing = missingItems(replications);
      const met = missing <= o.maxMissingItems;
      out.push({ name: 'maxMissingItems', goal: o.maxMissingItems, measured: missing, unit: 'items', met, message: met ? `${missing} item(s) missing, at most ${o.maxMissingItems} allowed` : `${missing} acknowledged write(s) missing at the deadline, ${missing - o.maxMissingItems} over ${o.maxMissingItems}` });
    }
  }
  return out;
}
