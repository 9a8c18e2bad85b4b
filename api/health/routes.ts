/**
 * GET /healthz: is the API up, and does Temporal answer?
 * GET /readyz: the same, plus what would make answers wrong: the business calendar running out
 * (degraded from `calendarWarnDays` before its data ends; deadlines past it use the
 * fallback). Degraded is still 200 (the API serves; an operator must add the year's file); 503
 * only when Temporal does not answer. It also says which policy new complaints start on and how
 * many of its numbers are the project's choices rather than the seeds' (docs/rules.md).
 */
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { calendarCoverage, COVERAGE_WARNING_DAYS, coverageWarning } from '../../domain/calendar';
import { countChosenNumbers } from '../../domain/chosen-numbers';
import { methodNotAllowed } from '../http/problem';
import type { ApiDeps } from '../deps';

/** How long /healthz waits for Temporal before calling it unreachable. */
const TEMPORAL_CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes({ client, calendar, policy, calendarWarnDays = COVERAGE_WARNING_DAYS, now = () => new Date(), checkTemporal = () => pingTemporal(client) }: ApiDeps): Router {
  const router = Router();
  router
    .route('/readyz')
    .get(async (_req, res) => {
      const reachable = await withTimeout(checkTemporal, TEMPORAL_CHECK_TIMEOUT_MS);
      const at = now();
      const coverage = calendarCoverage(calendar, at);
      const warning = coverageWarning(calendar, at, calendarWarnDays);
      res.set('Cache-Control', 'no-store');
      res.status(reachable ? 200 : 503).json({
        status: !reachable ? 'unavailable' : warning ? 'degraded' : 'ok',
        temporal: reachable ? 'reachable' : 'unreachable',
        calendar: {
          name: calendar.name,
          years: coverage.years,
          coveredUntil: coverage.coveredUntil ?? null,
          daysLeft: coverage.daysLeft,
          warnDays: calendarWarnDays,
          status: warning?.severity ?? 'ok',
          ...(warning ? { message: warning.message } : {}),
        },
        policy: { version: policy.version, ...countChosenNumbers(policy) },
      });
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/healthz')
    .get(async (_req, res) => {
      const reachable = await withTimeout(checkTemporal, TEMPORAL_CHECK_TIMEOUT_MS);
      res.set('Cache-Control', 'no-store');
      if (reachable) res.json({ status: 'ok', temporal: 'reachable' });
      else res.status(503).json({ status: 'degraded', temporal: 'unreachable' });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}

/** GetSystemInfo is the cheapest call that proves the frontend answers. */
async function pingTemporal(client: Client): Promise<boolean> {
  await client.withDeadline(Date.now() + TEMPORAL_CHECK_TIMEOUT_MS, () => client.workflowService.getSystemInfo({}));
  return true;
}

/** The check's answer; false when it throws or does not answer within `ms`. */
async function withTimeout(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
