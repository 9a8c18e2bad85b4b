/**
 * The business calendar against China's official 2026 arrangement (国务院办公厅 notice of
 * November 2025): 元旦 1/1–1/3 off, 1/4 (Sun) worked; 春节 2/15–2/23 off, 2/14 (Sat) and 2/28 (Sat)
 * worked; 清明 4/4–4/6; 劳动节 5/1–5/5 off, 5/9 (Sat) worked; 端午 6/19–6/21; 中秋 9/25–9/27;
 * 国庆 10/1–10/7 off, 9/20 (Sun) and 10/10 (Sat) worked. Expected values below are worked out by
 * hand from that notice and a wall calendar (2026-01-01 is a Thursday), in Asia/Shanghai (UTC+8):
 * local time = UTC + 8 h.
 */
import { join } from 'node:path';
import { loadCalendar } from '../../config/settings';
import {
  addWorkingDays,
  addWorkingHours,
  isCovered,
  isHoliday,
  isWorkingDay,
  localDate,
  nextContactTime,
  type BusinessCalendar,
} from '../../domain/calendar';
import { parseBusinessCalendar } from '../../domain/calendar-data';

const cn = loadCalendar(join(__dirname, '..', '..', 'config', 'calendars', 'cn'));
/** The same data without a `fallback`: how calendars recorded by older complaints behave. */
const { fallback: _noFallback, ...cnWithoutFallback } = cn;
const legacy: BusinessCalendar = cnWithoutFallback;

/** An instant given as Asia/Shanghai wall-clock time, e.g. at('2026-10-08 23:30'). */
function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}
const utc = (iso: string) => new Date(iso);

