/**
 * A complaint's id and the digest that recognises a repeated intake. With an Idempotency-Key the id
 * is derived from the key and the caller, so a retried POST lands on the same workflow id, which Temporal refuses
 * to start twice; the digest (kept in the workflow's memo) tells a retry from a reused key.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ComplaintIntake } from '../../domain/complaint';

/**
 * The complaint id for an Idempotency-Key sent by `callerId`: `C-` + the first 20 hex digits of the
 * SHA-256 of both. Keys are the caller's own: two callers using the same key open two complaints.
 */
export function complaintIdForKey(idempotencyKey: string, callerId: string): string {
  return `C-${sha256(`${callerId}\n${idempotencyKey}`).slice(0, 20)}`;
}

/** A fresh complaint id: `C-` + the UTC date + random hex, e.g. `C-20251123-9f2c41d07a`. */
export function generateComplaintId(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `C-${day}-${randomBytes(5).toString('hex')}`;
}

/**
 * The SHA-256 of the intake as the client sent it, in canonical JSON (keys sorted). Call it before
 * `receivedAt` is defaulted: a retry a second later must digest the same.
 */
export function intakeDigest(intake: ComplaintIntake): string {
  return sha256(canonicalJson(intake));
}

/** JSON with object keys sorted at every level, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
