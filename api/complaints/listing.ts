/**
 * GET /complaints through Temporal visibility: the list filters as a visibility query over the
 * complaint's search attributes, the page token as an opaque cursor, and each execution as a
 * summary read from its search attributes. Visibility is eventually consistent: a complaint opened
 * a moment ago, or a stage changed a moment ago, may not show yet.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ServiceError, type Client } from '@temporalio/client';
import { defaultPayloadConverter, SearchAttributeType, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { COMPLAINT_WORKFLOW_TYPE, complaintWorkflowId } from '../../contract/complaint';
import { complaintSearchAttributes as sa } from '../../contract/search-attributes';
import { problem } from '../http/problem';
import type { ComplaintList, ComplaintSummary } from './responses';
import type { ListComplaintsQuery } from './schemas';

type RawExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** A string literal in the visibility query language: single quotes, with quotes and backslashes escaped. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The visibility query for the filters: always the complaint workflow type, then each filter given.
 * A customer is looked up by the reference `refOf` makes of their id; complaints opened before
 * references were kept carry the id itself, so both match.
 */
export function visibilityQuery(q: ListComplaintsQuery, refOf: (customerId: string) => string): string {
  const clauses = [`WorkflowType = ${quote(COMPLAINT_WORKFLOW_TYPE)}`];
  const keyword = (name: string, value: string | undefined) => value !== undefined && clauses.push(`${name} = ${quote(value)}`);
  keyword(sa.stage.name, q.stage);
  keyword(sa.category.name, q.category);
  keyword(sa.severity.name, q.severity);
  // A KeywordList attribute equals a value when the list contains it.
  keyword(sa.departments.name, q.department);
  keyword(sa.owner.name, q.owner);
  if (q.customerId !== undefined) clauses.push(`${sa.customerId.name} IN (${quote(refOf(q.customerId))}, ${quote(q.customerId)})`);
  if (q.escalationLevel !== undefined) clauses.push(`${sa.escalationLevel.name} = ${Math.trunc(q.escalationLevel)}`);
  if (q.slaBreached !== undefined) clauses.push(`${sa.slaBreached.name} = ${q.slaBreached ? 'true' : 'false'}`);
  if (q.createdFrom) clauses.push(`StartTime >= ${quote(new Date(q.createdFrom).toISOString())}`);
  if (q.createdTo) clauses.push(`StartTime < ${quote(new Date(q.createdTo).toISOString())}`);
  return clauses.join(' AND ');
}

/** How long a cursor stays good: long enough to page through, short enough that a leaked one expires. */
export const CURSOR_MAX_AGE_MS = 60 * 60 * 1000;

const CURSOR_VERSION = 1;
const MAC_BYTES = 16;
const HEADER_BYTES = 1 + 6 + MAC_BYTES;

/** Signs and checks listing cursors with one key (`CURSOR_SECRET`, or a random key per process). */
export interface CursorCodec {
  encode(query: string, token: Uint8Array, now?: number): string;
  /** The page token in `cursor`; a 400 naming `query.cursor` when it is forged, altered, from other filters, or stale. */
  decode(query: string, cursor: string, now?: number): Uint8Array;
}

/**
 * Cursors as base64url of: a version byte, the issue time (48-bit ms), an HMAC-SHA256 (first 16
 * bytes) over the version, the time, the visibility query and the server's page token, then the
 * page token. The MAC ties a cursor to its filters and to this key: a cursor altered anywhere, made
 * up, from another listing or another key (another process without a shared `CURSOR_SECRET`) is
 * refused, as is one older than {@link CURSOR_MAX_AGE_MS}; only what we issued reaches Temporal.
 */
export function cursorCodec(key: string | Uint8Array = randomBytes(32), maxAgeMs = CURSOR_MAX_AGE_MS): CursorCodec {
  const mac = (header: Buffer, query: string, token: Uint8Array) =>
    createHmac('sha256', key).update(header).update(query).update('\n').update(token).digest().subarray(0, MAC_BYTES);
  const refuse = (reason: string) =>
    problem('invalid-request', 'Check query.cursor', { errors: [{ field: 'query.cursor', reason }] });
  return {
    encode(query, token, now = Date.now()) {
      const header = Buffer.alloc(7);
      header.writeUInt8(CURSOR_VERSION, 0);
      header.writeUIntBE(now, 1, 6);
      return Buffer.concat([header, mac(header, query, token), token]).toString('base64url');
    },
    decode(query, cursor, now = Date.now()) {
      const raw = Buffer.from(cursor, 'base64url');
      if (raw.length <= HEADER_BYTES || raw.readUInt8(0) !== CURSOR_VERSION || raw.toString('base64url') !== cursor) {
        throw refuse('not a cursor from this API');
      }
      const header = raw.subarray(0, 7);
      const token = raw.subarray(HEADER_BYTES);
      if (!timingSafeEqual(raw.subarray(7, HEADER_BYTES), mac(header, query, token))) {
        throw refuse('not a cursor this API issued for a listing with these filters');
      }
      const issuedAt = header.readUIntBE(1, 6);
      if (now - issuedAt > maxAgeMs || issuedAt - now > 60_000) throw refuse('the cursor has expired; list again from the first page');
      return token;
    },
  };
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
export async function listComplaints(client: Client, cursors: CursorCodec, q: ListComplaintsQuery, refOf: (customerId: string) => string): Promise<ComplaintList> {
  const query = visibilityQuery(q, refOf);
  const nextPageToken = q.cursor ? cursors.decode(query, q.cursor) : undefined;
  let response: temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse;
  try {
    response = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize: q.limit, nextPageToken });
  } catch (err) {
    // A cursor we signed that the server no longer takes (its visibility store was reset).
    if (nextPageToken && isInvalidArgument(err)) {
      throw problem('invalid-request', 'Check query.cursor', { errors: [{ field: 'query.cursor', reason: 'the cursor is no longer valid; list again from the first page' }] });
    }
    throw err;
  }
  const next = response.nextPageToken;
  return {
    items: (response.executions ?? []).map(complaintSummary),
    nextCursor: next && next.length > 0 ? cursors.encode(query, next) : null,
  };
}

const GRPC_INVALID_ARGUMENT = 3;

function isInvalidArgument(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code ?? (err instanceof ServiceError ? (err.cause as { code?: unknown } | undefined)?.code : undefined);
  return code === GRPC_INVALID_ARGUMENT;
}
