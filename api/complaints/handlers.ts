/**
 * The complaint handlers: open a complaint (start its workflow), read it (queries), and send it
 * commands (updates). They only translate HTTP to the workflow's contract; the workflow's
 * validators decide whether a command is accepted, and the error mapper turns refusals into 4xx.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import type { ArchiveRecord } from '../../activities/ports';
import { defaultPayloadConverter, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { OutsideEventName, OutsideEvents } from '../../domain/outside-events';
import type { CommandName, Stage } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import {
  COMPLAINT_WORKFLOW_TYPE,
  TASK_QUEUE,
  commandStatusQuery,
  commandUpdates,
  complaintStateQuery,
  complaintTimelineQuery,
  complaintWorkflowId,
  outsideEventSignals,
  submitCommandSignal,
  type CommandInput,
  type CommandStatus,
  type SubmittedCommand,
  type ComplaintResult,
  type ComplaintWorkflowInput,
} from '../../contract/complaint';
import { complaintStartInput } from '../../contract/versions';
import { mayRead } from '../../domain/case';
import type { Principal } from '../auth/credentials';
import type { PrincipalLocals } from '../http/auth';
import { problem, problemBody, refusalProblem } from '../http/problem';
import type { ValidatedHandler } from '../http/validate';
import type { ApiDeps } from '../deps';
import { complaintIdForKey, generateComplaintId, intakeDigest } from './identity';
import { cursorCodec, listComplaints } from './listing';
import { complaintUiDetails, complaintUiSummary } from './ui-metadata';
import { complaintSearchAttributes as sa, intakeSearchAttributes } from '../../contract/search-attributes';
import { routeIntakeAroundSuspension } from '../../archive/scorecard';
import { prefersAsync, type commandRequest, type commandStatusRequest, type complaintRequest, type listComplaintsRequest, type openComplaintRequest, type outsideEventRequest } from './schemas';

/** The workflow's signature, without importing its implementation. */
type ComplaintWorkflow = (input: ComplaintWorkflowInput) => Promise<ComplaintResult>;

/** The answer to POST /complaints: the same for the first request and for every retry of it. */
export interface ComplaintOpened {
  complaintId: string;
  workflowId: string;
  /** `awaiting-judgment` when opened; on a replay, the stage the complaint is in now. */
  stage: Stage;
  links: { self: string; timeline: string };
}

/** The memo key holding the digest of the intake a complaint was opened with. */
const INTAKE_DIGEST_MEMO = 'intakeDigest';

/** How long a read waits for the complaint's worker before answering the last known state. */
export const READ_WAIT_MS = 2_000;
/** How long a command waits for the complaint's worker before answering 503 with Retry-After. */
export const COMMAND_WAIT_MS = 10_000;

