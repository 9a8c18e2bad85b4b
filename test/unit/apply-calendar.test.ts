/**
 * Applying a new business calendar to an open complaint: `applyCalendar` replaces the
 * case's calendar, recomputes the running deadlines, clears the fallback flag where the new data
 * covers them, says on the timeline which deadlines moved, and survives continue-as-new.
 *
 * The 2027 data here is SYNTHETIC (test data shaped like a State Council notice, not the notice):
 * 元旦 Fri 1/1 – Mon 1/4 off (a bridge day the fallback cannot know), Sat 1/9 worked.
 */
import { parseBusinessCalendar, type BusinessCalendar } from '../../domain/calendar-data';
import { ComplaintCase, CommandRejection } from '../../domain/case';
import { actors, intake, shippedCalendar, shippedPolicy } from '../support/fixtures';

/** An instant given as Asia/Shanghai wall-clock time. */
function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}

const with2027: BusinessCalendar = parseBusinessCalendar({
  ...shippedCalendar,
  source: `${shippedCalendar.source}; 2027: SYNTHETIC test data`,
  years: [...shippedCalendar.years, 2027],
  holidays: [
    ...shippedCalendar.holidays,
    ...['01', '02', '03', '04'].map((d) => ({ date: `2027-01-${d}`, name: "New Year's Day" })),
  ],
  makeUpWorkdays: [...shippedCalendar.makeUpWorkdays, { date: '2027-01-09', name: "Make-up working day (New Year's Day)" }],
});

const opened = at('2026-12-28 10:00');
const applyBody = { calendar: with2027 as unknown as Record<string, unknown>, reason: 'The 2027 holidays are published' };

/** A complaint received Mon 2026-12-28 10:00 on the shipped calendar (2026 only). */
function december(): ComplaintCase {
  return ComplaintCase.open('C-CAL-1', intake({ receivedAt: opened.toISOString() }), shippedPolicy, shippedCalendar, opened);
}

function rejection(fn: () => unknown): CommandRejection {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandRejection) return err;
    throw err;
  }
  throw new Error('expected a CommandRejection, but the command was accepted');
}

const deadlineOf = (c: ComplaintCase, clock: string) => c.state.clocks.find((k) => k.name === clock)!.deadline;

/** The second pair of eyes for a calendar that moves a customer's deadline later. */
const secondManager = { id: 'mgr-2', role: 'manager' as const };

