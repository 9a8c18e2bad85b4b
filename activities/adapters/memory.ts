/**
 * In-memory test double for the complaint ports, used by workflow and integration tests. Effects
 * are named like the HTTP paths / outbox files: `customer-notices`, `department-dispatches`,
 * `service-fixes`, `payments`, `service-cancellations`, `penalties`, `archive`.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ComplaintPorts } from '../ports';
import { portsOver } from './effect-ports';

/** One effect the double has applied. */
export interface RecordedEffect {
  effect: string;
  payload: unknown;
}

/** The double: its ports, what they recorded (in order), and a switch to refuse an effect. */
export interface MemoryPorts {
  ports: ComplaintPorts;
  effects: RecordedEffect[];
  /**
   * From now on, `effect` throws a non-retryable `EffectRefused` ApplicationFailure with `message`
   * (only for `complaintId` when given, so tests sharing one worker don't disturb each other).
   */
  refuse(effect: string, message: string, complaintId?: string): void;
}

/** The reference the double's billing gives a payment: `memory-<idempotencyKey>`. */
export function memoryPaymentReference(idempotencyKey: string): string {
  return `memory-${idempotencyKey}`;
}

/** Creates an in-memory double that records each effect once per idempotency key. */
export function createMemoryPorts(): MemoryPorts {
  const effects: RecordedEffect[] = [];
  const seen = new Map<string, Set<string>>();
  const refusals = new Map<string, string>();

  async function apply(effect: string, payload: { idempotencyKey: string; complaintId?: string }): Promise<void> {
    const refusal = refusals.get(effect) ?? refusals.get(`${effect}/${payload.complaintId}`);
    if (refusal !== undefined) throw ApplicationFailure.nonRetryable(refusal, 'EffectRefused');
    let keys = seen.get(effect);
    if (!keys) seen.set(effect, (keys = new Set()));
    if (keys.has(payload.idempotencyKey)) return;
    keys.add(payload.idempotencyKey);
    effects.push({ effect, payload: structuredClone(payload) });
  }

  const ports = portsOver(apply, (order) => memoryPaymentReference(order.idempotencyKey));

  return {
    ports,
    effects,
    refuse: (effect, message, complaintId) => void refusals.set(complaintId ? `${effect}/${complaintId}` : effect, message),
  };
}
