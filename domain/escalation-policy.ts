/** The escalation ladder of a policy, as data (docs/clocks.md): its zod schema. */
import { z } from 'zod';
import { personSchema } from './complaint';
import { roles } from './vocabulary';

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
