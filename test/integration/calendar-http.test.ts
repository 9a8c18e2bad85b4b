/**
 * A new business calendar across open complaints, over HTTP: `POST /calendar/dry-run`
 * answers whose running deadlines it would move (complaint, clock, from, to), from the body or
 * from CALENDAR_PATH as it is now; `POST /calendar/apply` sends `applyCalendar` to each open one.
 *
 * The new calendar is the shipped one plus a SYNTHETIC holiday on the first working day after
 * today (relative to the day the suite runs), so the 7-working-day clock (002) moves by a day.
 */
import request from 'supertest';
import { addWorkingDays, isWorkingDay, type BusinessCalendar } from '../../domain/calendar';
import { parseBusinessCalendar } from '../../domain/calendar-data';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { expectProblem } from '../support/errors';
import { actors, intakeBody, newComplaintId, shippedCalendar } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'CAL' });
const DAY_MS = 86_400_000;

/** The shipped calendar with a synthetic holiday on the first working day after `from`. */
function withHolidayAfter(from: Date): BusinessCalendar {
  let day = new Date(from.getTime() + DAY_MS);
  while (!isWorkingDay(shippedCalendar, day)) day = new Date(day.getTime() + DAY_MS);
  const date = new Date(day.getTime() + shippedCalendar.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
  return parseBusinessCalendar({
    ...shippedCalendar,
    years: [...new Set([...shippedCalendar.years, Number(date.slice(0, 4))])].sort(),
    holidays: [...shippedCalendar.holidays, { date, name: 'SYNTHETIC test holiday' }],
  });
}

async function open(): Promise<string> {
  const body = intakeBody({ content: `Charged twice for the October data package (${newComplaintId('case')}).` });
  const res = await request(testbed.app).post('/complaints').set(asService()).send(body).expect(201);
  return res.body.complaintId as string;
}

async function state(id: string): Promise<ComplaintState> {
  return (await request(testbed.app).get(`/complaints/${id}`).set(asService()).expect(200)).body as ComplaintState;
}

type Move = { complaintId: string; clock: string; from: string; to: string };

/** Polls the dry run until visibility lists every complaint in `ids` (it is eventually consistent). */
async function dryRunListing(ids: string[], send: () => request.Test): Promise<request.Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await send();
    const listed = new Set((res.body.moves as Move[] | undefined)?.map((m) => m.complaintId));
    if (res.status !== 200 || ids.every((id) => listed.has(id)) || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 200));
  }
}

let a: string;
let b: string;
let next: BusinessCalendar;
let expected: (id: string) => Promise<Move>;

beforeAll(async () => {
  [a, b] = [await open(), await open()];
  next = withHolidayAfter(new Date());
  expected = async (id) => {
    const clock = (await state(id)).clocks.find((k) => k.name === 'satisfactory-answer')!;
    return { complaintId: id, clock: 'satisfactory-answer', from: clock.deadline, to: addWorkingDays(next, new Date(clock.startedAt), 7).toISOString() };
  };
});

