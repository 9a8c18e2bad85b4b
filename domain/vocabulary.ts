/**
 * The complaint's vocabulary (docs/process.md): every closed list of words a complaint uses, as
 * `as const` unions, and the small pure rules on them. No zod here: workflow code imports this
 * (the schemas, for the API's edge, are in `complaint.ts`, which re-exports all of it).
 */

/** Where a complaint came in (003, 000, 002). */
export const channels = ['hotline', 'app', 'website', 'wechat', 'retail-store', 'social-media', 'email'] as const;
export type Channel = (typeof channels)[number];

/** Classification on intake (003). */
export const categories = ['network-quality', 'billing-dispute', 'service-attitude', 'value-added-service', 'other'] as const;
export type Category = (typeof categories)[number];

/** Severity decides the path (003, 001: urgent complaints take the urgent path). */
export const severities = ['normal', 'urgent'] as const;
export type Severity = (typeof severities)[number];

/** What puts a complaint on the urgent path (001: 特殊投诉紧急处理流程). */
export const urgentReasons = ['media-exposure', 'mass-complaint', 'regulator-referral', 'social-impact'] as const;
export type UrgentReason = (typeof urgentReasons)[number];

/** VIP customers are always called back (004). */
export const customerTiers = ['vip', 'regular'] as const;
export type CustomerTier = (typeof customerTiers)[number];

/**
 * Who brought the complaint to us (000 §4 服务申告): the customer (by phone or in writing, per the
 * channel), our own service centre (天天在线客服中心, e.g. transferring it to a partner), a carrier
 * company (通信公司投诉), the media (媒体曝光) or a regulator (上级通报). The scorecard charges a
 * complaint by its source, not by whether it was transferred.
 */
export const complaintSources = ['customer', 'service-centre', 'carrier', 'media', 'regulator'] as const;
export type ComplaintSource = (typeof complaintSources)[number];

/** Direct complaints, or complaints transferred to the partner (SP) that caused them (000). */
export const complaintKinds = ['direct', 'transferred'] as const;
export type ComplaintKind = (typeof complaintKinds)[number];

/** The responsible departments (docs/process.md). */
export const departments = ['network', 'product', 'billing', 'service'] as const;
export type Department = (typeof departments)[number];

/**
 * Who acts on a complaint; `engineer` only reads its history in the Temporal UI or CLI, through the
 * codec endpoint. `general-manager` (总经理, 002 §3.3 item 3) is the approval ladder's top tier;
 * `privacy-officer` erases a customer's personal data on request and reads no complaint.
 */
export const roles = ['agent', 'department', 'supervisor', 'manager', 'general-manager', 'service', 'auditor', 'engineer', 'privacy-officer'] as const;
export type Role = (typeof roles)[number];

/** The stages a complaint walks through, in order; `closed` is terminal until reopened. */
export const stages = [
  'awaiting-judgment',
  'not-upheld',
  'investigating',
  'proposing',
  'awaiting-approval',
  'awaiting-customer',
  'implementing',
  'awaiting-callback',
  'closed',
] as const;
export type Stage = (typeof stages)[number];

/** How a closed complaint ended. */
export const outcomes = ['resolved', 'not-upheld', 'withdrawn', 'accepted-by-silence'] as const;
export type Outcome = (typeof outcomes)[number];

/** What the owner told the customer on a proactive contact (001 case 1, docs/clocks.md). */
export const contactPurposes = [
  'progress',
  'cause-found',
  'remedy-ready',
  'done',
  'promised-time-missed',
  'other',
] as const;
export type ContactPurpose = (typeof contactPurposes)[number];

/** The remedies of docs/process.md. */
export const remedyKinds = [
  'explanation',
  'service-fix',
  'service-cancellation',
  'refund',
  'fee-reduction',
  'compensation',
] as const;
export type RemedyKind = (typeof remedyKinds)[number];

