/**
 * The ports as named effects: every adapter (HTTP, outbox file, in-memory double) is one "send this
 * effect" function plus how it gets a payment's reference. The names are the HTTP paths and the
 * outbox file names.
 */
import type { ComplaintPorts, PaymentOrder } from '../ports';

/** Every effect, by the name of its path. */
export const effectNames = [
  'customer-notices',
  'staff-notices',
  'lifecycle-events',
  'department-dispatches',
  'service-fixes',
  'payments',
  'service-cancellations',
  'penalties',
  'archive',
] as const;
export type EffectName = (typeof effectNames)[number];

/** Builds the ports over `send`; `paymentReference` turns the payment's answer into its reference. */
export function portsOver(
  send: (effect: EffectName, payload: { idempotencyKey: string; complaintId: string }) => Promise<unknown>,
  paymentReference: (order: PaymentOrder, answer: unknown) => string,
): ComplaintPorts {
  const effect = (name: EffectName) => async (payload: { idempotencyKey: string; complaintId: string }) => {
    await send(name, payload);
  };
  return {
    customers: { notify: effect('customer-notices') },
    staff: { notify: effect('staff-notices') },
    lifecycle: { publish: effect('lifecycle-events') },
    departments: { dispatch: effect('department-dispatches'), scheduleFix: effect('service-fixes') },
    billing: {
      async pay(order) {
        return { reference: paymentReference(order, await send('payments', order)) };
      },
      cancelService: effect('service-cancellations'),
    },
    penalties: { record: effect('penalties') },
    archive: { archive: effect('archive') },
  };
}
