/** policy.proactiveContact, as data (004: do not disturb customers at rest): its zod schema. */
import { z } from 'zod';
import { customerNoticeKinds } from './vocabulary';

const noticeKinds = z
  .array(z.enum(customerNoticeKinds))
  .refine((k) => new Set(k).size === k.length, 'kinds must not repeat');

/** policy.proactiveContact: which notices wait for the contact window. */
export const proactiveContactPolicySchema = z.object({
  /** Where the rule comes from. */
  source: z.string().min(1),
  /** Kinds that go out at any hour (not proactive: they answer what the customer just did). */
  anytime: noticeKinds.default([]),
  /** On an urgent complaint (001 urgent path), these kinds go out at any hour too. */
  urgentAnytime: noticeKinds.default([]),
  /** Contact only on working days (default: any day, inside the window). */
  workingDaysOnly: z.boolean().default(false),
});
export type ProactiveContactPolicy = z.infer<typeof proactiveContactPolicySchema>;
