/**
 * Who gets a callback after resolution (004): every VIP customer, and a sample of the others.
 *
 * The sample is drawn from the complaint id, not from a random number: the same complaint always
 * gets the same answer (deterministic in the workflow, reproducible in a report), and ids spread
 * evenly across the range, so the share drawn approaches the policy's rate.
 */
import type { CustomerTier } from './complaint';

/** Whether this complaint's customer must be called back. */
export function isDrawnForCallback(complaintId: string, tier: CustomerTier, sampleRate: number): boolean {
  if (tier === 'vip') return true;
  return sampleBucket(complaintId) < sampleRate;
}

/** A stable number in [0, 1) from a string (FNV-1a, 32-bit). */
export function sampleBucket(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}