export function complaintHandlers(deps: ApiDeps) {
  const { client, policy, calendar, archive, assessment, cursorSecret, newComplaintId = generateComplaintId } = deps;
  const readWaitMs = deps.readWaitMs ?? READ_WAIT_MS;
  const commandWaitMs = deps.commandWaitMs ?? COMMAND_WAIT_MS;
  const cursors = cursorCodec(cursorSecret);
  const complaint = (complaintId: string): WorkflowHandle<ComplaintWorkflow> =>
    client.workflow.getHandle<ComplaintWorkflow>(complaintWorkflowId(complaintId));

  /** POST /complaints: accept a complaint (201), or recognise a retry of the same one (200). */
  const open: ValidatedHandler<typeof openComplaintRequest, PrincipalLocals> = async (_req, res) => {
    const { headers, body: intake } = res.locals.input;
    const { principal } = res.locals;
    // The first responder owns the complaint; an agent opens only the complaints it takes itself.
    if (principal.role === 'agent' && intake.acceptedBy.id !== principal.id) {
      throw problem('access-denied', `Agent ${principal.id} may open only complaints it accepts itself`, {
        errors: [{ field: 'acceptedBy.id', reason: `must be ${principal.id}, the agent sending the request` }],
      });
    }
    // 000 §2d: a partner under suspension gets no new transferred complaints: the platform keeps them.
    const startIntake = (i: typeof intake) => {
      const { intake: routed } = routeIntakeAroundSuspension(i, (partner) => assessment?.partners[partner]?.suspended === true);
      return { ...routed, receivedAt: routed.receivedAt ?? new Date().toISOString() };
    };
    const key = headers['idempotency-key'];
    const complaintId = key ? complaintIdForKey(key, principal.id) : newComplaintId();
    const workflowId = complaintWorkflowId(complaintId);
    // Digest what the client sent: a defaulted receivedAt would differ on every retry.
    const digest = intakeDigest(intake);
    let status = 201;
    try {
      await client.workflow.start<ComplaintWorkflow>(COMPLAINT_WORKFLOW_TYPE, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [complaintStartInput({ complaintId, intake: startIntake(intake), policy, calendar })],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: { [INTAKE_DIGEST_MEMO]: digest },
        // Findable from the first moment, with no upsert by the workflow.
        typedSearchAttributes: intakeSearchAttributes(intake, policy),
        // Told apart in the Web UI's list, and readable on its page, without opening anything.
        staticSummary: complaintUiSummary(complaintId, intake),
        staticDetails: complaintUiDetails(startIntake(intake)),
      });
    } catch (err) {
      if (!(key && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const { memo } = await complaint(complaintId).describe();
      if (memo?.[INTAKE_DIGEST_MEMO] !== digest) {
        throw problem('idempotency-key-reused', 'This Idempotency-Key already opened a complaint with a different body; use a new key', {
          errors: [{ field: 'Idempotency-Key', reason: 'already used for a different complaint' }],
        });
      }
      status = 200;
    }
    // A replay tells where the complaint is now, not where it started.
    const stage = status === 201 ? 'awaiting-judgment' : (await orFromArchive(() => complaint(complaintId).query(complaintStateQuery), complaintId, (r) => r.state, res)).stage;
    const opened = complaintOpened(complaintId, stage);
    res.status(status).location(opened.links.self).json(opened);
  };

  /** GET /complaints: one page of complaints matching the filters, from Temporal visibility. */
  const list: ValidatedHandler<typeof listComplaintsRequest, PrincipalLocals> = async (_req, res) => {
    const { principal } = res.locals;
    const query = { ...res.locals.input.query };
    // A department lists only the complaints it is responsible for.
    if (principal.role === 'department') {
      if (query.department !== undefined && query.department !== principal.department) {
        throw problem('access-denied', `Department ${principal.department} may list only its own complaints`, {
          errors: [{ field: 'query.department', reason: `must be ${principal.department} (or left out)` }],
        });
      }
      query.department = principal.department;
    }
    res.set('Cache-Control', 'no-store').json(await listComplaints(client, cursors, query));
  };

  /**
   * GET /complaints/:id: the case file. With the complaint's worker away, the last known state
   * within READ_WAIT_MS: the archived record overlaid with the current search attributes, marked
   * `stale: true` and `X-Complaint-Source: last-known`.
   */
  const read: ValidatedHandler<typeof complaintRequest, PrincipalLocals> = async (_req, res) => {
    const id = res.locals.input.params.id;
    let state: ComplaintState & { stale?: true };
    try {
      state = await orFromArchive(() => client.withDeadline(Date.now() + readWaitMs, () => complaint(id).query(complaintStateQuery)), id, (r) => r.state, res);
    } catch (err) {
      if (!isUnanswered(err)) throw err;
      state = await lastKnownState(id, res);
    }
    hideFromStrangers(res.locals.principal, id, state);
    res.json(state);
  };

  /** What the server and the archive know of a complaint whose worker does not answer. */
  async function lastKnownState(id: string, res: { setHeader(name: string, value: string): unknown }): Promise<ComplaintState & { stale: true }> {
    const [described, archived] = await Promise.all([
      client.withDeadline(Date.now() + readWaitMs, () => complaint(id).describe()),
      archive?.get(id),
    ]);
    if (!archived) {
      throw problem('temporal-unavailable', `Complaint ${id} did not answer and no earlier state of it is kept; try again shortly`, { headers: { 'Retry-After': '5' } });
    }
    const now = described.typedSearchAttributes;
    const was = archived.record.state;
    res.setHeader('X-Complaint-Source', 'last-known');
    return {
      ...was,
      stage: (now.get(sa.stage) as Stage | undefined) ?? was.stage,
      owner: now.get(sa.owner) && now.get(sa.owner) !== was.owner.id ? { id: now.get(sa.owner)!, name: now.get(sa.owner)! } : was.owner,
      escalationLevel: now.get(sa.escalationLevel) ?? was.escalationLevel,
      slaBreached: now.get(sa.slaBreached) ?? was.slaBreached,
      effectsFailing: now.get(sa.effectsFailing) ?? was.effectsFailing,
      stale: true,
    };
  }

  /** GET /complaints/:id/timeline: every event, oldest first. */
  const timeline: ValidatedHandler<typeof complaintRequest, PrincipalLocals> = async (_req, res) => {
    const id = res.locals.input.params.id;
    const handle = complaint(id);
    await departmentGate(res.locals.principal, id, handle, res);
    res.json(await orFromArchive(() => handle.query(complaintTimelineQuery), id, (r) => r.timeline, res));
  };

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
      return (await archive?.get(id)) !== undefined;
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
    try {
      const value = await live();
      res.setHeader('X-Complaint-Source', 'workflow');
      return value;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || !archive) throw err;
      const archived = await archive.get(complaintId);
      if (!archived) throw err;
      res.setHeader('X-Complaint-Source', 'archive');
      return pick(archived.record);
    }
  }

  /** POST /complaints/:id/<command>: send the command as its update; answer the new state. */
  function command<C extends CommandName>(name: C): ValidatedHandler<ReturnType<typeof commandRequest<C>>, PrincipalLocals> {
    const update = commandUpdates[name] as unknown as UpdateDefinition<ComplaintState, [CommandInput<C>], C>;
    return async (_req, res) => {
      const { params, headers, body } = res.locals.input;
      const handle = complaint(params.id);
      await departmentGate(res.locals.principal, params.id, handle, res, name);
      // The actor is always the authenticated principal, whatever the body says.
      const args: [CommandInput<C>] = [{ ...body, actor: res.locals.principal } as CommandInput<C>];
      // The same Idempotency-Key is the same update: Temporal answers a retry with the first result.
      // Scoped by command and caller, so one key reused for another command, or by someone else,
      // is not mistaken for a retry (nor answers with another caller's result).
      const key = headers['idempotency-key'];
      const updateId = key && `${name}:${res.locals.principal.id}:${key}`;
      if (prefersAsync(headers.prefer)) {
        // The server records the signal at once, worker or not; the complaint judges it when it runs.
        // The command id is the update id a synchronous send would use: the same key is applied once either way.
        const commandId = updateId || `${name}:${res.locals.principal.id}:${randomUUID()}`;
        await signalOrClosed(handle, params.id, () => handle.signal(submitCommandSignal, { commandId, command: name, input: args[0] as SubmittedCommand['input'] }));
        const status = commandStatusLink(params.id, commandId);
        res.status(202).set({ Location: status, 'Preference-Applied': 'respond-async' });
        res.json({ commandId, command: name, status: 'pending', links: { status, complaint: complaintOpened(params.id).links.self } } satisfies CommandAccepted);
        return;
      }
      let state: ComplaintState;
      try {
        // Bounded: with the worker away the caller hears 503 + Retry-After, not minutes of silence.
        // The server keeps the command; resent with the same Idempotency-Key it is applied once.
        state = await client.withDeadline(Date.now() + commandWaitMs, () => handle.executeUpdate(update, { args, updateId }));
      } catch (err) {
        // An update racing the workflow's completion can come back NOT_FOUND without saying so:
        // the complaint exists (closed, or only in the archive), so it is closed, not unknown.
        if (err instanceof WorkflowNotFoundError && (await exists(handle, params.id))) {
          throw problem('complaint-closed', `Complaint ${params.id} is closed and accepts no more commands`);
        }
        throw err;
      }
      res.json(state);
    };
  }

  /** Sends a signal, bounded; one to a finished complaint is 409 complaint-closed. */
  async function signalOrClosed(handle: WorkflowHandle<ComplaintWorkflow>, id: string, send: () => Promise<void>): Promise<void> {
    try {
      await client.withDeadline(Date.now() + commandWaitMs, send);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError && (await exists(handle, id))) {
        throw problem('complaint-closed', `Complaint ${id} is closed and accepts no more commands or events`);
      }
      throw err;
    }
  }

  /** GET /complaints/:id/commands/:commandId: pending, applied or refused (with the synchronous route's problem). */
  const commandStatus: ValidatedHandler<typeof commandStatusRequest, PrincipalLocals> = async (req, res) => {
    const { id, commandId } = res.locals.input.params;
    const handle = complaint(id);
    await departmentGate(res.locals.principal, id, handle, res);
    let status: CommandStatus | null | undefined;
    try {
      status = await client.withDeadline(Date.now() + readWaitMs, () => handle.query(commandStatusQuery, commandId));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      if (!isUnanswered(err)) throw err;
      status = undefined; // the worker is away: the server's history says whether it is pending
    }
    if (!status) {
      const signalled = await signalledCommand(handle, commandId);
      if (signalled) {
        res.setHeader('X-Complaint-Source', status === undefined ? 'last-known' : 'workflow');
        status = { commandId, command: signalled.command, via: 'signal', status: 'pending', receivedAt: signalled.at };
      } else if (status === null) {
        throw problem('command-not-found', `Complaint ${id} has heard of no command ${commandId}`);
      } else {
        throw problem('temporal-unavailable', `Complaint ${id} did not answer in time; try again shortly`, { headers: { 'Retry-After': '5' } });
      }
    }
    res.json(commandStatusView(id, status, req.originalUrl));
  };

  /**
   * A command signalled to the complaint's current run, found in its history (which the server
   * answers without a worker): it is pending until the complaint judges it.
   */
  async function signalledCommand(handle: WorkflowHandle<ComplaintWorkflow>, commandId: string): Promise<{ command: CommandName; at: string } | undefined> {
    const history = await client.withDeadline(Date.now() + readWaitMs, () => handle.fetchHistory());
    for (const event of history.events ?? []) {
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (signal?.signalName !== submitCommandSignal.name || !signal.input?.payloads?.[0]) continue;
      const sent = defaultPayloadConverter.fromPayload<SubmittedCommand>(signal.input.payloads[0]);
      if (sent?.commandId === commandId) {
        const t = event.eventTime;
        const at = t ? new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : new Date().toISOString();
        return { command: sent.command, at };
      }
    }
    return undefined;
  }

  /** POST /complaints/:id/events/<event>: an event from outside, as its signal (202: the complaint hears it when it runs). */
  function outsideEvent<E extends OutsideEventName>(name: E): ValidatedHandler<ReturnType<typeof outsideEventRequest<E>>, PrincipalLocals> {
    const signal = outsideEventSignals[name] as unknown as SignalDefinition<[OutsideEvents[E]]>;
    return async (_req, res) => {
      const { params, body } = res.locals.input;
      const { principal } = res.locals;
      const event = body as OutsideEvents[E];
      if (principal.role === 'department' && 'department' in event && event.department !== principal.department) {
        throw problem('access-denied', `${principal.department} acknowledges only its own dispatches`, {
          errors: [{ field: 'department', reason: `must be ${principal.department}` }],
        });
      }
      const handle = complaint(params.id);
      await departmentGate(principal, params.id, handle, res);
      await signalOrClosed(handle, params.id, () => handle.signal(signal, event));
      const timeline = complaintOpened(params.id).links.timeline;
      res.status(202).set('Location', timeline).json({ event: name, eventId: event.eventId, status: 'accepted', links: { timeline } } satisfies OutsideEventAccepted);
    };
  }

  return { open, list, read, timeline, command, commandStatus, outsideEvent };
}

