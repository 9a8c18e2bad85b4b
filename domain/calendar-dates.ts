/**
 * Calendar dates as day numbers, and the checks a calendar's data must pass beyond its shape. Plain
 * and without imports: shared by the data's zod schemas (calendar-data.ts) and the arithmetic
 * (calendar.ts), which workflow code imports without zod.
 */

const MS_PER_DAY = 86_400_000;

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isRealIsoDate(s: string): boolean {
  const m = isoDatePattern.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The day number (days since 1970-01-01) of a date written YYYY-MM-DD. */
export function dayNumberOfIsoDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Saturday or Sunday. */
export function isWeekendDayNumber(day: number): boolean {
  const wd = weekdayOfDayNumber(day);
  return wd === 0 || wd === 6;
}

/** The lists of a calendar's data that the checks read. */
export interface CalendarDataLists {
  years: readonly number[];
  holidays: ReadonlyArray<{ date: string }>;
  makeUpWorkdays: ReadonlyArray<{ date: string }>;
}

export interface CalendarDataProblem {
  path: Array<string | number>;
  message: string;
}

/**
 * What a calendar's data must hold beyond its shape (shared by the zod schema at the edge and the
 * workflow's validator of `applyCalendar`, which carries no zod): each year once, each date real,
 * once, in one list only and within `years`, make-up working days on a Saturday or Sunday.
 */
export function calendarDataProblems(cal: CalendarDataLists, options: { checkDateFormat?: boolean } = {}): CalendarDataProblem[] {
  const problems: CalendarDataProblem[] = [];
  const years = new Set(cal.years);
  if (years.size !== cal.years.length) problems.push({ path: ['years'], message: 'lists a year more than once' });
  const seen = new Map<string, string>();
  for (const list of ['holidays', 'makeUpWorkdays'] as const) {
    cal[list].forEach((day, i) => {
      const path = [list, i, 'date'];
      if (!isRealIsoDate(day.date)) {
        if (options.checkDateFormat !== false) problems.push({ path, message: 'must be a real date written YYYY-MM-DD' });
        return;
      }
      const before = seen.get(day.date);
      if (before === list) problems.push({ path, message: `${day.date} is listed twice in ${list}` });
      else if (before !== undefined) problems.push({ path, message: `${day.date} is both a holiday and a make-up working day` });
      seen.set(day.date, list);
      if (!years.has(Number(day.date.slice(0, 4)))) problems.push({ path, message: `${day.date} is outside the calendar's years (${cal.years.join(', ')})` });
      if (list === 'makeUpWorkdays' && !isWeekendDayNumber(dayNumberOfIsoDate(day.date))) {
        problems.push({ path, message: `${day.date} is a make-up working day but not a Saturday or Sunday` });
      }
    });
  }
  return problems;
}
