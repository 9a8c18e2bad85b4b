/** The /complaints routes: open, list, read, timeline, and one POST per command (from `commandPaths`). */
import { Router } from 'express';
import { identifyActor } from '../http/actor';
import { jsonBody } from '../http/json-body';
import { methodNotAllowed } from '../http/problem';
import { validate } from '../http/validate';
import type { ApiDeps } from '../deps';
import { commandRoutes } from './commands';
import { complaintHandlers } from './handlers';
import { commandRequest, complaintRequest, listComplaintsRequest, openComplaintRequest } from './schemas';

/** Mounted at /complaints. */
export function complaintRoutes(deps: ApiDeps): Router {
  const handle = complaintHandlers(deps);
  const router = Router();

  router
    .route('/')
    .get(validate(listComplaintsRequest), handle.list)
    .post(jsonBody, validate(openComplaintRequest), handle.open)
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/:id')
    .get(validate(complaintRequest), handle.read)
    .all(methodNotAllowed(['GET']));
  router
    .route('/:id/timeline')
    .get(validate(complaintRequest), handle.timeline)
    .all(methodNotAllowed(['GET']));

  for (const [name, path] of commandRoutes) {
    router
      .route(`/:id/${path}`)
      .post(identifyActor, jsonBody, validate(commandRequest(name)), handle.command(name))
      .all(methodNotAllowed(['POST']));
  }
  return router;
}