describe('applyCalendar on an open complaint', () => {
  it('before: 002 seven working days from 12/28 ran past the data and rest on the fallback (Thu 1/7)', () => {
    const c = december();
    expect(deadlineOf(c, 'satisfactory-answer')).toBe(at('2027-01-07 10:00').toISOString());
    expect(c.state.calendarFallback).toEqual(['satisfactory-answer']);
  });

  it('the dry run names the deadline that would move and changes nothing', () => {
    const c = december();
    expect(c.calendarMoves(with2027)).toEqual([
      {
        clock: 'satisfactory-answer',
        deadline: at('2027-01-07 10:00').toISOString(),
        newDeadline: at('2027-01-08 10:00').toISOString(),
        onFallback: true,
        newOnFallback: false,
      },
    ]);
    expect(deadlineOf(c, 'satisfactory-answer')).toBe(at('2027-01-07 10:00').toISOString());
    expect(c.calendar).toBe(shippedCalendar);
  });

  it('moves the deadline (bridge day 1/4 off → Fri 1/8), clears the fallback flag, and says so on the timeline', () => {
    const c = december();
    const now = at('2026-12-29 09:00');
    const input = { actor: actors.manager, ...applyBody };
    c.check('applyCalendar', input);
    c.apply('applyCalendar', input, now);
    // It moves a customer's deadline later: it waits for a second manager (four eyes).
    expect(c.calendar.years).toEqual([2026]);
    expect(c.state.pendingRuleChange).toMatchObject({ kind: 'calendar', proposedBy: 'mgr-1', widenings: [`satisfactory-answer deadline: ${at('2027-01-07 10:00').toISOString()} → ${at('2027-01-08 10:00').toISOString()}`] });
    c.apply('approveRuleChange', { actor: secondManager, reason: 'The holidays are official' }, now);
    expect(c.calendar.years).toEqual([2026, 2027]);
    expect(deadlineOf(c, 'satisfactory-answer')).toBe(at('2027-01-08 10:00').toISOString());
    // Plain-hours clocks never depended on the calendar: untouched.
    expect(deadlineOf(c, 'reply')).toBe(at('2026-12-28 22:00').toISOString());
    expect(c.state.calendarFallback).toEqual([]);
    const applied = c.timeline.find((e) => e.type === 'calendar-applied')!;
    expect(applied).toMatchObject({ actor: 'mgr-1', at: now.toISOString() });
    expect(applied.summary).toContain('Calendar cn (covers 2026, 2027) applied: The 2027 holidays are published');
    expect(applied.summary).toContain(`satisfactory-answer ${at('2027-01-07 10:00').toISOString()} → ${at('2027-01-08 10:00').toISOString()}`);
    expect(c.timeline.at(-1)).toMatchObject({ type: 'calendar-covered', summary: expect.stringMatching(/satisfactory-answer deadline is now within the calendar's data/) });
  });

  it('says so when no running deadline moves (the same calendar again)', () => {
    const c = december();
    c.apply('applyCalendar', { actor: actors.manager, ...applyBody }, at('2026-12-29 09:00'));
    c.apply('approveRuleChange', { actor: secondManager, reason: 'The holidays are official' }, at('2026-12-29 09:30'));
    c.apply('applyCalendar', { actor: actors.manager, ...applyBody }, at('2026-12-29 10:00'));
    expect(c.timeline.at(-1)).toMatchObject({ type: 'calendar-applied', summary: expect.stringMatching(/no running deadline moved$/) });
  });

  it('is a manager\'s command, on open complaints, with a well-formed calendar', () => {
    const c = december();
    expect(rejection(() => c.check('applyCalendar', { actor: actors.supervisor, ...applyBody })).kind).toBe('forbidden');
    const { years: _years, ...noYears } = with2027;
    const bad = rejection(() => c.check('applyCalendar', { actor: actors.manager, calendar: noYears, reason: 'x' }));
    expect(bad).toMatchObject({ kind: 'invalid', field: expect.stringMatching(/^calendar/) });
    // What only the zod schema's refinements said is the validator's too (commands also come from the CLI).
    const weekdayMakeUp = { ...with2027, makeUpWorkdays: [{ date: '2027-01-06', name: 'a Wednesday' }] };
    expect(rejection(() => c.check('applyCalendar', { actor: actors.manager, calendar: weekdayMakeUp, reason: 'x' }))).toMatchObject({
      kind: 'invalid',
      field: 'calendar.makeUpWorkdays.0.date',
      message: expect.stringMatching(/2027-01-06 is a make-up working day but not a Saturday or Sunday/),
    });
    const badDate = { ...with2027, holidays: [{ date: '2027-02-30', name: 'x' }] };
    expect(rejection(() => c.check('applyCalendar', { actor: actors.manager, calendar: badDate, reason: 'x' })).field).toBe('calendar.holidays.0.date');
    c.apply('withdraw', { actor: actors.owner, reason: 'Sorted out' }, at('2026-12-29 09:00'));
    expect(rejection(() => c.check('applyCalendar', { actor: actors.manager, ...applyBody })).kind).toBe('wrong-stage');
  });

  it('the applied calendar is carried over continue-as-new (the start calendar does not come back)', () => {
    const c = december();
    c.apply('applyCalendar', { actor: actors.manager, ...applyBody }, at('2026-12-29 09:00'));
    c.apply('approveRuleChange', { actor: secondManager, reason: 'The holidays are official' }, at('2026-12-29 09:30'));
    const snapshot = JSON.parse(JSON.stringify(c.snapshot())) as ReturnType<ComplaintCase['snapshot']>;
    const next = ComplaintCase.resume(snapshot, shippedCalendar);
    expect(next.calendar.years).toEqual([2026, 2027]);
    expect(next.calendarMoves(with2027)).toEqual([]);
  });

  it('a snapshot taken before calendars could be applied resumes on the start calendar', () => {
    const c = december();
    const { calendar: _calendar, ...older } = c.snapshot();
    expect(ComplaintCase.resume(older, shippedCalendar).calendar).toBe(shippedCalendar);
  });
});
