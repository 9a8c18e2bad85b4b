/** GET /healthz: is the API up, and does Temporal answer? */
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { methodNotAllowed } from '../http/problem';
import type { ApiDeps } from '../deps';

/** How long /healthz waits for Temporal before calling it unreachable. */
const TEMPORAL_CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes({ client, checkTemporal = () => pingTemporal(client) }: ApiDeps): Router {
  const router = Router();
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