/** The answer to a command sent with `Prefer: respond-async`. */
export interface CommandAccepted {
  commandId: string;
  command: CommandName;
  status: 'pending';
  links: { status: string; complaint: string };
}

/** The answer to an event from outside: the server holds it; its effect shows on the timeline. */
export interface OutsideEventAccepted {
  event: OutsideEventName;
  eventId: string;
  status: 'accepted';
  links: { timeline: string };
}

/** Where a command's status is read. */
export function commandStatusLink(complaintId: string, commandId: string): string {
  return `/complaints/${encodeURIComponent(complaintId)}/commands/${encodeURIComponent(commandId)}`;
}

/** GET /complaints/:id/commands/:commandId's answer: the status, and for a refusal the problem the synchronous route gives. */
export function commandStatusView(complaintId: string, status: CommandStatus, instance?: string) {
  const { rejection, ...rest } = status;
  return {
    ...rest,
    ...(rejection ? { problem: problemBody(refusalProblem(rejection.kind, rejection.message, rejection.field), instance) } : {}),
    links: { self: commandStatusLink(complaintId, status.commandId), complaint: complaintOpened(complaintId).links.self },
  };
}

/** The worker did not answer in time (or the server was away): a read falls back, a command is 503. */
function isUnanswered(err: unknown): boolean {
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

/** The links and ids of an opened complaint. */
export function complaintOpened(complaintId: string, stage: Stage = 'awaiting-judgment'): ComplaintOpened {
  const self = `/complaints/${encodeURIComponent(complaintId)}`;
  return {
    complaintId,
    workflowId: complaintWorkflowId(complaintId),
    stage,
    links: { self, timeline: `${self}/timeline` },
  };
}

/** The answer for an unknown complaint, the same as the error mapper's for a workflow not found. */
function notFound(complaintId: string) {
  return problem('complaint-not-found', `There is no complaint ${complaintId}`);
}
