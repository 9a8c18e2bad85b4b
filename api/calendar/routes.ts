/**
 * The business calendar across open complaints: `POST /calendar/dry-run` answers whose
 * running deadlines a calendar would move; `POST /calendar/apply` sends `applyCalendar` to every
 * open complaint. The calendar is the one in CALENDAR_PATH now (read afresh, so a year file just
 * dropped in counts), or one given in the body. Each complaint answers for itself (its own clock
 * rules, kind, severity and calendar): the API only lists the open ones and gathers the answers.
 */
import { randomUUID } from 'node:crypto';
import { developmentCommandSigner } from '../auth/command-signer';
import { Router } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { businessCalendarSchema, type BusinessCalendar } from '../../domain/calendar-data';
import { commandSchemas } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { describeCommand, rolesAllowedTo } from '../../domain/case';
import type { DeadlineMove } from '../../domain/clocks';
import { COMPLAINT_WORKFLOW_TYPE, calendarDryRunQuery, commandUpdates, complaintWorkflowId, type CommandInput } from '../../contract/complaint';
import { routeAccess } from '../auth/access';
import { permit, type PrincipalLocals } from '../http/auth';
import { jsonBody } from '../http/json-body';
import { methodNotAllowed, problem } from '../http/problem';
import { validate, type ValidatedHandler } from '../http/validate';
import { quote } from '../complaints/listing';
import type { ApiDeps } from '../deps';

const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const calendarField = businessCalendarSchema.optional().describe('the calendar to try; absent: the one in CALENDAR_PATH now');

/** POST /calendar/dry-run */
export const calendarDryRunRequest = { body: z.strictObject({ calendar: calendarField }).default({}) };

/** POST /calendar/apply */
export const calendarApplyRequest = {
  headers: idempotencyHeaders,
  body: z.strictObject({ calendar: calendarField, reason: commandSchemas.applyCalendar.shape.reason }),
};

/** One deadline the calendar would move, on one complaint. */
export interface CalendarMove {
  complaintId: string;
  clock: DeadlineMove['clock'];
  from: string;
  to: string;
  /** Whether the current deadline rests on the calendar's fallback, and whether the new one would. */
  onFallback: boolean;
  newOnFallback: boolean;
}

/** A complaint that could not be asked or refused: its id and why. */
export interface ComplaintNotReached {
  complaintId: string;
  reason: string;
}

/** The answer to POST /calendar/dry-run. */
export interface CalendarDryRun {
  calendar: { name: string; years: number[] };
  openComplaints: number;
  /** Complaints whose running deadlines would move. */
  complaintsMoved: number;
  moves: CalendarMove[];
  notAnswered: ComplaintNotReached[];
}

/** The answer to POST /calendar/apply. */
export interface CalendarApplied {
  calendar: { name: string; years: number[] };
  openComplaints: number;
  applied: number;
  /** Of those applied, how many wait for a second manager: the same request by another manager approves them (four eyes). */
  awaitingSecondManager: number;
  notApplied: ComplaintNotReached[];
}

/** How many complaints are asked at once (each is a query or an update on its workflow). */
const CONCURRENCY = 8;
/** How long one complaint gets to answer. */
const PER_COMPLAINT_WAIT_MS = 10_000;

