/**
 * Four eyes on the rules: which changes widen what people may do or what the customer waits for
 * (pure), and, on a complaint's case, that such a change waits for a second manager, that no one
 * approves their own, and that no one approves a remedy under a limit they raised.
 */
import { ComplaintCase } from '../../domain/case';
import { CommandRejection } from '../../domain/case-state';
import { calendarWidenings, policyWidenings } from '../../domain/rule-change';
import type { HandlingPolicy } from '../../domain/policy';
import { actors, intake, raisedLimitPolicy, shippedCalendar, shippedPolicy } from '../support/fixtures';

const opened = new Date('2026-11-02T01:00:00Z');
const after = (minutes: number) => new Date(opened.getTime() + minutes * 60_000);
const managerA = actors.manager;
const managerB = { id: 'mgr-2', role: 'manager' as const };
const refund = (amountFen: number) => ({ kind: 'refund', description: 'Refund the duplicate charge', amountFen });

function rejection(fn: () => unknown): CommandRejection {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandRejection) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('what widens the rules', () => {
  it('a raised or new approval limit, another top approver, more roles for a level', () => {
    const next: HandlingPolicy = {
      ...shippedPolicy,
      approval: { ...shippedPolicy.approval, limitsFen: { ...shippedPolicy.approval.limitsFen, manager: 900_000, agent: 1_000 }, escalateTo: 'supervisor' },
      escalation: { ...shippedPolicy.escalation, levels: shippedPolicy.escalation.levels.map((l, i) => (i === 1 ? { ...l, roles: [...l.roles, 'agent' as const] } : l)) },
    };
    expect(policyWidenings(shippedPolicy, next)).toEqual([
      'approval.limitsFen.manager: 500000 → 900000 fen',
      'approval.limitsFen.agent: none → 1000 fen',
      'approval.escalateTo: manager → supervisor',
      'escalation.levels.1.roles: also agent',
    ]);
  });

  it('a longer customer clock, or one paused in more stages; a shorter one is no widening', () => {
    const reply = shippedPolicy.clocks.reply;
    const unit = Object.keys(reply.durations.direct.normal).find((k) => k !== 'receivedOnHoliday')!;
    const length = (reply.durations.direct.normal as unknown as Record<string, number>)[unit]!;
    const withReply = (durationFactor: number, pauseIn = reply.pauseIn): HandlingPolicy => {
      const p = structuredClone(shippedPolicy);
      (p.clocks.reply.durations.direct.normal as unknown as Record<string, number>)[unit] = length * durationFactor;
      p.clocks.reply.pauseIn = pauseIn;
      return p;
    };
    expect(policyWidenings(shippedPolicy, withReply(2))).toEqual([`clocks.reply.durations.direct.normal: ${length} ${unit} → ${length * 2} ${unit}`]);
    const stage = (['awaiting-customer', 'implementing'] as const).find((s) => !reply.pauseIn.includes(s))!;
    expect(policyWidenings(shippedPolicy, withReply(1, [...reply.pauseIn, stage]))).toEqual([`clocks.reply.pauseIn: also paused in ${stage}`]);
    expect(policyWidenings(shippedPolicy, withReply(0.5))).toEqual([]);
    expect(policyWidenings(shippedPolicy, { ...shippedPolicy, version: 'same-rules' })).toEqual([]);
  });

  it('a clock the current policy lacks is a new promise, not a widening (and the comparison does not trip on it)', () => {
    const { 'result-report': _dropped, ...clocks } = shippedPolicy.clocks;
    const without = { ...shippedPolicy, clocks: clocks as HandlingPolicy['clocks'] };
    expect(policyWidenings(without, shippedPolicy)).toEqual([]);
  });

  it('a calendar that moves a running deadline later; earlier is no widening', () => {
    const moves = [
      { clock: 'reply' as const, deadline: '2026-11-02T03:00:00.000Z', newDeadline: '2026-11-03T03:00:00.000Z', onFallback: false, newOnFallback: false },
      { clock: 'resolve' as const, deadline: '2026-11-05T03:00:00.000Z', newDeadline: '2026-11-04T03:00:00.000Z', onFallback: false, newOnFallback: false },
    ];
    expect(calendarWidenings(moves)).toEqual(['reply deadline: 2026-11-02T03:00:00.000Z → 2026-11-03T03:00:00.000Z']);
  });
});

