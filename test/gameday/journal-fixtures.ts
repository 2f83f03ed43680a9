import type { ActivityRecord, GamedayJournal, ObjectiveRecord, ProbeRecord } from '../../src/gameday/journal.js';

// Journals as the runner writes them, built from offsets in seconds after the run's start, so a
// test reads as the story of a game day. passedFailover(): three regions, us-west-2 taken down and
// brought back, every objective met. abortedRun(): the same start, but failover is slow, a stop
// condition fires and rollbacks run; its names hold markup that must stay text.

export const START = Date.parse('2026-12-01T10:00:00.000Z');
export const at = (s: number): string => new Date(START + s * 1000).toISOString();
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

/** A step, rollback or probe from `from` to `to` seconds. */
export function activity(name: string, type: string, from: number, to: number, extra: Partial<ActivityRecord> = {}): ActivityRecord {
  return { name, type, detail: `${type} ${name}`, status: 'succeeded', start: at(from), end: at(to), duration: to - from, wallSeconds: (to - from) / 60, ...extra };
}

function probe(name: string, s: number, met: boolean, output: unknown): ProbeRecord {
  return { ...activity(name, 'probe', s, s + 2), tolerance_met: met, output, ...(met ? {} : { status: 'failed' as const, error: 'expectation not met' }) };
}

function steady(s: number, met = true) {
  return {
    steady_state_met: met,
    probes: [
      probe('all regions healthy', s, met, { healthy: met ? REGIONS : ['us-east-1', 'eu-west-1'] }),
      probe('dns per client subnet', s + 2, true, { '10.1.0.0/24': 'us-east-1', '10.2.0.0/24': 'us-west-2', '10.3.0.0/24': 'eu-west-1' }),
      probe('replication lag', s + 4, true, { p99Ms: 850 }),
    ],
  };
}

function objective(name: string, goal: string | number, measured: number | null, unit: ObjectiveRecord['unit'], met: boolean, message: string): ObjectiveRecord {
  return { name, goal, measured, unit, met, message };
}

/** The game day every example hopes for: us-west-2 goes down at +60s, comes back at +300s. */
export function passedFailover(overrides: Partial<GamedayJournal> = {}): GamedayJournal {
  return {
    version: 1,
    regionctl: '0.1.0',
    name: 'regional failover',
    description: 'Take us-west-2 down; its clients must move within 3 minutes and come back.',
    file: 'examples/gamedays/quick-failover.yml',
    service: 'hello',
    stage: 'dev',
    regions: REGIONS,
    target: 'local',
    status: 'passed',
    deviated: false,
    start: at(0),
    end: at(600),
    duration: 600,
    wallSeconds: 14.2,
    steady_states: { before: steady(0), after: steady(580) },
    run: [
      activity('check status', 'status', 10, 20, { line: 12 }),
      activity('take us-west-2 down', 'fault', 60, 62, { line: 14, detail: 'fault region-outage us-west-2 for 5m' }),
      activity('wait for failover', 'assert', 62, 200, { line: 17, detail: 'clients of 10.2.0.0/24 served by another region', output: { servedBy: 'us-east-1' } }),
      activity('restore us-west-2', 'drill', 300, 305, { line: 21, detail: 'drill restore --region us-west-2' }),
      activity('wait for failback', 'wait', 305, 460, { line: 23 }),
      activity('replication under load', 'drill', 460, 560, { line: 25, detail: 'drill replication', output: { p99Ms: 1400 } }),
    ],
    rollbacks: [activity('clear faults', 'rollback', 570, 575, { detail: 'local fault clear' })],
    objectives: [
      objective('failoverWithin', '3m', 95, 's', true, 'failover took 1m35s, within 3m'),
      objective('failbackWithin', '5m', 110, 's', true, 'failback took 1m50s, within 5m'),
      objective('replicationLagP99Below', '2s', 1400, 'ms', true, 'lag p99 1.4s, below 2s'),
      objective('maxMissingItems', 0, 0, 'items', true, 'no item missing'),
    ],
    measurements: { rtoSeconds: 95, failbackSeconds: 110, rpoSeconds: 2, replicationLagP99Ms: 1400, missingItems: 0 },
    timeline: {
      regionHealth: [
        ...REGIONS.map((region) => ({ at: at(0), region, healthy: true })),
        { at: at(62), region: 'us-west-2', healthy: false },
        { at: at(330), region: 'us-west-2', healthy: true },
      ],
      routing: [
        { at: at(0), subnet: '10.1.0.0/24', label: 'clients near us-east-1', region: 'us-east-1' },
        { at: at(0), subnet: '10.2.0.0/24', label: 'clients near us-west-2', region: 'us-west-2' },
        { at: at(0), subnet: '10.3.0.0/24', label: 'clients near eu-west-1', region: 'eu-west-1' },
        { at: at(70), subnet: '10.2.0.0/24', region: null },
        { at: at(155), subnet: '10.2.0.0/24', region: 'us-east-1' },
        { at: at(410), subnet: '10.2.0.0/24', region: 'us-west-2' },
      ],
      alarms: [
        { at: at(120), region: 'us-west-2', name: 'hello-dev-5xx', state: 'ALARM' },
        { at: at(360), region: 'us-west-2', name: 'hello-dev-5xx', state: 'OK' },
      ],
      healthChecks: [
        { at: at(150), region: 'us-west-2', healthy: false },
        { at: at(400), region: 'us-west-2', healthy: true },
      ],
      faults: [{ kind: 'region-outage', region: 'us-west-2', detail: 'every endpoint answers 503', start: at(60), end: at(300) }],
      replicationLag: [0, 60, 120, 180, 240, 300, 360, 420, 480, 540].flatMap((s, i) => [
        { at: at(s), from: 'us-east-1', to: 'eu-west-1', ms: 400 + (i % 3) * 150 },
        { at: at(s), from: 'us-east-1', to: 'us-west-2', ms: s >= 60 && s < 330 ? 0 : 500 + i * 90 },
      ]),
    },
    ...overrides,
  };
}

