/** The complaint routes' request schemas (the intake and command bodies come from the domain). */
import { z } from 'zod';
import { categories, commandSchemas, departments, intakeSchema, severities, stages, type CommandName } from '../../domain/complaint';

const complaintParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'not a complaint id'),
});

/** `Idempotency-Key`: makes a retried POST safe (the same complaint, the same update). */
const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
});

/** POST /complaints */
export const openComplaintRequest = { headers: idempotencyHeaders, body: intakeSchema };

/** GET /complaints/:id and /complaints/:id/timeline */
export const complaintRequest = { params: complaintParams };

/** POST /complaints/:id/<command> */
export function commandRequest<C extends CommandName>(name: C) {
  return { params: complaintParams, headers: idempotencyHeaders, body: commandSchemas[name] };
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
    createdTo: instant.optional().describe('opened before (exclusive)'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/, 'not a cursor from this API').optional().describe('nextCursor of the previous page'),
  })
  .refine((q) => !q.createdFrom || !q.createdTo || Date.parse(q.createdFrom) < Date.parse(q.createdTo), {
    message: 'createdTo must be after createdFrom',
    path: ['createdTo'],
  });
export type ListComplaintsQuery = z.output<typeof listComplaintsQuery>;

/** GET /complaints */
export const listComplaintsRequest = { query: listComplaintsQuery };
