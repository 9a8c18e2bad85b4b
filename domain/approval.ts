/**
 * Approval authority (003 §3.7: what is beyond front-line authority goes up, tier by tier): who may
 * approve which remedy on their own. The tiers are the roles with an amount limit, lowest limit
 * first, and above them the policy's top tier (002 §3.3 item 3: the general manager, 总经理, above
 * the department heads), who approves any amount of any kind. A kind of remedy may start higher on
 * the ladder than its amount would (a compensation is not a refund of the customer's own money).
 * Pure.
 */
import type { HandlingPolicy } from './policy';
import { remedyAmountFen, type RemedyKind, type Role } from './vocabulary';

type Approval = HandlingPolicy['approval'];
type Option = Parameters<typeof remedyAmountFen>[0];

/**
 * The largest amount (fen) `role` may approve on its own, of remedies of `kind` when given:
 * `Infinity` for the top tier, -1 for a role below the kind's lowest tier (it approves none of that
 * kind), 0 for roles without a limit (they approve only what costs nothing).
 */
export function approvalLimitFen(policy: HandlingPolicy, role: Role, kind?: RemedyKind): number {
  const a = policy.approval;
  if (a.topTier === role) return Infinity;
  const limit = a.limitsFen[role] ?? 0;
  const lowest = kind === undefined ? undefined : a.lowestTierByKind?.[kind];
  if (lowest !== undefined && tierRank(a, role) < tierRank(a, lowest)) return -1;
  return limit;
}

/** Whether `role` may approve `option` on its own (the approval completes the decision). */
export function approvesAlone(policy: HandlingPolicy, role: Role, option: Option): boolean {
  return remedyAmountFen(option) <= approvalLimitFen(policy, role, option.kind);
}

/**
 * The lowest tier whose approval completes the decision on `option`, or undefined when no one may
 * approve it (a policy without a top tier, above the highest limit).
 */
export function approverNeeded(policy: HandlingPolicy, option: Option): Role | undefined {
  return ladder(policy.approval).find((role) => approvesAlone(policy, role, option));
}

/** The tiers, lowest first: the roles with an amount limit by that limit, then the top tier. */
export function ladder(a: Approval): Role[] {
  const limited = (Object.entries(a.limitsFen) as Array<[Role, number]>)
    .filter(([role]) => role !== a.topTier)
    .sort(([, x], [, y]) => x - y)
    .map(([role]) => role);
  return a.topTier ? [...limited, a.topTier] : limited;
}

/** A role's place on the ladder; roles off the ladder stand below it. */
function tierRank(a: Approval, role: Role): number {
  return ladder(a).indexOf(role);
}
