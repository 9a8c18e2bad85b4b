/**
 * The zod schemas of everything that enters a complaint: the intake record and every command,
 * over the vocabulary of `vocabulary.ts` (re-exported here). The API validates requests with them;
 * the workflow's validators check the same rules through their JSON Schema
 * (`workflows/generated/command-schemas.json`), because commands can also arrive straight from the
 * Temporal CLI, and the workflow bundle carries no zod.
 */
import { z } from 'zod';

export * from './vocabulary';
import {
  categories,
  channels,
  commandNames,
  complaintKinds,
  complaintSources,
  contactPurposes,
  customerTiers,
  departments,
  roles,
  severities,
  urgentReasons,
} from './vocabulary';
import type { OutsideEventName, OutsideEvents } from './outside-events';

/**
 * Text every later step can store: well-formed UTF-16 (no lone surrogate, which no UTF-8 store can
 * hold), no NUL (PostgreSQL's text and jsonb refuse it), and something besides white space (the
 * value is trimmed). The pattern means the same with and without the `u` flag.
 */
export const storableText = /^(?=[\s\S]*\S)(?:[^\0\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
/** The same, but it may be empty (optional free text such as callback comments). */
const storableOrEmpty = /^(?:[^\0\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * Storable text of `min`..`max` characters (Unicode code points, as JSON Schema counts them),
 * counted as sent (leading and trailing spaces count, as the document's maxLength says), then trimmed.
 */
const boundedText = (max: number, min: 0 | 1 = 1) =>
  z
    .string()
    .refine((s) => [...s].length <= max, `at most ${max} characters`)
    .trim()
    .regex(
      min > 0 ? storableText : storableOrEmpty,
      min > 0 ? 'must contain a non-space character, and no NUL or lone surrogate' : 'must contain no NUL or lone surrogate',
    )
    .meta({ ...(min > 0 ? { minLength: min } : {}), maxLength: max });
const id = boundedText(128);
const text = (max: number) => boundedText(max);

/** A UTC offset real time zones use: -12:00 … +14:00 (we accept ±14:00); `Z` is UTC. */
const realOffset = /(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)$/;
/** The instants a complaint can hold: years 2000–2099, so every clock, report and calendar can reckon with them. */
const plausibleYear = /^20\d\d-/;
/**
 * An ISO 8601 instant with an offset, within ±14:00, in the years 2000–2099. (The API narrows
 * `receivedAt` further, to a window around now: see api/complaints/schemas.ts.)
 */
export const isoInstant = z.iso
  .datetime({ offset: true })
  .regex(realOffset, 'the offset must be Z or within ±14:00')
  .regex(plausibleYear, 'the year must be within 2000–2099')
  .meta({ format: 'date-time' });

/**
 * An e-mail address, one schema for requests and answers: RFC 5321's limits (local part at most
 * 64 characters, the whole at most 254), dot-atom local part, a domain of labels of 1–63 letters,
 * digits and hyphens, and a top-level domain of letters.
 */
export const emailSchema = z
  .email({
    pattern: /^(?=[^@]{1,64}@)[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
    error: 'an e-mail address (local part at most 64 characters)',
  })
  .max(254);
/** Money in fen (0.01 CNY), as an integer: no floating-point yuan anywhere. */
const amountFen = z.int().positive().max(100_000_000_00);

export const personSchema = z.object({ id, name: text(100) });
export type Person = z.infer<typeof personSchema>;

/** Whoever sends a command: over HTTP always the authenticated caller; from the Temporal CLI, as given. */
export const actorSchema = z
  .object({ id, role: z.enum(roles), department: z.enum(departments).optional() })
  .refine((a) => a.role !== 'department' || a.department !== undefined, {
    message: 'a department actor must name its department',
    path: ['department'],
  });
export type Actor = z.infer<typeof actorSchema>;

/** The complaint record (《用户投诉记录表》, 004; 003): docs/process.md. */
export const intakeSchema = z
  .object({
    customer: z.object({
      id,
      name: text(100),
      identityVerified: z.boolean(),
      tier: z.enum(customerTiers),
      contact: z
        .object({ phone: z.string().regex(/^\+?[0-9 -]{5,20}$/).optional(), email: emailSchema.optional() })
        .refine((c) => c.phone !== undefined || c.email !== undefined, {
          message: 'give a phone number or an e-mail address',
        })
        .meta({ anyOf: [{ required: ['phone'] }, { required: ['email'] }], description: 'a phone number, an e-mail address, or both' }),
    }),
    channel: z.enum(channels),
    category: z.enum(categories),
    severity: z.enum(severities),
    urgentReason: z.enum(urgentReasons).optional().describe('why an urgent complaint is urgent'),
    service: text(200).describe('the service or business the complaint concerns'),
    content: text(5000),
    demand: text(2000).describe("the customer's demand"),
    kind: z.enum(complaintKinds).default('direct'),
    source: z.enum(complaintSources).default('customer').describe('who brought the complaint (000 §4): the customer, our service centre, a carrier company, the media or a regulator'),
    partner: id.optional().describe('the partner (SP) a transferred complaint was transferred to'),
    receivedAt: isoInstant
      .optional()
      .describe(
        'when the complaint was received; defaults to now. The API accepts it from RECEIVED_AT_MAX_AGE_DAYS ago (default 30) ' +
          'to RECEIVED_AT_MAX_SKEW_SECONDS ahead of its clock (default 300), a time ahead taken as now; outside that window ' +
          'is 400 validation-failed',
      ),
    acceptedBy: personSchema.describe('the first responder, who owns the complaint to the end (首问负责制)'),
  })
  .refine((i) => i.kind === 'direct' || i.partner !== undefined, {
    message: 'a transferred complaint names its partner',
    path: ['partner'],
  })
  .meta({
    description: 'A transferred complaint (kind "transferred") names its partner. An urgent complaint starts escalated (escalation.urgentStartLevel of the policy).',
    anyOf: [{ not: { required: ['kind'] } }, { properties: { kind: { const: 'direct' } } }, { required: ['partner'] }],
  });
export type ComplaintIntake = z.infer<typeof intakeSchema>;
export type ComplaintIntakeInput = z.input<typeof intakeSchema>;

export const findingsSchema = z.object({
  cause: text(2000),
  partyAtFault: text(200).describe('the staff member, department or partner at fault'),
  evidence: z.array(text(500)).max(50).default([]).describe('references to call records, usage detail, logs'),
  poorHandling: z
    .boolean()
    .optional()
    .describe('000 §4: the complaint was caused by poor reception or handling (接待、处理不当): it counts as a service complaint'),
});
export type Findings = z.infer<typeof findingsSchema>;

const remedyBase = { description: text(2000) };
export const remedyOptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('explanation'), ...remedyBase }),
  z.object({ kind: z.literal('service-fix'), ...remedyBase, promisedBy: isoInstant }),
  z.object({ kind: z.literal('service-cancellation'), ...remedyBase, service: text(200) }),
  z.object({ kind: z.literal('refund'), ...remedyBase, amountFen }),
  z.object({ kind: z.literal('fee-reduction'), ...remedyBase, amountFen }),
  z.object({ kind: z.literal('compensation'), ...remedyBase, amountFen }),
]);
export type RemedyOption = z.infer<typeof remedyOptionSchema>;


// ---- Commands: the body of each update, without its actor ----

export const commandSchemas = {
  judgeValidity: z.discriminatedUnion('upheld', [
    z.object({
      upheld: z.literal(true),
      reason: text(2000),
      departments: z.array(z.enum(departments)).min(1).max(departments.length)
        .refine((d) => new Set(d).size === d.length, 'departments must not repeat')
        .meta({ uniqueItems: true }),
    }),
    z.object({ upheld: z.literal(false), reason: text(2000).describe('the reasoned reply to the customer') }),
  ]),
  recordFindings: z.object({ department: z.enum(departments) }).extend(findingsSchema.shape),
  handOverToDepartment: z.object({ from: z.enum(departments), to: z.enum(departments), reason: text(1000) })
    .refine((h) => h.from !== h.to, { message: 'hand over to another department', path: ['to'] })
    .meta({
      description: '`to` must differ from `from`',
      not: { anyOf: departments.map((d) => ({ properties: { from: { const: d }, to: { const: d } }, required: ['from', 'to'] })) },
    }),
  proposeRemedies: z.object({ options: z.array(remedyOptionSchema).min(1).max(10) }),
  requireConsultation: z.object({
    approvers: z
      .array(id)
      .min(2)
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'approvers must not repeat')
      .meta({ uniqueItems: true, description: 'the ids of the approvers to consult, none twice (compared after trimming)' }),
    reason: text(1000),
  }),
  recordConsultation: z.object({ opinion: text(2000), supports: z.boolean() }),
  approveRemedy: z.object({ optionId: id, note: text(1000).optional() }),
  returnRemedies: z.object({ reason: text(1000) }),
  recordCustomerAnswer: z.discriminatedUnion('accepted', [
    z.object({ accepted: z.literal(true), note: text(1000).optional() }),
    z.object({ accepted: z.literal(false), demand: text(2000).describe('what the customer wants instead') }),
  ]),
  recordCallback: z.object({ satisfied: z.boolean(), comments: boundedText(2000, 0).default('') }),
  disputeJudgment: z.object({ reason: text(2000) }),
  withdraw: z.object({ reason: text(1000) }),
  addNote: z.object({ text: text(5000) }),
  recordContact: z.object({
    channel: z.enum(['phone', 'sms', 'email', 'wechat', 'in-person']),
    purpose: z.enum(contactPurposes),
    summary: text(2000),
    newPromisedTime: isoInstant.optional().describe('a new time promised to the customer, if any'),
  }),
  reassignOwner: z.object({ newOwner: personSchema, reason: text(1000) }),
  escalate: z.object({ reason: text(1000) }),
  reclassify: z
    .object({
      severity: z.enum(severities).optional(),
      urgentReason: z.enum(urgentReasons).optional(),
      kind: z.enum(complaintKinds).optional(),
      partner: id.optional(),
      reason: text(1000),
    })
    .refine((r) => r.severity !== undefined || r.kind !== undefined || r.urgentReason !== undefined, {
      message: 'change the severity, the urgent reason or the kind',
      path: ['severity'],
    })
    .meta({
      description: 'names at least one of severity, urgentReason, kind',
      anyOf: [{ required: ['severity'] }, { required: ['urgentReason'] }, { required: ['kind'] }],
    }),
  confirmServiceRestored: z.object({ note: text(1000).optional() }),
  applyPolicy: z.object({
    policy: z.record(z.string(), z.unknown()).describe('a complete handling policy (validated by the complaint)'),
    reason: text(1000),
  }),
  applyCalendar: z.object({
    calendar: z.record(z.string(), z.unknown()).describe('a complete business calendar, as config/calendars/<name>/ assembles it (validated by the complaint)'),
    reason: text(1000),
  }),
  approveRuleChange: z.object({ reason: text(1000).describe("the second manager's reason for letting the change take effect") }),
} as const;

export type CommandName = keyof typeof commandSchemas;
/** The vocabulary's command names (what workflow code sees) and the schemas name the same commands. */
const commandNamesMatch: [CommandName] extends [(typeof commandNames)[number]] ? ([(typeof commandNames)[number]] extends [CommandName] ? true : false) : false = true;
void commandNamesMatch;
/** The body of a command as it arrives (before defaults are applied). */
export type CommandBody<C extends CommandName> = z.input<(typeof commandSchemas)[C]>;
/** The body of a command after validation. */
export type ParsedCommand<C extends CommandName> = z.infer<(typeof commandSchemas)[C]>;
/** What every update carries: the command body plus who sends it. */
export type Command<C extends CommandName> = CommandBody<C> & { actor: Actor };

// ---- Events from outside systems (signals; see outside-events.ts) ----

const eventId = id.describe('the sender\'s id for this event: the same id twice is heard once');

export const outsideEventSchemas = {
  repeatContact: z.object({ eventId, channel: z.enum(channels), note: text(2000).optional() }),
  externalReferral: z.object({ eventId, source: z.enum(['regulator', 'media']), reference: id.optional(), note: text(2000).optional() }),
  dispatchAcknowledged: z.object({ eventId, department: z.enum(departments), reference: id.optional() }),
  settlementConfirmed: z.object({
    eventId,
    effectKey: id.describe('the ledger key of the payment or cancellation it answers for'),
    outcome: z.enum(['confirmed', 'failed']),
    reference: id.optional(),
    reason: text(1000).optional(),
  }),
} as const satisfies { [E in OutsideEventName]: z.ZodType<OutsideEvents[E]> };
