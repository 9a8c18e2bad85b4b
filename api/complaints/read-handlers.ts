/** Reading complaints: the list, the case file, the timeline and a command's status (queries). */
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { CommandName, Stage } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { commandStatusQuery, complaintStateQuery, complaintTimelineQuery, submitCommandSignal, type CommandStatus, type SubmittedCommand } from '../../contract/complaint';
import type { PrincipalLocals } from '../http/auth';
import { problem } from '../http/problem';
import type { ValidatedHandler } from '../http/validate';
import type { ApiDeps } from '../deps';
import { cursorCodec, listComplaints } from './listing';
import { customerRefs } from './customer-ref';
import { complaintSearchAttributes as sa } from '../../contract/search-attributes';
import type { commandStatusRequest, complaintRequest, listComplaintsRequest } from './schemas';
import { erasedAsGone, isUnanswered, notFound, type ComplaintAccess, type ComplaintWorkflow } from './access';
import { commandStatusView, viewFor } from './answers';
import { personalDataViews, viewOfPersonalData } from '../../domain/personal-data-view';

export function readHandlers(deps: ApiDeps, access: ComplaintAccess) {
  const { cursorSecret } = deps;
  const refOf = customerRefs(deps.customerRefKey);
  const { client, archive, readWaitMs, complaint, departmentGate, hideFromStrangers, orFromArchive } = access;
  const cursors = cursorCodec(cursorSecret);

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
    res.set('Cache-Control', 'no-store').json(await listComplaints(client, cursors, query, refOf));
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
    res.json(viewFor(res.locals.principal.role, state));
  };

  /** What the server and the archive know of a complaint whose worker does not answer. */
  async function lastKnownState(id: string, res: { setHeader(name: string, value: string): unknown }): Promise<ComplaintState & { stale: true }> {
    const [described, archived] = await Promise.all([
      client.withDeadline(Date.now() + readWaitMs, () => complaint(id).describe()),
      archive?.get(id).catch(erasedAsGone(id)),
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
    const view = personalDataViews[res.locals.principal.role];
    // A masked view masks the customer's own name and contact wherever the events repeat them.
    const [events, customer] = await Promise.all([
      orFromArchive(() => handle.query(complaintTimelineQuery), id, (r) => r.timeline, res),
      view === 'masked' ? orFromArchive(() => handle.query(complaintStateQuery), id, (r) => r.state, res).then((s) => s.intake.customer) : undefined,
    ]);
    res.json(viewOfPersonalData(events, customer, view));
  };

  /** GET /complaints/:id/commands/:commandId: pending, applied or refused (with the synchronous route's problem). */
  const commandStatus: ValidatedHandler<typeof commandStatusRequest, PrincipalLocals> = async (req, res) => {
    const { id, commandId } = res.locals.input.params;
    const handle = complaint(id);
    await departmentGate(res.locals.principal, id, handle, res);
    await access.refuseErased(id);
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
   * A command signalled to the complaint, pending until the complaint judges it: as the API noted
   * it in the archive; without an archive, found in the complaint's history (which the server
   * answers without a worker, at the cost of reading it whole).
   */
  async function signalledCommand(handle: WorkflowHandle<ComplaintWorkflow>, commandId: string): Promise<{ command: CommandName; at: string } | undefined> {
    if (archive) return (await archive.submittedCommand(handle.workflowId.slice('complaint-'.length), commandId)) as { command: CommandName; at: string } | undefined;
    const history = await client.withDeadline(Date.now() + readWaitMs, () => handle.fetchHistory());
    for (const event of history.events ?? []) {
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (signal?.signalName !== submitCommandSignal.name || !signal.input?.payloads?.[0]) continue;
      // Through the client's codec: the history holds the signal's input encrypted.
      const sent = await decodeFromPayloadsAtIndex<SubmittedCommand>(client.options.loadedDataConverter, 0, signal.input.payloads);
      if (sent?.commandId === commandId) {
        const t = event.eventTime;
        const at = t ? new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : new Date().toISOString();
        return { command: sent.command, at };
      }
    }
    return undefined;
  }

  return { list, read, timeline, commandStatus };
}
