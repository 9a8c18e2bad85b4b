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
  /** From now on, `effect` throws a plain (retryable) Error: the outside system is down. */
  takeDown(effect: string, complaintId?: string): void;
  /** Undoes `refuse` and `takeDown` for `effect`: the system answers again. */
  restore(effect: string, complaintId?: string): void;
  /** How many times `effect` was attempted (applied, repeated or failed), by idempotency key. */
  attempts: Map<string, number>;
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
  const down = new Set<string>();
  const attempts = new Map<string, number>();

  async function apply(effect: string, payload: { idempotencyKey: string; complaintId?: string }): Promise<void> {
    attempts.set(payload.idempotencyKey, (attempts.get(payload.idempotencyKey) ?? 0) + 1);
    const refusal = refusals.get(effect) ?? refusals.get(`${effect}/${payload.complaintId}`);
    if (refusal !== undefined) throw ApplicationFailure.nonRetryable(refusal, 'EffectRefused');
    if (down.has(effect) || down.has(`${effect}/${payload.complaintId}`)) throw new Error(`${effect} is unavailable`);
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
    takeDown: (effect, complaintId) => void down.add(complaintId ? `${effect}/${complaintId}` : effect),
    restore(effect, complaintId) {
      const key = complaintId ? `${effect}/${complaintId}` : effect;
      refusals.delete(key);
      down.delete(key);
    },
    attempts,
  };
}
