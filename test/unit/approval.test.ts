/** The approval ladder (003 §3.7; 002 §3.3 item 3): tiers by amount and by kind, and the top tier. */
import { approverNeeded, approvesAlone, ladder } from '../../domain/approval';
import type { HandlingPolicy } from '../../domain/policy';
import { policyWidenings } from '../../domain/rule-change';
import { shippedPolicy } from '../support/fixtures';

const refund = (amountFen: number) => ({ kind: 'refund' as const, description: 'refund', amountFen });
const compensation = (amountFen: number) => ({ kind: 'compensation' as const, description: 'goodwill', amountFen });
const cancellation = { kind: 'service-cancellation' as const, description: 'cancel', service: 'music-pack' };

/** A policy pinned before the top tier and the kinds' tiers: only the amounts and `escalateTo`. */
const pinnedBefore: HandlingPolicy = { ...shippedPolicy, approval: { limitsFen: { supervisor: 50000, manager: 500000 }, escalateTo: 'manager' } };

describe('the shipped ladder', () => {
  it('runs supervisor, manager, then the general manager on top', () => {
    expect(ladder(shippedPolicy.approval)).toEqual(['supervisor', 'manager', 'general-manager']);
  });

  it('sends each amount to the lowest tier whose limit covers it, and any amount to the top', () => {
    expect(approverNeeded(shippedPolicy, refund(50_000))).toBe('supervisor');
    expect(approverNeeded(shippedPolicy, refund(50_001))).toBe('manager');
    expect(approverNeeded(shippedPolicy, refund(500_000))).toBe('manager');
    expect(approverNeeded(shippedPolicy, refund(500_001))).toBe('general-manager');
    expect(approverNeeded(shippedPolicy, refund(10_000_000_000))).toBe('general-manager');
  });

  it('starts a compensation at the manager, whatever its amount; a cancellation or a refund by its amount', () => {
    expect(approverNeeded(shippedPolicy, compensation(100))).toBe('manager');
    expect(approvesAlone(shippedPolicy, 'supervisor', compensation(100))).toBe(false);
    expect(approvesAlone(shippedPolicy, 'supervisor', refund(100))).toBe(true);
    expect(approverNeeded(shippedPolicy, compensation(500_001))).toBe('general-manager');
    expect(approverNeeded(shippedPolicy, cancellation)).toBe('supervisor');
  });

  it('lets no role off the ladder approve anything with an amount', () => {
    for (const role of ['agent', 'department', 'service', 'auditor', 'engineer'] as const) {
      expect(approvesAlone(shippedPolicy, role, refund(1))).toBe(false);
    }
  });
});

describe('a policy a complaint was pinned to before the top tier', () => {
  it('approves as before: nothing above the manager, every kind by its amount', () => {
    expect(ladder(pinnedBefore.approval)).toEqual(['supervisor', 'manager']);
    expect(approverNeeded(pinnedBefore, refund(500_000))).toBe('manager');
    expect(approverNeeded(pinnedBefore, refund(500_001))).toBeUndefined();
    expect(approvesAlone(pinnedBefore, 'supervisor', compensation(100))).toBe(true);
    expect(approvesAlone(pinnedBefore, 'general-manager', refund(1))).toBe(false);
  });
});

describe('four eyes on the ladder', () => {
  it('a top tier added, or a kind let down the ladder, widens who approves', () => {
    expect(policyWidenings(pinnedBefore, shippedPolicy)).toContain('approval.topTier: none → general-manager');
    const kindsDropped = { ...shippedPolicy, approval: { ...shippedPolicy.approval, lowestTierByKind: {} } };
    expect(policyWidenings(shippedPolicy, kindsDropped)).toEqual(['approval.lowestTierByKind.compensation: manager → none']);
    const lowered = { ...shippedPolicy, approval: { ...shippedPolicy.approval, lowestTierByKind: { compensation: 'supervisor' as const } } };
    expect(policyWidenings(shippedPolicy, lowered)).toEqual(['approval.lowestTierByKind.compensation: manager → supervisor']);
    const raised = { ...shippedPolicy, approval: { ...shippedPolicy.approval, lowestTierByKind: { compensation: 'general-manager' as const } } };
    expect(policyWidenings(shippedPolicy, raised)).toEqual([]);
  });
});
