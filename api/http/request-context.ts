/**
 * Per-request context: the request id (the client's `X-Request-Id`, or a fresh UUID), echoed in the
 * answer and in problem+json, a child logger carrying it, and one JSON log line per request when
 * the answer is done: method, path, status, ms, requestId, the authenticated principal and its role,
 * and, on complaint routes, the workflow id.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { complaintWorkflowId } from '../../contract/complaint';

/** The header a request id travels in, both ways. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A client's request id is kept only if it is short and plain (it lands in logs and headers). */
const acceptableRequestId = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,199}$/;

/** The complaint id in a /complaints/:id path, when the route has one. */
const complaintPath = /^\/complaints\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})(?:\/|$)/;

/** What `requestContext` leaves on `res.locals`. */
export interface RequestContextLocals {
  requestId: string;
  log: Logger;
}

/** The API's default logger: JSON lines on stdout; silent under jest (NODE_ENV=test). */
export function defaultLogger(): Logger {
  return pino({
    name: 'complaint-api',
    level: process.env.NODE_ENV === 'test' ? 'silent' : (process.env.LOG_LEVEL ?? 'info'),
  });
}

/** The first middleware: assigns the request id and logs the request once its answer is done. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const sent = req.get(REQUEST_ID_HEADER);
    const requestId = sent && acceptableRequestId.test(sent) ? sent : randomUUID();
    const started = process.hrtime.bigint();
    // Taken now: routers rewrite req.url while they run.
    const { method, path } = req;
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ requestId });
    res.set(REQUEST_ID_HEADER, requestId);
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const complaintId = (res.locals.input?.params?.id as string | undefined) ?? complaintPath.exec(path)?.[1];
      const principal = res.locals.principal as { id: string; role: string } | undefined;
      const line = {
        method,
        path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        requestId,
        // Who did it: every authenticated request is attributable in the log.
        ...(principal ? { principal: principal.id, role: principal.role } : {}),
        ...(complaintId ? { workflowId: complaintWorkflowId(complaintId) } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (res.statusCode >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
