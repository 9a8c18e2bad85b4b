/**
 * The escalation ladder (docs/clocks.md, 001/003): level by level, each level with its people and its
 * own time limit to respond. Pure data and decisions; the case file applies them.
 */
import type { EscalationPolicy } from './escalation-policy';
import type { Role } from './vocabulary';

export const escalationTriggers = [
  'sla-breach',
  'promise-missed',
  'level-timeout',
  'customer-rejections',
  'callback-dissatisfied',
  'beyond-authority',
  'urgent',
  'manual',
  'judgment-disputed',
  'customer-silent',
  'implementation-failed',
  'repeat-contact',
  'external-referral',
  'confirmation-overdue',
] as const;
export type EscalationTrigger = (typeof escalationTriggers)[number];

export type { EscalationPolicy } from './escalation-policy';

/** The level an escalation lands on: one up, or straight to `atLeast`, never past the top. */
export function nextLevel(policy: EscalationPolicy, current: number, atLeast?: number): number {
  const top = policy.levels.length - 1;
  return Math.min(top, Math.max(current + 1, atLeast ?? 0));
}

/** Whether a command from `role` counts as the accountable level's response. */
export function respondsAtLevel(policy: EscalationPolicy, level: number, role: Role): boolean {
  return level > 0 && (policy.levels[level]?.roles.includes(role) ?? false);
}

/**
 * Whether the customer's `rejections`-th rejection of a remedy escalates the case (003: the
 * customer dissatisfied with the result goes one level up): every `customerRejectionsBeforeEscalation`-th
 * rejection does (default 2: the 2nd, the 4th, ...), never the first of a run.
 */
export function escalatesOnRejection(policy: EscalationPolicy, rejections: number): boolean {
  return rejections > 0 && rejections % policy.customerRejectionsBeforeEscalation === 0;
}
