/** Approval authority (003: tiered authority): how much each role may approve on its own. Pure. */
import type { HandlingPolicy } from './policy';
import type { Role } from './vocabulary';

/** The largest amount (fen) `role` may approve on its own; roles without a limit approve nothing. */
export function approvalLimitFen(policy: HandlingPolicy, role: Role): number {
  return policy.approval.limitsFen[role] ?? 0;
}
