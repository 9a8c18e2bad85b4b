/** The complaint routes' request schemas (the intake and command bodies come from the domain). */
import { z } from 'zod';
import { commandSchemas, intakeSchema, type CommandName } from '../../domain/complaint';

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
