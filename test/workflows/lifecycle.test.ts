import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RemedyOption } from '../../domain/complaint';
import { actors } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

/** Asserts an update was refused by its validator with the given failure type. */
async function expectRejected(promise: Promise<unknown>, type: string, field?: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(type);
  if (field) expect((cause as ApplicationFailure).details?.[0]).toEqual({ field });
}

/** Walks a complaint to the point where the customer answers the approved remedy. */
async function toCustomerAnswer(c: ComplaintHandle, option: RemedyOption = refund(3000)): Promise<void> {
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch team', evidence: ['CDR-2026-10'] });
  await c.send('proposeRemedies', { actor: actors.billing, options: [option] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
}

function refund(amountFen: number) {
  return { kind: 'refund' as const, description: `refund ${amountFen / 100} CNY`, amountFen };
}

describe('acceptance', () => {
  test('the first responder owns the complaint and the customer is told the promised reply time', async () => {
    const c = await bed.start();
    const s = await c.state();
    expect(s.stage).toBe('awaiting-judgment');
    expect(s.owner).toEqual({ id: 'agent-7', name: 'Zhang Min' });
    const ack = c.effects('customer-notices')[0]!;
    expect(ack.kind).toBe('acknowledgement');
    // 000: reply within 12 h of receipt.
    expect(Date.parse(ack.promisedBy as string) - Date.parse(s.receivedAt)).toBe(12 * 3600_000);
    expect(s.promisedTimes).toEqual([expect.objectContaining({ what: 'reply', by: ack.promisedBy })]);
  });

  test('a transferred complaint is promised the transferred reply time', async () => {
    const c = await bed.start({ intake: { kind: 'transferred', partner: 'SP-42' } });
    const s = await c.state();
    expect(Date.parse(s.promisedTimes[0]!.by) - Date.parse(s.receivedAt)).toBe(2 * 3600_000);
  });
});

describe('validity judgment', () => {
  test('upheld: the named departments are dispatched in parallel', async () => {
    const c = await bed.start();
    const s = await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'plausible', departments: ['billing', 'network'] });
    expect(s.stage).toBe('investigating');
    await waitFor(() => c.effects('department-dispatches').length === 2);
    expect(c.effects('department-dispatches').map((d) => d.department).sort()).toEqual(['billing', 'network']);
    // The doubles record a dispatch before its outcome is back on the case: wait for the case too.
    let statuses: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      statuses = (await c.state()).assignments.map((a) => a.status);
      if (statuses.every((st) => st === 'dispatched')) break;
    }
    expect(statuses).toEqual(['dispatched', 'dispatched']);
  });

  test('a disputed "not upheld" reopens at a higher level, judged by a supervisor', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: false, reason: 'terms' });
    const s = await c.send('disputeJudgment', { actor: actors.owner, reason: 'the customer insists the plan was changed without consent' });
    expect(s.stage).toBe('awaiting-judgment');
    expect(s.escalationLevel).toBe(1);
    expect(s.escalations[0]!.trigger).toBe('judgment-disputed');
    await expectRejected(c.send('judgeValidity', { actor: actors.owner, upheld: false, reason: 'again' }), 'CommandForbidden', 'actor.role');
    const judged = await c.send('judgeValidity', { actor: actors.supervisor, upheld: true, reason: 'consent missing', departments: ['product'] });
    expect(judged.stage).toBe('investigating');
  });

  test('validators reject a wrong stage, a wrong role, another agent, and bad data, leaving the state untouched', async () => {
    const c = await bed.start();
    const before = await c.settled();
    await expectRejected(c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true }), 'CommandInWrongStage');
    // A department that never had the case is refused before its stage is even looked at.
    await expectRejected(c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'x', partyAtFault: 'y' }), 'CommandForbidden', 'actor.department');
    await expectRejected(c.send('judgeValidity', { actor: actors.billing, upheld: false, reason: 'no' }), 'CommandForbidden', 'actor.role');
    await expectRejected(c.send('judgeValidity', { actor: actors.otherAgent, upheld: false, reason: 'no' }), 'CommandForbidden', 'actor.id');
    await expectRejected(c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'yes' } as never), 'CommandInvalid', 'departments');
    await expectRejected(c.send('judgeValidity', { actor: { id: '', role: 'agent' }, upheld: false, reason: 'no' } as never), 'CommandInvalid', 'actor.id');
    expect(await c.state()).toEqual(before);
  });
});

