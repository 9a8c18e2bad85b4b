/**
 * A calendar that knows its coverage: the calendar directory (one file per year), the
 * coverage warning, deadlines flagged when they relied on the fallback, and the dry run of a new
 * calendar. The 2027 file here is SYNTHETIC (test data shaped like a State Council notice, not the
 * notice itself): 元旦 1/1–1/3 and 春节 2/6–2/14 off, Sat 2/20 worked. 2027-01-01 is a Friday.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchCalendarCoverage } from '../../config/calendar-watch';
import { loadCalendar } from '../../config/settings';
import {
  addWorkingDays,
  calendarCoverage,
  coverageWarning,
  isWorkingDay,
  reliesOnFallback,
  type BusinessCalendar,
} from '../../domain/calendar';
import { calendarDryRun, clocksOnFallback, deadlineMoves, deadlineReliesOnFallback, fallbackFlag, onCaseEvent, type Clock, type ClockContext } from '../../domain/clocks';
import { shippedPolicy } from '../support/fixtures';

const shippedDir = join(__dirname, '..', '..', 'config', 'calendars', 'cn');

const synthetic2027 = {
  year: 2027,
  source: 'SYNTHETIC test data, not the State Council notice',
  holidays: [
    ...['01-01', '01-02', '01-03'].map((d) => ({ date: `2027-${d}`, name: "New Year's Day" })),
    ...['06', '07', '08', '09', '10', '11', '12', '13', '14'].map((d) => ({ date: `2027-02-${d}`, name: 'Spring Festival' })),
  ],
  makeUpWorkdays: [{ date: '2027-02-20', name: 'Make-up working day (Spring Festival)' }],
};

/** An instant given as Asia/Shanghai wall-clock time. */
function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}

