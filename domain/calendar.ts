/**
 * The business calendar (docs/clocks.md): which local days are working days, and the clock
 * arithmetic built on it ("1 working day", "7 working days", "2 working hours", the customer
 * contact window).
 *
 * Pure module (no zod: the data's schemas are in `calendar-data.ts`): imported by workflow code, which runs in Temporal's deterministic
 * sandbox. No I/O, no `Date.now()`, no randomness and no `Intl`: local time is computed from the
 * calendar's fixed `utcOffsetMinutes`. That is exact for Asia/Shanghai (no DST since 1991). A
 * deployment in a zone with DST would need a richer offset table (offset per UTC interval) in the
 * calendar data and a lookup here; it is deliberately not built.
 *
 * Vocabulary:
 * - a **working day** is Mon–Fri unless a public holiday, or a Sat/Sun listed as a make-up
 *   working day (调休上班);
 * - a **holiday** (节假日) in the SLA rules is any non-working day: weekends and public holidays.
 *
 * Days outside the calendar's `years` follow the calendar's **fallback** (`fallback` in the data:
 * the weekdays that count as working days, Mon–Fri unless configured, and the fixed-date holidays
 * known before their year's notice, e.g. 1 January): a deadline computed there is never blocked,
 * but may miss holidays not yet published (the lunar ones, make-up days). `isCovered`,
 * `reliesOnFallback` and `coverageWarning` tell the caller when that happens, so every such
 * deadline can be flagged and operators warned before the data runs out. A calendar without a
 * `fallback` (recorded in older complaints) falls back to Mon–Fri with no holidays, as before.
 */
import type { BusinessCalendar } from './calendar-data';
import { dayNumberOfIsoDate, isWeekendDayNumber, weekdayOfDayNumber } from './calendar-dates';

export { calendarDataProblems, dayNumberOfIsoDate, isRealIsoDate, isWeekendDayNumber, type CalendarDataProblem } from './calendar-dates';

export type { BusinessCalendar, CalendarDay, CalendarFallback, CalendarYear } from './calendar-data';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Longest run of non-working days we accept before deciding the data is broken. */
const MAX_NON_WORKING_RUN = 366;



// ---------------------------------------------------------------------------------------------
// Local days as integers: day 0 is 1970-01-01 (a Thursday) in the calendar's local time.

function checkInstant(instant: Date, what = 'instant'): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

function offsetMs(cal: BusinessCalendar): number {
  return cal.utcOffsetMinutes * MS_PER_MINUTE;
}

/** The local day number an instant falls on. */
function localDayNumber(cal: BusinessCalendar, ms: number): number {
  return Math.floor((ms + offsetMs(cal)) / MS_PER_DAY);
}

/** The instant local midnight (00:00) of a day number begins. */
function startOfLocalDay(cal: BusinessCalendar, day: number): number {
  return day * MS_PER_DAY - offsetMs(cal);
}


function isoDateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}



const DEFAULT_WORKING_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

function isCoveredDayNumber(cal: BusinessCalendar, day: number): boolean {
  return cal.years.includes(Number(isoDateOfDayNumber(day).slice(0, 4)));
}

function isWorkingDayNumber(cal: BusinessCalendar, day: number): boolean {
  const date = isoDateOfDayNumber(day);
  if (!isCoveredDayNumber(cal, day)) {
    // Outside the data: the configured fallback (recorded calendars without one: Mon–Fri).
    const fb = cal.fallback;
    if (fb?.fixedHolidays?.some((h) => h.monthDay === date.slice(5))) return false;
    return (fb?.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS).includes(weekdayOfDayNumber(day));
  }
  if (isWeekendDayNumber(day)) return cal.makeUpWorkdays.some((d) => d.date === date);
  return !cal.holidays.some((d) => d.date === date);
}

/** The first working day number on or after `day`. */
function workingDayOnOrAfter(cal: BusinessCalendar, day: number): number {
  for (let d = day; d < day + MAX_NON_WORKING_RUN; d++) {
    if (isWorkingDayNumber(cal, d)) return d;
  }
  throw new Error(`Business calendar ${cal.name} has no working day in the year from ${isoDateOfDayNumber(day)}`);
}

// ---------------------------------------------------------------------------------------------
// Public API

/** One thing wrong with a calendar's data, at its path (e.g. `holidays.3.date`). */

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(cal: BusinessCalendar, instant: Date): string {
  return isoDateOfDayNumber(localDayNumber(cal, checkInstant(instant)));
}

/** Whether the calendar's data covers the local year of `instant` (outside it: the fallback). */
export function isCovered(cal: BusinessCalendar, instant: Date): boolean {
  return isCoveredDayNumber(cal, localDayNumber(cal, checkInstant(instant)));
}

/**
 * Whether a deadline running from `from` to `to` was computed (partly) on the fallback: some local
 * day it spans lies outside the covered years. `to` is exclusive (a deadline at 24:00 = 00:00 of
 * the next day does not depend on that next day).
 */
