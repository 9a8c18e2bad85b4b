import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { ComplaintIntake } from '../domain/complaint';
import { nextLevel } from '../domain/escalation';
import type { HandlingPolicy } from '../domain/policy';

/**
 * The custom search attributes a complaint keeps current, so operators can find complaints in the
 * Temporal Web UI and the API can list them through visibility. Names are wire names: never rename.
 */
export const complaintSearchAttributes = {
  stage: defineSearchAttributeKey('ComplaintStage', SearchAttributeType.KEYWORD),
  category: defineSearchAttributeKey('ComplaintCategory', SearchAttributeType.KEYWORD),
  severity: defineSearchAttributeKey('ComplaintSeverity', SearchAttributeType.KEYWORD),
  owner: defineSearchAttributeKey('ComplaintOwner', SearchAttributeType.KEYWORD),
  departments: defineSearchAttributeKey('ComplaintDepartments', SearchAttributeType.KEYWORD_LIST),
  escalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  customerTier: defineSearchAttributeKey('CustomerTier', SearchAttributeType.KEYWORD),
  customerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  slaBreached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
  /** Some effect finally failed (a notice, dispatch, penalty, archive record or webhook batch): see the timeline. */
  effectsFailing: defineSearchAttributeKey('EffectsFailing', SearchAttributeType.BOOL),
  /** Some running deadline was computed past the calendar's data, on its fallback. */
  calendarFallback: defineSearchAttributeKey('CalendarFallback', SearchAttributeType.BOOL),
} as const;

/** `Name=Type` pairs as the Temporal CLI's `--search-attribute` flag and the compose set-up take them. */
export const searchAttributeRegistrations: ReadonlyArray<{ name: string; type: string }> = Object.values(
  complaintSearchAttributes,
).map((key) => ({
  name: key.name,
  type: { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int', BOOL: 'Bool' }[key.type as string] ?? 'Keyword',
}));

/**
 * The search attributes a complaint starts with, set by the starter (part of the start, so the
 * workflow needs no upsert for them); the workflow upserts only what changes from here.
 * `customerRef` is what the starter made of the customer's id: whoever lists workflows reads it.
 */
export function intakeSearchAttributes(intake: ComplaintIntake, policy: HandlingPolicy, customerRef: string): SearchAttributePair[] {
  const sa = complaintSearchAttributes;
  return [
    { key: sa.stage, value: 'awaiting-judgment' },
    { key: sa.category, value: intake.category },
    { key: sa.severity, value: intake.severity },
    { key: sa.owner, value: intake.acceptedBy.id },
    // 001: an urgent complaint starts escalated (as the case file does on opening).
    { key: sa.escalationLevel, value: intake.severity === 'urgent' ? nextLevel(policy.escalation, 0, policy.escalation.urgentStartLevel) : 0 },
    { key: sa.customerTier, value: intake.customer.tier },
    // A keyed hash of the customer's id, never the id (api/complaints/customer-ref.ts).
    { key: sa.customerId, value: customerRef },
    { key: sa.slaBreached, value: false },
    { key: sa.effectsFailing, value: false },
    { key: sa.calendarFallback, value: false },
  ] as SearchAttributePair[];
}