describe('investigation', () => {
  test('ends when every responsible department has reported; a department acts only on its own part', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'plausible', departments: ['billing', 'network'] });
    await expectRejected(
      c.send('recordFindings', { actor: actors.billing, department: 'network', cause: 'x', partyAtFault: 'y' }),
      'CommandForbidden',
      'department',
    );
    let s = await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'double rating', partyAtFault: 'billing batch', evidence: ['CDR-1'] });
    expect(s.stage).toBe('investigating');
    await expectRejected(c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'again', partyAtFault: 'y' }), 'CommandInWrongStage');
    s = await c.send('recordFindings', { actor: actors.network, department: 'network', cause: 'none on the network side', partyAtFault: 'none' });
    expect(s.stage).toBe('proposing');
    expect(s.assignments.map((a) => a.findings?.cause)).toEqual(['double rating', 'none on the network side']);
  });

  test('a department hands the case to another department, which is dispatched and reports', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'plausible', departments: ['network'] });
    const s = await c.send('handOverToDepartment', { actor: actors.network, from: 'network', to: 'billing', reason: 'a rating fault, not radio' });
    expect(s.assignments.map((a) => [a.department, a.status])).toEqual([
      ['network', 'handed-over'],
      ['billing', 'awaiting-dispatch'],
    ]);
    await waitFor(() => c.effects('department-dispatches').some((d) => d.department === 'billing'));
    await expectRejected(c.send('recordFindings', { actor: actors.network, department: 'network', cause: 'x', partyAtFault: 'y' }), 'CommandForbidden');
    const done = await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'rating', partyAtFault: 'billing' });
    expect(done.stage).toBe('proposing');
  });
});

describe('remedy proposal and approval', () => {
  test('the supervisor sends all options back with a reason, then approves a better one', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'r', departments: ['billing'] });
    await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'c', partyAtFault: 'p' });
    let s = await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'explanation', description: 'explain the plan terms' }, refund(1000)] });
    expect(s.stage).toBe('awaiting-approval');
    expect(s.proposals.map((p) => p.id)).toEqual(['R1-1', 'R1-2']);
    s = await c.send('returnRemedies', { actor: actors.supervisor, reason: 'refund the whole duplicate charge' });
    expect(s.stage).toBe('proposing');
    s = await c.send('proposeRemedies', { actor: actors.billing, options: [refund(3000)] });
    await expectRejected(c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-2' }), 'CommandInvalid', 'optionId');
    s = await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R2-1' });
    expect(s.stage).toBe('awaiting-customer');
    expect(s.approvedRemedy?.option).toEqual(refund(3000));
  });

  test('an amount over the supervisor limit needs the manager too (tiered authority)', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'r', departments: ['billing'] });
    await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'c', partyAtFault: 'p' });
    await c.send('proposeRemedies', { actor: actors.billing, options: [refund(120_000)] });
    let s = await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-approval');
    expect(s.approvals).toEqual([expect.objectContaining({ by: 'sup-1', withinAuthority: false })]);
    s = await c.send('approveRemedy', { actor: actors.manager, optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-customer');
  });

  test('beyond the manager\'s limit the manager is refused; no one approves their own proposal', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'r', departments: ['billing'] });
    await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'c', partyAtFault: 'p' });
    await c.send('proposeRemedies', { actor: actors.supervisor, options: [refund(900_000), refund(2000)] });
    await expectRejected(c.send('approveRemedy', { actor: actors.manager, optionId: 'R1-1' }), 'CommandForbidden', 'optionId');
    await expectRejected(c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-2' }), 'CommandForbidden', 'actor.id');
    const s = await c.send('approveRemedy', { actor: actors.supervisor2, optionId: 'R1-2' });
    expect(s.stage).toBe('awaiting-customer');
  });

  test('a major case needs every consulted opinion before the decision', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'r', departments: ['billing'] });
    await c.send('requireConsultation', { actor: actors.manager, approvers: ['sup-2', 'mgr-1'], reason: 'regulator copy' });
    await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'c', partyAtFault: 'p' });
    await c.send('proposeRemedies', { actor: actors.billing, options: [refund(2000)] });
    await expectRejected(c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' }), 'CommandInWrongStage');
    await expectRejected(c.send('recordConsultation', { actor: actors.supervisor, opinion: 'fine', supports: true }), 'CommandForbidden', 'actor.id');
    await c.send('recordConsultation', { actor: actors.supervisor2, opinion: 'fine', supports: true });
    await c.send('recordConsultation', { actor: actors.manager, opinion: 'agreed', supports: true });
    const s = await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-customer');
    expect(s.consultation?.opinions.map((o) => o.approver)).toEqual(['sup-2', 'mgr-1']);
  });
});

