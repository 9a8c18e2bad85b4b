/**
 * 004: 避免在用户休息时打搅用户 (do not disturb customers at rest): every proactive customer notice
 * waits for the contact window (08:00–21:00 local), by policy; urgent complaints may be exempted.
 */
import { customerNoticeKinds, noticeSendTime } from '../../domain/contact';
import { proactiveContactPolicySchema } from '../../domain/contact-policy';
import { contactAtAnyHour } from '../../scripts/lib/wall-clock-policy';
import { shippedCalendar, shippedPolicy } from '../support/fixtures';

const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const rule = shippedPolicy.proactiveContact!;
const window = shippedPolicy.contactWindow;
const timing = (kind: (typeof customerNoticeKinds)[number], now: Date, urgent = false, r: typeof rule | undefined = rule) =>
  noticeSendTime(shippedCalendar, window, r, kind, now, urgent);

describe('the shipped policy', () => {
  it('keeps the customer window 08:00–21:00 and lets only the acknowledgement out at any hour', () => {
    expect(window).toEqual({ start: '08:00', end: '21:00' });
    expect(rule.anytime).toEqual(['acknowledgement']);
    expect(rule.urgentAnytime).not.toContain('reminder');
  });
});

describe('noticeSendTime', () => {
  it.each(customerNoticeKinds.filter((k) => k !== 'acknowledgement'))('004: a %s at 23:30 waits for 08:00 the next day', (kind) => {
    expect(timing(kind, at('2026-11-05 23:30'))).toEqual({ at: at('2026-11-06 08:00'), waits: true, reason: 'waits-for-window' });
  });

  it('at the edges: 20:59 goes at once, 21:00 waits, 07:59 waits one minute, 08:00 goes', () => {
    expect(timing('remedy-done', at('2026-11-05 20:59'))).toMatchObject({ at: at('2026-11-05 20:59'), waits: false, reason: 'inside-window' });
    expect(timing('remedy-done', at('2026-11-05 21:00'))).toMatchObject({ at: at('2026-11-06 08:00'), waits: true });
    expect(timing('remedy-done', at('2026-11-05 07:59'))).toMatchObject({ at: at('2026-11-05 08:00'), waits: true });
    expect(timing('remedy-done', at('2026-11-05 08:00'))).toMatchObject({ at: at('2026-11-05 08:00'), waits: false });
  });

  it('the acknowledgement answers the complaint just made, at any hour', () => {
    expect(timing('acknowledgement', at('2026-11-05 03:00'))).toEqual({ at: at('2026-11-05 03:00'), waits: false, reason: 'anytime' });
  });

  it('001: on an urgent complaint the exempted kinds go at once; a reminder still waits', () => {
    expect(timing('investigating', at('2026-11-05 23:30'), true)).toMatchObject({ waits: false, reason: 'urgent-exempt' });
    expect(timing('reminder', at('2026-11-05 23:30'), true)).toMatchObject({ at: at('2026-11-06 08:00'), waits: true });
  });

  it('workingDaysOnly moves a Saturday notice to Monday 08:00 (and Sat 2026-02-14, a make-up working day, stays)', () => {
    const strict = { ...rule, workingDaysOnly: true };
    expect(timing('closed', at('2026-11-07 10:00'), false, strict).at).toEqual(at('2026-11-09 08:00'));
    expect(timing('closed', at('2026-02-14 10:00'), false, strict).at).toEqual(at('2026-02-14 10:00'));
  });

  it('a policy recorded without the rule keeps the old behaviour: only reminders wait', () => {
    const old = (kind: (typeof customerNoticeKinds)[number]) => noticeSendTime(shippedCalendar, window, undefined, kind, at('2026-11-05 23:30'), false);
    expect(old('remedy-done')).toEqual({ at: at('2026-11-05 23:30'), waits: false, reason: 'not-governed' });
    expect(old('reminder')).toMatchObject({ at: at('2026-11-06 08:00'), waits: true });
  });

  it('refuses an unknown notice kind in the policy', () => {
    expect(proactiveContactPolicySchema.safeParse({ source: 'x', anytime: ['sms-blast'] }).success).toBe(false);
  });
});

describe('the wall-clock policy of the dev-server tests, the bench and the chaos run', () => {
  const wall = contactAtAnyHour(shippedPolicy);

  it.each(customerNoticeKinds)('sends a %s at 03:00 at once, where the shipped policy waits (but the acknowledgement)', (kind) => {
    const now = at('2026-11-05 03:00');
    expect(noticeSendTime(shippedCalendar, wall.contactWindow, wall.proactiveContact, kind, now, false)).toMatchObject({ at: now, waits: false });
    expect(timing(kind, now).waits).toBe(kind !== 'acknowledgement');
  });

  it('changes nothing but when the customer may be contacted', () => {
    const { contactWindow, proactiveContact, ...rest } = wall;
    const { contactWindow: shippedWindow, proactiveContact: shippedContact, ...shippedRest } = shippedPolicy;
    expect(rest).toEqual(shippedRest);
    expect({ ...proactiveContact, anytime: [] }).toEqual({ ...shippedContact, anytime: [] });
    expect([contactWindow, shippedWindow]).toEqual([{ start: '00:00', end: '23:59' }, { start: '08:00', end: '21:00' }]);
  });
});
