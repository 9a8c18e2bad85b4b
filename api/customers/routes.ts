/**
 * A customer's personal data erased on request (their right under the Personal Information
 * Protection Law): `POST /customers/:customerId/erasure`, by a privacy officer, with a reason. It
 * destroys the customer's data keys (archive/customer-keys.ts), so every history payload, archived
 * record and complaint text of theirs, and every backup of them, holds only ciphertext nobody can
 * open; their complaints still count in every report. A complaint of theirs not yet closed and
 * filed still needs the data: the erasure waits (409) until it is. Histories of complaints filed
 * before customers had keys are deleted from Temporal instead.
 */
import { Router } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { CustomerHasOpenComplaints, type CustomerKeys } from '../../archive/customer-keys';
import { complaintWorkflowId } from '../../contract/complaint';
import { routeAccess } from '../auth/access';
import { permit, type PrincipalLocals } from '../http/auth';
import { jsonBody } from '../http/json-body';
import { methodNotAllowed, problem } from '../http/problem';
import { validate, type ValidatedHandler } from '../http/validate';
import { customerRefs } from '../complaints/customer-ref';
import { commandSchemas } from '../../domain/complaint';

/** POST /customers/:customerId/erasure */
export const erasureRequest = {
  params: z.object({ customerId: z.string().min(1).max(128).regex(/^[^\0]*\S[^\0]*$/, 'a customer id: no NUL, not blank') }),
  body: z.strictObject({ reason: commandSchemas.withdraw.shape.reason.describe('why the data is erased (the request, its channel and date); kept with the erasure record') }),
};

/** The answer: what was destroyed, and when. */
export const erasureAnswer = z.object({
  customerRef: z.string().describe("the customer's keyed reference (their complaints' CustomerId in Temporal)"),
  erasedAt: z.string(),
  keysDestroyed: z.int().describe('data keys destroyed now (0 when the customer was erased before)'),
  complaints: z.int().describe('complaints of the customer, each still counted in the reports'),
  historiesDeleted: z.int().describe('histories of complaints filed before customer keys, deleted from Temporal'),
});

export interface CustomerRouteDeps {
  keys: CustomerKeys;
  client: Client;
  customerRefKey?: string;
  logger: Logger;
}

/** Whether Temporal knows the complaint's workflow (running, closed, or within retention). */
export const workflowExists = (client: Client) => async (complaintId: string) => {
  try {
    await client.workflow.getHandle(complaintWorkflowId(complaintId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
};

export function customerRoutes(deps: CustomerRouteDeps): Router {
  const refOf = customerRefs(deps.customerRefKey);
  const router = Router();

  const erase: ValidatedHandler<typeof erasureRequest, PrincipalLocals> = async (_req, res) => {
    const { params, body } = res.locals.input;
    const principal = res.locals.principal;
    const customerRef = refOf(params.customerId);
    let erasure;
    try {
      erasure = await deps.keys.erase({
        customerRef,
        customerId: params.customerId,
        requestedBy: principal.id,
        basis: 'customer-request',
        reason: body.reason,
        isStarted: workflowExists(deps.client),
      });
    } catch (err) {
      if (!(err instanceof CustomerHasOpenComplaints)) throw err;
      throw problem('customer-has-open-complaints', `The customer has ${err.complaintIds.length} complaint(s) not yet closed and archived; erase once they are`, {
        errors: [{ field: 'customerId', reason: `open or not yet filed: ${err.complaintIds.slice(0, 20).join(', ')}` }],
      });
    }
    if (!erasure) throw problem('customer-not-found', 'The service holds no personal data of this customer');
    let historiesDeleted = 0;
    for (const complaintId of erasure.legacyComplaintIds) {
      try {
        await deps.client.workflowService.deleteWorkflowExecution({ namespace: deps.client.options.namespace, workflowExecution: { workflowId: complaintWorkflowId(complaintId) } });
        historiesDeleted++;
      } catch (err) {
        // Gone already (past retention, or deleted by an earlier erasure).
        if ((err as { code?: number }).code !== 5) throw err;
      }
    }
    deps.logger.info({ event: 'customer-erased', by: principal.id, customerRef, keysDestroyed: erasure.keysDestroyed, complaints: erasure.complaints, historiesDeleted }, 'customer personal data erased');
    const { legacyComplaintIds: _, ...answer } = erasure;
    res.json({ ...answer, historiesDeleted });
  };

  router
    .route('/customers/:customerId/erasure')
    .post(permit(routeAccess.eraseCustomer, "erase a customer's personal data"), jsonBody, validate(erasureRequest), erase)
    .all(methodNotAllowed(['POST']));
  return router;
}
