/** Commanding complaints: each command as its update (or signal), and events from outside as signals. */
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { OutsideEventName, OutsideEvents } from '../../domain/outside-events';
import type { CommandName } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { commandUpdates, outsideEventSignals, submitCommandSignal, type CommandInput, type SubmittedCommand } from '../../contract/complaint';
import type { PrincipalLocals } from '../http/auth';
import { problem } from '../http/problem';
import type { ValidatedHandler } from '../http/validate';
import { prefersAsync, type commandRequest, type outsideEventRequest } from './schemas';
import type { ComplaintAccess, ComplaintWorkflow } from './access';
import type { CommandSigner } from '../auth/command-signer';
import { commandStatusLink, complaintOpened, viewFor, type CommandAccepted, type OutsideEventAccepted } from './answers';

export function commandHandlers(access: ComplaintAccess, signer: CommandSigner) {
  const { archive, client, commandWaitMs, complaint, departmentGate, exists } = access;


  /** POST /complaints/:id/<command>: send the command as its update; answer the new state. */
  function command<C extends CommandName>(name: C): ValidatedHandler<ReturnType<typeof commandRequest<C>>, PrincipalLocals> {
    const update = commandUpdates[name] as unknown as UpdateDefinition<ComplaintState, [CommandInput<C>], C>;
    return async (_req, res) => {
      const { params, headers, body } = res.locals.input;
      const handle = complaint(params.id);
      await departmentGate(res.locals.principal, params.id, handle, res, name);
      // The actor is always the authenticated principal, whatever the body says.
      // The same Idempotency-Key is the same update: Temporal answers a retry with the first result.
      // Scoped by command and caller, so one key reused for another command, or by someone else,
      // is not mistaken for a retry (nor answers with another caller's result).
      const key = headers['idempotency-key'];
      const updateId = key ? `${name}:${res.locals.principal.id}:${key}` : `${name}:${res.locals.principal.id}:${randomUUID()}`;
      // The actor is proven to the complaint: signed with the command, its id and its body.
      const proof = signer.prove({ complaintId: params.id, name, id: updateId, actor: res.locals.principal, body });
      const args: [CommandInput<C>] = [{ ...body, actor: res.locals.principal, proof } as CommandInput<C>];
      if (prefersAsync(headers.prefer)) {
        // The server records the signal at once, worker or not; the complaint judges it when it runs.
        // The command id is the update id a synchronous send would use: the same key is applied once either way.
        const commandId = updateId;
        await signalOrClosed(handle, params.id, () => handle.signal(submitCommandSignal, { commandId, command: name, input: args[0] as SubmittedCommand['input'] }));
        // Its status reads from this note while the worker is away (the server has the command already).
        await archive?.recordSubmittedCommand(params.id, commandId, name);
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
      res.json(viewFor(res.locals.principal.role, state));
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
      // The sending system is proven to the complaint, as a command's actor is.
      const proven = { ...event, sentBy: principal, proof: signer.prove({ complaintId: params.id, name, id: event.eventId, actor: principal, body: event }) };
      await signalOrClosed(handle, params.id, () => handle.signal(signal, proven as OutsideEvents[E]));
      const timeline = complaintOpened(params.id).links.timeline;
      res.status(202).set('Location', timeline).json({ event: name, eventId: event.eventId, status: 'accepted', links: { timeline } } satisfies OutsideEventAccepted);
    };
  }

  return { command, outsideEvent };
}
