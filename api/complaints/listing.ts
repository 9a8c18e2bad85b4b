/**
 * GET /complaints through Temporal visibility: the list filters as a visibility query over the
 * complaint's search attributes, the page token as an opaque cursor, and each execution as a
 * summary read from its search attributes. Visibility is eventually consistent: a complaint opened
 * a moment ago, or a stage changed a moment ago, may not show yet.
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, SearchAttributeType, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { COMPLAINT_WORKFLOW_TYPE, complaintWorkflowId } from '../../workflows/definitions';
import { complaintSearchAttributes as sa } from '../../workflows/search-attributes';
import { problem } from '../http/problem';
import type { ComplaintList, ComplaintSummary } from './responses';
import type { ListComplaintsQuery } from './schemas';

type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** A string literal in the visibility query language: single quotes, with quotes and backslashes escaped. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The visibility query for the filters: always the complaint workflow type, then each filter given. */
export function visibilityQuery(q: ListComplaintsQuery): string {
  const clauses = [`WorkflowType = ${quote(COMPLAINT_WORKFLOW_TYPE)}`];
  const keyword = (name: string, value: string | undefined) => value !== undefined && clauses.push(`${name} = ${quote(value)}`);
  keyword(sa.stage.name, q.stage);
  keyword(sa.category.name, q.category);
  keyword(sa.severity.name, q.severity);
  // A KeywordList attribute equals a value when the list contains it.
  keyword(sa.departments.name, q.department);
  keyword(sa.owner.name, q.owner);
  keyword(sa.customerId.name, q.customerId);
  if (q.escalationLevel !== undefined) clauses.push(`${sa.escalationLevel.name} = ${Math.trunc(q.escalationLevel)}`);
  if (q.slaBreached !== undefined) clauses.push(`${sa.slaBreached.name} = ${q.slaBreached ? 'true' : 'false'}`);
  if (q.createdFrom) clauses.push(`StartTime >= ${quote(new Date(q.createdFrom).toISOString())}`);
  if (q.createdTo) clauses.push(`StartTime < ${quote(new Date(q.createdTo).toISOString())}`);
  return clauses.join(' AND ');
}

/**
 * The cursor: 8 hex digits of the query's digest, then the server's page token in base64url. The
 * digest ties a cursor to its filters: a cursor from another query is refused, not misread.
 */
export function encodeCursor(query: string, token: Uint8Array): string {
  return `${queryDigest(query)}${Buffer.from(token).toString('base64url')}`;
}

/** The page token in a cursor; a 400 naming `query.cursor` when it is not one for this query. */
export function decodeCursor(query: string, cursor: string): Uint8Array {
  const token = cursor.slice(8);
  if (cursor.slice(0, 8) !== queryDigest(query) || token.length === 0) {
    throw problem('invalid-request', 'Check query.cursor', {
      errors: [{ field: 'query.cursor', reason: 'not a cursor from a listing with these filters' }],
    });
  }
  return Buffer.from(token, 'base64url');
}

function queryDigest(query: string): string {
  return createHash('sha256').update(query).digest('hex').slice(0, 8);
}

const WORKFLOW_ID_PREFIX = complaintWorkflowId('');
const statusPrefix = 'WORKFLOW_EXECUTION_STATUS_';

/** A search attribute key (as `defineSearchAttributeKey` makes them). */
interface SearchAttributeKey<T extends SearchAttributeType> {
  name: string;
  type: T;
}

type AttributeValue<T extends SearchAttributeType> = T extends typeof SearchAttributeType.INT | typeof SearchAttributeType.DOUBLE
  ? number
  : T extends typeof SearchAttributeType.BOOL
    ? boolean
    : T extends typeof SearchAttributeType.KEYWORD_LIST
      ? string[]
      : string;

/**
 * One search attribute of a raw execution, decoded with the public payload converter: a JSON value,
 * or a one-element list from servers that wrap single values; `undefined` when absent or mistyped.
 */
export function searchAttribute<T extends SearchAttributeType>(
  fields: Record<string, Payload> | null | undefined,
  key: SearchAttributeKey<T>,
): AttributeValue<T> | undefined {
  const payload = fields?.[key.name];
  if (!payload) return undefined;
  let value: unknown = defaultPayloadConverter.fromPayload(payload);
  if (key.type !== SearchAttributeType.KEYWORD_LIST && Array.isArray(value)) value = value.length === 1 ? value[0] : undefined;
  const expected = { INT: 'number', DOUBLE: 'number', BOOL: 'boolean' }[key.type as string] ?? 'string';
  if (key.type === SearchAttributeType.KEYWORD_LIST) return Array.isArray(value) ? (value as AttributeValue<T>) : undefined;
  return typeof value === expected ? (value as AttributeValue<T>) : undefined;
}

/** One execution as a list item, read from its search attributes (absent until the workflow first upserts them). */
export function complaintSummary(raw: RawExecution): ComplaintSummary {
  const workflowId = raw.execution?.workflowId ?? '';
  const fields = raw.searchAttributes?.indexedFields as Record<string, Payload> | undefined;
  const seconds = Number(raw.startTime?.seconds ?? 0);
  const status = temporal.api.enums.v1.WorkflowExecutionStatus[raw.status ?? 0] ?? 'UNKNOWN';
  return {
    complaintId: workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : workflowId,
    workflowId,
    stage: searchAttribute(fields, sa.stage) as ComplaintSummary['stage'],
    category: searchAttribute(fields, sa.category) as ComplaintSummary['category'],
    severity: searchAttribute(fields, sa.severity) as ComplaintSummary['severity'],
    owner: searchAttribute(fields, sa.owner),
    escalationLevel: searchAttribute(fields, sa.escalationLevel),
    customerTier: searchAttribute(fields, sa.customerTier) as ComplaintSummary['customerTier'],
    startedAt: new Date(seconds * 1000 + Math.floor((raw.startTime?.nanos ?? 0) / 1e6)).toISOString(),
    status: status.startsWith(statusPrefix) ? status.slice(statusPrefix.length) : status,
  };
}

/** One page of complaints matching the filters. */
export async function listComplaints(client: Client, q: ListComplaintsQuery): Promise<ComplaintList> {
  const query = visibilityQuery(q);
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query,
    pageSize: q.limit,
    nextPageToken: q.cursor ? decodeCursor(query, q.cursor) : undefined,
  });
  const next = response.nextPageToken;
  return {
    items: (response.executions ?? []).map(complaintSummary),
    nextCursor: next && next.length > 0 ? encodeCursor(query, next) : null,
  };
}
