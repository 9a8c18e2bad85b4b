import * as clocks from '../../domain/clocks';
import type { Clock, ClockContext } from '../../domain/clocks';
import { shippedCalendar, shippedPolicy } from '../support/fixtures';

const rules = shippedPolicy.clocks;
const ctx = (over: Partial<ClockContext> = {}): ClockContext => ({
  kind: 'direct',
  severity: 'normal',
  calendar: shippedCalendar,
  warnAtFraction: 0.75,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('deadlineOf', () => {
  test('000: 12 h reply, 48 h resolve for a direct complaint', () => {
    expect(clocks.deadlineOf(rules.reply, ctx(), at('2026-11-02T09:00:00+08:00')).toISOString()).toBe('2026-11-02T13:00:00.000Z');
    expect(clocks.deadlineOf(rules.resolve, ctx(), at('2026-11-02T09:00:00+08:00')).toISOString()).toBe('2026-11-04T01:00:00.000Z');
  });
  test('000: transferred reply 2 working hours on a working day, 6 h on a holiday (Saturday)', () => {
    const t = ctx({ kind: 'transferred' });
    expect(clocks.deadlineOf(rules.reply, t, at('2026-11-06T10:00:00+08:00')).toISOString()).toBe('2026-11-06T04:00:00.000Z');
    expect(clocks.deadlineOf(rules.reply, t, at('2026-11-07T10:00:00+08:00')).toISOString()).toBe('2026-11-07T08:00:00.000Z');
  });
  // 000 §3b(3): transferred complaints are answered 工作日2小时内,节假日6小时内: a limit after receipt,
  // 2 h when received on a working day, 6 h when received on a holiday, counted on the clock (not
  // in working hours that skip the days off).
  test.each([
    ['Sat 2026-02-14 23:30, a make-up working day on the eve of the 9-day Spring Festival: 2 h', '2026-02-14T23:30:00+08:00', '2026-02-15T01:30:00+08:00'],
    ['Fri 2026-11-06 23:00, a working day: 2 h, into Saturday', '2026-11-06T23:00:00+08:00', '2026-11-07T01:00:00+08:00'],
    ['Fri 2026-11-06 23:59:59, still a working day: 2 h', '2026-11-06T23:59:59+08:00', '2026-11-07T01:59:59+08:00'],
    ['Sat 2026-11-07 00:00, a holiday: 6 h', '2026-11-07T00:00:00+08:00', '2026-11-07T06:00:00+08:00'],
    ['Mon 2026-02-23 22:00, last day of the Spring Festival: 6 h, into the first working day', '2026-02-23T22:00:00+08:00', '2026-02-24T04:00:00+08:00'],
    ['Fri 2027-01-01 10:00, past the data: the fallback knows 元旦 (01-01): 6 h', '2027-01-01T10:00:00+08:00', '2027-01-01T16:00:00+08:00'],
  ])('000: transferred reply received %s', (_what, received, due) => {
    expect(clocks.deadlineOf(rules.reply, ctx({ kind: 'transferred' }), at(received)).toISOString()).toBe(at(due).toISOString());
  });
  test('002: 7 working days skip the National Day week', () => {
    // Tue 29 Sep 10:00 + 7 working days: 30 Sep, 8, 9, 10 (make-up Saturday), 12, 13, 14 Oct.
    expect(clocks.deadlineOf(rules['satisfactory-answer'], ctx(), at('2026-09-29T10:00:00+08:00')).toISOString()).toBe('2026-10-14T02:00:00.000Z');
  });
});

describe('a clock through its life', () => {
  const start = at('2026-11-02T09:00:00+08:00');
  const fresh = (): Clock[] => {
    const list: Clock[] = [];
    clocks.onCaseEvent(list, rules, ctx(), 'accepted', 'awaiting-judgment', start);
    return list;
  };

  test('the accepted event starts reply, resolve, dispatch and satisfactory-answer', () => {
    expect(fresh().map((c) => c.name).sort()).toEqual(['dispatch', 'reply', 'resolve', 'satisfactory-answer']);
  });

  test('warns at 75%, breaches at the deadline, not a millisecond before', () => {
    const list = fresh();
    const reply = list.find((c) => c.name === 'reply')!;
    expect(reply.warnAt).toBe('2026-11-02T10:00:00.000Z'); // 9 h of 12
    expect(clocks.nextDue(list)).toBe(Date.parse('2026-11-02T10:00:00.000Z'));
    expect(clocks.tick(list, at('2026-11-02T09:59:59.999Z'))).toEqual([]);
    expect(clocks.tick(list, at('2026-11-02T10:00:00.000Z'))).toEqual(expect.arrayContaining([{ clock: 'reply', alarm: 'warning' }]));
    expect(clocks.tick(list, at('2026-11-02T12:59:59.999Z'))).toEqual([]);
    expect(clocks.tick(list, at('2026-11-02T13:00:00.000Z'))).toEqual(expect.arrayContaining([{ clock: 'reply', alarm: 'breach' }]));
    expect(reply.status).toBe('breached');
  });

  test('a stop event meets it; after a breach it is met late', () => {
    const list = fresh();
    expect(clocks.onCaseEvent(list, rules, ctx(), 'judged-upheld', 'investigating', at('2026-11-02T03:00:00Z'))).toEqual([{ clock: 'reply', change: 'met' }]);
    const late = fresh();
    clocks.tick(late, at('2026-11-02T13:00:00Z'));
    expect(clocks.onCaseEvent(late, rules, ctx(), 'judged-upheld', 'investigating', at('2026-11-02T14:00:00Z'))).toEqual(
      expect.arrayContaining([{ clock: 'reply', change: 'met-late' }]),
    );
  });

  test('"not upheld" cancels the dispatch clock', () => {
    const list = fresh();
    const changes = clocks.onCaseEvent(list, rules, ctx(), 'judged-not-upheld', 'not-upheld', at('2026-11-02T03:00:00Z'));
    expect(changes).toEqual(expect.arrayContaining([{ clock: 'dispatch', change: 'cancelled' }]));
  });

  test('000: resolve runs while the customer decides (flat limits), and breaches at its deadline', () => {
    expect(rules.resolve.pauseIn).toEqual([]);
    const list = fresh();
    clocks.onStageChange(list, rules, 'awaiting-customer', at('2026-11-02T05:00:00Z'));
    const resolve = list.find((c) => c.name === 'resolve')!;
    clocks.onStageChange(list, rules, 'implementing', at('2026-11-02T08:00:00Z'));
    expect(resolve.deadline).toBe('2026-11-04T01:00:00.000Z'); // 48 h, nothing added
    expect(clocks.tick(list, at('2026-11-04T02:00:00Z')).some((a) => a.clock === 'resolve')).toBe(true);
  });

  test('with the pause turned on (a deployment\'s option), resolve pauses while the customer decides and the pause moves its deadline', () => {
    const pausing = { ...rules, resolve: { ...rules.resolve, pauseIn: ['awaiting-customer' as const], pauseSource: 'our own rule' } };
    const list = fresh();
    clocks.onStageChange(list, pausing, 'awaiting-customer', at('2026-11-02T05:00:00Z'));
    const resolve = list.find((c) => c.name === 'resolve')!;
    expect(clocks.tick(list, at('2026-11-04T02:00:00Z')).some((a) => a.clock === 'resolve')).toBe(false);
    clocks.onStageChange(list, pausing, 'implementing', at('2026-11-02T08:00:00Z'));
    expect(resolve.deadline).toBe('2026-11-04T04:00:00.000Z'); // 48 h + 3 h paused
  });

  test('a severity change recomputes running deadlines', () => {
    const list = fresh();
    clocks.recompute(list, rules, ctx({ severity: 'urgent' }));
    expect(list.find((c) => c.name === 'reply')!.deadline).toBe('2026-11-02T03:00:00.000Z'); // urgent: 2 h
  });
});
