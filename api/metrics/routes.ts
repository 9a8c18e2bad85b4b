/**
 * GET /metrics: the API's Prometheus metrics (HTTP requests, open complaints from visibility, Node's
 * process metrics). It names no complaint or person, only counts; still, how many complaints stand
 * where is the business's own: with METRICS_TOKEN set (production requires it) it needs that bearer
 * token, which Prometheus sends (`authorization.credentials_file`); keep it off the public proxy too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ApiDeps } from '../deps';
import { methodNotAllowed, problem } from '../http/problem';
import { countOpenComplaints, registerComplaintGauges } from './complaints';
import { httpMetrics } from './http';

/** The API's registry with the HTTP middleware feeding it, and the route serving it. */
export function apiMetrics(deps: Pick<ApiDeps, 'client' | 'policy' | 'logger' | 'countOpenComplaints' | 'metricsToken'>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const topLevel = deps.policy.escalation.levels.length - 1;
  registerComplaintGauges(registry, {
    count: deps.countOpenComplaints ?? (() => countOpenComplaints(deps.client, topLevel)),
    onError: (err) => deps.logger?.warn({ err }, 'counting open complaints for /metrics failed'),
  });
  const router = Router();
  router
    .route('/metrics')
    .get(async (req, res) => {
      if (deps.metricsToken !== undefined && !sameSecret(req.get('authorization') ?? '', `Bearer ${deps.metricsToken}`)) {
        throw problem('unauthenticated', 'GET /metrics needs the metrics bearer token (METRICS_TOKEN)', {
          errors: [{ field: 'authorization', reason: 'the metrics bearer token is missing or wrong' }],
          headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        });
      }
      const text = await registry.metrics();
      res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
    })
    .all(methodNotAllowed(['GET']));
  return { registry, middleware: httpMetrics(registry), router };
}

/** Compares digests, so neither the length nor a prefix of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
