/**
 * A new calendar applied to a running complaint, on the time-skipping server: the dry
 * run query names the deadline it would move, `applyCalendar` moves it, the timer keeps the new
 * deadline, and the applied calendar survives continue-as-new.
 *
 * The new calendar is the shipped one plus a SYNTHETIC holiday on the Tuesday after the start
 * (relative to the day the suite runs, so the test never depends on the date).
 */
import { addWorkingDays, type BusinessCalendar } from '../../domain/calendar';
import { parseBusinessCalendar } from '../../domain/calendar-data';
import type { ComplaintState } from '../../domain/case';
import { calendarDryRunQuery } from '../../contract/complaint';
import { actors, shippedCalendar } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();
const DAY_MS = 86_400_000;

/** The shipped calendar with one synthetic holiday on the local date of `instant` (its year covered). */
function withHolidayOn(instant: Date): BusinessCalendar {
  const date = new Date(instant.getTime() + shippedCalendar.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
  const year = Number(date.slice(0, 4));
  return parseBusinessCalendar({
    ...shippedCalendar,
    years: [...new Set([...shippedCalendar.years, year])].sort(),
    holidays: [...shippedCalendar.holidays, { date, name: 'SYNTHETIC test holiday' }],
  });
}

async function until(c: ComplaintHandle, done: (s: ComplaintState) => boolean): Promise<ComplaintState> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await c.state();
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`state never matched: ${JSON.stringify(s.clocks)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function skipTo(instant: string, msAfter = 0): Promise<void> {
  const wait = Date.parse(instant) + msAfter - (await bed.env.currentTimeMs());
  if (wait > 0) await bed.env.sleep(wait);
}

const answerClock = (s: ComplaintState) => s.clocks.find((k) => k.name === 'satisfactory-answer')!;

/** By a manager, then by a second one (four eyes: a calendar that moves a deadline later waits for them). */
const apply = async (c: ComplaintHandle, calendar: BusinessCalendar) => {
  const send = (actor: { id: string; role: 'manager' }) => c.send('applyCalendar', { actor, calendar: calendar as unknown as Record<string, unknown>, reason: 'A holiday was announced' });
  await send(actors.manager);
  return send({ id: 'mgr-2', role: 'manager' });
};

test('the dry run names the deadline; applyCalendar moves it and the timer keeps the new one', async () => {
  const c = await bed.start();
  const next = withHolidayOn(new Date((await bed.env.currentTimeMs()) + DAY_MS));
  const before = answerClock(await c.state());
  const moved = addWorkingDays(next, new Date(before.startedAt), 7).toISOString();
  expect(moved).not.toBe(before.deadline);

  // The dry run answers what would move, and changes nothing.
  expect(await c.handle.query(calendarDryRunQuery, next)).toEqual([
    { clock: 'satisfactory-answer', deadline: before.deadline, newDeadline: moved, onFallback: false, newOnFallback: false },
  ]);
  expect(answerClock(await c.state()).deadline).toBe(before.deadline);

  expect(answerClock(await apply(c, next)).deadline).toBe(moved);
  const event = (await c.timeline()).find((e) => e.type === 'calendar-applied')!;
  expect(event.summary).toContain(`satisfactory-answer ${before.deadline} → ${moved}`);

  // The old deadline passes without a breach; the new one breaches.
  await skipTo(before.deadline, 1000);
  expect(answerClock(await c.state()).status).toBe('running');
  await skipTo(moved, 1000);
  await until(c, (s) => answerClock(s).status === 'breached');
});

test('the applied calendar survives continue-as-new (the start calendar does not come back)', async () => {
  const c = await bed.start({ continueAsNewAfterEvents: 60 });
  const next = withHolidayOn(new Date((await bed.env.currentTimeMs()) + DAY_MS));
  const before = answerClock(await c.state());
  await apply(c, next);
  const firstRun = (await c.handle.describe()).runId;
  for (let i = 1; i <= 40; i++) await c.send('addNote', { actor: actors.owner, text: `call ${i}` });
  await c.settled();
  expect((await c.handle.describe()).runId).not.toBe(firstRun);
  expect(await c.handle.query(calendarDryRunQuery, next)).toEqual([]);
  const back = await c.handle.query(calendarDryRunQuery, shippedCalendar);
  expect(back.map((m) => [m.clock, m.newDeadline])).toEqual([['satisfactory-answer', before.deadline]]);
});