/** Every command on a complaint, by its update name (the wire names never change). */
export const commandNames = [
  'judgeValidity',
  'recordFindings',
  'handOverToDepartment',
  'proposeRemedies',
  'requireConsultation',
  'recordConsultation',
  'approveRemedy',
  'returnRemedies',
  'recordCustomerAnswer',
  'recordCallback',
  'disputeJudgment',
  'withdraw',
  'addNote',
  'recordContact',
  'reassignOwner',
  'escalate',
  'reclassify',
  'confirmServiceRestored',
  'applyPolicy',
  'applyCalendar',
  'approveRuleChange',
] as const;

/** The money a remedy moves, in fen (0 for remedies that move none). */
export function remedyAmountFen(option: { kind: RemedyKind } | { kind: RemedyKind; amountFen: number }): number {
  return 'amountFen' in option ? option.amountFen : 0;
}

/** The SLA clocks of the rules (docs/clocks.md). */
export const clockNames = [
  'reply',
  'resolve',
  'dispatch',
  'verification-update',
  'result-report',
  'satisfactory-answer',
  'callback',
] as const;
export type ClockName = (typeof clockNames)[number];

/** The notices a complaint sends its customer (the customer-notice effect's `kind`). */
export const customerNoticeKinds = [
  'acknowledgement',
  'investigating',
  'not-upheld',
  'remedy-proposed',
  'reminder',
  'remedy-done',
  'owner-changed',
  'withdrawn',
  'closed',
] as const;
export type CustomerNoticeKind = (typeof customerNoticeKinds)[number];

/** The kinds of effect, one per outside system's job. */
export const effectKinds = [
  'customer-notice',
  'staff-notice',
  'department-dispatch',
  'service-fix',
  'payment',
  'service-cancellation',
  'penalty',
  'archive',
  'lifecycle-events',
] as const;
export type EffectKind = (typeof effectKinds)[number];

/** What happens when an effect finally fails. */
export const failureActions = ['alert-staff', 'implementation-failed', 'dead-letter', 'record-only'] as const;
export type FailureAction = (typeof failureActions)[number];

/**
 * Every kind of entry on a complaint's timeline: the events clocks start and stop on, promises are
 * kept on, and lifecycle events are published from. A policy naming any other is refused.
 */
export const timelineEventTypes = [
  // Stage changes (the process table's events, domain/process.ts).
  'judged-upheld',
  'judged-not-upheld',
  'investigation-complete',
  'remedies-proposed',
  'remedy-approved',
  'remedies-returned',
  'customer-accepted',
  'customer-rejected',
  'remedy-implemented',
  'implementation-failed',
  'callback-due',
  'reopened',
  'closed',
  // What the people of the case do.
  'accepted',
  'findings-recorded',
  'handed-over',
  'consultation-required',
  'consulted',
  'remedy-chosen',
  'callback-recorded',
  'note',
  'customer-contacted',
  'apology-made',
  'owner-reassigned',
  'reclassified',
  'service-restored',
  'policy-applied',
  'calendar-applied',
  'rule-change-proposed',
  'rule-change-approved',
  'command-applied',
  'command-refused',
  // What the clocks, promises and escalation ladder do.
  'sla-warning',
  'sla-breached',
  'clock-met',
  'clock-met-late',
  'clock-cancelled',
  'clock-not-in-policy',
  'promise-missed',
  'escalated',
  'escalation-at-top',
  'customer-reminded',
  'accepted-by-silence',
  'taken-over',
  'partner-charged',
  'calendar-fallback',
  'calendar-covered',
  // Effects and events from outside.
  'dispatched',
  'effect-done',
  'effect-failed',
  'settlement-submitted',
  'settlement-confirmed',
  'settlement-failed',
  'repeat-contact',
  'referred',
  'dispatch-acknowledged',
  'outside-event-ignored',
] as const;
export type TimelineEventType = (typeof timelineEventTypes)[number];
