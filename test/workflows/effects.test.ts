/**
 * The failure policy of effects, on the time-skipping server: an outside system that refuses, or
 * stays down for good, never fails or jams a complaint. The failure is on the timeline, the owner
 * and the supervisor are told, and `EffectsFailing` makes the complaint findable.
 */
import type { ComplaintState } from '../../domain/case';
import { actors, shippedPolicy } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

/** The standard path to closure for a regular complaint not drawn for a callback. */
async function driveToClosure(c: ComplaintHandle): Promise<void> {
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'explanation', description: 'The second charge was refunded by the bank' }] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
}

async function effectsFailing(c: ComplaintHandle): Promise<unknown> {
  const described = await c.handle.describe();
  return described.searchAttributes.EffectsFailing;
}

function failed(s: ComplaintState) {
  return s.effects.filter((e) => e.status === 'failed').map((e) => ({ kind: e.kind, outcome: e.outcome }));
}

const noCallback = { callback: { sampleRate: 0 } };

test('a refused customer notice: the complaint goes on and closes; the failure is recorded, told and findable', async () => {
  const c = await bed.start({ policy: noCallback });
  bed.memory.refuse('customer-notices', 'no such subscriber number', c.complaintId);
  await driveToClosure(c);
  const s = await c.handle.result().then(() => c.state());
  expect(s.stage).toBe('closed');
  expect(s.outcome).toBe('resolved');
  expect(failed(s).map((f) => f.kind)).toEqual(['customer-notice', 'customer-notice', 'customer-notice', 'customer-notice', 'customer-notice']);
  expect(failed(s)[0]!.outcome).toBe('refused: no such subscriber number');
  expect(s.effectsFailing).toBe(true);
  expect(await effectsFailing(c)).toEqual([true]);
  expect((await c.timeline()).filter((e) => e.type === 'effect-failed')).toHaveLength(5);
  // The owner and the supervisor on duty are told, once per failed effect.
  const told = c.effects('staff-notices').filter((n) => n.kind === 'effect-failed').map((n) => n.recipient);
  expect(told.filter((r) => r === actors.owner.id)).toHaveLength(5);
  expect(told.filter((r) => r === 'supervisor-on-duty')).toHaveLength(5);
  // Everything else arrived.
  expect(c.effects('department-dispatches')).toHaveLength(1);
  // Filed on intake, on each stage change (so reports see it as it is), and at closure.
  expect(await c.archivesOwed()).toEqual(['intake', 'investigating', 'proposing', 'awaiting-approval', 'awaiting-customer', 'implementing', 'closure']);
  expect(c.effects('archive')).toHaveLength(7);
});

test('a refused dispatch: the department can still report, the complaint closes, the failure is findable', async () => {
  const c = await bed.start({ policy: noCallback });
  bed.memory.refuse('department-dispatches', 'unknown work queue', c.complaintId);
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  const afterJudgment = await c.settled();
  expect(failed(afterJudgment)).toEqual([{ kind: 'department-dispatch', outcome: 'refused: unknown work queue' }]);
  expect(afterJudgment.stage).toBe('investigating');
  bed.memory.restore('department-dispatches', c.complaintId);
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'explanation', description: 'explained' }] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  await c.handle.result();
  const s = await c.state();
  expect(s.outcome).toBe('resolved');
  expect(await effectsFailing(c)).toEqual([true]);
  expect((await c.timeline()).find((e) => e.type === 'effect-failed')?.summary).toBe('Failed: dispatch to billing (refused): unknown work queue');
});

test('a webhook subscriber down for good: the complaint closes at once; the events are dead-lettered after the policy limit', async () => {
  // The policy's limit for webhooks, shortened to 2 h here (72 h shipped) so the skipped clock
  // crosses a handful of retries, not a hundred.
  const effects = { ...shippedPolicy.effects, kinds: { ...shippedPolicy.effects.kinds, 'lifecycle-events': { retryForHours: 2, onFailure: 'dead-letter' as const } } };
  const c = await bed.start({ policy: { ...noCallback, effects } });
  bed.memory.takeDown('lifecycle-events', c.complaintId);
  await driveToClosure(c);
  // The case does not wait for the subscriber: it is closed and its customer told.
  const closed = await c.reaches('closed');
  expect(closed.outcome).toBe('resolved');
  expect(c.effects('customer-notices').map((n) => n.kind)).toContain('closed');
  // The run lasts until the lifecycle batches are dead-lettered: step through the policy's 2 h
  // (awaiting result() lets the server skip freely).
  for (let minutes = 0; minutes < 150; minutes += 15) await bed.env.sleep('15 minutes');
  for (const deadline = Date.now() + 20_000; (await c.handle.describe()).status.name === 'RUNNING' && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await c.handle.describe()).status.name).toBe('COMPLETED');
  const s = await c.state();
  const batches = s.effects.filter((e) => e.kind === 'lifecycle-events');
  expect(batches.length).toBeGreaterThan(0);
  expect(batches.every((e) => e.status === 'failed' && e.outcome!.startsWith('unavailable for 2 h'))).toBe(true);
  expect(batches.every((e) => e.attempts > 1)).toBe(true);
  expect(s.effectsFailing).toBe(true);
  expect(s.effects.filter((e) => e.kind !== 'lifecycle-events').every((e) => e.status === 'done')).toBe(true);
}, 120_000);

test('a dispatch system down for a while: retried with back-off, delivered once when it is back', async () => {
  const c = await bed.start({ policy: noCallback });
  bed.memory.takeDown('department-dispatches', c.complaintId);
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  await bed.env.sleep('10 minutes');
  const waiting = (await c.state()).effects.find((e) => e.kind === 'department-dispatch')!;
  expect(waiting.status).toBe('owed');
  expect(waiting.attempts).toBeGreaterThan(1);
  expect(waiting.retryAt).toBeDefined();
  bed.memory.restore('department-dispatches', c.complaintId);
  await bed.env.sleep('2 hours');
  const s = await c.settled();
  const dispatch = s.effects.find((e) => e.kind === 'department-dispatch')!;
  expect(dispatch.status).toBe('done');
  expect(c.effects('department-dispatches')).toHaveLength(1);
  expect(s.assignments[0]!.status).toBe('dispatched');
  expect(s.effectsFailing).toBe(false);
});

test('a refused payment is the implementation failing: back to proposing, escalated, nothing left owed', async () => {
  const c = await bed.start({ policy: noCallback });
  bed.memory.refuse('payments', 'account closed', c.complaintId);
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'refund', description: 'refund', amountFen: 3000 }] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  const s = await c.reaches('proposing');
  expect(s.implementation?.failure).toBe('account closed');
  // The business path handles it: no staff alarm for an effect, and the search attribute stays clear.
  expect(s.effectsFailing).toBe(false);
  expect(c.effects('penalties')).toHaveLength(0);
});
