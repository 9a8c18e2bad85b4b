/** policy.outsideEvents, as data: what each event from outside does, its zod schema. */
import { z } from 'zod';
import { defaultOutsideEventPolicy, settlementKinds, type OutsideEventPolicy } from './outside-events';

export const outsideEventPolicySchema = z.object({
  /** Where the numbers come from. */
  source: z.string().optional(),
  repeatContact: z.object({ escalateWhen: z.enum(['promise-missed', 'always', 'never']) }),
  externalReferral: z.object({ makeUrgent: z.boolean(), escalateToLevel: z.int().min(0).max(20) }),
  settlement: z.object({
    awaitConfirmationOf: z.array(z.enum(settlementKinds)),
    confirmWithinHours: z.number().positive().max(24 * 30),
  }),
}) satisfies z.ZodType<OutsideEventPolicy>;

export const outsideEventPolicyWithDefault = outsideEventPolicySchema.default(defaultOutsideEventPolicy);
