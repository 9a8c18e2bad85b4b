/**
 * GET /metrics: the API's Prometheus metrics (HTTP requests, open complaints from visibility, Node's
 * process metrics). Open like /healthz, as Prometheus scrapes without credentials: it names no
 * complaint or person, only counts; keep it on the internal network (the reverse proxy need not
 * publish it).
 */
import { Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ApiDeps } from '../deps';
import { methodNotAllowed } from '../http/problem';
import { countOpenComplaints, registerComplaintGauges } from './complaints';
import { httpMetrics } from './http';

/** The API's registry with the HTTP middleware feeding it, and the route serving it. */
export function apiMetrics(deps: Pick<ApiDeps, 'client' | 'policy' | 'logger' | 'countOpenComplaints'>) {
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
    .get(async (_req, res) => {
      const text = await registry.metrics();
      res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
    })
    .all(methodNotAllowed(['GET']));
  return { registry, middleware: httpMetrics(registry), router };
}