describe('four eyes on a complaint', () => {
  const openCase = () => ComplaintCase.open('C-4EYES', intake(), shippedPolicy, shippedCalendar, opened);

  it('a policy whose JSON is well formed but whose rules are not is refused, as at start-up', () => {
    const c = openCase();
    const pausing = { ...shippedPolicy, clocks: { ...shippedPolicy.clocks, resolve: { ...shippedPolicy.clocks.resolve, pauseIn: ['awaiting-customer'] } } };
    expect(rejection(() => c.check('applyPolicy', { actor: managerA, policy: pausing, reason: 'pause resolve' }))).toMatchObject({ kind: 'invalid', field: 'policy.clocks.resolve.pauseSource' });
    const offTheLadder = { ...shippedPolicy, approval: { ...shippedPolicy.approval, lowestTierByKind: { refund: 'auditor' } } };
    expect(rejection(() => c.check('applyPolicy', { actor: managerA, policy: offTheLadder, reason: 'r' }))).toMatchObject({ kind: 'invalid', field: 'policy.approval.lowestTierByKind.refund' });
    const stray = { ...shippedPolicy, chosen: [...shippedPolicy.chosen, { path: 'notUpheld.disputeWindowDays', note: 'renamed' }] };
    expect(rejection(() => c.check('applyPolicy', { actor: managerA, policy: stray, reason: 'r' })).message).toMatch(/notUpheld\.disputeWindowDays marks nothing/);
    expect(() => c.check('applyPolicy', { actor: managerA, policy: { ...pausing, clocks: { ...pausing.clocks, resolve: { ...pausing.clocks.resolve, pauseSource: 'ours' } } }, reason: 'r' })).not.toThrow();
  });

  it('a raise waits for a second manager: nothing of it applies until then', () => {
    const c = openCase();
    c.apply('applyPolicy', { actor: managerA, policy: raisedLimitPolicy, reason: 'New quarter limits' }, after(1));
    expect(c.policy.version).toBe(shippedPolicy.version);
    expect(c.state.pendingRuleChange).toMatchObject({ kind: 'policy', proposedBy: managerA.id, widenings: ['approval.limitsFen.manager: 500000 → 900000 fen'] });
    expect(c.timeline.at(-1)).toMatchObject({ type: 'rule-change-proposed', actor: managerA.id });
  });

  it('no one approves a rule change they proposed; another manager does, and then it applies', () => {
    const c = openCase();
    c.apply('applyPolicy', { actor: managerA, policy: raisedLimitPolicy, reason: 'New quarter limits' }, after(1));
    expect(rejection(() => c.check('approveRuleChange', { actor: managerA, reason: 'mine' }))).toMatchObject({ kind: 'forbidden', field: 'actor.id' });
    c.check('approveRuleChange', { actor: managerB, reason: 'Checked' });
    c.apply('approveRuleChange', { actor: managerB, reason: 'Checked' }, after(2));
    expect(c.policy.version).toBe(raisedLimitPolicy.version);
    expect(c.state.pendingRuleChange).toBeUndefined();
    expect(c.state.limitsRaised).toEqual({ by: [managerA.id, managerB.id], before: shippedPolicy.approval.limitsFen });
    expect(c.timeline.slice(-2).map((e) => e.type)).toEqual(['rule-change-approved', 'policy-applied']);
    expect(rejection(() => c.check('approveRuleChange', { actor: managerB, reason: 'again' }))).toMatchObject({ kind: 'wrong-stage' });
  });

  it('no one approves a remedy under a limit they raised; a third manager may', () => {
    const c = openCase();
    c.apply('applyPolicy', { actor: managerA, policy: raisedLimitPolicy, reason: 'New quarter limits' }, after(1));
    c.apply('approveRuleChange', { actor: managerB, reason: 'Checked' }, after(2));
    c.apply('judgeValidity', { actor: actors.owner, upheld: true, reason: 'The bill shows the package twice', departments: ['billing'] }, after(5));
    c.apply('recordFindings', { actor: actors.billing, department: 'billing', cause: 'A retry charged twice', partyAtFault: 'billing system', evidence: ['bill'] }, after(60));
    c.apply('proposeRemedies', { actor: actors.owner, options: [refund(700_000), refund(400_000)] }, after(120));
    for (const raiser of [managerA, managerB]) {
      expect(rejection(() => c.check('approveRemedy', { actor: raiser, optionId: 'R1-1' }))).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/under a limit they raised/) });
      // Within what they could approve before the raise, they still approve.
      expect(() => c.check('approveRemedy', { actor: raiser, optionId: 'R1-2' })).not.toThrow();
    }
    expect(() => c.check('approveRemedy', { actor: { id: 'mgr-3', role: 'manager' }, optionId: 'R1-1' })).not.toThrow();
  });

  it('a change that widens nothing applies at once, as before', () => {
    const c = openCase();
    const lower = { ...shippedPolicy, version: 'lower-limits', approval: { ...shippedPolicy.approval, limitsFen: { ...shippedPolicy.approval.limitsFen, manager: 300_000 } } };
    c.apply('applyPolicy', { actor: managerA, policy: lower, reason: 'Tighter limits' }, after(1));
    expect(c.policy.version).toBe('lower-limits');
    expect(c.state.pendingRuleChange).toBeUndefined();
  });

  it('a complaint replaying from before four eyes applies the change at once, as it ran', () => {
    const c = openCase();
    c.fourEyesOnRules = false;
    c.apply('applyPolicy', { actor: managerA, policy: raisedLimitPolicy, reason: 'New quarter limits' }, after(1));
    expect(c.policy.version).toBe(raisedLimitPolicy.version);
  });
});