describe('customer sign-off, implementation, callback', () => {
  test('a rejection goes back to proposal with the customer demand attached', async () => {
    const c = await bed.start();
    await toCustomerAnswer(c, { kind: 'explanation', description: 'explain' });
    const s = await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: false, demand: 'refund 30 CNY' });
    expect(s.stage).toBe('proposing');
    expect(s.customerDemands).toEqual(['Refund the duplicate charge', 'refund 30 CNY']);
    expect(s.proposalRound).toBe(2);
  });

  test('accepted: the refund is paid, the penalty recorded, the customer told; a regular customer not drawn closes resolved', async () => {
    const c = await bed.start({ policy: { callback: { sampleRate: 0 } } });
    await toCustomerAnswer(c);
    await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
    const result = await c.handle.result();
    expect(result.outcome).toBe('resolved');
    expect(c.effects('payments')).toEqual([expect.objectContaining({ kind: 'refund', amountFen: 3000, customerId: 'cust-001' })]);
    expect(c.effects('penalties')).toEqual([expect.objectContaining({ department: 'billing', partyAtFault: 'billing batch team' })]);
    expect(c.effects('customer-notices').map((n) => n.kind)).toEqual([
      'acknowledgement', 'investigating', 'remedy-proposed', 'remedy-done', 'closed',
    ]);
    const published = c.effects('lifecycle-events').flatMap((b) => b.events as Array<{ id: string; type: string }>);
    expect(published.map((e) => e.type)).toEqual(expect.arrayContaining([
      'complaint.accepted', 'complaint.judged', 'complaint.dispatched', 'complaint.findings-recorded', 'complaint.remedies-proposed',
      'complaint.remedy-approved', 'complaint.customer-answered', 'complaint.resolved', 'complaint.closed',
    ]));
    expect(published.at(-1)?.type).toBe('complaint.closed');
    expect(new Set(published.map((e) => e.id)).size).toBe(published.length);
    // Filed on intake (open), on each stage change, then at closure: the closing record is the last.
    expect(await c.archivesOwed()).toEqual(['intake', 'investigating', 'proposing', 'awaiting-approval', 'awaiting-customer', 'implementing', 'closure']);
    const filed = c.effects('archive').map((a) => a.state as { stage: string; outcome?: string });
    expect(filed).toHaveLength(7);
    expect(filed[0]!.outcome).toBeUndefined();
    expect(filed.at(-1)!.stage).toBe('closed');
    const archived = c.effects('archive').at(-1) as { state: { outcome: string; callback: { required: boolean } } };
    expect(archived.state.outcome).toBe('resolved');
    expect(archived.state.callback.required).toBe(false);
  });

  test('a VIP is always called back; dissatisfied reopens with an escalation, satisfied closes', async () => {
    const c = await bed.start({ intake: { customer: { id: 'vip-9', name: 'Wang Fang', identityVerified: true, tier: 'vip', contact: { email: 'w@example.cn' } } } });
    await toCustomerAnswer(c);
    await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
    await c.reaches('awaiting-callback');
    let s = await c.send('recordCallback', { actor: actors.owner, satisfied: false, comments: 'refund too small' });
    expect(s.stage).toBe('proposing');
    expect(s.escalationLevel).toBe(1);
    expect(s.escalations.map((e) => e.trigger)).toEqual(['callback-dissatisfied']);
    await c.send('proposeRemedies', { actor: actors.billing, options: [refund(5000)] });
    await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R2-1' });
    await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
    await c.reaches('awaiting-callback');
    s = await c.send('recordCallback', { actor: actors.supervisor, satisfied: true });
    expect(s.stage).toBe('closed');
    expect((await c.handle.result()).outcome).toBe('resolved');
    expect(c.effects('payments').map((p) => p.amountFen)).toEqual([3000, 5000]);
  });

  test("a silent customer is reminded, then the case closes as accepted by silence (the 'close-as-accepted' option)", async () => {
    const c = await bed.start({ policy: { callback: { sampleRate: 0 }, customerAnswer: { reminderEveryHours: 24, reminders: 2, onSilence: 'close-as-accepted' } } });
    await toCustomerAnswer(c);
    const result = await c.handle.result();
    expect(result.outcome).toBe('accepted-by-silence');
    expect(c.effects('customer-notices').filter((n) => n.kind === 'reminder')).toHaveLength(2);
    expect(c.effects('payments')).toHaveLength(1);
  });

  test('with the escalate policy, silence escalates instead', async () => {
    const c = await bed.start({ policy: { customerAnswer: { reminderEveryHours: 24, reminders: 1, onSilence: 'escalate' } } });
    await toCustomerAnswer(c);
    // One reminder after 24 h (inside the contact window), then silence another 24 h later.
    await bed.env.sleep('72 hours');
    const s = await c.state();
    expect(s.stage).toBe('awaiting-customer');
    expect(s.remindersSent).toBe(1);
    // By then the verification update (12 h after dispatch) has breached and the level time limits
    // have taken the case to the top: the silence is recorded there.
    expect(s.escalationLevel).toBe(3);
    const silence = (await c.timeline()).filter((e) => e.summary.includes('customer-silent'));
    expect(silence.map((e) => [e.type, e.summary])).toEqual([['escalation-at-top', 'Already at the top level (customer-silent): No answer after 1 reminder(s)']]);
  });

  test('a refused payment escalates and goes back for another remedy', async () => {
    const c = await bed.start();
    bed.memory.refuse('payments', 'account closed', c.complaintId);
    await toCustomerAnswer(c);
    await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
    const s = await c.reaches('proposing');
    expect(s.implementation?.failure).toBe('account closed');
    expect(s.escalationLevel).toBe(1);
  });
});

