/**
 * The one request-validating middleware: checks `{ params, query, headers, body }` against zod
 * schemas and keeps the parsed values on `res.locals.input`, so handlers never parse again.
 * Any bad part is 400, each field named with the reason.
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { problem, type FieldError } from './problem';

/** The schemas of the parts of a request a route cares about. */
export interface RequestSchema {
  params?: z.ZodType;
  query?: z.ZodType;
  /** Header names in lower case, as Node gives them. */
  headers?: z.ZodType;
  body?: z.ZodType;
}

/** The parsed request, as `validate(schema)` leaves it on `res.locals.input`. */
export type RequestInput<S extends RequestSchema> = { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

/** What a handler behind `validate(schema)` (and `authenticate`) finds on `res.locals`. */
export type ValidatedHandler<S extends RequestSchema, Extra extends Record<string, unknown> = Record<never, never>> = RequestHandler<
  Record<string, string>,
  unknown,
  unknown,
  unknown,
  { input: RequestInput<S> } & Extra
>;

const parts = ['params', 'query', 'headers', 'body'] as const;

/** Validates the request against `schema`; on success `res.locals.input` holds the parsed parts. */
export function validate<S extends RequestSchema>(schema: S): RequestHandler {
  return (req, res, next) => {
    const input: Record<string, unknown> = {};
    const requestErrors: FieldError[] = [];
    const bodyErrors: FieldError[] = [];
    for (const part of parts) {
      const partSchema = schema[part];
      if (!partSchema) continue;
      // A POST without a body is checked as an empty object, so every missing field is named.
      const raw = part === 'body' ? (req.body ?? {}) : req[part];
      const parsed = partSchema.safeParse(raw);
      if (parsed.success) input[part] = parsed.data;
      else if (part === 'body') bodyErrors.push(...fieldErrors(parsed.error));
      else if (part === 'headers') requestErrors.push(...headerErrors(parsed.error));
      else requestErrors.push(...fieldErrors(parsed.error, part));
    }
    if (requestErrors.length > 0) {
      throw problem('invalid-request', describeErrors(requestErrors), { errors: requestErrors });
    }
    if (bodyErrors.length > 0) {
      throw problem('validation-failed', describeErrors(bodyErrors), { errors: bodyErrors });
    }
    res.locals.input = input;
    next();
  };
}

/** Every zod issue as `{ field, reason }`, the path joined with '.' ('(body)' for the body itself). */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(body)',
    reason: issue.message,
  }));
}

/** Header issues, named by the header as clients write it (`Idempotency-Key`). */
function headerErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: String(issue.path[0] ?? '(headers)').replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()),
    reason: issue.message,
  }));
}

function describeErrors(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((e) => e.field))];
  return `Check ${fields.join(', ')}`;
}
