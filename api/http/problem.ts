/**
 * RFC 9457 problem details: the one shape every error answer takes, the catalogue of problem types,
 * and the one error mapper that turns whatever was thrown (our own problems, body-parser errors,
 * Temporal SDK errors) into `application/problem+json`. Nothing else writes an error response.
 */
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { rejectionFailureTypes } from '../../contract/complaint';
import type { RejectionKind } from '../../domain/case-state';

/** Every problem the API answers with: its HTTP status and its fixed title. */
export const problemTypes = {
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'invalid-request': { status: 400, title: 'The request headers, path or query are invalid' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  'invalid-credentials': { status: 401, title: 'The credentials are not valid' },
  'access-denied': { status: 403, title: 'The caller may not use this resource' },
  'command-forbidden': { status: 403, title: 'The caller may not send this command' },
  'route-not-found': { status: 404, title: 'No such resource' },
  'complaint-not-found': { status: 404, title: 'No such complaint' },
  'command-not-found': { status: 404, title: 'The complaint has heard of no such command' },
  'customer-not-found': { status: 404, title: 'The service holds no personal data of this customer' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this resource' },
  'command-in-wrong-stage': { status: 409, title: 'The complaint is not in a stage that accepts this command' },
  'complaint-closed': { status: 409, title: 'The complaint is closed' },
  'case-file-full': { status: 409, title: "The complaint's case file is full" },
  'complaint-exists': { status: 409, title: 'A complaint with this id already exists' },
  'customer-has-open-complaints': { status: 409, title: 'The customer has complaints not yet closed and archived' },
  'personal-data-erased': { status: 410, title: "The customer's personal data was erased; the complaint still counts in the reports" },
  'content-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be JSON' },
  'validation-failed': { status: 400, title: 'The request body is invalid' },
  'command-invalid': { status: 422, title: 'The complaint refused the command as invalid' },
  'calendar-invalid': { status: 422, title: 'The business calendar in CALENDAR_PATH is invalid' },
  'idempotency-key-reused': { status: 422, title: 'The idempotency key was already used for a different request' },
  'rate-limited': { status: 429, title: 'Too many requests: try again after Retry-After seconds' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'temporal-unavailable': { status: 503, title: 'The workflow service is unavailable' },
  'identity-provider-unavailable': { status: 503, title: 'Credentials cannot be checked right now' },
  'command-timed-out': { status: 503, title: 'The complaint did not answer the command in time' },
} as const satisfies Record<string, { status: number; title: string }>;
export type ProblemType = keyof typeof problemTypes;

/** One field that failed: its path joined with '.', and why. */
export const fieldErrorSchema = z.object({
  field: z.string().describe("the field's path joined with '.', or the header's name"),
  reason: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** The problem+json body (RFC 9457), as answered and as documented in /openapi.json. */
export const problemBodySchema = z.object({
  type: z.enum(Object.keys(problemTypes) as [ProblemType, ...ProblemType[]]),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  instance: z.string().optional(),
  requestId: z.string().optional().describe('the X-Request-Id of the request, to find its log line'),
  errors: z.array(fieldErrorSchema).optional(),
});
export type ProblemBody = z.infer<typeof problemBodySchema>;

/** A problem thrown by our own code; the error mapper renders it. */
export class HttpProblem extends Error {
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

/** Shorthand for `new HttpProblem(...)`. */
export function problem(type: ProblemType, detail: string, extra?: HttpProblem['extra']): HttpProblem {
  return new HttpProblem(type, detail, extra);
}

/** The last middleware before the error mapper: nothing matched the path. */
export const routeNotFound: RequestHandler = (req) => {
  throw problem('route-not-found', `Nothing is served at ${req.path}`);
};

/**
 * Ends the handler chain of a known path: answers 405 with `Allow` for any other method (and the
 * `Allow` list itself for OPTIONS). `allowed` are the methods the path serves.
 */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const methods = allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
  const allow = [...methods, 'OPTIONS'].join(', ');
  return (req, res) => {
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow).status(204).end();
      return;
    }
    throw problem('method-not-allowed', `${req.method} is not allowed on ${req.path}; use ${methods.join(' or ')}`, {
      headers: { Allow: allow },
    });
  };
}

/** The one error mapper: every thrown error becomes problem+json, never HTML or a stack. */
export const problemMapper: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const p = toProblem(err, res.locals.input?.params?.id);
  if (p.type === 'internal-error') {
    if (res.locals.log) res.locals.log.error({ err, method: req.method, path: req.path }, 'request failed');
    else console.error(`${req.method} ${req.originalUrl} failed:`, err);
  }
  const body = problemBody(p, req.originalUrl);
  if (res.locals.requestId) body.requestId = res.locals.requestId;
  res.status(body.status).set(p.extra.headers ?? {}).type('application/problem+json').json(body);
};

/** What a thrown error means to the client. `complaintId` names the complaint in "not found" details. */
function toProblem(err: unknown, complaintId: string | undefined): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const complaint = complaintId ? `complaint ${complaintId}` : 'the complaint';
  const bodyParser = bodyParserProblem(err);
  if (bodyParser) return bodyParser;
  const undecodable = undecodablePathProblem(err);
  if (undecodable) return undecodable;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const rejected = rejectionProblem(err.cause);
    if (rejected) return rejected;
  }
  if (err instanceof WorkflowNotFoundError) {
    // The server answers NOT_FOUND both for an unknown workflow and for an update to a finished one.
    return isAlreadyCompleted(err.message)
      ? problem('complaint-closed', `${capitalise(complaint)} is closed and accepts no more commands`)
      : problem('complaint-not-found', `There is no ${complaint}`);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return problem('command-timed-out', `${capitalise(complaint)} did not answer in time (its worker may be away); retry with the same Idempotency-Key, which is applied once`, {
      headers: { 'Retry-After': '5' },
    });
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return problem('complaint-exists', `${capitalise(complaint)} already exists`);
  }
  if (err instanceof ServiceError) {
    const grpc = grpcStatus(err.cause);
    if (grpc === GRPC_FAILED_PRECONDITION || isAlreadyCompleted(err.cause?.message ?? err.message)) {
      return problem('complaint-closed', `${capitalise(complaint)} is closed and accepts no more commands`);
    }
    // CANCELLED: a call our own deadline cut short (withDeadline), while the service was away.
    if (grpc === GRPC_UNAVAILABLE || grpc === GRPC_DEADLINE_EXCEEDED || grpc === GRPC_CANCELLED) {
      return problem('temporal-unavailable', 'The workflow service did not answer; try again shortly', { headers: { 'Retry-After': '5' } });
    }
  }
  return problem('internal-error', 'Something went wrong on our side; it has been logged');
}

