/**
 * The complaint routes' answers as zod schemas, for /openapi.json only: the workflow builds these
 * values, the API never parses them. `satisfies` keeps the documented top-level keys of the case
 * file in step with `ComplaintState`: a new field there is a compile error here until documented.
 */
import { z } from 'zod';
import { categories, customerTiers, intakeSchema, outcomes, personSchema, severities, stages } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';

const instant = z.iso.datetime({ offset: true });
const object = z.record(z.string(), z.unknown());
const objects = z.array(object);

/**
 * The intake as a reader gets it: the customer's name and contact whole, or masked for the roles
 * that do not talk to the customer (department desks, managers, auditors: `138****0000`, `L**`).
 */
const intakeAnswer = z.object({
  ...intakeSchema.shape,
  customer: z.object({
    ...intakeSchema.shape.customer.shape,
    name: z.string().describe('whole, or its first character and `**` for department desks, managers and auditors'),
    contact: z
      .object({ phone: z.string().optional(), email: z.string().optional() })
      .describe('whole, or masked (`138****0000`, `l***@example.cn`) for department desks, managers and auditors'),
  }),
});

/** Every top-level field of the case file, typed as far as a reader needs. */
const stateFields = {
  complaintId: z.string(),
  stage: z.enum(stages),
  outcome: z.enum(outcomes).optional(),
  intake: intakeAnswer,
  receivedAt: instant,
  owner: personSchema,
  escalationLevel: z.int().min(0),
  escalations: objects,
  assignments: objects,
  proposalRound: z.int().min(0),
  proposals: objects,
  consultation: object.optional(),
  approvals: objects,
  approvedRemedy: object.optional(),
  customerDemands: z.array(z.string()),
  customerAnswers: objects,
  remindersSent: z.int().min(0),
  callback: object.optional(),
  promisedTimes: objects,
  clocks: objects.describe('every SLA clock with its deadline and whether it was met or breached'),
  slaBreached: z.boolean(),
  accountable: object.describe('who answers for the case now'),
  pendingApology: object.optional(),
  takeover: object.optional(),
  partnerCharge: object.optional(),
  contacts: objects,
  notes: objects,
  implementation: object.optional(),
  closedAt: instant.optional(),
  policyVersion: z.string(),
  effects: objects.describe('the effects ledger: every notice, dispatch, payment, penalty, archive record and webhook batch the case owes, in order, with its idempotency key and status (owed, done, failed)'),
  calendarFallback: z.array(z.string()).describe("clocks whose running deadline was computed past the business calendar's data, by its fallback"),
  effectsFailing: z.boolean().describe('some effect finally failed: see effects and the timeline'),
  eventsOwedThrough: z.int().min(0).describe('the last timeline entry owed to the lifecycle subscribers'),
  repeatContacts: objects.optional().describe('the customer contacted us again about this complaint (the repeatContact event)'),
  referrals: objects.optional().describe('regulator referrals and media exposure that arrived while the complaint was open'),
  awaitingCustomer: object.optional().describe("the approved remedy waiting for the customer's answer: since when, reminders sent"),
  pendingRuleChange: object.optional().describe('a policy or calendar that widens the rules (a higher approval limit, a longer customer clock), waiting for a second manager (rule-change-approval)'),
  limitsRaised: object.optional().describe('who raised approval limits on this complaint, and the limits before: they approve no remedy above those'),
  settledBy: object.optional().describe('who settled a transferred complaint (partner or platform, 000 §4), recorded when the customer accepts a remedy'),
} satisfies { [K in keyof Required<ComplaintState>]: z.ZodType };

/** GET /complaints/:id and every command's answer: the case file. */
export const complaintStateSchema = z.object(stateFields).extend({
  stale: z.literal(true).optional().describe("present when the complaint's worker did not answer: the last known state (archived record and current search attributes), with X-Complaint-Source: last-known"),
});

/** GET /complaints/:id/timeline */
export const timelineSchema = z.array(
  z.object({ seq: z.int(), at: instant, type: z.string(), actor: z.string().optional(), summary: z.string() }),
);

/** POST /complaints */
export const complaintOpenedSchema = z.object({
  complaintId: z.string(),
  workflowId: z.string(),
  stage: z.enum(stages).describe('awaiting-judgment when opened (201); on a replay (200), the stage the complaint is in now'),
  links: z.object({ self: z.string(), timeline: z.string() }),
});

/** One complaint in GET /complaints, read from its search attributes. */
export const complaintSummarySchema = z.object({
  complaintId: z.string(),
  workflowId: z.string(),
  stage: z.enum(stages).optional(),
  category: z.enum(categories).optional(),
  severity: z.enum(severities).optional(),
  owner: z.string().optional().describe("the owner's id"),
  escalationLevel: z.int().optional(),
  customerTier: z.enum(customerTiers).optional(),
  startedAt: instant,
  status: z.string().describe("the workflow execution's status: RUNNING, COMPLETED, ..."),
});
export type ComplaintSummary = z.infer<typeof complaintSummarySchema>;

/** GET /complaints */
export const complaintListSchema = z.object({
  items: z.array(complaintSummarySchema),
  nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
});
export type ComplaintList = z.infer<typeof complaintListSchema>;

/** The answer to a command sent with `Prefer: respond-async` (202). */
export const commandAcceptedSchema = z.object({
  commandId: z.string().describe('the command\'s id: <command>:<caller>:<Idempotency-Key>, or a generated one without a key'),
  command: z.string(),
  status: z.literal('pending'),
  links: z.object({ status: z.string().describe('GET it for pending, applied or refused'), complaint: z.string() }),
});

/** GET /complaints/:id/commands/:commandId */
export const commandStatusSchema = z.object({
  commandId: z.string(),
  command: z.string(),
  via: z.enum(['update', 'signal']).describe('sent waiting for the answer (update) or without waiting (signal)'),
  status: z.enum(['pending', 'applied', 'refused']),
  receivedAt: instant,
  decidedAt: instant.optional(),
  problem: z.record(z.string(), z.unknown()).optional().describe('for a refused command: the problem+json the synchronous route would have answered'),
  links: z.object({ self: z.string(), complaint: z.string() }),
});

/** The answer to an event from outside (202). */
export const outsideEventAcceptedSchema = z.object({
  event: z.string(),
  eventId: z.string(),
  status: z.literal('accepted'),
  links: z.object({ timeline: z.string().describe('what the event did shows on the timeline once the complaint heard it') }),
});
