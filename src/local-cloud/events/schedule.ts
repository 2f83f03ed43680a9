// EventBridge schedule expressions: rate(N unit) and cron(min hour day-of-month month day-of-week year), UTC.
import { AwsError } from '../aws-error.js';

export type Schedule = { kind: 'rate'; everyMs: number } | { kind: 'cron'; fields: Set<number>[] };

const UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
// [min, max] per cron field; day-of-week is 1 (SUN) .. 7 (SAT) as in EventBridge.
const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [1, 7], [1970, 2199]];

export const invalidSchedule = (): AwsError => new AwsError('ValidationException', 'Parameter ScheduleExpression is not valid.', 400);

export function parseSchedule(expression: string): Schedule {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    // AWS wants the singular unit for 1 and the plural otherwise.
    if (n < 1 || (n === 1) !== !rate[2].endsWith('s')) throw invalidSchedule();
    return { kind: 'rate', everyMs: n * UNITS[rate[2]] };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) throw invalidSchedule();
  const parts = cron[1].trim().split(/\s+/);
  if (parts.length !== 6) throw invalidSchedule();
  // Exactly one of day-of-month and day-of-week must be '?'.
  if ((parts[2] === '?') === (parts[4] === '?')) throw invalidSchedule();
  return { kind: 'cron', fields: parts.map((p, i) => parseField(p, i)) };
}

function parseField(text: string, index: number): Set<number> {
  const [lo, hi] = RANGES[index];
  const out = new Set<number>();
  if (text === '?') return out;
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Z0-9]+(?:-[A-Z0-9]+)?)(?:\/(\d+))?$/.exec(part.toUpperCase());
    if (!m) throw invalidSchedule();
    const step = m[2] ? Number(m[2]) : 1;
    let from = lo;
    let to = hi;
    if (m[1] !== '*') {
      const [a, b] = m[1].split('-');
      from = value(a, index);
      to = b === undefined ? (m[2] ? hi : from) : value(b, index);
    }
    if (from < lo || to > hi || from > to || step < 1) throw invalidSchedule();
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function value(token: string, index: number): number {
  if (index === 3 && MONTHS.includes(token)) return MONTHS.indexOf(token) + 1;
  if (index === 4 && DAYS.includes(token)) return DAYS.indexOf(token) + 1;
  if (!/^\d+$/.test(token)) throw invalidSchedule();
  return Number(token);
}

/** The first firing strictly after `after`. Rates count from `anchor` (when the schedule was set). */
export function nextFire(schedule: Schedule, anchor: number, after: number): number | undefined {
  if (schedule.kind === 'rate') {
    const k = Math.floor((after - anchor) / schedule.everyMs) + 1;
    return anchor + Math.max(1, k) * schedule.everyMs;
  }
  const [mins, hours, dom, months, dow, years] = schedule.fields;
  let t = (Math.floor(after / 60_000) + 1) * 60_000;
  // Minute by minute for at most ~5 years: plenty for any valid expression, bounded for impossible ones.
  for (let i = 0; i < 5 * 366 * 1440; i++, t += 60_000) {
    const d = new Date(t);
    if (!years.has(d.getUTCFullYear()) || !months.has(d.getUTCMonth() + 1)) continue;
    if (dom.size > 0 && !dom.has(d.getUTCDate())) continue;
    if (dow.size > 0 && !dow.has(d.getUTCDay() + 1)) continue;
    if (hours.has(d.getUTCHours()) && mins.has(d.getUTCMinutes())) return t;
  }
  return undefined;
}
