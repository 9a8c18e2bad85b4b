import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
  /** Issue 14: some running deadline was computed past the calendar's data, on its fallback. */
  calendarFallback: defineSearchAttributeKey('CalendarFallback', SearchAttributeType.BOOL),
} as const;

/** `Name=Type` pairs as the Temporal CLI's `--search-attribute` flag and the compose set-up take them. */
export const searchAttributeRegistrations: ReadonlyArray<{ name: string; type: string }> = Object.values(
  complaintSearchAttributes,
).map((key) => ({
  name: key.name,
  type: { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int', BOOL: 'Bool' }[key.type as string] ?? 'Keyword',
}));
