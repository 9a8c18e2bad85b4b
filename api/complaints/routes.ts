/** The /complaints routes: open, list, read, timeline, and one POST per command (from `commandPaths`). */
import { Router } from 'express';
import { outsideEventAccess, routeAccess } from '../auth/access';
import { describeCommand, rolesAllowedTo } from '../../domain/case';
import { permit } from '../http/auth';
import { jsonBody } from '../http/json-body';
import { methodNotAllowed } from '../http/problem';
import { validate } from '../http/validate';
import type { ApiDeps } from '../deps';
import { commandRoutes, outsideEventRoutes } from './commands';
import { complaintHandlers } from './handlers';
import { commandRequest, commandStatusRequest, complaintRequest, outsideEventRequest, defaultReceivedAtWindow, listComplaintsRequest, openComplaintRequestWithin } from './schemas';

/**
 * Mounted at /complaints, behind `authenticate`. Each route lets only its roles through; the
 * complaint's own validators then decide the object-level rules of a command.
 */
export function complaintRoutes(deps: ApiDeps): Router {
  const handle = complaintHandlers(deps);
  const router = Router();

  router
    .route('/')
    .get(permit(routeAccess.readComplaints, 'read complaints'), validate(listComplaintsRequest), handle.list)
    .post(permit(routeAccess.openComplaint, 'open complaints'), jsonBody, validate(openComplaintRequestWithin(deps.receivedAtWindow ?? defaultReceivedAtWindow)), handle.open)
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/:id')
    .get(permit(routeAccess.readComplaints, 'read complaints'), validate(complaintRequest), handle.read)
    .all(methodNotAllowed(['GET']));
  router
    .route('/:id/timeline')
    .get(permit(routeAccess.readComplaints, 'read complaints'), validate(complaintRequest), handle.timeline)
    .all(methodNotAllowed(['GET']));

  router
    .route('/:id/commands/:commandId')
    .get(permit(routeAccess.readComplaints, 'read complaints'), validate(commandStatusRequest), handle.commandStatus)
    .all(methodNotAllowed(['GET']));
  for (const [name, path] of outsideEventRoutes) {
    router
      .route(`/:id/events/${path}`)
      .post(permit(outsideEventAccess[name], `report ${path.replace(/-/g, ' ')} events`), jsonBody, validate(outsideEventRequest(name)), handle.outsideEvent(name))
      .all(methodNotAllowed(['POST']));
  }
  for (const [name, path] of commandRoutes) {
    router
      .route(`/:id/${path}`)
      .post(permit(rolesAllowedTo(name), describeCommand(name), 'command-forbidden'), jsonBody, validate(commandRequest(name)), handle.command(name))
      .all(methodNotAllowed(['POST']));
  }
  return router;
}
