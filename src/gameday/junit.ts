import type { ActivityRecord, GamedayJournal, ObjectiveRecord, SteadyStateRecord } from './journal.js';
import { escapeXml as x, formatMeasured, objectiveVerdict } from './report-format.js';

// junit.xml in the shape Jenkins, GitLab, GitHub test reporters and Surefire read: <testsuites>
// holding one <testsuite> each for objectives, steady state, steps and rollbacks; one <testcase>
// per objective, probe set, step and rollback. A missed objective or failed step is a <failure>,
// an aborted step an <error>, a skipped one <skipped/>. Every name and message is XML-escaped.

interface Case {
  name: string;
  classname: string;
  time: number;
  timestamp?: string;
  failure?: { type: string; message: string; text: string };
  error?: { type: string; message: string; text: string };
  skipped?: string;
  out?: string;
}

function seconds(n: number): string {
  return Number.isFinite(n) && n > 0 ? n.toFixed(3) : '0';
}

function caseXml(c: Case): string {
  const attrs = `name="${x(c.name)}" classname="${x(c.classname)}" time="${seconds(c.time)}"${c.timestamp ? ` timestamp="${x(c.timestamp)}"` : ''}`;
  const body = [
    c.failure ? `<failure type="${x(c.failure.type)}" message="${x(c.failure.message)}">${x(c.failure.text)}</failure>` : '',
    c.error ? `<error type="${x(c.error.type)}" message="${x(c.error.message)}">${x(c.error.text)}</error>` : '',
    c.skipped !== undefined ? `<skipped message="${x(c.skipped)}"/>` : '',
    c.out ? `<system-out>${x(c.out)}</system-out>` : '',
  ].join('');
  return body ? `    <testcase ${attrs}>${body}</testcase>` : `    <testcase ${attrs}/>`;
}

function suiteXml(name: string, timestamp: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = cases.reduce((t, c) => t + (Number.isFinite(c.time) ? Math.max(c.time, 0) : 0), 0);
  return [
    `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}" timestamp="${x(timestamp)}">`,
    ...cases.map(caseXml),
    '  </testsuite>',
  ].join('\n');
}

function objectiveCase(prefix: string, o: ObjectiveRecord): Case {
  const text = `goal ${o.goal}, measured ${formatMeasured(o)}: ${objectiveVerdict(o)}`;
  return {
    name: `${o.name} ${o.goal}`,
    classname: `${prefix}.objectives`,
    time: 0,
    ...(o.met ? { out: text } : { failure: { type: 'ObjectiveMissed', message: objectiveVerdict(o), text } }),
  };
}

function steadyCase(prefix: string, when: 'before' | 'after', s: SteadyStateRecord | null): Case {
  const name = `steady state ${when}`;
  const classname = `${prefix}.steady-state`;
  if (!s) return { name, classname, time: 0, skipped: 'not checked' };
  const failed = s.probes.filter((p) => !p.tolerance_met);
  const time = s.probes.reduce((t, p) => t + (Number.isFinite(p.duration) ? p.duration : 0), 0);
  const lines = s.probes.map((p) => `${p.tolerance_met ? 'ok  ' : 'FAIL'} ${p.name}: ${p.detail}${p.error ? ` (${p.error})` : ''}`).join('\n');
  if (s.steady_state_met) return { name, classname, time, out: lines };
  const message = failed.length ? `steady state ${when} did not hold: ${failed.map((p) => p.name).join(', ')}` : `steady state ${when} did not hold`;
  return { name, classname, time, failure: { type: 'SteadyStateDeviated', message, text: lines } };
}

function activityCase(prefix: string, suite: string, a: ActivityRecord, i: number): Case {
  const name = `${i + 1}. ${a.name}`;
  const classname = `${prefix}.${suite}`;
  const base: Case = { name, classname, time: a.duration, timestamp: a.start, out: `${a.type}: ${a.detail}${a.line !== undefined ? ` (line ${a.line})` : ''}` };
  const why = a.error ?? a.detail;
  switch (a.status) {
    case 'succeeded':
      return base;
    case 'failed':
      return { ...base, failure: { type: `${a.type}Failed`, message: why, text: `${a.type}: ${a.detail}\n${a.error ?? ''}`.trimEnd() } };
    case 'aborted':
      return { ...base, error: { type: 'Aborted', message: why, text: `${a.type}: ${a.detail}\n${a.error ?? ''}`.trimEnd() } };
    case 'skipped':
      return { ...base, skipped: a.error ?? 'skipped' };
    default:
      return { ...base, error: { type: 'UnknownStatus', message: `unknown status ${String(a.status)}`, text: why } };
  }
}

/** junit.xml for one journal. */
export function renderJunit(j: GamedayJournal): string {
  // Dots separate packages in most JUnit viewers; the game day's name is one segment.
  const prefix = `gameday.${j.name.replace(/[.\s]+/g, '-')}`;
  const suites: Array<[string, Case[]]> = [
    [`${j.name}: objectives`, j.objectives.map((o) => objectiveCase(prefix, o))],
    [`${j.name}: steady state`, [steadyCase(prefix, 'before', j.steady_states.before), steadyCase(prefix, 'after', j.steady_states.after)]],
    [`${j.name}: steps`, j.run.map((a, i) => activityCase(prefix, 'steps', a, i))],
    [`${j.name}: rollbacks`, j.rollbacks.map((a, i) => activityCase(prefix, 'rollbacks', a, i))],
  ];
  if (j.stopped) {
    suites.push([
      `${j.name}: stop conditions`,
      [{ name: `stop condition ${j.stopped.condition}`, classname: `${prefix}.stop-conditions`, time: 0, timestamp: j.stopped.at, failure: { type: 'Stopped', message: j.stopped.reason, text: `stopped at ${j.stopped.at}: ${j.stopped.reason}` } }],
    ]);
  }
  const all = suites.flatMap(([, cases]) => cases);
  const count = (f: (c: Case) => boolean) => all.filter(f).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`game day ${j.name}`)}" tests="${all.length}" failures="${count((c) => !!c.failure)}" errors="${count((c) => !!c.error)}" skipped="${count((c) => c.skipped !== undefined)}" time="${seconds(j.duration)}" timestamp="${x(j.start)}">`,
    ...suites.map(([name, cases]) => suiteXml(name, j.start, cases)),
    '</testsuites>',
    '',
  ].join('\n');
}
