/**
 * 000 §3b(3) gives the resolve clock flat limits (48 h, transferred 12 h): it runs while the
 * customer decides. Through the real workflow on the shipped policy, 72 h of the time-skipping
 * server's clock: a transferred complaint left waiting on the customer breaches and is taken over;
 * only a policy that turns the pause on (a deployment's option) keeps it running.
 */
import type { ComplaintState } from '../../domain/case';
import { actors, shippedPolicy } from '../support/fixtures';
import { useWorkflowTestbed, type ComplaintHandle } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

async function waitingOnTheCustomer(c: ComplaintHandle): Promise<ComplaintState> {
  await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'billed without consent', departments: ['billing'] });
  await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'unsolicited subscription', partyAtFault: 'SP-42' });
  await c.send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'refund', description: 'refund 20 CNY', amountFen: 2000 }] });
  return c.send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
}

async function until(c: ComplaintHandle, done: (s: ComplaintState) => boolean): Promise<ComplaintState> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await c.state();
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`state never matched: ${JSON.stringify({ stage: s.stage, clocks: s.clocks, takeover: s.takeover })}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a transferred complaint waiting 72 h on the customer breaches its resolve clock and is taken over, by default', async () => {
  const c = await bed.start({ intake: { kind: 'transferred', partner: 'SP-42' } });
  const pausing = await bed.start({
    intake: { kind: 'transferred', partner: 'SP-42' },
    policy: { clocks: { ...shippedPolicy.clocks, resolve: { ...shippedPolicy.clocks.resolve, pauseIn: ['awaiting-customer'], pauseSource: 'a deployment that pauses' } } },
  });
  const s0 = await waitingOnTheCustomer(c);
  await waitingOnTheCustomer(pausing);
  expect(s0.stage).toBe('awaiting-customer');
  const resolve0 = s0.clocks.find((k) => k.name === 'resolve')!;
  expect(Date.parse(resolve0.deadline) - Date.parse(s0.receivedAt)).toBe(12 * 3600_000); // 000: transferred, 12 h

  await bed.env.sleep('72 hours');
  const taken = await until(c, (s) => s.takeover !== undefined);
  expect(taken.stage).toBe('awaiting-customer');
  const resolve = taken.clocks.find((k) => k.name === 'resolve')!;
  expect(resolve.status).toBe('breached');
  // At its 12 h deadline (the timer fires a few milliseconds on), long before the customer answered.
  expect(Date.parse(resolve.breachedAt!) - Date.parse(resolve0.deadline)).toBeGreaterThanOrEqual(0);
  expect(Date.parse(resolve.breachedAt!) - Date.parse(resolve0.deadline)).toBeLessThan(60_000);
  expect(taken.takeover).toMatchObject({ partner: 'SP-42', clock: 'resolve', at: resolve.breachedAt });
  expect(taken.owner.id).toBe('platform-service-centre');

  // With the pause on, the same 72 h leave the resolve clock running and the partner in charge.
  const kept = await pausing.state();
  expect(kept.clocks.find((k) => k.name === 'resolve')?.status).toBe('running');
  expect(kept.takeover).toBeUndefined();
}, 60_000);
