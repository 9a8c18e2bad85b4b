/**
 * A clock added to the rules while complaints run, on the time-skipping server: a complaint pinned
 * to a policy from before the clock existed goes on without it (and its timeline says so), and
 * takes the clock from the moment a policy that has it is applied.
 */
import type { ClockRules } from '../../domain/clocks';
import type { HandlingPolicy } from '../../domain/policy';
import { actors, shippedPolicy } from '../support/fixtures';
import { useWorkflowTestbed } from '../support/workflow-testbed';

const bed = useWorkflowTestbed();

/** The shipped policy as it was before the result-report clock existed. */
function policyWithoutResultReport(): HandlingPolicy {
  const { 'result-report': _dropped, ...clocks } = shippedPolicy.clocks;
  return { ...shippedPolicy, version: 'before-result-report', clocks: clocks as ClockRules };
}

test('a complaint on a policy without a clock runs without it, says so, and takes it once a policy with it is applied', async () => {
  const c = await bed.start({ policy: policyWithoutResultReport() });
  const judged = await c.send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] });
  expect(judged.stage).toBe('investigating');
  expect(judged.clocks.map((k) => k.name)).not.toContain('result-report');
  const notes = (await c.timeline()).filter((e) => e.type === 'clock-not-in-policy');
  expect(notes.map((e) => e.summary)).toEqual(['Policy before-result-report has no rule for the result-report clock: it does not run on this complaint']);

  await c.send('applyPolicy', { actor: actors.manager, policy: { ...shippedPolicy, version: 'with-result-report' } as unknown as Record<string, unknown>, reason: 'The result-report clock is in the rules now' });
  const reported = await c.send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch team', evidence: ['CDR-2026-10'] });
  expect(reported.stage).toBe('proposing');
  expect(reported.clocks.find((k) => k.name === 'result-report')).toMatchObject({ status: 'running' });
  // Said once, not at every event.
  expect((await c.timeline()).filter((e) => e.type === 'clock-not-in-policy')).toHaveLength(1);
});
