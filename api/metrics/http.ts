/**
 * HTTP metrics of the API: requests and their latency by method, route pattern and status. The
 * route is the pattern that answered (`/complaints/:id/validity-judgment`), never the raw path, so
 * the label stays bounded; a request answered before any route matched (401 without valid
 * credentials, 404) is labelled `none`.
 */
import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The route label of requests no route answered. */
export const UNMATCHED_ROUTE = 'none';

/** Latency buckets (seconds): a query answers in milliseconds, a command waits for its workflow update. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Remembers where a router is mounted (`/complaints`): express resets `req.baseUrl` when an error
 * leaves the router, before the answer is written. Use as `app.use('/complaints', routeBase, router)`.
 */
export const routeBase: RequestHandler = (req, res, next) => {
  res.locals.routeBase = req.baseUrl;
  next();
};

/** `/complaints` + `/` is `/complaints`, the way the route is written in the docs. */
function routePattern(base: string, path: string): string {
  return base && path === '/' ? base : `${base}${path}`;
}

/** Counts and times every request once its answer is finished. Mount first. */
export function httpMetrics(registry: Registry): RequestHandler {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route pattern and status code', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const { method } = req;
    res.once('finish', () => {
      const route = req.route ? routePattern((res.locals.routeBase as string | undefined) ?? '', String(req.route.path)) : UNMATCHED_ROUTE;
      const labels = { method, route, status_code: String(res.statusCode) };
      requests.inc(labels);
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
