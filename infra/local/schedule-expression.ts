// EventBridge Scheduler expressions, evaluated the way AWS does, in UTC:
//   cron(minutes hours day-of-month month day-of-week year)
//   rate(value unit)       unit: minute(s), hour(s), day(s); singular exactly when value is 1
// Cron fields take `*`, single values, lists `a,b`, ranges `a-b` and steps `*/n`, `a/n`, `a-b/n`;
// months JAN-DEC; days of the week 1-7 or SUN-SAT (1 is Sunday); years 1970-2199. One of
// day-of-month and day-of-week must be `?` (and only one). `L`, `W` and `#` are refused here.
// Pure: no clock, no I/O.

export type Schedule =
  | { kind: 'rate'; everyMs: number; expression: string }
  | {
      kind: 'cron';
      expression: string;
      minutes: ReadonlySet<number>;
      hours: ReadonlySet<number>;
      /** undefined when the field is `?` */
      daysOfMonth?: ReadonlySet<number>;
      months: ReadonlySet<number>;
      /** 1 = Sunday … 7 = Saturday; undefined when the field is `?` */
      daysOfWeek?: ReadonlySet<number>;
      years: ReadonlySet<number>;
    };

export class ScheduleExpressionError extends Error {
  constructor(expression: string, problem: string) {
    super(`invalid schedule expression '${expression}': ${problem}`);
    this.name = 'ScheduleExpressionError';
  }
}

const MINUTE = 60_000;
const rateUnits: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };
const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const fields = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  daysOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  months: { name: 'month', min: 1, max: 12, names: monthNames },
  daysOfWeek: { name: 'day-of-week', min: 1, max: 7, names: dayNames },
  years: { name: 'year', min: 1970, max: 2199 },
} satisfies Record<string, FieldSpec>;

function parseField(expression: string, text: string, spec: FieldSpec): Set<number> {
  const fail = (problem: string): never => {
    throw new ScheduleExpressionError(expression, `${spec.name} field '${text}': ${problem}`);
  };
  const value = (token: string): number => {
    const upper = token.toUpperCase();
    const named = spec.names?.indexOf(upper) ?? -1;
    const number = named >= 0 ? named + spec.min : /^\d+$/.test(token) ? Number(token) : NaN;
    if (Number.isNaN(number)) {
      if (/[LW#]/i.test(token)) fail(`'L', 'W' and '#' are not supported by the local scheduler`);
      fail(`'${token}' is not a value${spec.names ? ` (use ${spec.min}-${spec.max} or ${spec.names[0]}-${spec.names.at(-1)})` : ''}`);
    }
    if (number < spec.min || number > spec.max) fail(`${number} is outside ${spec.min}-${spec.max}`);
    return number;
  };
  const result = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') fail('empty list item');
    const [range, stepText, ...extra] = part.split('/');
    if (extra.length > 0 || range === undefined) fail(`'${part}' has more than one '/'`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) fail(`step '${stepText}' must be a positive whole number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range!.includes('-')) {
      const [low, high, ...more] = range!.split('-');
      if (more.length > 0 || !low || !high) fail(`'${range}' is not a range`);
      [from, to] = [value(low!), value(high!)];
      if (from > to) fail(`range ${range} runs backwards`);
    } else {
      from = value(range!);
      // `a/n` counts from a to the end of the field; a single value is just itself.
      to = stepText !== undefined ? spec.max : from;
    }
    for (let n = from; n <= to; n += step) result.add(n);
  }
  return result;
}

/** Parses an expression; throws ScheduleExpressionError saying what is wrong. */
export function parseSchedule(expression: string): Schedule {
  const trimmed = expression.trim();
  const rate = /^rate\((.*)\)$/i.exec(trimmed);
  if (rate) {
    const match = /^\s*(\d+)\s+([a-z]+?)(s?)\s*$/i.exec(rate[1]!);
    const unit = match ? rateUnits[match[2]!.toLowerCase()] : undefined;
    if (!match || unit === undefined) {
      throw new ScheduleExpressionError(expression, 'expected rate(<value> minute|minutes|hour|hours|day|days)');
    }
    const value = Number(match[1]);
    if (value < 1) throw new ScheduleExpressionError(expression, 'the rate must be at least 1');
    if ((value === 1) !== (match[3] === '')) {
      throw new ScheduleExpressionError(expression, `use the singular unit for 1 and the plural for more (rate(1 ${match[2]}), rate(${value === 1 ? 2 : value} ${match[2]}s))`);
    }
    return { kind: 'rate', everyMs: value * unit, expression: trimmed };
  }
  const cron = /^cron\((.*)\)$/i.exec(trimmed);
  if (!cron) {
    if (/^at\(/i.test(trimmed)) throw new ScheduleExpressionError(expression, 'one-time at() schedules are not supported by the local scheduler');
    throw new ScheduleExpressionError(expression, 'expected cron(...) or rate(...)');
  }
  const parts = cron[1]!.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new ScheduleExpressionError(expression, `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError(expression, "exactly one of day-of-month and day-of-week must be '?'");
  }
  for (const [field, text] of [['minutes', minutes], ['hours', hours], ['month', month], ['year', year]] as const) {
    if (text.includes('?')) throw new ScheduleExpressionError(expression, `'?' is only allowed in day-of-month or day-of-week, not in ${field}`);
  }
  return {
    kind: 'cron',
    expression: trimmed,
    minutes: parseField(expression, minutes, fields.minutes),
    hours: parseField(expression, hours, fields.hours),
    daysOfMonth: dayOfMonth === '?' ? undefined : parseField(expression, dayOfMonth, fields.daysOfMonth),
    months: parseField(expression, month, fields.months),
    daysOfWeek: dayOfWeek === '?' ? undefined : parseField(expression, dayOfWeek, fields.daysOfWeek),
    years: parseField(expression, year, fields.years),
  };
}

function nextCron(schedule: Extract<Schedule, { kind: 'cron' }>, after: Date): Date {
  // The first whole minute strictly after `after`, then skip forward field by field (UTC).
  let time = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  for (;;) {
    const date = new Date(time);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth(); // 0-based
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    if (year > fields.years.max) break;
    if (!schedule.years.has(year)) {
      time = Date.UTC(year + 1, 0, 1);
    } else if (!schedule.months.has(month + 1)) {
      time = Date.UTC(year, month + 1, 1);
    } else if (
      schedule.daysOfMonth ? !schedule.daysOfMonth.has(day) : !schedule.daysOfWeek!.has(date.getUTCDay() + 1)
    ) {
      time = Date.UTC(year, month, day + 1);
    } else if (!schedule.hours.has(hour)) {
      time = Date.UTC(year, month, day, hour + 1);
    } else if (!schedule.minutes.has(date.getUTCMinutes())) {
      time += MINUTE;
    } else {
      return date;
    }
  }
  throw new ScheduleExpressionError(schedule.expression, `it never fires after ${after.toISOString()}`);
}

/** The first time strictly after `after` at which the schedule fires. A rate fires every interval from `after`. */
export function nextFireTime(expression: string | Schedule, after: Date): Date {
  const schedule = typeof expression === 'string' ? parseSchedule(expression) : expression;
  if (schedule.kind === 'rate') return new Date(after.getTime() + schedule.everyMs);
  return nextCron(schedule, after);
}