describe('at any stage', () => {
  test('the customer withdraws: confirmed, closed, archived', async () => {
    const c = await bed.start();
    await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'r', departments: ['billing'] });
    const s = await c.send('withdraw', { actor: actors.service, reason: 'resolved with the shop' });
    expect(s).toMatchObject({ stage: 'closed', outcome: 'withdrawn' });
    expect((await c.handle.result()).outcome).toBe('withdrawn');
    expect(c.effects('customer-notices').at(-1)?.kind).toBe('withdrawn');
  });

  test('notes and customer contacts go on the timeline; a supervisor reassigns the owner', async () => {
    const c = await bed.start();
    // The test server's clock runs ahead of the wall clock (each test starts on a Monday to come): promise from its "now".
    const promised = new Date(Date.parse((await c.state()).receivedAt) + 7 * 24 * 3600_000).toISOString();
    await c.send('addNote', { actor: actors.owner, text: 'customer prefers SMS' });
    await c.send('recordContact', { actor: actors.owner, channel: 'phone', purpose: 'progress', summary: 'told them billing is checking', newPromisedTime: promised });
    await expectRejected(c.send('reassignOwner', { actor: actors.owner, newOwner: { id: 'agent-9', name: 'Chen' }, reason: 'x' }), 'CommandForbidden');
    const s = await c.send('reassignOwner', { actor: actors.supervisor, newOwner: { id: 'agent-9', name: 'Chen Jie' }, reason: 'shift change' });
    expect(s.owner.id).toBe('agent-9');
    await expectRejected(c.send('addNote', { actor: actors.owner, text: 'no longer mine' }), 'CommandForbidden', 'actor.id');
    const timeline = await c.timeline();
    const commands = timeline.filter((e) => !e.type.startsWith('clock-') && !e.type.startsWith('effect-') && e.type !== 'calendar-fallback');
    expect(commands.map((e) => e.type)).toEqual(['accepted', 'note', 'customer-contacted', 'owner-reassigned']);
    expect(commands[2]!.actor).toBe('agent-7');
    // The contact kept the acknowledgement's reply promise and made a new one.
    expect(s.promisedTimes.map((p) => [p.what, p.status])).toEqual([['reply', 'kept'], ['contact (progress)', 'pending']]);
    expect(s.promisedTimes.at(-1)).toMatchObject({ by: promised });
    await waitFor(() => c.effects('customer-notices').some((n) => n.kind === 'owner-changed'));
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