export function reliesOnFallback(cal: BusinessCalendar, from: Date, to: Date): boolean {
  const first = localDayNumber(cal, checkInstant(from, 'from'));
  const last = localDayNumber(cal, Math.max(checkInstant(from, 'from'), checkInstant(to, 'to') - 1));
  for (let d = first; d <= last; d++) if (!isCoveredDayNumber(cal, d)) return true;
  return false;
}

/** What the calendar covers: its years, and the contiguous run of covered days around `now`. */
export interface CalendarCoverage {
  name: string;
  years: number[];
  /** Whether `now` itself is covered. */
  covered: boolean;
  /** The first uncovered local date after `now` (coverage ends at its 00:00); undefined when `now` is uncovered. */
  coveredUntil?: string;
  /** The instant coverage ends (00:00 local of `coveredUntil`). */
  endsAt?: string;
  /** Whole or part days from `now` until coverage ends (0 when `now` is uncovered). */
  daysLeft: number;
}

/** The calendar's coverage as seen from `now`. */
export function calendarCoverage(cal: BusinessCalendar, now: Date): CalendarCoverage {
  const ms = checkInstant(now, 'now');
  const years = [...cal.years].sort((a, b) => a - b);
  const year = Number(localDate(cal, now).slice(0, 4));
  if (!years.includes(year)) return { name: cal.name, years, covered: false, daysLeft: 0 };
  let last = year;
  while (years.includes(last + 1)) last += 1;
  const coveredUntil = `${String(last + 1).padStart(4, '0')}-01-01`;
  const endsAt = startOfLocalDay(cal, dayNumberOfIsoDate(coveredUntil));
  return { name: cal.name, years, covered: true, coveredUntil, endsAt: new Date(endsAt).toISOString(), daysLeft: Math.ceil((endsAt - ms) / MS_PER_DAY) };
}

/** A calendar running out (or out): for /readyz, the logs and the report page. */
export interface CoverageWarning {
  severity: 'warning' | 'expired';
  calendar: string;
  coveredUntil?: string;
  daysLeft: number;
  message: string;
}

/** Default notice before the calendar's data runs out (docs/clocks.md). */
export const COVERAGE_WARNING_DAYS = 60;

/**
 * A warning when the calendar's data ends within `daysBefore` days of `now` (or has ended: `now`
 * is outside it); undefined while coverage reaches further. Deadlines past the data are computed
 * by the fallback, which does not know next year's published holidays.
 */
export function coverageWarning(cal: BusinessCalendar, now: Date, daysBefore: number = COVERAGE_WARNING_DAYS): CoverageWarning | undefined {
  const c = calendarCoverage(cal, now);
  const fallback = describeFallback(cal);
  if (!c.covered) {
    return {
      severity: 'expired',
      calendar: cal.name,
      daysLeft: 0,
      message: `Business calendar ${cal.name} does not cover ${localDate(cal, now).slice(0, 4)} (covers ${c.years.join(', ')}): deadlines use the fallback (${fallback}). Add config/calendars/${cal.name}/<year>.json.`,
    };
  }
  if (c.daysLeft > daysBefore) return undefined;
  return {
    severity: 'warning',
    calendar: cal.name,
    coveredUntil: c.coveredUntil,
    daysLeft: c.daysLeft,
    message: `Business calendar ${cal.name} ends before ${c.coveredUntil} (${c.daysLeft} day(s) left): deadlines past it use the fallback (${fallback}). Add config/calendars/${cal.name}/${c.coveredUntil!.slice(0, 4)}.json.`,
  };
}

const weekdayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The fallback in words, e.g. "working days Mon, Tue, Wed, Thu, Fri; fixed holidays 01-01". */
export function describeFallback(cal: BusinessCalendar): string {
  const days = (cal.fallback?.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS).map((d) => weekdayNames[d]).join(', ');
  const fixed = cal.fallback?.fixedHolidays ?? [];
  return `working days ${days}; ${fixed.length ? `fixed holidays ${fixed.map((h) => h.monthDay).join(', ')}` : 'no holidays'}`;
}


/**
 * Whether `instant` falls on a working day, in the calendar's local time: Mon–Fri unless a public
 * holiday; Sat/Sun only when listed as a make-up working day (调休上班).
 */
export function isWorkingDay(cal: BusinessCalendar, instant: Date): boolean {
  return isWorkingDayNumber(cal, localDayNumber(cal, checkInstant(instant)));
}

/**
 * Whether `instant` falls on a holiday in the SLA sense (节假日, docs/clocks.md): any non-working day,
 * weekend or public holiday. A make-up working day is not a holiday.
 */
export function isHoliday(cal: BusinessCalendar, instant: Date): boolean {
  return !isWorkingDay(cal, instant);
}

