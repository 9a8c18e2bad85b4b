/**
 * The complaint paths: opening, listing and reading complaints, and the command and outside-event
 * routes generated from `commandRoutes` and `outsideEventRoutes`.
 */
import { rolesAllowedTo } from '../../domain/case';
import { outsideEventAccess, routeAccess } from '../auth/access';
import { commandRoutes, outsideEventRoutes } from '../complaints/commands';
import { commandRequest, commandStatusRequest, complaintRequest, listComplaintsRequest, openComplaintRequest, outsideEventRequest } from '../complaints/schemas';
import { commandBodyName, ref, type RouteSpec } from './spec';

/** Who reads a complaint, as the reads say it. */
const departmentReadRule =
  'A department reads only complaints it is or was responsible for; for any other it gets 404 complaint-not-found, ' +
  'the answer for an id that does not exist, so that it learns nothing of the complaint, not even that it exists.';

/** The complaint routes, fixed and generated from the command table. */
export function complaintRouteSpecs(): RouteSpec[] {
  const read = [400, 404];
  return [
    {
      method: 'post',
      path: '/complaints',
      operationId: 'openComplaint',
      summary: 'Open a complaint (starts its workflow); a retry with the same Idempotency-Key answers 200',
      tag: 'complaints',
      request: openComplaintRequest,
      bodyName: 'ComplaintIntake',
      roles: routeAccess.openComplaint,
      access:
        'An agent opens only complaints it accepts itself (acceptedBy.id is the agent). receivedAt, when given, lies within ' +
        'RECEIVED_AT_MAX_AGE_DAYS (default 30) before now and RECEIVED_AT_MAX_SKEW_SECONDS (default 300) after it; a receipt ' +
        'time ahead of the clock is taken as now. A complaint with severity urgent starts escalated. With an Idempotency-Key, ' +
        'a retry of the same body answers 200 with the stage the complaint is in now; the same key with another body is 422 ' +
        'idempotency-key-reused. Keys are per caller.',
      ok: { status: 201, description: 'The complaint was opened', body: 'ComplaintOpened' },
      problems: [400, 409, 413, 415, 422],
      other: {
        '200': {
          description: 'A replay: this caller already opened this complaint with this Idempotency-Key and this body; the stage is its current one',
          body: ref('ComplaintOpened'),
        },
      },
    },
    {
      method: 'get',
      path: '/complaints',
      operationId: 'listComplaints',
      summary: 'List complaints through Temporal visibility (eventually consistent), newest first',
      tag: 'complaints',
      request: listComplaintsRequest,
      roles: routeAccess.readComplaints,
      access:
        'A department lists only the complaints it is responsible for (a department filter naming another is 403). ' +
        'createdTo must be after createdFrom. cursor is the nextCursor of an earlier page with the same filters, signed by ' +
        'the API (HMAC with CURSOR_SECRET, or a key random per process) and good for an hour: any other (altered, made up, ' +
        'from other filters, expired, or issued by a process with another key) is 400 invalid-request naming query.cursor.',
      ok: { status: 200, description: 'One page of complaints', body: 'ComplaintList' },
      problems: [400],
    },
    {
      method: 'get',
      path: '/complaints/:id',
      operationId: 'readComplaint',
      summary: 'The case file (a workflow query)',
      tag: 'complaints',
      request: complaintRequest,
      roles: routeAccess.readComplaints,
      access: departmentReadRule,
      ok: { status: 200, description: 'The case file', body: 'ComplaintState' },
      problems: read,
    },
    {
      method: 'get',
      path: '/complaints/:id/timeline',
      operationId: 'readComplaintTimeline',
      summary: "The complaint's events, oldest first",
      tag: 'complaints',
      request: complaintRequest,
      roles: routeAccess.readComplaints,
      access: departmentReadRule,
      ok: { status: 200, description: 'The timeline', body: 'Timeline' },
      problems: read,
    },
    ...commandRoutes.map(
      ([name, path]): RouteSpec => ({
        method: 'post',
        path: `/complaints/:id/${path}`,
        operationId: name,
        summary: `Send the ${name} command (workflow update ${name})`,
        tag: 'commands',
        request: commandRequest(name),
        bodyName: commandBodyName(name),
        roles: rolesAllowedTo(name),
        access:
          'The actor is the authenticated principal. The complaint decides the object-level rules: a department acts only ' +
          'on complaints it is responsible for, an agent only on complaints it owns (supervisors on any), approvals within ' +
          "the approver's amount limit, and no one approves a remedy they proposed. A department that never had the complaint " +
          'gets 404 complaint-not-found, the answer for an id that does not exist (it may still give a consultation opinion it ' +
          'was named for). 409: command-in-wrong-stage, complaint-closed, or case-file-full (a note once the case file ' +
          'holds 1 MiB; a contact, reassignment, escalation, reclassification, policy or calendar at 1.25 MiB; the ' +
          'commands that move the complaint on are always taken). With an Idempotency-Key, a retry of the same ' +
          'command by the same caller answers the first result. With Prefer: respond-async the command is sent as the ' +
          'submitCommand signal: 202 at once (worker or not) with a Location for its status; the complaint judges it by the ' +
          'same rules when it runs. The same key, sent with or without waiting, is applied once.',
        ok: { status: 200, description: 'The command was accepted; the new case file', body: 'ComplaintState' },
        problems: [400, 404, 409, 413, 415, 422],
        other: { '202': { description: 'Prefer: respond-async: sent; its status is at Location (pending, then applied or refused)', body: ref('CommandAccepted') } },
      }),
    ),
    {
      method: 'get',
      path: '/complaints/:id/commands/:commandId',
      operationId: 'readCommandStatus',
      summary: 'Where a command stands: pending, applied, or refused (with the problem the synchronous route gives)',
      tag: 'commands',
      request: commandStatusRequest,
      roles: routeAccess.readComplaints,
      access: `${departmentReadRule} Pending is also answered from the server's history while the worker is away (X-Complaint-Source: last-known).`,
      ok: { status: 200, description: 'The command\'s status', body: 'CommandStatus' },
      problems: read,
    },
    ...outsideEventRoutes.map(
      ([name, path]): RouteSpec => ({
        method: 'post',
        path: `/complaints/:id/events/${path}`,
        operationId: name,
        summary: `Report the ${name} event (workflow signal ${name})`,
        tag: 'events',
        request: outsideEventRequest(name),
        bodyName: `${name[0]!.toUpperCase()}${name.slice(1)}Event`,
        roles: outsideEventAccess[name],
        access:
          'The server records the event at once, worker or not (202); the complaint hears it when it runs and the ' +
          'timeline shows what it did (an event that does not fit the case is recorded and changes nothing). The same ' +
          'eventId is heard once. A department acknowledges only its own dispatches. 409: complaint-closed.',
        ok: { status: 202, description: 'Recorded; the complaint hears it when it runs', body: 'OutsideEventAccepted' },
        problems: [400, 403, 404, 409, 413, 415],
      }),
    ),
  ];
}