/** The ids of the running complaint workflows (Temporal visibility: eventually consistent). */
export async function openComplaintIds(client: Client): Promise<string[]> {
  const prefix = complaintWorkflowId('');
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowType = ${quote(COMPLAINT_WORKFLOW_TYPE)} AND ExecutionStatus = 'Running'` })) {
    if (execution.workflowId.startsWith(prefix)) ids.push(execution.workflowId.slice(prefix.length));
  }
  return ids;
}

/** Runs `fn` over `items`, `limit` at a time; each outcome is kept (none throws out). */
async function eachLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<Array<PromiseSettledResult<R>>> {
  const results: Array<PromiseSettledResult<R>> = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i]!) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Why a complaint did not answer, in one line (an update's refusal carries its reason as the cause). */
function reasonOf(err: unknown): string {
  const e = err as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? String(err);
}

export function calendarRoutes(deps: Pick<ApiDeps, 'client' | 'calendar' | 'loadCalendar' | 'commandSigner'>): Router {
  const { client } = deps;
  const signer = deps.commandSigner ?? developmentCommandSigner();
  const current = (given: BusinessCalendar | undefined): BusinessCalendar => {
    if (given) return given;
    try {
      return deps.loadCalendar?.() ?? deps.calendar;
    } catch (err) {
      // An operator's new year file that does not validate: say what is wrong with it.
      throw problem('calendar-invalid', (err as Error).message);
    }
  };
  const summary = (c: BusinessCalendar) => ({ name: c.name, years: c.years });
  const handle = (id: string) => client.workflow.getHandle(complaintWorkflowId(id));

  const dryRun: ValidatedHandler<typeof calendarDryRunRequest, PrincipalLocals> = async (_req, res) => {
    const calendar = current(res.locals.input.body.calendar);
    const ids = await openComplaintIds(client);
    const answers = await eachLimited(ids, CONCURRENCY, (id) =>
      client.withDeadline(Date.now() + PER_COMPLAINT_WAIT_MS, () => handle(id).query(calendarDryRunQuery, calendar)),
    );
    const moves: CalendarMove[] = [];
    const notAnswered: ComplaintNotReached[] = [];
    answers.forEach((a, i) => {
      const complaintId = ids[i]!;
      if (a.status === 'rejected') notAnswered.push({ complaintId, reason: reasonOf(a.reason) });
      else for (const m of a.value) moves.push({ complaintId, clock: m.clock, from: m.deadline, to: m.newDeadline, onFallback: m.onFallback, newOnFallback: m.newOnFallback });
    });
    const answer: CalendarDryRun = { calendar: summary(calendar), openComplaints: ids.length, complaintsMoved: new Set(moves.map((m) => m.complaintId)).size, moves, notAnswered };
    res.set('Cache-Control', 'no-store').json(answer);
  };

  const apply: ValidatedHandler<typeof calendarApplyRequest, PrincipalLocals> = async (_req, res) => {
    const { headers, body } = res.locals.input;
    const calendar = current(body.calendar);
    const { principal } = res.locals;
    const update = commandUpdates.applyCalendar as unknown as UpdateDefinition<ComplaintState, [CommandInput<'applyCalendar'>], 'applyCalendar'>;
    const command = { calendar: calendar as unknown as Record<string, unknown>, reason: body.reason };
    // With an Idempotency-Key, a retried request is the same update on each complaint: applied once.
    const key = headers['idempotency-key'];
    const updateId = key ? `applyCalendar:${principal.id}:${key}` : `applyCalendar:${principal.id}:${randomUUID()}`;
    const ids = await openComplaintIds(client);
    const results = await eachLimited(ids, CONCURRENCY, (id) => {
      // Proven to each complaint on its own: a proof holds for one complaint only.
      const proof = signer.prove({ complaintId: id, name: 'applyCalendar', id: updateId, actor: principal, body: command });
      const args: [CommandInput<'applyCalendar'>] = [{ ...command, actor: principal, proof }];
      return client.withDeadline(Date.now() + PER_COMPLAINT_WAIT_MS, () => handle(id).executeUpdate(update, { args, updateId }));
    });
    const notApplied = results.flatMap((r, i) => (r.status === 'rejected' ? [{ complaintId: ids[i]!, reason: reasonOf(r.reason) }] : []));
    const awaitingSecondManager = results.filter((r) => r.status === 'fulfilled' && r.value.pendingRuleChange?.proposedBy === principal.id).length;
    const answer: CalendarApplied = { calendar: summary(calendar), openComplaints: ids.length, applied: ids.length - notApplied.length, awaitingSecondManager, notApplied };
    res.json(answer);
  };

  const router = Router();
  router
    .route('/calendar/dry-run')
    .post(permit(routeAccess.calendarDryRun, 'try a calendar on open complaints'), jsonBody, validate(calendarDryRunRequest), dryRun)
    .all(methodNotAllowed(['POST']));
  router
    .route('/calendar/apply')
    .post(permit(rolesAllowedTo('applyCalendar'), describeCommand('applyCalendar'), 'command-forbidden'), jsonBody, validate(calendarApplyRequest), apply)
    .all(methodNotAllowed(['POST']));
  return router;
}
