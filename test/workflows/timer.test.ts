/**
 * A 48-hour timer on the time-skipping server (the test has the server to itself, as every workflow
 * test does, so no other complaint's clocks fire in the same skip): the "not upheld" dispute window
 * closes the case in well under a second of wall time.
 */
import { actors } from '../support/fixtures';
import { useWorkflowTestbed } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

test('not upheld: a reasoned reply, then closed as not upheld when the 48-hour dispute window passes', async () => {
  const c = await bed.start({ policy: { notUpheld: { disputeWindowHours: 48 } } });
  await c.send('judgeValidity', { actor: actors.owner, upheld: false, reason: 'the charge matches the plan terms' });
  const wallStart = Date.now();
  const result = await c.handle.result();
  // The time-skipping server jumps the 48-hour timer: well under a second of wall time.
  expect(Date.now() - wallStart).toBeLessThan(1000);
  expect(result.outcome).toBe('not-upheld');
  const timeline = await c.timeline();
  const at = (type: string) => Date.parse(timeline.find((e) => e.type === type)!.at);
  // In workflow time the case closed when the window ended (a workflow task runs just after its timer).
  const open = at('closed') - at('judged-not-upheld');
  expect(open).toBeGreaterThanOrEqual(48 * 3600_000);
  expect(open).toBeLessThan(48 * 3600_000 + 1000);
  const notices = c.effects('customer-notices').map((n) => n.kind);
  expect(notices).toEqual(['acknowledgement', 'not-upheld', 'closed']);
  // Filed open on intake, on the judgment (stage not-upheld), then closed.
  expect(await c.archivesOwed()).toEqual(['intake', 'not-upheld', 'closure']);
  const filed = c.effects('archive').map((a) => a.state as { stage: string; outcome?: string });
  expect(filed.map((s) => s.outcome)).toEqual([undefined, undefined, 'not-upheld']);
});

