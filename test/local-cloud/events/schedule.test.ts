import { describe, expect, it } from 'vitest';
import { nextFire, parseSchedule } from '../../../src/local-cloud/events/schedule.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

describe('schedule expressions', () => {
  it('counts rates from the anchor', () => {
    const every5 = parseSchedule('rate(5 minutes)');
    expect(nextFire(every5, T0, T0)).toBe(T0 + 300_000);
    expect(nextFire(every5, T0, T0 + 300_000)).toBe(T0 + 600_000);
    expect(nextFire(parseSchedule('rate(1 hour)'), T0, T0 + 1)).toBe(T0 + 3_600_000);
    expect(nextFire(parseSchedule('rate(2 days)'), T0, T0)).toBe(T0 + 2 * 86_400_000);
  });

  it('rejects malformed rates as AWS does (singular unit for 1 only)', () => {
    for (const bad of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(5 seconds)', 'every minute']) {
      expect(() => parseSchedule(bad), bad).toThrow('Parameter ScheduleExpression is not valid.');
    }
  });

  it('finds the next cron minute in UTC', () => {
    expect(nextFire(parseSchedule('cron(0/15 * * * ? *)'), T0, T0)).toBe(T0 + 15 * 60_000);
    expect(nextFire(parseSchedule('cron(30 9 ? * MON-FRI *)'), T0, T0)).toBe(Date.UTC(2026, 0, 1, 9, 30)); // Thursday
    expect(nextFire(parseSchedule('cron(0 12 1 FEB ? *)'), T0, T0)).toBe(Date.UTC(2026, 1, 1, 12, 0));
    expect(() => parseSchedule('cron(0 12 * * * *)')).toThrow('not valid');
  });
});
