/**
 * 003: a customer dissatisfied with the result is escalated, on the 2nd rejection of a remedy
 * (policy `escalation.customerRejectionsBeforeEscalation`). The boundary, as a pure rule and on
 * the case file as it stands (ComplaintCase.apply; nothing wired here).
 */
import { escalatesOnRejection } from '../../domain/escalation';
import { ComplaintCase } from '../../domain/case';
import { actors, intake, shippedCalendar, shippedPolicy } from '../support/fixtures';

const now = new Date('2026-11-02T09:00:00+08:00');
const after = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const refund = (amountFen: number) => ({ kind: 'refund', description: 'Refund the duplicate charge', amountFen });

describe('escalatesOnRejection (003)', () => {
  const ladder = shippedPolicy.escalation;

  it('the shipped policy escalates on the 2nd rejection', () => {
    expect(ladder.customerRejectionsBeforeEscalation).toBe(2);
    expect([0, 1, 2, 3, 4].map((n) => escalatesOnRejection(ladder, n))).toEqual([false, false, true, false, true]);
  });

  it('follows the policy: 3 means the 3rd', () => {
    const three = { ...ladder, customerRejectionsBeforeEscalation: 3 };
    expect([1, 2, 3, 6].map((n) => escalatesOnRejection(three, n))).toEqual([false, false, true, true]);
  });
});

describe('the case file at the boundary', () => {
  /** Walks a case to the customer with remedy round `round` approved. */
  function present(c: ComplaintCase, round: number, minute: number): void {
    c.apply('proposeRemedies', { actor: actors.owner, options: [refund(3000 + round)] }, after(minute));
    c.apply('approveRemedy', { actor: actors.supervisor, optionId: `R${round}-1` }, after(minute + 5));
  }

  it('1st rejection: back to proposing, no escalation; 2nd: escalated one level on customer-rejections', () => {
    const c = ComplaintCase.open('C-REJ', intake(), shippedPolicy, shippedCalendar, now);
    c.apply('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] }, after(5));
    c.apply('recordFindings', { actor: actors.billing, department: 'billing', cause: 'retry charged twice', partyAtFault: 'billing system', evidence: [] }, after(60));
    present(c, 1, 120);
    c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: false, demand: 'more' }, after(130));
    expect(c.stage).toBe('proposing');
    expect(c.state.escalations.filter((e) => e.trigger === 'customer-rejections')).toEqual([]);
    expect(c.state.escalationLevel).toBe(0);
    present(c, 2, 140);
    c.apply('recordCustomerAnswer', { actor: actors.owner, accepted: false, demand: 'still more' }, after(150));
    expect(c.state.escalations).toEqual([expect.objectContaining({ level: 1, trigger: 'customer-rejections', reason: 'The customer rejected 2 remedies' })]);
    expect(c.state.escalationLevel).toBe(1);
  });
});