let dir: string;
/** A copy of the shipped calendar directory, with whatever year files the test drops in. */
function calendarDir(extra: Record<string, unknown> = {}): string {
  const d = mkdtempSync(join(dir, 'cal-'));
  cpSync(shippedDir, d, { recursive: true });
  for (const [file, content] of Object.entries(extra)) writeFileSync(join(d, file), typeof content === 'string' ? content : JSON.stringify(content));
  return d;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'calendar-coverage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shipped = loadCalendar(shippedDir);

describe('the calendar directory', () => {
  it('ships 2026 only, with a fallback', () => {
    expect(shipped.years).toEqual([2026]);
    expect(shipped.fallback?.workingWeekdays).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes up a year dropped in as <year>.json, with no code change', () => {
    const cal = loadCalendar(calendarDir({ '2027.json': synthetic2027 }));
    expect(cal.years).toEqual([2026, 2027]);
    expect(isWorkingDay(cal, at('2027-02-08 10:00'))).toBe(false); // Monday, synthetic 春节
    expect(isWorkingDay(cal, at('2027-02-20 10:00'))).toBe(true); // Saturday, make-up day
    expect(cal.source).toMatch(/2027: SYNTHETIC/);
  });

  it('refuses a year file named for another year, naming the file', () => {
    expect(() => loadCalendar(calendarDir({ '2028.json': synthetic2027 }))).toThrow(/2028\.json: holds year 2027; name the file 2027\.json/);
  });

  it('refuses a bad year file, naming the file and the field', () => {
    const bad = { ...synthetic2027, holidays: [{ date: '2027-02-30', name: 'x' }] };
    expect(() => loadCalendar(calendarDir({ '2027.json': bad }))).toThrow(/2027\.json\.holidays\.0\.date: must be a real date/);
    const stray = { ...synthetic2027, holidays: [{ date: '2028-01-01', name: 'x' }] };
    expect(() => loadCalendar(calendarDir({ '2027.json': stray }))).toThrow(/2028-01-01 is outside the calendar's years/);
    expect(() => loadCalendar(calendarDir({ '2027.json': '{ not json' }))).toThrow(/Cannot read the business calendar year/);
  });

  it('refuses a date listed both as a holiday and as a make-up working day', () => {
    // Dates are validated across files once assembled.
    const clash = { ...synthetic2027, year: 2027, makeUpWorkdays: [{ date: '2027-01-02', name: 'x' }] };
    expect(() => loadCalendar(calendarDir({ '2027.json': clash }))).toThrow(/2027-01-02 is both a holiday and a make-up working day/);
  });
});

describe('coverage and the warning before it ends', () => {
  it('counts the days left until 2027-01-01 00:00 local', () => {
    const c = calendarCoverage(shipped, at('2026-12-31 12:00'));
    expect(c).toMatchObject({ covered: true, coveredUntil: '2027-01-01', endsAt: at('2027-01-01 00:00').toISOString(), daysLeft: 1 });
    expect(calendarCoverage(shipped, at('2027-01-01 00:00'))).toMatchObject({ covered: false, daysLeft: 0 });
  });

  it('warns from 60 days before the end by default (boundary: 61 days → none, 60 → warning)', () => {
    expect(coverageWarning(shipped, at('2026-11-01 00:00'))).toBeUndefined();
    expect(coverageWarning(shipped, at('2026-11-02 00:00'))).toMatchObject({ severity: 'warning', daysLeft: 60, coveredUntil: '2027-01-01' });
    expect(coverageWarning(shipped, at('2026-11-02 00:00'))?.message).toMatch(/config\/calendars\/cn\/2027\.json/);
  });

  it('takes the number of days as configuration', () => {
    expect(coverageWarning(shipped, at('2026-11-02 00:00'), 30)).toBeUndefined();
    expect(coverageWarning(shipped, at('2026-12-02 00:00'), 30)).toMatchObject({ severity: 'warning', daysLeft: 30 });
  });

  it('says "expired" once now is past the data, and nothing once 2027 is dropped in', () => {
    expect(coverageWarning(shipped, at('2027-01-01 00:00'))).toMatchObject({ severity: 'expired', daysLeft: 0 });
    const with2027 = loadCalendar(calendarDir({ '2027.json': synthetic2027 }));
    expect(coverageWarning(with2027, at('2026-11-02 00:00'))).toBeUndefined();
    expect(coverageWarning(with2027, at('2027-11-02 00:00'))).toMatchObject({ severity: 'warning', coveredUntil: '2028-01-01' });
  });
});

describe('deadlines computed past coverage are flagged', () => {
  const ctx = (calendar: BusinessCalendar, kind: 'direct' | 'transferred' = 'direct'): ClockContext => ({ kind, severity: 'normal', calendar, warnAtFraction: 0.75 });
  const rules = shippedPolicy.clocks;

  it('a span reaching past the data relies on the fallback; one inside it does not', () => {
    expect(reliesOnFallback(shipped, at('2026-12-30 10:00'), at('2026-12-31 10:00'))).toBe(false);
    expect(reliesOnFallback(shipped, at('2026-12-31 10:00'), at('2027-01-04 10:00'))).toBe(true);
    // A deadline at 24:00 on 12/31 (00:00 of 1/1) does not depend on 1/1.
    expect(reliesOnFallback(shipped, at('2026-12-31 10:00'), at('2027-01-01 00:00'))).toBe(false);
  });

  it('002 result report (1 working day): flagged from Thu 12/31, not from Wed 12/30, not with 2027 data', () => {
    const rule = rules['result-report'];
    expect(deadlineReliesOnFallback(rule, ctx(shipped), at('2026-12-30 10:00'))).toBe(false);
    expect(deadlineReliesOnFallback(rule, ctx(shipped), at('2026-12-31 10:00'))).toBe(true);
    const with2027 = loadCalendar(calendarDir({ '2027.json': synthetic2027 }));
    expect(deadlineReliesOnFallback(rule, ctx(with2027), at('2026-12-31 10:00'))).toBe(false);
  });

  it('000 reply (12 h, plain hours) never relies on the calendar; the transferred 2 h / 6 h choice does outside the data', () => {
    expect(deadlineReliesOnFallback(rules.reply, ctx(shipped), at('2027-01-01 10:00'))).toBe(false);
    expect(deadlineReliesOnFallback(rules.reply, ctx(shipped, 'transferred'), at('2027-01-01 10:00'))).toBe(true);
    expect(deadlineReliesOnFallback(rules.reply, ctx(shipped, 'transferred'), at('2026-12-31 10:00'))).toBe(false);
  });

  it('lists the running clocks on the fallback (002: 7 working days from 12/24 reach 2027)', () => {
    const clocks: Clock[] = [];
    onCaseEvent(clocks, rules, ctx(shipped), 'accepted', 'awaiting-judgment', at('2026-12-24 10:00'));
    expect(clocksOnFallback(clocks, rules, ctx(shipped))).toEqual(['satisfactory-answer']);
    const early: Clock[] = [];
    onCaseEvent(early, rules, ctx(shipped), 'accepted', 'awaiting-judgment', at('2026-12-01 10:00'));
    expect(clocksOnFallback(early, rules, ctx(shipped))).toEqual([]);
  });
});

describe('the flag the case records (fallbackFlag)', () => {
  const rules = shippedPolicy.clocks;
  const ctx: ClockContext = { kind: 'direct', severity: 'normal', calendar: shipped, warnAtFraction: 0.75 };

  it('names the clocks newly on the fallback once, with the calendar and its fallback', () => {
    const clocks: Clock[] = [];
    onCaseEvent(clocks, rules, ctx, 'accepted', 'awaiting-judgment', at('2026-12-24 10:00'));
    const first = fallbackFlag(clocks, rules, ctx);
    expect(first).toEqual({
      clocks: ['satisfactory-answer'],
      added: ['satisfactory-answer'],
      summary: 'Deadline of the satisfactory-answer clock computed past the business calendar cn (covers 2026) by its fallback: working days Mon, Tue, Wed, Thu, Fri; fixed holidays 01-01, 05-01, 05-02, 10-01, 10-02, 10-03',
    });
    expect(fallbackFlag(clocks, rules, ctx, first.clocks)).toEqual({ clocks: ['satisfactory-answer'], added: [] });
  });

  it('drops a clock once met (no longer running)', () => {
    const clocks: Clock[] = [];
    onCaseEvent(clocks, rules, ctx, 'accepted', 'awaiting-judgment', at('2026-12-24 10:00'));
    onCaseEvent(clocks, rules, ctx, 'customer-accepted', 'implementing', at('2026-12-28 10:00'));
    expect(fallbackFlag(clocks, rules, ctx, ['satisfactory-answer']).clocks).toEqual([]);
  });
});

describe('dry run: which deadlines a new calendar would move', () => {
  const rules = shippedPolicy.clocks;
  const ctxOf = (calendar: BusinessCalendar): ClockContext => ({ kind: 'direct', severity: 'normal', calendar, warnAtFraction: 0.75 });

  it('lists only the deadlines that move, old and new, and whether each relied on the fallback', () => {
    const with2027 = loadCalendar(calendarDir({ '2027.json': synthetic2027 }));
    const december: Clock[] = [];
    onCaseEvent(december, rules, ctxOf(shipped), 'accepted', 'awaiting-judgment', at('2026-12-24 10:00'));
    const february: Clock[] = [];
    onCaseEvent(february, rules, ctxOf(shipped), 'accepted', 'awaiting-judgment', at('2027-02-03 10:00'));
    // Fallback: Thu 2/4, Fri 2/5, Mon 2/8 … Fri 2/12 = 7. Synthetic 2027: 2/6–2/14 off → Fri 2/19.
    expect(february.find((c) => c.name === 'satisfactory-answer')!.deadline).toBe(at('2027-02-12 10:00').toISOString());
    const dry = calendarDryRun(
      [
        { complaintId: 'C-DEC', clocks: december, rules, ctx: ctxOf(shipped) },
        { complaintId: 'C-FEB', clocks: february, rules, ctx: ctxOf(shipped) },
      ],
      with2027,
    );
    // 12/24 + 7 lands on Tue 1/5 either way (1/1 is a fixed holiday of the fallback): not listed.
    expect(dry).toEqual([
      {
        complaintId: 'C-FEB',
        moves: [
          {
            clock: 'satisfactory-answer',
            deadline: at('2027-02-12 10:00').toISOString(),
            newDeadline: at('2027-02-19 10:00').toISOString(),
            onFallback: true,
            newOnFallback: false,
          },
        ],
      },
    ]);
    // A dry run changes nothing.
    expect(february.find((c) => c.name === 'satisfactory-answer')!.deadline).toBe(at('2027-02-12 10:00').toISOString());
  });

  it('a calendar recorded without a fallback (older complaints) moves 12/24 + 7 from Mon 1/4 to Tue 1/5', () => {
    const { fallback: _f, ...legacy } = shipped;
    const with2027 = loadCalendar(calendarDir({ '2027.json': synthetic2027 }));
    expect(addWorkingDays(legacy, at('2026-12-24 10:00'), 7)).toEqual(at('2027-01-04 10:00'));
    const clocks: Clock[] = [];
    onCaseEvent(clocks, rules, ctxOf(legacy), 'accepted', 'awaiting-judgment', at('2026-12-24 10:00'));
    const moves = deadlineMoves(clocks, rules, ctxOf(legacy), { calendar: with2027 });
    expect(moves.map((m) => [m.clock, m.newDeadline])).toEqual([['satisfactory-answer', at('2027-01-05 10:00').toISOString()]]);
  });
});

describe('the log warning (worker and API)', () => {
  it('logs at start-up while the calendar runs out, not before', () => {
    const lines: string[] = [];
    watchCalendarCoverage(shipped, 60, (m) => lines.push(m), () => at('2026-11-01 00:00'))();
    expect(lines).toEqual([]);
    watchCalendarCoverage(shipped, 60, (m) => lines.push(m), () => at('2026-12-01 00:00'))();
    expect(lines).toEqual([expect.stringMatching(/^WARNING \[calendar warning\] Business calendar cn ends before 2027-01-01 \(31 day\(s\) left\)/)]);
  });
});
