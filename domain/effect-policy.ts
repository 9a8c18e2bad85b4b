/** policy.effects, as data: the failure policy per kind of effect, its zod schema. */
import { z } from 'zod';
import { effectKinds, failureActions, type EffectKind } from './vocabulary';

const failureRule = z.object({
  /** Keep retrying an unavailable system this long from the first attempt. */
  retryForHours: z.number().positive().max(24 * 30),
  onFailure: z.enum(failureActions),
});
export type FailureRule = z.infer<typeof failureRule>;

/** The failure policy: per kind of effect, how long to retry and what a final failure does. */
export const effectFailurePolicySchema = z.object({
  /** Where the numbers come from ("chosen": ours). */
  source: z.string().optional(),
  /** Back-off between attempts while a system is unavailable: first wait, factor, longest wait. */
  retry: z.object({
    firstWaitSeconds: z.number().positive(),
    backoff: z.number().min(1),
    longestWaitMinutes: z.number().positive(),
  }),
  kinds: z.object(Object.fromEntries(effectKinds.map((k) => [k, failureRule])) as Record<EffectKind, typeof failureRule>),
});
export type EffectFailurePolicy = z.infer<typeof effectFailurePolicySchema>;