export const SCRIPT_NAME = '<script>alert("x")</script> & "friends"';

/** A run that went wrong: failover is slow, the minHealthyRegions stop condition fires at +250s. */
export function abortedRun(): GamedayJournal {
  const ok = passedFailover();
  return {
    ...ok,
    name: 'outage & <b>friends</b>',
    status: 'aborted',
    deviated: true,
    end: at(320),
    duration: 320,
    steady_states: { before: steady(0), after: steady(300, false) },
    run: [
      activity('check status', 'status', 10, 20),
      activity(SCRIPT_NAME, 'fault', 60, 62, { detail: 'fault region-outage us-west-2' }),
      activity('second outage', 'fault', 62, 64, { detail: 'fault region-outage eu-west-1' }),
      activity('wait for failover', 'assert', 64, 250, { status: 'aborted', error: 'stopped: fewer than 2 healthy regions' }),
      activity('replication under load', 'drill', 250, 250, { status: 'skipped', error: 'not run: the game day was stopped' }),
    ],
    rollbacks: [activity('clear faults', 'rollback', 252, 260), activity('restore dns', 'rollback', 260, 290, { status: 'failed', error: 'restore timed out after 30s' })],
    objectives: [
      objective('failoverWithin', '3m', 252, 's', false, 'failover took 4m12s, 1m12s over 3m'),
      objective('failbackWithin', '5m', null, 's', false, 'failback never measured: the game day was stopped'),
      objective('maxMissingItems', 0, 0, 'items', true, 'no item missing'),
    ],
    stopped: { condition: 'minHealthyRegions', reason: 'only 1 healthy region (us-east-1), minimum 2', at: at(250) },
    measurements: { rtoSeconds: 252, failbackSeconds: null, rpoSeconds: null, replicationLagP99Ms: null, missingItems: 0 },
    timeline: {
      ...ok.timeline,
      regionHealth: [...REGIONS.map((region) => ({ at: at(0), region, healthy: true })), { at: at(62), region: 'us-west-2', healthy: false }, { at: at(70), region: 'eu-west-1', healthy: false }],
      routing: ok.timeline.routing.filter((r) => Date.parse(r.at) < START + 320_000),
      alarms: ok.timeline.alarms.filter((r) => Date.parse(r.at) < START + 320_000),
      healthChecks: ok.timeline.healthChecks.filter((r) => Date.parse(r.at) < START + 320_000),
      faults: [
        { kind: 'region-outage', region: 'us-west-2', detail: 'every endpoint answers 503', start: at(60), end: at(258) },
        { kind: 'region-outage', region: 'eu-west-1', detail: 'every endpoint answers 503', start: at(62), end: null },
      ],
      replicationLag: [],
    },
  };
}
