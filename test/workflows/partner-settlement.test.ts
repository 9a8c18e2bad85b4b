/**
 * Who settled a transferred complaint, through the real workflow, and what it does to the
 * partner's resolution rate (000 §4, note under the scoring table: 投诉客户不接受相关SP处理人员的处理,
 * 最终由我方妥为处理的投诉视为处理未落实): a complaint whose customer rejects the partner's remedy twice,
 * and that the platform then settles, is not carried out for the partner.
 */
import { complaintFacts } from '../../archive/reports';
import { assessmentMonthOf, scorecard } from '../../archive/scorecard';
import type { ComplaintState } from '../../domain/case';
import { actors, intakeBody } from '../support/fixtures';
import { seedAssessment } from '../support/archive-seed';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();
const PARTNER = 'sp-music';

const refund = (amountFen: number) => ({ kind: 'refund' as const, description: `refund ${amountFen / 100} CNY`, amountFen });

async function startTransferred(): Promise<ComplaintHandle> {
  // A VIP is always called back, so each complaint closes on the callback, drawn or not.
  const c = await bed.start({ intake: { kind: 'transferred', partner: PARTNER, customer: { ...intakeBody().customer, tier: 'vip' } } });
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'partner billing' });
  return c;
}

/** The remedy accepted, carried out, and the customer satisfied at the callback. */
async function acceptAndClose(c: ComplaintHandle): Promise<ComplaintState> {
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  await c.reaches('awaiting-callback');
  await c.send('recordCallback', { actor: actors.owner, satisfied: true });
  return c.reaches('closed');
}

test('the customer rejects the partner\'s remedy twice, the platform settles it: not carried out for the partner', async () => {
  const c = await startTransferred();
  for (const amountFen of [1000, 2000]) {
    await c.send('proposeRemedies', { actor: actors.billing, options: [refund(amountFen)] });
    await c.send('approveRemedy', { actor: actors.supervisor, optionId: `R${(await c.state()).proposalRound}-1` });
    await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: false, demand: 'the whole month back' });
  }
  const escalated = await c.state();
  expect(escalated.escalations.map((e) => e.trigger)).toContain('customer-rejections');
  // One level up, the platform's supervisor proposes and another approves what the customer accepts.
  await c.send('proposeRemedies', { actor: actors.supervisor, options: [refund(12_800)] });
  await c.send('approveRemedy', { actor: actors.supervisor2, optionId: 'R3-1' });
  const closed = await acceptAndClose(c);
  expect(closed.outcome).toBe('resolved');
  expect(closed.settledBy).toEqual({ party: 'platform', approvedBy: actors.supervisor2.id, at: expect.any(String) });
  expect((await c.timeline()).find((e) => e.type === 'customer-accepted')?.summary).toMatch(/settled by the platform, not the partner/);

  // Another transferred complaint the partner settles itself, at the first answer.
  const d = await startTransferred();
  await d.send('proposeRemedies', { actor: actors.billing, options: [refund(3000)] });
  await d.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  const settledByPartner = await acceptAndClose(d);
  expect(settledByPartner.settledBy).toMatchObject({ party: 'partner', approvedBy: actors.supervisor.id });

  const facts = [
    complaintFacts(closed, await c.timeline()),
    complaintFacts(settledByPartner, await d.timeline()),
  ];
  expect(facts.map((f) => [f.takenOver, f.settledBy])).toEqual([
    [false, 'platform'],
    [false, 'partner'],
  ]);
  const card = scorecard(facts, seedAssessment(), assessmentMonthOf(new Date(closed.receivedAt)));
  const rate = card.partners.find((u) => u.unit === PARTNER)!.items.find((i) => i.key === 'resolutionRate')!;
  expect(rate.measure).toBe('1/2 settled = 50%');
  expect(rate.deductions[0]?.complaintIds).toEqual([c.complaintId]);
}, 60_000);
