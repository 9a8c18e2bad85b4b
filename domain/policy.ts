/**
 * The handling policy: every number the seeds give, as validated data. The worker loads it once
 * at start-up (a bad file stops start-up), and each complaint records the policy in force when it
 * starts, so editing the file never changes a running complaint by surprise.
 *
 * Pure module (zod only): imported by workflow code.
 */
import { z } from 'zod';
import { policyDataProblems } from './policy-problems';
import { clockRulesSchema } from './clock-rules';
import { effectFailurePolicySchema } from './effect-policy';
import { defaultEffectFailurePolicy } from './effects';
import { proactiveContactPolicySchema } from './contact-policy';
import { personSchema, roles } from './complaint';
import { remedyKinds } from './vocabulary';
import { escalationPolicySchema } from './escalation-policy';
import { outsideEventPolicyWithDefault } from './outside-event-policy';
import { retentionWithDefault } from './retention-policy';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');

const hours = z.number().positive().max(24 * 365);
/** A figure of the policy marked by its path (`*` for every key), with why it is marked. */
const markedFigure = z.object({ path: z.string().min(1), note: z.string().min(1) });
const fen = z.int().nonnegative();

export const handlingPolicySchema = z.object({
  version: z.string().min(1),
  /** The SLA clocks of docs/clocks.md, with their start/stop events and durations by kind and severity. */
  clocks: clockRulesSchema,
  /** Warn when this share of a clock has elapsed. */
  warnAtFraction: z.number().gt(0).lt(1),
  /** Proactive contacts and callbacks happen inside this local window (004: do not disturb at rest). */
  contactWindow: z.object({ start: hhmm, end: hhmm }),
  promisedTime: z.object({
    /** After a promised time passes unmet, the owner has this long to call, apologise and re-promise (001 case 1). */
    contactWithinHours: hours,
  }),
  escalation: escalationPolicySchema,
  /** 000: the platform settles a transferred complaint its partner leaves overdue, at the partner's cost. */
  takeover: z.object({
    /** Breaching any of these clocks on a transferred complaint hands it to the platform. */
    onBreachOf: z.array(z.enum(['reply', 'resolve'])).min(1),
    platformOwner: personSchema,
    handlingFeeRate: z.number().min(0).max(1),
    postageFen: fen,
    taxRate: z.number().min(0).max(1),
  }),
  approval: z.object({
    source: z.string().min(1).optional(),
    /** The largest remedy amount each role may approve alone, in fen (003: tiered authority). */
    limitsFen: z.partialRecord(z.enum(roles), fen),
    /** Who signs above the supervisor's limit: the role whose approval completes the decision. */
    escalateTo: z.enum(roles),
    /**
     * The top tier, who approves any amount of any kind (002 §3.3 item 3: the general manager).
     * Absent (policies recorded before): no one approves above `escalateTo`'s limit.
     */
    topTier: z.enum(roles).optional(),
    /**
     * Kinds of remedy that start higher on the ladder than their amount: the lowest role that
     * approves one. Roles below it choose it and pass it up. Absent: every kind by its amount.
     */
    lowestTierByKind: z.partialRecord(z.enum(remedyKinds), z.enum(roles)).optional(),
  }),
  customerAnswer: z.object({
    /** Remind a customer who has not answered the remedy, this often, this many times. */
    reminderEveryHours: hours,
    reminders: z.int().min(0).max(10),
    /**
     * After the last reminder: `escalate` to the next level (the default: 002 closes a complaint only
     * once the customer is satisfied, 顾客满意后结案), or `close-as-accepted` (an option a deployment
     * may choose; reported apart as "accepted by silence", never counted as resolved).
     */
    onSilence: z.enum(['close-as-accepted', 'escalate']),
  }),
  notUpheld: z.object({
    /** How long a "not upheld" reply stays open to the customer's dispute before the case closes. */
    disputeWindowHours: hours,
  }),
  callback: z.object({
    /** VIP customers are always called back (004); others by this sample rate, 0..1. */
    sampleRate: z.number().min(0).max(1),
  }),
  /** How long a customer's personal data is kept after their complaints close (ours; domain/retention.ts). */
  retention: retentionWithDefault,
  /** What happens when an outside system refuses an effect or stays down (ours; no seed sets it). */
  effects: effectFailurePolicySchema.default(defaultEffectFailurePolicy),
  /**
   * Proactive customer contacts and the contact window (004: 避免在用户休息时打搅用户). Absent (policies
   * recorded before): only reminders and callbacks wait, as before.
   */
  proactiveContact: proactiveContactPolicySchema.optional(),
  /** What events from outside systems do: repeat contacts, referrals, acknowledgements, confirmations (signals). */
  outsideEvents: outsideEventPolicyWithDefault,
  /** Figures that are stand-ins, not the deployment's real numbers: the reports say so. */
  placeholders: z.array(markedFigure).default([]),
  /**
   * Numbers the seeds do not give, chosen by the project, each with its reason (docs/rules.md,
   * chosen numbers). `GET /readyz` and the start banner count them.
   */
  chosen: z.array(markedFigure).default([]),
}).superRefine((policy, ctx) => {
  // What the JSON Schema cannot say: the same checks guard a policy applied to a running complaint.
  for (const p of policyDataProblems(policy)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});
export type HandlingPolicy = z.infer<typeof handlingPolicySchema>;

/** Parses a policy document, throwing one message that names every bad field. */
export function parseHandlingPolicy(raw: unknown, source = 'policy'): HandlingPolicy {
  const parsed = handlingPolicySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`Invalid handling policy in ${source}:\n${problems}`);
  }
  return parsed.data;
}

