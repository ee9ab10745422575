// The local scheduler evaluates the EventBridge Scheduler expressions of infra/functions.ts.
import { describe, expect, it } from 'vitest';
import { scheduledJobs } from '../../infra/functions.js';
import { nextFireTime, parseSchedule, ScheduleExpressionError } from '../../infra/local/schedule-expression.js';

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) => nextFireTime(expression, at(after)).toISOString();

/** The first `count` fire times after `after`. */
function series(expression: string, after: string, count: number): string[] {
  const times: string[] = [];
  let cursor = at(after);
  for (let i = 0; i < count; i += 1) {
    cursor = nextFireTime(expression, cursor);
    times.push(cursor.toISOString());
  }
  return times;
}

describe('cron expressions (UTC)', () => {
  it('fires daily at a fixed time, strictly after the given instant', () => {
    expect(next('cron(0 8 * * ? *)', '2026-03-10T07:59:59.999Z')).toBe('2026-03-10T08:00:00.000Z');
    expect(next('cron(0 8 * * ? *)', '2026-03-10T08:00:00.000Z')).toBe('2026-03-11T08:00:00.000Z');
    expect(next('cron(0 8 * * ? *)', '2026-03-10T08:00:30.000Z')).toBe('2026-03-11T08:00:00.000Z');
  });

  it('rolls over the end of a month and of a year', () => {
    expect(next('cron(30 23 * * ? *)', '2026-12-31T23:30:00Z')).toBe('2027-01-01T23:30:00.000Z');
    expect(next('cron(0 0 1 * ? *)', '2026-01-31T12:00:00Z')).toBe('2026-02-01T00:00:00.000Z');
  });

  it('takes steps, ranges and lists', () => {
    expect(series('cron(0/15 * * * ? *)', '2026-05-01T10:07:00Z', 4)).toEqual([
      '2026-05-01T10:15:00.000Z',
      '2026-05-01T10:30:00.000Z',
      '2026-05-01T10:45:00.000Z',
      '2026-05-01T11:00:00.000Z',
    ]);
    expect(series('cron(*/20 9-10 * * ? *)', '2026-05-01T00:00:00Z', 7)).toEqual([
      '2026-05-01T09:00:00.000Z',
      '2026-05-01T09:20:00.000Z',
      '2026-05-01T09:40:00.000Z',
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T10:20:00.000Z',
      '2026-05-01T10:40:00.000Z',
      '2026-05-02T09:00:00.000Z',
    ]);
    expect(series('cron(5,35 6,18 * * ? *)', '2026-05-01T06:05:00Z', 3)).toEqual([
      '2026-05-01T06:35:00.000Z',
      '2026-05-01T18:05:00.000Z',
      '2026-05-01T18:35:00.000Z',
    ]);
    expect(series('cron(0 0 1-31/10 * ? *)', '2026-02-01T00:00:00Z', 3)).toEqual([
      '2026-02-11T00:00:00.000Z',
      '2026-02-21T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
  });

  it('counts days of the week from 1 = Sunday, by number or name', () => {
    // 2026-03-13 is a Friday.
    expect(series('cron(0 18 ? * MON-FRI *)', '2026-03-13T17:00:00Z', 3)).toEqual([
      '2026-03-13T18:00:00.000Z',
      '2026-03-16T18:00:00.000Z',
      '2026-03-17T18:00:00.000Z',
    ]);
    expect(next('cron(0 9 ? * 1 *)', '2026-03-13T00:00:00Z')).toBe('2026-03-15T09:00:00.000Z'); // Sunday
    expect(next('cron(0 9 ? * sat *)', '2026-03-13T00:00:00Z')).toBe('2026-03-14T09:00:00.000Z');
  });

  it('takes month names and a year field', () => {
    expect(next('cron(0 12 1 JAN,JUL ? 2027-2028)', '2026-06-01T00:00:00Z')).toBe('2027-01-01T12:00:00.000Z');
    expect(next('cron(0 12 1 JAN,JUL ? 2027-2028)', '2027-01-01T12:00:00Z')).toBe('2027-07-01T12:00:00.000Z');
    expect(next('cron(0 0 29 2 ? *)', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('says when a valid expression never fires again', () => {
    expect(() => nextFireTime('cron(0 12 1 1 ? 2020)', at('2026-01-01T00:00:00Z'))).toThrow(/never fires/);
    expect(() => nextFireTime('cron(0 0 31 2 ? *)', at('2026-01-01T00:00:00Z'))).toThrow(/never fires/);
  });
});

describe('rate expressions', () => {
  it('fires every interval after the given instant', () => {
    expect(next('rate(1 minute)', '2026-03-10T08:00:10Z')).toBe('2026-03-10T08:01:10.000Z');
    expect(next('rate(5 minutes)', '2026-03-10T08:00:00Z')).toBe('2026-03-10T08:05:00.000Z');
    expect(next('rate(2 hours)', '2026-03-10T23:30:00Z')).toBe('2026-03-11T01:30:00.000Z');
    expect(next('rate(1 day)', '2026-03-10T08:00:00Z')).toBe('2026-03-11T08:00:00.000Z');
  });

  it('wants the singular unit for 1 and the plural otherwise, as AWS does', () => {
    expect(() => parseSchedule('rate(1 minutes)')).toThrow(/singular/);
    expect(() => parseSchedule('rate(5 hour)')).toThrow(/plural/);
    expect(() => parseSchedule('rate(0 minutes)')).toThrow(/at least 1/);
    expect(() => parseSchedule('rate(5 weeks)')).toThrow(ScheduleExpressionError);
  });
});

describe('refused expressions, with a message naming the problem', () => {
  it.each([
    ['0 8 * * ? *', /expected cron\(\.\.\.\) or rate/],
    ['cron(0 8 * * ?)', /6 fields/],
    ['cron(0 8 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 8 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 8 L * ? *)', /'L', 'W' and '#' are not supported/],
    ['cron(0 8 ? * 6#3 *)', /'L', 'W' and '#' are not supported/],
    ['cron(0 8 15W * ? *)', /'L', 'W' and '#' are not supported/],
    ['cron(60 8 * * ? *)', /minutes field '60': 60 is outside 0-59/],
    ['cron(0 24 * * ? *)', /hours field/],
    ['cron(0 8 ? * 0 *)', /day-of-week field '0': 0 is outside 1-7/],
    ['cron(0 8 * 13 ? *)', /month field/],
    ['cron(0 8 * FOO ? *)', /'FOO' is not a value \(use 1-12 or JAN-DEC\)/],
    ['cron(0 8 * * ? 1969)', /year field/],
    ['cron(0 20-8 * * ? *)', /runs backwards/],
    ['cron(*/0 8 * * ? *)', /step '0'/],
    ['cron(0 ? * * ? *)', /only allowed in day-of-month or day-of-week/],
    ['at(2026-03-10T08:00:00)', /one-time at\(\) schedules are not supported/],
  ])('%s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
  });
});

describe('the declared jobs', () => {
  it.each(scheduledJobs.filter((job) => job.schedule).map((job) => [job.name, job.schedule!]))('%s has a schedule the local scheduler can run (%s)', (_, schedule) => {
    expect(nextFireTime(schedule, new Date()).getTime()).toBeGreaterThan(Date.now());
  });
});