describe('POST /calendar/dry-run', () => {
  it('answers, for a calendar in the body, which open complaints\' deadlines would move, and changes nothing', async () => {
    const res = await dryRunListing([a, b], () => request(testbed.app).post('/calendar/dry-run').set(asActor(actors.supervisor)).send({ calendar: next }));
    expect(res.status).toBe(200);
    expect(res.body.calendar).toEqual({ name: 'cn', years: next.years });
    const ours = (res.body.moves as Move[]).filter((m) => m.complaintId === a || m.complaintId === b);
    expect(ours).toHaveLength(2);
    expect(ours).toEqual(expect.arrayContaining([expect.objectContaining(await expected(a)), expect.objectContaining(await expected(b))]));
    expect(res.body.complaintsMoved).toBeGreaterThanOrEqual(2);
    expect(res.body.notAnswered).toEqual([]);
    // Nothing moved for real.
    expect((await state(a)).clocks.find((k) => k.name === 'satisfactory-answer')!.deadline).toBe((await expected(a)).from);
  });

  it('takes the calendar CALENDAR_PATH holds now when the body names none', async () => {
    const app = testbed.appWith({ loadCalendar: () => next });
    const res = await dryRunListing([a], () => request(app).post('/calendar/dry-run').set(asActor(actors.manager)));
    expect(res.status).toBe(200);
    expect(res.body.moves).toEqual(expect.arrayContaining([expect.objectContaining(await expected(a))]));
  });

  it('says what is wrong with a bad calendar file (422), and with a bad calendar in the body (400)', async () => {
    const broken = testbed.appWith({ loadCalendar: () => { throw new Error('Invalid business calendar in config/calendars/cn:\n  - 2027.json: holds year 2028'); } });
    expectProblem(await request(broken).post('/calendar/dry-run').set(asActor(actors.manager)), 422, 'calendar-invalid', /2027\.json: holds year 2028/);
    const weekdayMakeUp = { ...next, makeUpWorkdays: [{ date: '2026-12-02', name: 'not a weekend day' }] };
    const res = await request(testbed.app).post('/calendar/dry-run').set(asActor(actors.manager)).send({ calendar: weekdayMakeUp });
    expectProblem(res, 400, 'validation-failed');
    expect(JSON.stringify(res.body.errors)).toMatch(/makeUpWorkdays/);
  });

  it('is for supervisors and managers', async () => {
    expectProblem(await request(testbed.app).post('/calendar/dry-run').set(asActor(actors.owner)).send({}), 403, 'access-denied');
    expectProblem(await request(testbed.app).post('/calendar/dry-run').set(asService()).send({}), 403, 'access-denied');
  });
});

describe('POST /calendar/apply', () => {
  it('is a manager\'s: the applyCalendar command on every open complaint, with counts; the dry run then finds nothing to move', async () => {
    expectProblem(await request(testbed.app).post('/calendar/apply').set(asActor(actors.supervisor)).send({ calendar: next, reason: 'x' }), 403, 'command-forbidden');
    const [movesA, movesB] = [await expected(a), await expected(b)];
    const applyAs = (manager: { id: string; role: string }) =>
      request(testbed.app).post('/calendar/apply').set(asActor(manager)).set('Idempotency-Key', newComplaintId('apply')).send({ calendar: next, reason: 'A holiday was announced' }).expect(200);
    // It moves customers' deadlines later: it waits for a second manager (four eyes) ...
    const proposed = await applyAs(actors.manager);
    expect(proposed.body.awaitingSecondManager).toBeGreaterThanOrEqual(2);
    for (const [id, move] of [[a, movesA], [b, movesB]] as const) {
      expect((await state(id)).clocks.find((k) => k.name === 'satisfactory-answer')!.deadline).toBe(move.from);
    }
    // ... whose same request approves it on every complaint.
    const res = await applyAs({ id: 'mgr-2', role: 'manager' });
    expect(res.body).toMatchObject({ calendar: { name: 'cn', years: next.years }, notApplied: [], awaitingSecondManager: 0 });
    expect(res.body.applied).toBe(res.body.openComplaints);
    expect(res.body.applied).toBeGreaterThanOrEqual(2);
    for (const [id, move] of [[a, movesA], [b, movesB]] as const) {
      expect((await state(id)).clocks.find((k) => k.name === 'satisfactory-answer')!.deadline).toBe(move.to);
      const timeline = (await request(testbed.app).get(`/complaints/${id}/timeline`).set(asService()).expect(200)).body as TimelineEvent[];
      expect(timeline.find((e) => e.type === 'calendar-applied')).toMatchObject({ actor: actors.manager.id, summary: expect.stringContaining(`satisfactory-answer ${move.from} → ${move.to}`) });
    }
    const again = await request(testbed.app).post('/calendar/dry-run').set(asActor(actors.manager)).send({ calendar: next }).expect(200);
    expect((again.body.moves as Move[]).filter((m) => m.complaintId === a || m.complaintId === b)).toEqual([]);
  });
});