/** The workflow's update validator refused the command (see `rejectionFailureTypes`). */
function rejectionProblem(failure: ApplicationFailure): HttpProblem | undefined {
  const kind = (Object.keys(rejectionFailureTypes) as RejectionKind[]).find((k) => rejectionFailureTypes[k] === failure.type);
  if (!kind) return undefined;
  const field = (failure.details?.[0] as { field?: unknown } | undefined)?.field;
  return refusalProblem(kind, failure.message, typeof field === 'string' ? field : undefined);
}

/** A command's refusal by the complaint, as the synchronous route answers it (also for commands sent without waiting). */
export function refusalProblem(kind: RejectionKind, message: string, field: string | undefined): HttpProblem {
  switch (kind) {
    case 'forbidden':
      return problem('command-forbidden', message);
    case 'wrong-stage':
      return problem('command-in-wrong-stage', message);
    case 'case-file-full':
      return problem('case-file-full', message);
    case 'invalid':
      return problem('command-invalid', message, { errors: [{ field: field ?? '(body)', reason: message }] });
  }
}

/** The problem+json body of `p` (what the error mapper sends). */
export function problemBody(p: HttpProblem, instance?: string): ProblemBody {
  const { status, title } = problemTypes[p.type];
  const body: ProblemBody = { type: p.type, title, status, detail: p.detail, ...(instance ? { instance } : {}) };
  if (p.extra.errors) body.errors = p.extra.errors;
  return body;
}

/** express.json() (body-parser) errors carry a `type`; see body-parser's README. */
function bodyParserProblem(err: unknown): HttpProblem | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.parse.failed':
      return problem('malformed-json', 'The request body could not be parsed as JSON', {
        errors: [{ field: '(body)', reason: (err as Error).message }],
      });
    case 'entity.too.large':
      return problem('content-too-large', `The request body is larger than ${JSON_BODY_LIMIT}`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return problem('unsupported-media-type', (err as Error).message);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return problem('invalid-request', (err as Error).message);
    default:
      return decompressionProblem(err);
  }
}

/**
 * A body whose `Content-Encoding` (gzip, deflate, br) does not decompress: zlib's error, which
 * body-parser passes on as a 400 without a `type`. Named by the header, not the body's fields.
 */
function decompressionProblem(err: unknown): HttpProblem | undefined {
  const e = err as { code?: unknown; status?: unknown; message?: unknown } | null;
  const zlibCode = typeof e?.code === 'string' && /^(Z_|ERR__ERROR_FORMAT|ERR_BROTLI|ERR_ZLIB)/.test(e.code);
  if (!zlibCode || e?.status !== 400) return undefined;
  return problem('invalid-request', 'The request body does not decode with its Content-Encoding', {
    errors: [{ field: 'Content-Encoding', reason: `the body is not valid for this encoding (${String(e.message)})` }],
  });
}

/** express's router could not percent-decode a path parameter (`/complaints/%ff`): a `URIError` with status 400. */
function undecodablePathProblem(err: unknown): HttpProblem | undefined {
  if (!(err instanceof URIError) || (err as { status?: unknown }).status !== 400) return undefined;
  return problem('invalid-request', 'The path is not valid percent-encoded UTF-8', {
    errors: [{ field: 'path', reason: 'malformed percent-encoding: each % must start an escape of valid UTF-8' }],
  });
}

/** The largest JSON body the API accepts. */
export const JSON_BODY_LIMIT = '100kb';

const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNAVAILABLE = 14;

function grpcStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

function isAlreadyCompleted(message: string): boolean {
  return /workflow execution already completed/i.test(message);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
