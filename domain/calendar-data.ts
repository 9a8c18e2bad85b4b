/**
 * The business calendar's data, as files hold it: the zod schemas of a calendar, its meta file and
 * its year files, checked at start-up (a bad file stops it). The arithmetic on it is in
 * `calendar.ts`, which workflow code imports without zod.
 */
import { z } from 'zod';
import { calendarDataProblems, isRealIsoDate } from './calendar-dates';

const isoDate = z
  .string()
  .refine(isRealIsoDate, { message: 'must be a real date written YYYY-MM-DD' });

const calendarDay = z.object({
  date: isoDate,
  /** What the day is for, in English (e.g. "Spring Festival"). */
  name: z.string().min(1),
  /** The official local name (e.g. "春节"), when known. */
  localName: z.string().min(1).optional(),
});
export type CalendarDay = z.infer<typeof calendarDay>;

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a month and day MM-DD');

/**
 * How days outside the covered years are judged. Documented in README ("The business calendar").
 * The default (no `fallback`) is Mon–Fri working, no holidays.
 */
export const calendarFallbackSchema = z.object({
  /** Days of the week that are working days outside coverage: 0 = Sunday … 6 = Saturday. */
  workingWeekdays: z
    .array(z.int().min(0).max(6))
    .min(1)
    .refine((d) => new Set(d).size === d.length, 'weekdays must not repeat')
    .default([1, 2, 3, 4, 5]),
  /** Holidays on the same date every year (e.g. 元旦 01-01, 劳动节 05-01, 国庆 10-01..10-03). */
  fixedHolidays: z.array(z.object({ monthDay, name: z.string().min(1), localName: z.string().min(1).optional() })).default([]),
});
export type CalendarFallback = z.infer<typeof calendarFallbackSchema>;

/** The calendar data (assembled from config/calendars/<name>/ by `assembleBusinessCalendar`). */
export const businessCalendarSchema = z
  .object({
    /** Short identifier, e.g. "cn". */
    name: z.string().min(1),
    /** IANA zone the calendar is kept in; informational, `utcOffsetMinutes` is what is used. */
    timeZone: z.string().min(1),
    /** Fixed offset of local time from UTC (Asia/Shanghai: +480). Only valid for zones without DST. */
    utcOffsetMinutes: z.int().min(-12 * 60).max(14 * 60),
    /** Where the data comes from (publication, package and version). */
    source: z.string().min(1),
    /** The years the lists below are complete for. */
    years: z.array(z.int().min(1970).max(9999)).min(1),
    /** Public holidays (days off), including any that fall on a weekend. */
    holidays: z.array(calendarDay),
    /** Weekend days that are working days (调休上班). */
    makeUpWorkdays: z.array(calendarDay),
    /** How days outside `years` are judged (absent: Mon–Fri working, no holidays). */
    fallback: calendarFallbackSchema.optional(),
  })
  .superRefine((cal, ctx) => {
    // A malformed date is already reported by the field's own schema.
    for (const p of calendarDataProblems(cal, { checkDateFormat: false })) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;

/** Parses calendar data, throwing one message that names every bad field. */
export function parseBusinessCalendar(raw: unknown, source = 'calendar'): BusinessCalendar {
  const parsed = businessCalendarSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new Error(`Invalid business calendar in ${source}:\n${problems}`);
  }
  return parsed.data;
}

// ---- The calendar directory: config/calendars/<name>/calendar.json + <year>.json per year ----

/** config/calendars/<name>/calendar.json: what holds for every year. */
export const calendarMetaSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string().min(1),
    timeZone: z.string().min(1),
    utcOffsetMinutes: z.int().min(-12 * 60).max(14 * 60),
    fallback: calendarFallbackSchema.optional(),
  })
  .strict();

/** config/calendars/<name>/<year>.json: one year's published arrangement. */
export const calendarYearSchema = z
  .object({
    $comment: z.string().optional(),
    year: z.int().min(1970).max(9999),
    /** Where this year's data comes from (the State Council notice, a package and version). */
    source: z.string().min(1),
    holidays: z.array(calendarDay),
    makeUpWorkdays: z.array(calendarDay),
  })
  .strict();
export type CalendarYear = z.infer<typeof calendarYearSchema>;

function problemsOf(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => `  - ${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`);
}

/**
 * Assembles a calendar from its directory's files (read by config/settings.ts): the meta file and
 * one file per year, each named `<year>.json` for the year it holds. Throws one message naming
 * every bad file and field (a bad file stops start-up).
 */
export function assembleBusinessCalendar(
  meta: { file: string; raw: unknown },
  years: ReadonlyArray<{ file: string; raw: unknown }>,
  source = 'calendar',
): BusinessCalendar {
  const problems: string[] = [];
  const m = calendarMetaSchema.safeParse(meta.raw);
  if (!m.success) problems.push(...problemsOf(m.error, meta.file));
  const parsedYears: CalendarYear[] = [];
  for (const y of years) {
    const parsed = calendarYearSchema.safeParse(y.raw);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error, y.file));
      continue;
    }
    const named = /(\d{4})\.json$/.exec(y.file)?.[1];
    if (named !== String(parsed.data.year)) problems.push(`  - ${y.file}: holds year ${parsed.data.year}; name the file ${parsed.data.year}.json`);
    parsedYears.push(parsed.data);
  }
  if (years.length === 0) problems.push('  - (directory): no <year>.json file');
  if (problems.length || !m.success) throw new Error(`Invalid business calendar in ${source}:\n${problems.join('\n')}`);
  const sorted = [...parsedYears].sort((a, b) => a.year - b.year);
  const { $comment: _comment, ...metaData } = m.data;
  return parseBusinessCalendar(
    {
      ...metaData,
      source: sorted.map((y) => `${y.year}: ${y.source}`).join('; '),
      years: sorted.map((y) => y.year),
      holidays: sorted.flatMap((y) => y.holidays),
      makeUpWorkdays: sorted.flatMap((y) => y.makeUpWorkdays),
    },
    source,
  );
}