/**
 * The deadline `n` working days after `from` ("report within 1 working day", "7 working days").
 *
 * Rule:
 * - `from` on a working day: the same local wall-clock time on the n-th working day after
 *   `from`'s day (Thursday 10:00 + 1 → Friday 10:00; Friday 10:00 + 1 → Monday 10:00).
 * - `from` on a non-working day: the clock starts at 00:00 of the next working day, which counts
 *   as working day 1, and the deadline is the end (24:00) of the n-th working day, returned as
 *   00:00 of the following calendar day (Saturday 15:00 + 1 → Monday 24:00 = Tuesday 00:00).
 * - `n = 0`: `from` itself on a working day, else 00:00 of the next working day (the clock start).
 *
 * `n` must be a non-negative integer.
 */
export function addWorkingDays(cal: BusinessCalendar, from: Date, n: number): Date {
  const ms = checkInstant(from, 'from');
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
  const fromDay = localDayNumber(cal, ms);
  if (isWorkingDayNumber(cal, fromDay)) {
    let day = fromDay;
    for (let i = 0; i < n; i++) day = workingDayOnOrAfter(cal, day + 1);
    return new Date(ms + (day - fromDay) * MS_PER_DAY);
  }
  let day = workingDayOnOrAfter(cal, fromDay + 1);
  if (n === 0) return new Date(startOfLocalDay(cal, day));
  for (let i = 1; i < n; i++) day = workingDayOnOrAfter(cal, day + 1);
  return new Date(startOfLocalDay(cal, day + 1));
}

/**
 * The deadline `hours` working hours after `from` (the transferred complaint's "2 working hours
 * on a working day", docs/clocks.md).
 *
 * Rule: a working day counts all of its 24 hours; non-working days do not count at all. The clock
 * runs from `from` (or from 00:00 of the next working day when `from` is on a non-working day)
 * and skips every non-working day. A deadline that lands exactly at the end of a working day is
 * returned as 24:00 of that day (00:00 of the next calendar day), not pushed past the following
 * non-working days. Friday 23:00 + 2 → Monday 01:00; Monday 09:00 + 2 → Monday 11:00.
 *
 * `hours` must be a finite, non-negative number (fractions allowed).
 */
export function addWorkingHours(cal: BusinessCalendar, from: Date, hours: number): Date {
  let ms = checkInstant(from, 'from');
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`working hours must be a non-negative number, got ${hours}`);
  let remaining = Math.round(hours * 3_600_000);
  let day = localDayNumber(cal, ms);
  if (!isWorkingDayNumber(cal, day)) {
    day = workingDayOnOrAfter(cal, day + 1);
    ms = startOfLocalDay(cal, day);
  }
  for (;;) {
    const endOfDay = startOfLocalDay(cal, day + 1);
    if (ms + remaining <= endOfDay) return new Date(ms + remaining);
    remaining -= endOfDay - ms;
    day = workingDayOnOrAfter(cal, day + 1);
    ms = startOfLocalDay(cal, day);
  }
}

/** A daily local time window, `start` inclusive, `end` exclusive, both 'HH:MM' (24 h clock). */
export interface ContactWindow {
  start: string;
  end: string;
}

export interface ContactOptions {
  /** Only working days are contact days (default: every calendar day). */
  workingDaysOnly?: boolean;
}

const hhmmPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOfHhmm(value: string, what: string): number {
  const m = hhmmPattern.exec(value);
  if (!m) throw new RangeError(`contact window ${what} must be HH:MM (00:00–23:59), got "${value}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * When the customer may be contacted at or after `instant` (004: "do not disturb customers at
 * rest"): `instant` itself if it falls inside the local window [start, end), otherwise the next
 * window start. With an 08:00–21:00 window: 20:59 → 20:59; 21:00 → 08:00 next day; 03:00 →
 * 08:00 the same day. Windows are on every calendar day unless `workingDaysOnly`, which moves the
 * contact to the window on the next working day. The window must not span midnight (start < end).
 */
export function nextContactTime(
  cal: BusinessCalendar,
  instant: Date,
  window: ContactWindow,
  options: ContactOptions = {},
): Date {
  const ms = checkInstant(instant);
  const startMin = minutesOfHhmm(window.start, 'start');
  const endMin = minutesOfHhmm(window.end, 'end');
  if (startMin >= endMin) {
    throw new RangeError(`contact window start (${window.start}) must be before its end (${window.end})`);
  }
  const eligible = (day: number) => !options.workingDaysOnly || isWorkingDayNumber(cal, day);
  const day = localDayNumber(cal, ms);
  const sinceMidnight = ms - startOfLocalDay(cal, day);
  if (eligible(day)) {
    if (sinceMidnight < startMin * MS_PER_MINUTE) return new Date(startOfLocalDay(cal, day) + startMin * MS_PER_MINUTE);
    if (sinceMidnight < endMin * MS_PER_MINUTE) return new Date(ms);
  }
  const next = options.workingDaysOnly ? workingDayOnOrAfter(cal, day + 1) : day + 1;
  return new Date(startOfLocalDay(cal, next) + startMin * MS_PER_MINUTE);
}
