/**
 * The approval ladder through the real workflow (003 §3.7: beyond front-line authority goes up;
 * 002 §3.3 item 3: the general manager above the department heads): an amount above the
 * manager's limit, a kind that starts above the supervisor, and a complaint pinned to a policy
 * from before the top tier.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RemedyOption } from '../../domain/complaint';
import { actors, shippedPolicy } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

async function toApproval(c: ComplaintHandle, option: RemedyOption): Promise<void> {
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'outage on the contract line', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'three-day outage', partyAtFault: 'network operations' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [option] });
}

const refund = (amountFen: number): RemedyOption => ({ kind: 'refund', description: `refund ${amountFen / 100} CNY`, amountFen });

test('above the manager\'s limit the supervisor chooses and the general manager approves', async () => {
  const c = await bed.start();
  await toApproval(c, refund(500_001));
  let s = await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  expect(s.stage).toBe('awaiting-approval');
  expect(s.escalationLevel).toBe(1);
  const manager = await refusal(c.send('approveRemedy', { actor: actors.manager, optionId: 'R1-1' }));
  expect(manager.type).toBe('CommandForbidden');
  expect(manager.message).toMatch(/beyond a manager's approval limit of 500000 fen: the general-manager approves it/);
  s = await c.send('approveRemedy', { actor: actors.generalManager, optionId: 'R1-1' });
  expect(s.stage).toBe('awaiting-customer');
  expect(s.approvedRemedy?.option).toEqual(refund(500_001));
  expect(s.approvals.map((a) => [a.role, a.withinAuthority])).toEqual([
    ['supervisor', false],
    ['general-manager', true],
  ]);
  expect((await c.timeline()).find((e) => e.type === 'remedy-chosen')?.summary).toMatch(/needs general-manager approval too/);
});

test('a compensation starts at the manager\'s tier, however small; a refund of the same amount does not', async () => {
  const c = await bed.start();
  await toApproval(c, { kind: 'compensation', description: 'goodwill for the outage', amountFen: 3000 });
  let s = await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  expect(s.stage).toBe('awaiting-approval');
  expect(s.approvals).toEqual([expect.objectContaining({ role: 'supervisor', withinAuthority: false })]);
  expect((await c.timeline()).filter((e) => e.type === 'escalated').at(-1)?.summary).toMatch(/A compensation is beyond the supervisor's tier/);
  s = await c.send('approveRemedy', { actor: actors.manager, optionId: 'R1-1' });
  expect(s.stage).toBe('awaiting-customer');

  const d = await bed.start();
  await toApproval(d, refund(3000));
  expect((await d.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' })).stage).toBe('awaiting-customer');
});

test('a complaint pinned to a policy from before the top tier keeps its old ladder', async () => {
  const c = await bed.start({ policy: { approval: { limitsFen: shippedPolicy.approval.limitsFen, escalateTo: 'manager' } } });
  await toApproval(c, refund(500_001));
  const gm = await refusal(c.send('approveRemedy', { actor: actors.generalManager, optionId: 'R1-1' }));
  expect(gm.type).toBe('CommandForbidden');
  expect(gm.message).toMatch(/beyond every approver's limit \(500000 fen\)/);
  // And its compensations go by their amount, as before.
  const d = await bed.start({ policy: { approval: { limitsFen: shippedPolicy.approval.limitsFen, escalateTo: 'manager' } } });
  await toApproval(d, { kind: 'compensation', description: 'goodwill', amountFen: 3000 });
  expect((await d.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' })).stage).toBe('awaiting-customer');
});
