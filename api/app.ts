/**
 * The HTTP API as an express app, apart from `listen` (api/main.ts), so tests drive it directly.
 * Routes: /healthz, /readyz, /metrics, /openapi.json and /docs (open), then, behind authentication, /complaints (see
 * api/complaints/routes.ts), /calendar/dry-run and /calendar/apply and the reports when there is an archive; every error is problem+json.
 */
import express from 'express';
import { calendarRoutes } from './calendar/routes';
import { codecRoutes } from './codec/routes';
import { customerRoutes } from './customers/routes';
import { complaintRoutes } from './complaints/routes';
import type { ApiDeps } from './deps';
import { healthRoutes } from './health/routes';
import { routeBase } from './metrics/http';
import { apiMetrics } from './metrics/routes';
import { authenticate } from './http/auth';
import { problemMapper, routeNotFound } from './http/problem';
import { limitPerAddress, limitPerPrincipal } from './http/rate-limit';
import { defaultLogger, requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { buildOpenApiDocument } from './openapi/document';
import { openApiRoutes } from './openapi/routes';
import { reportRoutes } from './reports/routes';

export type { ApiDeps } from './deps';

/** Builds the app from its dependencies; does no I/O until a request arrives. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const logger = deps.logger ?? defaultLogger();
  const metrics = apiMetrics({ ...deps, logger });
  app.use(metrics.middleware);
  app.use(requestContext(logger));
  app.use(securityHeaders);
  app.use(healthRoutes(deps));
  app.use(metrics.router);
  app.use(openApiRoutes(buildOpenApiDocument({ reports: deps.archive !== undefined, erasure: deps.archive?.customerKeys !== undefined })));
  // Everything below needs credentials (an unknown path too: no probing without them).
  if (deps.rateLimits) app.use(limitPerAddress(deps.rateLimits.perAddress));
  // The codec endpoint authenticates itself (its CORS preflight comes without credentials).
  if (deps.codec) app.use('/codec', codecRoutes({ auth: deps.auth, logger, ...deps.codec }));
  app.use(authenticate(deps.auth));
  if (deps.rateLimits) app.use(limitPerPrincipal(deps.rateLimits.perPrincipal));
  app.use('/complaints', routeBase, complaintRoutes(deps));
  app.use(calendarRoutes(deps));
  if (deps.archive?.customerKeys) app.use(customerRoutes({ keys: deps.archive.customerKeys, client: deps.client, customerRefKey: deps.customerRefKey, logger }));
  if (deps.archive) {
    app.use(reportRoutes({ store: deps.archive, assessment: deps.assessment, calendar: deps.calendar, calendarWarnDays: deps.calendarWarnDays, now: deps.now, policyPlaceholders: deps.policy.placeholders }));
  }
  app.use(routeNotFound);
  app.use(problemMapper);
  return app;
}
