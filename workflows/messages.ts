/**
 * A complaint's messages wired to its case: queries read it, each command's update is judged by
 * its validator and applied by its handler, commands sent without waiting are judged one at a time
 * in arrival order, and events from outside are heard once each.
 */
import { ApplicationFailure, condition, currentUpdateInfo, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ActivityOptions, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { ComplaintActivities } from '../activities';
import type { CommandName } from '../domain/complaint';
import { CommandRejection, describeCommand, type ComplaintCase, type ComplaintState, type IncomingCommand } from '../domain/case';
import { checkOutsideEvent } from '../domain/command-rules';
import { waitingRoomRefusal } from '../domain/case-file-size';
import { outsideEventNames } from '../domain/outside-events';
import { calendarDryRunQuery, commandStatusQuery, commandUpdates, complaintStateQuery, complaintTimelineQuery, outsideEventSignals, rejectionFailureTypes, submitCommandSignal } from '../contract/complaint';
import { CASE_FILE_LIMIT_PATCH, FOUR_EYES_ON_RULES_PATCH } from '../contract/versions';
import type { CommandInbox } from './command-inbox';
import type { SearchAttributePublisher } from './search-attribute-publisher';
import { fullness, keepInboxBounded, recordFits, withinCaseFile } from './case-file-limit';
import { commandSenderRefusal, eventSenderRefusal, eventWithoutProof, splitProof } from './sender-proof';
import type { TrustedKey } from '../domain/command-proof';

/**
 * A signalled command goes back to the complaint as its update (the activity sends it): the
 * update's validator judges it when it arrives, and history records what was applied.
 */
const commandOptions: ActivityOptions = {
  // An update round trip takes milliseconds; a worker killed mid-way is noticed within 15 s and the
  // activity sent again under the same update id (applied once).
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Every query, update and signal of the complaint, on its case and inbox. */
export function wireMessages(c: ComplaintCase, inbox: CommandInbox, published: SearchAttributePublisher, trustedKeys?: readonly TrustedKey[]): void {
  setHandler(complaintStateQuery, () => c.state);
  setHandler(complaintTimelineQuery, () => c.timeline);
  setHandler(calendarDryRunQuery, (calendar) => c.calendarMoves(calendar));
  setHandler(commandStatusQuery, (commandId) => inbox.status(commandId));
  for (const name of Object.keys(commandUpdates) as CommandName[]) {
    // One generic handler per command: the validator judges, the handler applies. Neither waits,
    // except for the same command (same id) already signalled and not yet judged.
    const update = commandUpdates[name] as unknown as UpdateDefinition<ComplaintState, [IncomingCommand], string>;
    setHandler(
      update,
      (message) => {
        const id = currentUpdateInfo()?.id;
        // Applied before under this id (in an earlier run, which Temporal's own dedupe forgets).
        if (inbox.applied(id)) return c.state;
        if ((name === 'applyPolicy' || name === 'applyCalendar') && !c.fourEyesOnRules) c.fourEyesOnRules = patched(FOUR_EYES_ON_RULES_PATCH);
        c.apply(name, splitProof(message).rest, new Date());
        if (id) inbox.appliedAsUpdate(id, name, new Date());
        keepInboxBounded(inbox);
        published.publish(c);
        return c.state;
      },
      {
        validator: (message) => {
          const id = currentUpdateInfo()?.id;
          if (inbox.applied(id)) return;
          // A command sent without waiting is judged by when it arrived: its proof was good then.
          const arrived = id ? inbox.status(id)?.receivedAt : undefined;
          const forged = commandSenderRefusal(trustedKeys, c.state.complaintId, name, id, message, arrived ? Date.parse(arrived) : Date.now());
          if (forged) throw ApplicationFailure.create({ type: rejectionFailureTypes.forbidden, message: `Refused: ${forged}`, details: [{ field: 'proof' }], nonRetryable: true });
          validate(c, inbox, name, splitProof(message).rest);
        },
      },
    );
  }
  setHandler(submitCommandSignal, (submitted) => {
    // Queued in arrival order; judged and applied by judgeSubmittedCommands.
    const now = new Date();
    const turnedAway = inbox.submit(submitted, now, (command, bytes) => {
      const full = waitingRoomRefusal(command.command, inbox.queuedBytes, bytes);
      return full && patched(CASE_FILE_LIMIT_PATCH) ? full : undefined;
    });
    keepInboxBounded(inbox);
    if (!turnedAway || !recordFits(c, fullness(c, inbox), 'a refused submitCommand signal')) return;
    if ('malformed' in turnedAway) c.refuseEvent('submitCommand', undefined, turnedAway.malformed, now);
    else c.recordSubmittedCommand(turnedAway.refused.command, turnedAway.refused.commandId, actorIdOf(turnedAway.refused.input), turnedAway.reason, now);
    published.publish(c);
  });
  for (const name of outsideEventNames) {
    setHandler(outsideEventSignals[name] as SignalDefinition<[unknown]>, (raw) => {
      const now = new Date();
      const room = fullness(c, inbox); // measured once: the whole case file as JSON
      if (!recordFits(c, room, `the outside event ${name}`)) return;
      const forged = eventSenderRefusal(trustedKeys, c.state.complaintId, name, raw, now.getTime());
      if (forged) {
        const eventId = (raw as { eventId?: unknown } | null)?.eventId;
        c.refuseEvent(name, typeof eventId === 'string' ? eventId : undefined, forged, now);
        published.publish(c);
        return;
      }
      const checked = checkOutsideEvent(name, eventWithoutProof(raw));
      if ('refused' in checked) {
        const eventId = (raw as { eventId?: unknown } | null)?.eventId;
        c.refuseEvent(name, typeof eventId === 'string' ? eventId : undefined, checked.refused, now);
      } else if (inbox.firstHearing(name, checked.event.eventId)) {
        // The sending system, once proven, is named on what it caused.
        c.hear(name, withinCaseFile(room, checked.event), now, trustedKeys ? (raw as { sentBy?: { id?: string } }).sentBy?.id : undefined);
      } else {
        return; // heard before: a resend changes nothing
      }
      published.publish(c);
    });
  }
}

/**
 * Commands sent without waiting, one at a time in arrival order: each goes back to the complaint as
 * the update the synchronous route sends (same id), so the update's validator judges it against the
 * case as it is when it arrives, and replay applies what history says was applied (never judging
 * again). The outcome goes on the timeline, and so to the webhook subscribers.
 */
export async function judgeSubmittedCommands(c: ComplaintCase, inbox: CommandInbox, published: SearchAttributePublisher): Promise<void> {
  for (;;) {
    await condition(() => (inbox.next !== undefined && !inbox.holding) || c.isClosed);
    const next = inbox.next;
    if (!next) return;
    if (inbox.holding) continue;
    let refusal: { kind: CommandRejection['kind']; message: string; field?: string } | undefined;
    if (c.isClosed) {
      refusal = closedRefusal(next.command);
    } else {
      inbox.judging = true;
      try {
        const { submitCommand } = proxyActivities<ComplaintActivities>({ ...commandOptions, summary: `${describeCommand(next.command)} (sent without waiting)` });
        const verdict = await submitCommand({ complaintId: c.state.complaintId, commandId: next.commandId, name: next.command, input: next.input });
        refusal = verdict.accepted ? undefined : verdict.rejection;
      } finally {
        inbox.judging = false;
      }
    }
    const now = new Date();
    if (!refusal || recordFits(c, fullness(c, inbox), `the refusal of ${next.commandId}`)) c.recordSubmittedCommand(next.command, next.commandId, actorIdOf(next.input), refusal?.message, now);
    inbox.decided(next.commandId, refusal, now);
    keepInboxBounded(inbox);
    published.publish(c);
  }
}

/** Commands still queued when the run completes: a closed complaint takes none (no judgment needed). */
export function refuseQueuedOnClosure(c: ComplaintCase, inbox: CommandInbox): void {
  for (let next = inbox.next; next; next = inbox.next) {
    const refusal = closedRefusal(next.command);
    c.recordSubmittedCommand(next.command, next.commandId, actorIdOf(next.input), refusal.message, new Date());
    inbox.decided(next.commandId, refusal, new Date());
  }
}

function closedRefusal(name: CommandName): { kind: CommandRejection['kind']; message: string } {
  return { kind: 'wrong-stage', message: `cannot ${describeCommand(name)} while the complaint is closed` };
}

function actorIdOf(input: { actor?: unknown }): string | undefined {
  const id = (input.actor as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The update validator: a refused command never enters history (ApplicationFailure → HTTP 4xx). */
function validate(c: ComplaintCase, inbox: CommandInbox, name: CommandName, command: IncomingCommand): void {
  try {
    c.check(name, command, () => inbox.sizeInBytes());
  } catch (err) {
    if (err instanceof CommandRejection) {
      throw ApplicationFailure.create({
        type: rejectionFailureTypes[err.kind],
        message: err.message,
        details: [{ field: err.field }],
        nonRetryable: true,
      });
    }
    throw err;
  }
}
