/**
 * The escalation ladder (DOMAIN §6, 001/003): level by level, each level with its people and its
 * own time limit to respond. Pure data and decisions; the case file applies them.
 */
import { z } from 'zod';
import { personSchema, roles, type Role } from './complaint';

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
] as const;
export type EscalationTrigger = (typeof escalationTriggers)[number];

export const escalationPolicySchema = z.object({
  /** Level 0 is the owner; each higher level names who answers for the case and how long it has. */
  levels: z
    .array(
      z.object({
        level: z.int().min(0),
        name: z.string().min(1),
        /** Roles whose command counts as this level's response. */
        roles: z.array(z.enum(roles)).min(1),
        /** Who is accountable at this level (level 0: the owner, so none here). */
        assignee: personSchema.optional(),
        /** Hours this level has to act before the case goes one level up. */
        respondWithinHours: z.number().positive().optional(),
      }),
    )
    .min(2)
    .refine((ls) => ls.every((l, i) => l.level === i), 'levels are numbered 0, 1, 2, ... in order')
    .refine((ls) => ls.slice(1).every((l) => l.assignee), 'every level above 0 names its assignee'),
  /** The customer rejecting this many remedies escalates (003: customer dissatisfied). */
  customerRejectionsBeforeEscalation: z.int().min(1),
  /** Urgent complaints start at this level (001: special complaints escalate at once). */
  urgentStartLevel: z.int().min(0),
});
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

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