describe('cn calendar data', () => {
  it('is Asia/Shanghai, fixed UTC+8, and covers 2026', () => {
    expect(cn.timeZone).toBe('Asia/Shanghai');
    expect(cn.utcOffsetMinutes).toBe(480);
    expect(cn.years).toContain(2026);
  });

  it('lists the official 2026 make-up working days, all on weekends', () => {
    expect(cn.makeUpWorkdays.map((d) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('lists the 2026 holiday blocks day by day (3+9+3+5+3+3+7 = 33 days)', () => {
    const dates = cn.holidays.filter((d) => d.date.startsWith('2026-')).map((d) => d.date);
    expect(dates).toHaveLength(33);
    expect(dates).toEqual(
      expect.arrayContaining(['2026-01-01', '2026-01-03', '2026-02-15', '2026-02-23', '2026-04-06', '2026-05-05', '2026-06-19', '2026-09-27', '2026-10-07']),
    );
    expect(dates).not.toContain('2026-02-24');
    expect(dates).not.toContain('2026-10-08');
  });
});

describe('localDate', () => {
  it('uses local (UTC+8) dates, not UTC dates', () => {
    expect(localDate(cn, utc('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(localDate(cn, utc('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(localDate(cn, utc('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
    expect(localDate(cn, utc('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('rejects an invalid Date', () => {
    expect(() => localDate(cn, new Date('nope'))).toThrow(RangeError);
  });
});

describe('isWorkingDay / isHoliday', () => {
  it('treats ordinary weekdays as working and ordinary weekends as holidays', () => {
    expect(isWorkingDay(cn, at('2026-03-09 10:00'))).toBe(true); // Monday
    expect(isWorkingDay(cn, at('2026-03-13 10:00'))).toBe(true); // Friday
    expect(isHoliday(cn, at('2026-03-07 10:00'))).toBe(true); // Saturday
    expect(isHoliday(cn, at('2026-03-08 10:00'))).toBe(true); // Sunday
  });

  it('Spring Festival 2026: Sat 2/14 worked, 2/15–2/23 off, Tue 2/24 back, Sat 2/28 worked', () => {
    expect(isWorkingDay(cn, at('2026-02-13 12:00'))).toBe(true); // Friday
    expect(isWorkingDay(cn, at('2026-02-14 12:00'))).toBe(true); // make-up Saturday
    for (let d = 15; d <= 23; d++) {
      expect(isHoliday(cn, at(`2026-02-${d} 12:00`))).toBe(true);
    }
    expect(isWorkingDay(cn, at('2026-02-24 00:00'))).toBe(true); // Tuesday
    expect(isWorkingDay(cn, at('2026-02-28 12:00'))).toBe(true); // make-up Saturday
    expect(isHoliday(cn, at('2026-03-01 12:00'))).toBe(true); // plain Sunday
  });

  it('National Day 2026: Sun 9/20 worked, 10/1–10/7 off, Sat 10/10 worked, Sun 10/11 off', () => {
    expect(isWorkingDay(cn, at('2026-09-20 09:00'))).toBe(true);
    expect(isWorkingDay(cn, at('2026-09-30 23:59'))).toBe(true);
    for (let d = 1; d <= 7; d++) {
      expect(isHoliday(cn, at(`2026-10-0${d} 12:00`))).toBe(true);
    }
    expect(isWorkingDay(cn, at('2026-10-08 09:00'))).toBe(true);
    expect(isWorkingDay(cn, at('2026-10-10 09:00'))).toBe(true);
    expect(isHoliday(cn, at('2026-10-11 09:00'))).toBe(true);
  });

  it('a holiday that falls on a weekday is a holiday (Mon 2026-10-05, Wed 2026-10-07)', () => {
    expect(isHoliday(cn, at('2026-10-05 10:00'))).toBe(true);
    expect(isHoliday(cn, at('2026-10-07 10:00'))).toBe(true);
  });

  it('decides by local date at the time-zone edges', () => {
    // 2026-09-30T16:30Z is Oct 1 00:30 in Shanghai: already National Day, though still Sep 30 in UTC.
    expect(isHoliday(cn, utc('2026-09-30T16:30:00Z'))).toBe(true);
    expect(isWorkingDay(cn, utc('2026-09-30T15:59:59Z'))).toBe(true); // Sep 30 23:59:59 local
    // 2026-10-08 23:30 local = 15:30Z on the same date: a working Thursday.
    expect(isWorkingDay(cn, utc('2026-10-08T15:30:00Z'))).toBe(true);
    // 2026-10-11T16:30Z is a Sunday in UTC but Monday Oct 12 00:30 local: working.
    expect(isWorkingDay(cn, utc('2026-10-11T16:30:00Z'))).toBe(true);
    // 2026-10-09T16:30Z is a Friday in UTC but make-up Saturday Oct 10 local: working.
    expect(isWorkingDay(cn, utc('2026-10-09T16:30:00Z'))).toBe(true);
    // 2026-10-10T16:30Z is a Saturday in UTC but Sunday Oct 11 local: not working.
    expect(isHoliday(cn, utc('2026-10-10T16:30:00Z'))).toBe(true);
  });

  // The 2027 notice is not published in chinese-days yet. When regenerated data covers 2027, these
  // (and the "year end" test below) must fail: replace them with the official 2027 arrangement.
  it('outside the data years uses the configured fallback, and says so', () => {
    expect(isCovered(cn, at('2026-12-31 23:59'))).toBe(true);
    expect(isCovered(cn, at('2027-01-01 00:00'))).toBe(false);
    expect(isCovered(cn, at('2025-12-31 23:59'))).toBe(false);
    // Fallback: Mon–Fri plus the fixed-date holidays the law sets (元旦 1/1).
    expect(isWorkingDay(cn, at('2027-01-01 10:00'))).toBe(false); // a Friday, but 01-01
    expect(isHoliday(cn, at('2027-01-02 10:00'))).toBe(true); // Saturday
    expect(isWorkingDay(cn, at('2027-01-04 10:00'))).toBe(true); // Monday
    expect(isWorkingDay(cn, at('2027-10-01 10:00'))).toBe(false); // 国庆, fixed
    // A calendar recorded without a fallback (older complaints) keeps the plain weekend rule.
    expect(isWorkingDay(legacy, at('2027-01-01 10:00'))).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('keeps the wall-clock time on the next working day', () => {
    expect(addWorkingDays(cn, at('2026-03-05 10:00'), 1)).toEqual(at('2026-03-06 10:00')); // Thu → Fri
    expect(addWorkingDays(cn, at('2026-03-06 10:00'), 1)).toEqual(at('2026-03-09 10:00')); // Fri → Mon
    expect(addWorkingDays(cn, at('2026-03-06 10:00'), 7)).toEqual(at('2026-03-17 10:00')); // 9,10,11,12,13,16,17
  });

  it('from a non-working day: starts at 00:00 of the next working day, ends at 24:00 of the n-th', () => {
    // Saturday 15:00 + 1: Monday is working day 1 → Monday 24:00 = Tuesday 00:00 local.
    expect(addWorkingDays(cn, at('2026-03-07 15:00'), 1)).toEqual(at('2026-03-10 00:00'));
    expect(addWorkingDays(cn, at('2026-03-07 15:00'), 1)).toEqual(utc('2026-03-09T16:00:00Z'));
    // Saturday + 7: Mon 9, 10, 11, 12, 13, Mon 16, Tue 17 → end of Tue 17.
    expect(addWorkingDays(cn, at('2026-03-07 15:00'), 7)).toEqual(at('2026-03-18 00:00'));
  });

  it('n = 0 is the clock start', () => {
    expect(addWorkingDays(cn, at('2026-03-05 10:00'), 0)).toEqual(at('2026-03-05 10:00'));
    expect(addWorkingDays(cn, at('2026-03-07 15:00'), 0)).toEqual(at('2026-03-09 00:00'));
  });

  it('Spring Festival 2026: the make-up Saturday counts, the 9-day break does not', () => {
    expect(addWorkingDays(cn, at('2026-02-13 10:00'), 1)).toEqual(at('2026-02-14 10:00')); // Fri → make-up Sat
    expect(addWorkingDays(cn, at('2026-02-13 10:00'), 2)).toEqual(at('2026-02-24 10:00')); // → Tue after the break
    expect(addWorkingDays(cn, at('2026-02-14 09:00'), 1)).toEqual(at('2026-02-24 09:00'));
    // Thu 2/12 + 7: 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat) → Sat 2/28 14:00.
    expect(addWorkingDays(cn, at('2026-02-12 14:00'), 7)).toEqual(at('2026-02-28 14:00'));
    // Received during the break: day 1 is Tue 2/24 → due at its end.
    expect(addWorkingDays(cn, at('2026-02-18 11:00'), 1)).toEqual(at('2026-02-25 00:00'));
  });

  it('National Day 2026', () => {
    expect(addWorkingDays(cn, at('2026-09-30 16:00'), 1)).toEqual(at('2026-10-08 16:00'));
    // 10/8 Thu, 10/9 Fri, 10/10 make-up Sat.
    expect(addWorkingDays(cn, at('2026-09-30 16:00'), 3)).toEqual(at('2026-10-10 16:00'));
    // 10/10 (Sat, worked) + 1 skips Sun 10/11 → Mon 10/12.
    expect(addWorkingDays(cn, at('2026-10-10 09:30'), 1)).toEqual(at('2026-10-12 09:30'));
    // Sat 9/19 (off) + 1: Sun 9/20 is a make-up day → due at the end of 9/20.
    expect(addWorkingDays(cn, at('2026-09-19 20:00'), 1)).toEqual(at('2026-09-21 00:00'));
  });

  it('time-zone edges: counts local days', () => {
    // 2026-10-08 23:30 local (15:30Z) + 1 → Fri 10/9 23:30 local = 15:30Z.
    expect(addWorkingDays(cn, utc('2026-10-08T15:30:00Z'), 1)).toEqual(utc('2026-10-09T15:30:00Z'));
    // 2026-09-30T16:30Z is Oct 1 00:30 local (holiday): day 1 = Oct 8 → due Oct 9 00:00 local = Oct 8 16:00Z.
    expect(addWorkingDays(cn, utc('2026-09-30T16:30:00Z'), 1)).toEqual(utc('2026-10-08T16:00:00Z'));
    // 2026-09-30T15:30Z is Sep 30 23:30 local (working Wednesday) → Oct 8 23:30 local.
    expect(addWorkingDays(cn, utc('2026-09-30T15:30:00Z'), 1)).toEqual(utc('2026-10-08T15:30:00Z'));
  });

  it('year start 2026: 12/31 (Wed) + 1 skips 1/1–1/3 and lands on the make-up Sunday 1/4', () => {
    expect(addWorkingDays(cn, at('2025-12-31 10:00'), 1)).toEqual(at('2026-01-04 10:00'));
    expect(addWorkingDays(cn, at('2025-12-31 10:00'), 2)).toEqual(at('2026-01-05 10:00'));
  });

  it('year end 2026 → 2027 on the fallback while 2027 is not in the data', () => {
    // Thu 12/31 + 1 → Mon 2027-01-04 (fallback: 1/1 is a fixed holiday); without a fallback, Fri 1/1.
    expect(addWorkingDays(cn, at('2026-12-31 10:00'), 1)).toEqual(at('2027-01-04 10:00'));
    expect(addWorkingDays(legacy, at('2026-12-31 10:00'), 1)).toEqual(at('2027-01-01 10:00'));
    expect(addWorkingDays(legacy, at('2026-12-31 10:00'), 2)).toEqual(at('2027-01-04 10:00'));
  });

  it('year end 2026 → 2027 with 2027 data (fixture: 1/1 off, as the law fixes)', () => {
    const with2027: BusinessCalendar = parseBusinessCalendar({
      ...cn,
      years: [2026, 2027],
      holidays: [...cn.holidays, { date: '2027-01-01', name: "New Year's Day" }],
    });
    expect(addWorkingDays(with2027, at('2026-12-31 10:00'), 1)).toEqual(at('2027-01-04 10:00'));
    // 7 from Thu 12/24: Fri 25, Mon 28, 29, 30, Thu 31, (1/1 off), Mon 1/4, Tue 1/5.
    expect(addWorkingDays(with2027, at('2026-12-24 10:00'), 7)).toEqual(at('2027-01-05 10:00'));
    expect(isCovered(with2027, at('2027-06-01 00:00'))).toBe(true);
  });

  it('rejects negative or fractional counts and invalid dates', () => {
    expect(() => addWorkingDays(cn, at('2026-03-05 10:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cn, at('2026-03-05 10:00'), 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(cn, new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('addWorkingHours', () => {
  it('within a working day', () => {
    expect(addWorkingHours(cn, at('2026-03-09 09:00'), 2)).toEqual(at('2026-03-09 11:00'));
    expect(addWorkingHours(cn, at('2026-03-09 09:00'), 1.5)).toEqual(at('2026-03-09 10:30'));
  });

  it('skips non-working days entirely', () => {
    // Fri 23:00: 1 h left on Friday, then Sat/Sun skipped, 1 h on Monday.
    expect(addWorkingHours(cn, at('2026-03-06 23:00'), 2)).toEqual(at('2026-03-09 01:00'));
    expect(addWorkingHours(cn, at('2026-03-06 23:00'), 2)).toEqual(utc('2026-03-08T17:00:00Z'));
    // Received on Saturday: the clock starts Monday 00:00.
    expect(addWorkingHours(cn, at('2026-03-07 12:00'), 2)).toEqual(at('2026-03-09 02:00'));
    // Make-up Saturday 2/14 23:30: 30 min left, break 2/15–2/23 skipped, 1.5 h on Tue 2/24.
    expect(addWorkingHours(cn, at('2026-02-14 23:30'), 2)).toEqual(at('2026-02-24 01:30'));
    // Thu 12:00 + 30 h: 12 h on Thu, 18 h into Fri.
    expect(addWorkingHours(cn, at('2026-03-05 12:00'), 30)).toEqual(at('2026-03-06 18:00'));
  });

  it('a deadline exactly at the end of a working day stays at 24:00 of that day', () => {
    expect(addWorkingHours(cn, at('2026-03-06 22:00'), 2)).toEqual(at('2026-03-07 00:00'));
    expect(addWorkingHours(cn, at('2026-09-30 22:00'), 2)).toEqual(utc('2026-09-30T16:00:00Z'));
  });

  it('0 hours is the clock start', () => {
    expect(addWorkingHours(cn, at('2026-10-03 10:00'), 0)).toEqual(at('2026-10-08 00:00'));
    expect(addWorkingHours(cn, at('2026-10-08 10:00'), 0)).toEqual(at('2026-10-08 10:00'));
  });

  it('rejects negative or non-finite hours', () => {
    expect(() => addWorkingHours(cn, at('2026-03-05 10:00'), -2)).toThrow(RangeError);
    expect(() => addWorkingHours(cn, at('2026-03-05 10:00'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('nextContactTime', () => {
  const window = { start: '08:00', end: '21:00' };

  it('inside the window: now; the start is inclusive, the end exclusive', () => {
    expect(nextContactTime(cn, at('2026-03-09 07:59'), window)).toEqual(at('2026-03-09 08:00'));
    expect(nextContactTime(cn, at('2026-03-09 08:00'), window)).toEqual(at('2026-03-09 08:00'));
    expect(nextContactTime(cn, at('2026-03-09 20:59'), window)).toEqual(at('2026-03-09 20:59'));
    expect(nextContactTime(cn, at('2026-03-09 21:00'), window)).toEqual(at('2026-03-10 08:00'));
    const lastSecond = new Date(at('2026-03-09 21:00').getTime() - 1);
    expect(nextContactTime(cn, lastSecond, window)).toEqual(lastSecond);
  });

  it('at night: the next window start', () => {
    expect(nextContactTime(cn, at('2026-03-09 22:30'), window)).toEqual(at('2026-03-10 08:00'));
    expect(nextContactTime(cn, at('2026-03-09 03:00'), window)).toEqual(at('2026-03-09 08:00'));
    expect(nextContactTime(cn, at('2026-12-31 22:30'), window)).toEqual(at('2027-01-01 08:00'));
  });

  it('every calendar day by default, holidays and weekends included', () => {
    expect(nextContactTime(cn, at('2026-10-03 10:00'), window)).toEqual(at('2026-10-03 10:00'));
    expect(nextContactTime(cn, at('2026-03-07 06:00'), window)).toEqual(at('2026-03-07 08:00'));
  });

  it('uses local time at the time-zone edge', () => {
    // 2026-09-30T23:30Z = Oct 1 07:30 local → 08:00 local = Oct 1 00:00Z.
    expect(nextContactTime(cn, utc('2026-09-30T23:30:00Z'), window)).toEqual(utc('2026-10-01T00:00:00Z'));
    // 2026-10-08T12:59Z = 20:59 local: inside.
    expect(nextContactTime(cn, utc('2026-10-08T12:59:00Z'), window)).toEqual(utc('2026-10-08T12:59:00Z'));
    // 2026-10-08T13:00Z = 21:00 local: next morning 08:00 local = Oct 9 00:00Z.
    expect(nextContactTime(cn, utc('2026-10-08T13:00:00Z'), window)).toEqual(utc('2026-10-09T00:00:00Z'));
  });

  it('workingDaysOnly moves to the window of the next working day', () => {
    const opts = { workingDaysOnly: true };
    expect(nextContactTime(cn, at('2026-09-30 21:30'), window, opts)).toEqual(at('2026-10-08 08:00'));
    expect(nextContactTime(cn, at('2026-10-03 10:00'), window, opts)).toEqual(at('2026-10-08 08:00'));
    expect(nextContactTime(cn, at('2026-10-10 07:00'), window, opts)).toEqual(at('2026-10-10 08:00')); // make-up Sat
    expect(nextContactTime(cn, at('2026-10-10 21:00'), window, opts)).toEqual(at('2026-10-12 08:00')); // skips Sun
    expect(nextContactTime(cn, at('2026-10-09 12:00'), window, opts)).toEqual(at('2026-10-09 12:00'));
  });

  it('rejects malformed or inverted windows', () => {
    expect(() => nextContactTime(cn, at('2026-03-09 10:00'), { start: '8:00', end: '21:00' })).toThrow(/HH:MM/);
    expect(() => nextContactTime(cn, at('2026-03-09 10:00'), { start: '08:00', end: '24:00' })).toThrow(/HH:MM/);
    expect(() => nextContactTime(cn, at('2026-03-09 10:00'), { start: '21:00', end: '08:00' })).toThrow(/before its end/);
    expect(() => nextContactTime(cn, at('2026-03-09 10:00'), { start: '08:00', end: '08:00' })).toThrow(/before its end/);
  });
});

describe('parseBusinessCalendar', () => {
  const base = {
    name: 'test',
    timeZone: 'Asia/Shanghai',
    utcOffsetMinutes: 480,
    source: 'unit test',
    years: [2026],
    holidays: [{ date: '2026-01-01', name: "New Year's Day" }],
    makeUpWorkdays: [{ date: '2026-01-04', name: 'Make-up working day' }],
  };

  it('accepts a well-formed calendar', () => {
    expect(parseBusinessCalendar(base).holidays).toHaveLength(1);
  });

  it('rejects a date that is both a holiday and a make-up working day', () => {
    const bad = { ...base, holidays: [...base.holidays, { date: '2026-01-04', name: 'x' }] };
    expect(() => parseBusinessCalendar(bad)).toThrow(/2026-01-04 is both a holiday and a make-up working day/);
  });

  it('rejects badly written and impossible dates', () => {
    expect(() => parseBusinessCalendar({ ...base, holidays: [{ date: '2026-1-1', name: 'x' }] })).toThrow(
      /holidays\.0\.date: must be a real date written YYYY-MM-DD/,
    );
    expect(() => parseBusinessCalendar({ ...base, holidays: [{ date: '2026-02-30', name: 'x' }] })).toThrow(/real date/);
    expect(() => parseBusinessCalendar({ ...base, holidays: [{ date: '01/01/2026', name: 'x' }] })).toThrow(/real date/);
  });

  it('rejects a date outside the declared years', () => {
    const bad = { ...base, holidays: [{ date: '2027-01-01', name: "New Year's Day" }] };
    expect(() => parseBusinessCalendar(bad)).toThrow(/2027-01-01 is outside the calendar's years \(2026\)/);
  });

  it('rejects a make-up working day on a weekday and duplicate entries', () => {
    const weekday = { ...base, makeUpWorkdays: [{ date: '2026-01-05', name: 'x' }] }; // a Monday
    expect(() => parseBusinessCalendar(weekday)).toThrow(/2026-01-05 is a make-up working day but not a Saturday or Sunday/);
    const twice = { ...base, holidays: [...base.holidays, ...base.holidays] };
    expect(() => parseBusinessCalendar(twice)).toThrow(/listed twice in holidays/);
    expect(() => parseBusinessCalendar({ ...base, years: [2026, 2026] })).toThrow(/years: lists a year more than once/);
  });

  it('rejects missing fields and a non-integer offset, naming the source', () => {
    const { makeUpWorkdays: _omit, ...missing } = base;
    expect(() => parseBusinessCalendar(missing, 'cn.json')).toThrow(/Invalid business calendar in cn\.json:[\s\S]*makeUpWorkdays/);
    expect(() => parseBusinessCalendar({ ...base, utcOffsetMinutes: 480.5 })).toThrow(/utcOffsetMinutes/);
    expect(() => parseBusinessCalendar(null)).toThrow(/\(root\)/);
  });
});
