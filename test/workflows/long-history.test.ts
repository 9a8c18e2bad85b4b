/**
 * A complaint whose history grows long (hundreds of notes or contacts) continues as new: handlers
 * drained, no effect batch in flight, its case carried over whole. The new run goes on exactly
 * where the old one stood, and owes nothing twice.
 */
import { actors } from '../support/fixtures';
import { useWorkflowTestbed } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

test('past its history limit a complaint continues as new with its case, and goes on to closure', async () => {
  const c = await bed.start({ continueAsNewAfterEvents: 60, policy: { callback: { sampleRate: 0 } } });
  const firstRun = (await c.handle.describe()).runId;
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  for (let i = 1; i <= 40; i++) await c.send('addNote', { actor: actors.owner, text: `call ${i}: the customer asked again` });
  const later = await c.settled();
  const run = (await c.handle.describe()).runId;
  expect(run).not.toBe(firstRun);
  // The case came along whole: notes, assignments, the ledger and the timeline.
  expect(later.notes).toHaveLength(40);
  expect(later.stage).toBe('investigating');
  expect(later.assignments[0]).toMatchObject({ department: 'billing', status: 'dispatched' });
  const timeline = await c.timeline();
  expect(timeline.filter((e) => e.type === 'note')).toHaveLength(40);
  expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
  // Nothing was owed or delivered twice across the runs.
  expect(c.effects('customer-notices').map((n) => n.kind)).toEqual(['acknowledgement', 'investigating']);
  expect(c.effects('department-dispatches')).toHaveLength(1);

  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'explanation', description: 'explained' }] });
  await c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  await c.send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  const result = await c.handle.result();
  expect(result.outcome).toBe('resolved');
  // On intake, each stage change and closure; none twice across the runs.
  expect(await c.archivesOwed()).toEqual(['intake', 'investigating', 'proposing', 'awaiting-approval', 'awaiting-customer', 'implementing', 'closure']);
  expect(c.effects('archive')).toHaveLength(7);
  expect(c.effects('customer-notices').map((n) => n.kind)).toEqual(['acknowledgement', 'investigating', 'remedy-proposed', 'remedy-done', 'closed']);
});
