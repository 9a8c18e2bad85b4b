/**
 * The clocks on the time-skipping server (docs/clocks.md): each default clock at its boundary,
 * the 000 working-day / holiday rule, promised-time breaches, the escalation ladder, severity
 * changes, the callback contact window and partner takeover. Days pass in milliseconds.
 */
import type { ClockName } from '../../domain/clocks';
import type { ComplaintState } from '../../domain/case';
import { actors } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();
const HOUR = 3600_000;
const vip = { id: 'vip-7', name: 'Wang Fang', identityVerified: true, tier: 'vip' as const, contact: { phone: '13900000000' } };

const clockOf = (s: ComplaintState, name: ClockName) => s.clocks.find((k) => k.name === name)!;

/** Polls the state until `done` holds (a fired timer's workflow task runs just after the skip). */
async function until(c: ComplaintHandle, done: (s: ComplaintState) => boolean): Promise<ComplaintState> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await c.state();
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`state never matched: ${JSON.stringify({ stage: s.stage, clocks: s.clocks, level: s.escalationLevel })}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Skips the test server's clock to `msBefore` milliseconds before `instant`. */
async function skipTo(instant: string, msBefore = 0): Promise<void> {
  const wait = Date.parse(instant) - msBefore - (await bed.env.currentTimeMs());
  if (wait > 0) await bed.env.sleep(wait);
}

/**
 * A second before its deadline the clock runs; at the deadline it breaches and the case escalates
 * one level (`one-level-up`), or, when earlier breaches and level time limits have already taken
 * the case to the top, the breach is recorded there (`at-the-top`). Each test starts on an
 * ordinary Monday 10:00 on a server of its own, so which one it is is a fact of the test.
 */
async function expectBreachAtDeadline(c: ComplaintHandle, name: ClockName, escalation: 'one-level-up' | 'at-the-top'): Promise<ComplaintState> {
  const before = await c.state();
  const clock = clockOf(before, name);
  expect(clock.status).toBe('running');
  await skipTo(clock.deadline, 1000);
  const justBefore = await c.state();
  expect(clockOf(justBefore, name).status).toBe('running');
  await skipTo(clock.deadline, -1000);
  const after = await until(c, (s) => clockOf(s, name).status === 'breached');
  expect(after.slaBreached).toBe(true);
  const events = (await c.timeline()).filter((e) => e.type === 'escalated' || e.type === 'escalation-at-top');
  const last = events.at(-1)!;
  if (escalation === 'one-level-up') {
    expect(justBefore.escalationLevel).toBeLessThan(3);
    expect(after.escalationLevel).toBe(justBefore.escalationLevel + 1);
    expect(last.type).toBe('escalated');
  } else {
    expect(after.escalationLevel).toBe(3);
    expect(last.type).toBe('escalation-at-top');
  }
  expect(last.summary).toContain('sla-breach');
  expect(last.summary).toContain(name);
  const breachedAt = Date.parse(clockOf(after, name).breachedAt!);
  expect(breachedAt - Date.parse(clock.deadline)).toBeGreaterThanOrEqual(0);
  expect(breachedAt - Date.parse(clock.deadline)).toBeLessThan(1000);
  return after;
}

async function judgeUpheld(c: ComplaintHandle): Promise<void> {
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'plausible', departments: ['billing'] });
  await until(c, (s) => s.assignments.every((a) => a.status === 'dispatched'));
}

describe('each default clock acts at its boundary', () => {
  test('reply (000: 12 h): a warning at 75%, nothing a second before, breach and escalation at 12 h', async () => {
    const c = await bed.start();
    const s = await c.state();
    expect(Date.parse(clockOf(s, 'reply').deadline) - Date.parse(s.receivedAt)).toBe(12 * HOUR);
    const after = await expectBreachAtDeadline(c, 'reply', 'one-level-up');
    expect(after.escalationLevel).toBe(1);
    expect(after.accountable).toMatchObject({ level: 1, person: { id: 'supervisor-on-duty' } });
    const types = (await c.timeline()).map((e) => e.type);
    expect(types.indexOf('sla-warning')).toBeLessThan(types.indexOf('sla-breached'));
    const staff = c.effects('staff-notices').map((n) => [n.kind, n.recipient]);
    expect(staff).toEqual(expect.arrayContaining([['sla-warning', 'agent-7'], ['escalated', 'supervisor-on-duty']]));
  });

  test('dispatch (002: 12 h from receipt)', async () => {
    const c = await bed.start();
    const s = await c.state();
    expect(Date.parse(clockOf(s, 'dispatch').deadline) - Date.parse(s.receivedAt)).toBe(12 * HOUR);
    await expectBreachAtDeadline(c, 'dispatch', 'one-level-up');
  });

  test('resolve (000: 48 h), met by neither judgment nor dispatch', async () => {
    const c = await bed.start();
    await judgeUpheld(c);
    await c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'progress', summary: 'checking' });
    const s = await c.state();
    expect(Date.parse(clockOf(s, 'resolve').deadline) - Date.parse(s.receivedAt)).toBe(48 * HOUR);
    await expectBreachAtDeadline(c, 'resolve', 'one-level-up');
  });

  test('verification update (002: 12 h from dispatch)', async () => {
    const c = await bed.start();
    await judgeUpheld(c);
    const s = await c.state();
    const dispatchedAt = Date.parse(s.assignments[0]!.dispatchedAt!);
    expect(Date.parse(clockOf(s, 'verification-update').deadline) - dispatchedAt).toBe(12 * HOUR);
    await expectBreachAtDeadline(c, 'verification-update', 'one-level-up');
  });

  test('result report (002: 1 working day from the findings)', async () => {
    const c = await bed.start();
    await judgeUpheld(c);
    await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'double rating', partyAtFault: 'billing' });
    const s = await c.state();
    expect(clockOf(s, 'result-report').status).toBe('running');
    // Due Tuesday 10:00: the reply breach (Monday 22:00) and the supervisor's 4 h and the head's
    // 8 h time limits have taken the case to the top at that same instant.
    await expectBreachAtDeadline(c, 'result-report', 'at-the-top');
  });

  test('satisfactory answer (002: 7 working days)', async () => {
    const c = await bed.start();
    const s = await c.state();
    // Received on an ordinary Monday 10:00: 7 working days later is the Wednesday after next, 10:00.
    expect(Date.parse(clockOf(s, 'satisfactory-answer').deadline) - Date.parse(s.receivedAt)).toBe(9 * 24 * HOUR);
    await expectBreachAtDeadline(c, 'satisfactory-answer', 'at-the-top');
  });

  test('callback (004: 3 days after resolution)', async () => {
    const c = await bed.start({ intake: { customer: vip } });
    await judgeUpheld(c);
    await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'c', partyAtFault: 'p' });
    await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'explanation', description: 'explain' }] });
    await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
    await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
    const s = await until(c, (x) => x.stage === 'awaiting-callback');
    const started = Date.parse(clockOf(s, 'callback').startedAt);
    expect(Date.parse(clockOf(s, 'callback').deadline) - started).toBe(72 * HOUR);
    await expectBreachAtDeadline(c, 'callback', 'at-the-top');
  });
});

describe('000: a transferred complaint is answered in 2 h on a working day, 6 h on a holiday', () => {
  const replyDeadline = async (receivedAt: string) => {
    const c = await bed.start({ intake: { kind: 'transferred', partner: 'SP-9', receivedAt } });
    return clockOf(await c.state(), 'reply').deadline;
  };
  test('received on a working day (Wednesday 30 Sep 2026, 10:00)', async () => {
    expect(await replyDeadline('2026-09-30T10:00:00+08:00')).toBe('2026-09-30T04:00:00.000Z'); // 12:00 local
  });
  test('received on a holiday (National Day, 1 Oct 2026, 10:00)', async () => {
    expect(await replyDeadline('2026-10-01T10:00:00+08:00')).toBe('2026-10-01T08:00:00.000Z'); // 16:00 local
  });
  test('received on a make-up working day (Sunday 20 Sep 2026, 10:00)', async () => {
    expect(await replyDeadline('2026-09-20T10:00:00+08:00')).toBe('2026-09-20T04:00:00.000Z'); // 12:00 local
  });
  test('received on an ordinary Saturday (26 Sep 2026, 10:00)', async () => {
    expect(await replyDeadline('2026-09-26T10:00:00+08:00')).toBe('2026-09-26T08:00:00.000Z'); // 16:00 local
  });
  // 000: 工作日2小时内,节假日6小时内 is a limit after receipt, on the clock: a working-day receipt late at
  // night is due 2 h later, not after the holidays that follow.
  test('received on the make-up Saturday 14 Feb 2026 at 23:30, eve of the 9-day Spring Festival', async () => {
    expect(await replyDeadline('2026-02-14T23:30:00+08:00')).toBe('2026-02-14T17:30:00.000Z'); // Sun 01:30 local
  });
  test('received on Friday 6 Nov 2026 at 23:00', async () => {
    expect(await replyDeadline('2026-11-06T23:00:00+08:00')).toBe('2026-11-06T17:00:00.000Z'); // Sat 01:00 local
  });
});

describe('001 case 1: a promised time that passes unmet', () => {
  test('forces an apology with a new promised time; without one in time, the case escalates', async () => {
    const c = await bed.start();
    await judgeUpheld(c);
    const promised = new Date((await bed.env.currentTimeMs()) + 3 * HOUR).toISOString();
    await c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'progress', summary: 'restored by 3 pm', newPromisedTime: promised });
    await skipTo(promised, 1000);
    expect((await c.state()).pendingApology).toBeUndefined();
    await skipTo(promised, -1000);
    const missed = await until(c, (s) => s.pendingApology !== undefined);
    expect(missed.promisedTimes.at(-1)).toMatchObject({ by: promised, status: 'missed' });
    expect(Date.parse(missed.pendingApology!.contactBy) - Date.parse(missed.pendingApology!.missedAt)).toBe(2 * HOUR);
    expect(c.effects('staff-notices').some((n) => n.kind === 'promise-missed' && n.recipient === 'agent-7')).toBe(true);

    // An apology must carry the new time.
    await expect(c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'promised-time-missed', summary: 'sorry' })).rejects.toThrow();
    const levelBefore = missed.escalationLevel;
    await skipTo(missed.pendingApology!.contactBy, -1000);
    const escalated = await until(c, (s) => s.escalations.some((e) => e.trigger === 'promise-missed'));
    expect(escalated.escalationLevel).toBe(levelBefore + 1);
  });

  test('an apology with a new promise clears it', async () => {
    const c = await bed.start();
    await judgeUpheld(c);
    const promised = new Date((await bed.env.currentTimeMs()) + HOUR).toISOString();
    await c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'progress', summary: 'call back in an hour', newPromisedTime: promised });
    await skipTo(promised, -1000);
    await until(c, (s) => s.pendingApology !== undefined);
    const again = new Date((await bed.env.currentTimeMs()) + 24 * HOUR).toISOString();
    const s = await c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'promised-time-missed', summary: 'sorry, the engineer is delayed', newPromisedTime: again });
    expect(s.pendingApology).toBeUndefined();
    expect(s.promisedTimes.at(-1)).toMatchObject({ by: again, status: 'pending' });
    expect((await c.timeline()).some((e) => e.type === 'apology-made')).toBe(true);
  });
});

test('the escalation ladder: owner → supervisor → department head → arbitration group, each on its own time limit', async () => {
  const c = await bed.start();
  await judgeUpheld(c);
  await c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'progress', summary: 'investigating' });
  let s = await c.send('escalate', { actor: actors.owner, reason: 'the customer threatens to go to the regulator' });
  expect(s.accountable).toMatchObject({ level: 1, person: { id: 'supervisor-on-duty' } });
  // 4 h for the supervisor level, then 8 h for the department head (policy).
  await skipTo(s.accountable.respondBy!, -1000);
  s = await until(c, (x) => x.escalationLevel === 2);
  expect(s.accountable).toMatchObject({ levelName: 'department-head', person: { id: 'department-head' } });
  await skipTo(s.accountable.respondBy!, -1000);
  s = await until(c, (x) => x.escalationLevel === 3);
  expect(s.accountable).toMatchObject({ levelName: 'arbitration-group', person: { id: 'arbitration-group' } });
  expect(s.escalations.map((e) => [e.level, e.trigger])).toEqual([
    [1, 'manual'],
    [2, 'level-timeout'],
    [3, 'level-timeout'],
  ]);
  const notified = c.effects('staff-notices').filter((n) => n.kind === 'escalated').map((n) => n.recipient);
  expect(notified).toEqual(['supervisor-on-duty', 'department-head', 'arbitration-group']);
  const described = await c.handle.describe();
  expect(described.searchAttributes.EscalationLevel).toEqual([3]);
});

test('a supervisor acting at level 1 stops the level timer', async () => {
  const c = await bed.start();
  await judgeUpheld(c);
  let s = await c.send('escalate', { actor: actors.owner, reason: 'angry customer' });
  expect(s.accountable.respondBy).toBeDefined();
  s = await c.send('addNote', { actor: actors.supervisor, text: 'I will call the customer myself' });
  expect(s.accountable.respondBy).toBeUndefined();
});

test('a change of severity recomputes the running deadlines and takes the urgent path', async () => {
  const c = await bed.start();
  const before = await c.state();
  expect(Date.parse(clockOf(before, 'reply').deadline) - Date.parse(before.receivedAt)).toBe(12 * HOUR);
  const s = await c.send('reclassify', { actor: actors.supervisor, severity: 'urgent', urgentReason: 'media-exposure', reason: 'posted on Weibo' });
  expect(Date.parse(clockOf(s, 'reply').deadline) - Date.parse(s.receivedAt)).toBe(2 * HOUR);
  expect(Date.parse(clockOf(s, 'resolve').deadline) - Date.parse(s.receivedAt)).toBe(24 * HOUR);
  expect(s.escalations.map((e) => e.trigger)).toEqual(['urgent']);
});

test('an urgent complaint starts escalated, on shorter clocks', async () => {
  const c = await bed.start({ intake: { severity: 'urgent', urgentReason: 'regulator-referral' } });
  const s = await c.state();
  expect(s.escalationLevel).toBe(1);
  expect(Date.parse(clockOf(s, 'reply').deadline) - Date.parse(s.receivedAt)).toBe(2 * HOUR);
});

test('a callback due at night lands in the morning contact window (004)', async () => {
  const c = await bed.start({ intake: { customer: vip } });
  await judgeUpheld(c);
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'c', partyAtFault: 'p' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'explanation', description: 'explain' }] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  // Move the server's clock to the next 22:30 local (14:30Z) before the customer accepts.
  const now = await bed.env.currentTimeMs();
  const night = new Date(now);
  night.setUTCHours(14, 30, 0, 0);
  if (night.getTime() <= now) night.setUTCDate(night.getUTCDate() + 1);
  await skipTo(night.toISOString());
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  const s = await until(c, (x) => x.stage === 'awaiting-callback');
  const morning = new Date(night);
  morning.setUTCDate(morning.getUTCDate() + 1);
  morning.setUTCHours(0, 0, 0, 0); // 08:00 local the next day
  expect(s.callback?.scheduledFor).toBe(morning.toISOString());
  const notice = c.effects('staff-notices').find((n) => n.kind === 'callback-due');
  expect(notice).toMatchObject({ recipient: 'agent-7', actBy: morning.toISOString() });
});

test('000: a transferred complaint its partner leaves overdue is taken over and the partner charged', async () => {
  const c = await bed.start({ intake: { kind: 'transferred', partner: 'SP-42' } });
  const s0 = await c.state();
  await skipTo(clockOf(s0, 'reply').deadline, -1000);
  const taken = await until(c, (s) => s.takeover !== undefined);
  expect(taken.takeover).toMatchObject({ partner: 'SP-42', clock: 'reply' });
  expect(taken.owner.id).toBe('platform-service-centre');
  await c.send('judgeValidity', { actor: actors.supervisor, upheld: true, reason: 'SP billed without consent', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'unsolicited subscription', partyAtFault: 'SP-42' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'refund', description: 'refund 100 CNY', amountFen: 10_000 }] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  await c.send('recordCustomerAnswer', { actor: actors.supervisor, accepted: true });
  const s = await until(c, (x) => x.partnerCharge !== undefined);
  // Refund 100.00 + postage 10.00 + tax 6% of the refund 6.00 + 30% handling fee 30.00 = 146.00 CNY.
  expect(s.partnerCharge).toEqual({ partner: 'SP-42', refundFen: 10_000, costsFen: 1_600, handlingFeeFen: 3_000, totalFen: 14_600 });
});
