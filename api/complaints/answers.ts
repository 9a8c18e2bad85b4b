/** The bodies the complaint handlers answer with (besides the case file itself), and their links. */
import type { CommandName, Role, Stage } from '../../domain/complaint';
import type { ComplaintState } from '../../domain/case';
import { personalDataViews, viewOfPersonalData } from '../../domain/personal-data-view';
import type { OutsideEventName } from '../../domain/outside-events';
import { complaintWorkflowId, type CommandStatus } from '../../contract/complaint';
import { problemBody, refusalProblem } from '../http/problem';

/** The answer to POST /complaints: the same for the first request and for every retry of it. */
export interface ComplaintOpened {
  complaintId: string;
  workflowId: string;
  /** `awaiting-judgment` when opened; on a replay, the stage the complaint is in now. */
  stage: Stage;
  links: { self: string; timeline: string };
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


/** A case file as `role` may read it: the customer's personal data whole or masked (domain/personal-data-view.ts). */
export function viewFor(role: Role, state: ComplaintState): ComplaintState {
  return viewOfPersonalData(state, state.intake.customer, personalDataViews[role]);
}
