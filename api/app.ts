/**
 * The HTTP API as an express app, apart from `listen` (api/main.ts), so tests drive it directly.
 * Routes: /healthz and /complaints (see api/complaints/routes.ts); every error is problem+json.
 */
import express from 'express';
import { complaintRoutes } from './complaints/routes';
import type { ApiDeps } from './deps';
import { healthRoutes } from './health/routes';
import { problemMapper, routeNotFound } from './http/problem';
import { reportRoutes } from './reports/routes';

export type { ApiDeps } from './deps';

/** Builds the app from its dependencies; does no I/O until a request arrives. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(healthRoutes(deps));
  app.use('/complaints', complaintRoutes(deps));
  if (deps.archive) app.use(reportRoutes({ store: deps.archive, assessment: deps.assessment }));
  app.use(routeNotFound);
  app.use(problemMapper);
  return app;
}
