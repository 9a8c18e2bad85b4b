/** The complaint routes' request schemas (the intake and command bodies come from the domain). */
import { z } from 'zod';
import { categories, commandSchemas, departments, intakeSchema, isoInstant, outsideEventSchemas, severities, stages, type CommandName } from '../../domain/complaint';
import type { OutsideEventName } from '../../domain/outside-events';

const complaintParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'not a complaint id'),
});

/** `Idempotency-Key`: makes a retried POST safe (the same complaint, the same update). */
const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
});

/** How far a complaint's `receivedAt` may lie before now, and after it (clock skew), in milliseconds. */
export interface ReceivedAtWindow {
  maxAgeMs: number;
  maxSkewMs: number;
}

/** The default window: received at most 30 days ago, at most 5 minutes ahead of our clock. */
export const defaultReceivedAtWindow: ReceivedAtWindow = { maxAgeMs: 30 * 24 * 3600_000, maxSkewMs: 5 * 60_000 };

/**
 * POST /complaints with `receivedAt` inside `window` around the moment of the request: a receipt
 * time in the future would start clocks that never run, one long past clocks already breached.
 */
export function openComplaintRequestWithin(window: ReceivedAtWindow) {
  const body = intakeSchema.superRefine((intake, ctx) => {
    // Only a well-formed instant is placed in the window (a malformed one is already named).
    if (intake.receivedAt === undefined || !isoInstant.safeParse(intake.receivedAt).success) return;
    const at = Date.parse(intake.receivedAt);
    const now = Date.now();
    if (at > now + window.maxSkewMs) {
      ctx.addIssue({ code: 'custom', path: ['receivedAt'], message: `must not be more than ${window.maxSkewMs / 1000} s in the future` });
    } else if (at < now - window.maxAgeMs) {
      ctx.addIssue({ code: 'custom', path: ['receivedAt'], message: `must not be more than ${Math.round(window.maxAgeMs / 86_400_000)} days in the past` });
    }
  });
  return { headers: idempotencyHeaders, body };
}

/** POST /complaints (with the default window; the app builds its own from the settings). */
export const openComplaintRequest = openComplaintRequestWithin(defaultReceivedAtWindow);

/** GET /complaints/:id and /complaints/:id/timeline */
export const complaintRequest = { params: complaintParams };

/**
 * `Prefer: respond-async` (RFC 7240) sends the command without waiting: 202 and a Location for
 * its status. Any other preference is ignored, as the RFC asks.
 */
const commandHeaders = idempotencyHeaders.extend({
  prefer: z.string().max(200).optional(),
});

/** Whether the caller asked not to wait (`Prefer: respond-async`, among other preferences perhaps). */
export function prefersAsync(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => p.split(';')[0]!.trim().toLowerCase() === 'respond-async');
}

/** POST /complaints/:id/<command> */
export function commandRequest<C extends CommandName>(name: C) {
  return { params: complaintParams, headers: commandHeaders, body: commandSchemas[name] };
}

/** GET /complaints/:id/commands/:commandId */
export const commandStatusRequest = {
  params: complaintParams.extend({
    commandId: z.string().min(1).max(512).regex(/^[^\0]*$/, 'no NUL'),
  }),
};

/** POST /complaints/:id/events/<event> (from outside systems; always without waiting) */
export function outsideEventRequest<E extends OutsideEventName>(name: E) {
  return { params: complaintParams, body: outsideEventSchemas[name] };
}

/** A keyword filter value: plain ids only, so nothing can break out of the visibility query's quotes. */
const keyword = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]*$/, 'letters, digits and . _ @ : - only');
const instant = z.iso.datetime({ offset: true, error: 'an ISO instant with an offset, e.g. 2026-03-01T00:00:00Z' });

/** GET /complaints: filters on the complaint's search attributes, a page size and an opaque cursor. */
export const listComplaintsQuery = z
  .strictObject({
    stage: z.enum(stages).optional(),
    category: z.enum(categories).optional(),
    severity: z.enum(severities).optional(),
    department: z.enum(departments).optional().describe('one of the responsible departments'),
    owner: keyword.optional().describe("the owner's id"),
    escalationLevel: z.coerce.number().int().min(0).max(10).optional(),
    slaBreached: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    customerId: keyword.optional(),
    createdFrom: instant.optional().describe('opened at or after (inclusive)'),
    createdTo: instant.optional().describe('opened before (exclusive); after createdFrom when both are given'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/, 'not a cursor from this API').optional().describe('nextCursor of the previous page with the same filters (signed; good for an hour)'),
  })
  .refine((q) => !q.createdFrom || !q.createdTo || Date.parse(q.createdFrom) < Date.parse(q.createdTo), {
    message: 'createdTo must be after createdFrom',
    path: ['createdTo'],
  });
export type ListComplaintsQuery = z.output<typeof listComplaintsQuery>;

/** GET /complaints */
export const listComplaintsRequest = { query: listComplaintsQuery };
