/**
 * What every complaint handler shares: the complaint's workflow handle, reading from the workflow
 * or else the archive, and the object-level rule that hides a complaint from a principal who may
 * not know of it (the same 404 as an unknown id).
 */
import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { ArchiveRecord } from '../../activities/ports';
import type { CommandName } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { complaintStateQuery, complaintWorkflowId, type ComplaintResult, type ComplaintWorkflowInput } from '../../contract/complaint';
import { mayRead } from '../../domain/case';
import type { Principal } from '../auth/credentials';
import { problem } from '../http/problem';
import { PersonalDataErased } from '../../config/customer-envelope';
import type { ApiDeps } from '../deps';
import { complaintSearchAttributes as sa } from '../../contract/search-attributes';

/** The workflow's signature, without importing its implementation. */
export type ComplaintWorkflow = (input: ComplaintWorkflowInput) => Promise<ComplaintResult>;

/** What the handlers are built from: the Temporal client, the archive and how long to wait for a worker. */
export interface ComplaintAccessOptions {
  client: Client;
  archive: ApiDeps['archive'];
  readWaitMs: number;
  commandWaitMs: number;
}

/** The shared helpers of the complaint handlers, over one client and archive. */
export type ComplaintAccess = ReturnType<typeof complaintAccess>;

export function complaintAccess({ client, archive, readWaitMs, commandWaitMs }: ComplaintAccessOptions) {
  const complaint = (complaintId: string): WorkflowHandle<ComplaintWorkflow> =>
    client.workflow.getHandle<ComplaintWorkflow>(complaintWorkflowId(complaintId));

  /**
   * Object-level rule for departments: a complaint a department never had is, to it, a complaint
   * that does not exist. Every read and command answers the same 404 as an unknown id, so neither
   * its stage nor its existence leaks. Other roles pass without a look.
   */
  async function departmentGate(
    principal: Principal,
    id: string,
    handle: WorkflowHandle<ComplaintWorkflow>,
    res: { setHeader(name: string, value: string): unknown },
    command?: CommandName,
  ): Promise<void> {
    if (principal.role !== 'department') return;
    // The desk now responsible (the usual case: findings, proposals) is known to the server
    // itself, from the complaint's search attributes: no query, so no round trip to the worker
    // and no state shipped back and forth before every departmental command.
    if (await responsibleNow(principal, handle)) return;
    let state: Pick<ComplaintState, 'assignments' | 'consultation'>;
    try {
      state = await orFromArchive(() => client.withDeadline(Date.now() + readWaitMs, () => handle.query(complaintStateQuery)), id, (r) => r.state, res);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      if (!isUnanswered(err)) throw err;
      // The worker is slow or away: the server still knows which departments are responsible now.
      const described = await client.withDeadline(Date.now() + readWaitMs, () => handle.describe());
      if ((described.typedSearchAttributes.get(sa.departments) ?? []).includes(principal.department!)) return;
      // Not responsible now: only the case file says whether it ever was. Give the worker the
      // time a command gets before answering 503 (a busy worker must not turn a 404 into a 503).
      try {
        state = await client.withDeadline(Date.now() + commandWaitMs, () => handle.query(complaintStateQuery));
      } catch (again) {
        if (!isUnanswered(again)) throw again;
        throw problem('temporal-unavailable', `Complaint ${id} did not answer in time; try again shortly`, { headers: { 'Retry-After': '5' } });
      }
    }
    // A consultation names its approvers one by one: a named desk may give its opinion.
    const named = command === 'recordConsultation' && (state.consultation?.approvers.includes(principal.id) ?? false);
    if (!named) hideFromStrangers(principal, id, state);
  }

  /**
   * Whether the principal's department is responsible for the complaint now, by its
   * `ComplaintDepartments` search attribute (upserted in the same workflow task as the command
   * that changed it). A workflow the server no longer has (history past retention) is "not
   * known": the gate then asks the case file, as for any department not responsible now.
   */
  async function responsibleNow(principal: Principal, handle: WorkflowHandle<ComplaintWorkflow>): Promise<boolean> {
    try {
      const described = await client.withDeadline(Date.now() + readWaitMs, () => handle.describe());
      return (described.typedSearchAttributes.get(sa.departments) ?? []).includes(principal.department!);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Whether the complaint exists: its workflow (running or closed), or its record in the archive. */
  async function exists(handle: WorkflowHandle<ComplaintWorkflow>, id: string): Promise<boolean> {
    try {
      await handle.describe();
      return true;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return (await archive?.get(id).catch((e: unknown) => (e instanceof PersonalDataErased ? true : Promise.reject(e)))) !== undefined;
    }
  }

  /** 404, as for an unknown id, when the principal may not know of this complaint. */
  function hideFromStrangers(principal: Principal, id: string, state: Pick<ComplaintState, 'assignments'>): void {
    if (!mayRead(principal, state)) throw notFound(id);
  }

  /**
   * Reads from the workflow; once its history is gone (past the namespace's retention), from the
   * archive, which keeps every closed complaint's record. `X-Complaint-Source` says which.
   */
  async function orFromArchive<T>(
    live: () => Promise<T>,
    complaintId: string,
    pick: (record: ArchiveRecord) => T,
    res: { setHeader(name: string, value: string): unknown },
  ): Promise<T> {
    await refuseErased(complaintId);
    try {
      const value = await live();
      res.setHeader('X-Complaint-Source', 'workflow');
      return value;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || !archive) throw err;
      const archived = await archive.get(complaintId).catch(erasedAsGone(complaintId));
      if (!archived) throw err;
      res.setHeader('X-Complaint-Source', 'archive');
      return pick(archived.record);
    }
  }

  /** 410 for a complaint whose customer's personal data was erased: its history and record no longer open. */
  async function refuseErased(complaintId: string): Promise<void> {
    if (await archive?.customerKeys?.isErased(complaintId)) throw erased(complaintId);
  }

  return { client, archive, readWaitMs, commandWaitMs, complaint, departmentGate, exists, hideFromStrangers, orFromArchive, refuseErased };
}

/** The worker did not answer in time (or the server was away): a read falls back, a command is 503. */
export function isUnanswered(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const grpc = ((err as { cause?: unknown } | null)?.cause ?? err) as { code?: unknown; details?: unknown } | null;
  // A query to a task queue no worker has polled lately fails at once, with FAILED_PRECONDITION.
  if (grpc?.code === GRPC_FAILED_PRECONDITION) return /no poller/i.test(String(grpc.details));
  // Our own deadline (withDeadline) ends a waiting query as CANCELLED, not DEADLINE_EXCEEDED.
  return grpc?.code === GRPC_DEADLINE_EXCEEDED || grpc?.code === GRPC_UNAVAILABLE || grpc?.code === GRPC_CANCELLED;
}
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_CANCELLED = 1;

const erased = (complaintId: string) =>
  problem('personal-data-erased', `The personal data of complaint ${complaintId}'s customer was erased; the complaint still counts in the reports`);

/** An archived record that no longer opens (its customer erased) answers 410. */
export const erasedAsGone =
  (complaintId: string) =>
  (err: unknown): never => {
    throw err instanceof PersonalDataErased ? erased(complaintId) : err;
  };

/** The answer for an unknown complaint, the same as the error mapper's for a workflow not found. */
export function notFound(complaintId: string) {
  return problem('complaint-not-found', `There is no complaint ${complaintId}`);
}
