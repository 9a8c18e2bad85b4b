/**
 * The effects a complaint owes the outside world, as an ordered ledger on the case (STYLE §13).
 *
 * Every transition of the case records here what it owes: customer and staff notices, department
 * dispatches, payments, penalties, archive records, lifecycle events. The workflow carries the
 * ledger out in order, in batches, each effect once under its own idempotency key, however fast
 * commands arrive. What happens when an outside system refuses or stays down is the failure
 * policy's to say, per kind of effect, as data.
 *
 * Pure module (no zod; the failure policy's schema is in effect-policy.ts): imported by workflow code.
 */
import type { EffectFailurePolicy } from './effect-policy';
import type { Department, RemedyKind, Stage } from './complaint';
import { HOUR_MS } from './durations';
import type { EffectKind } from './vocabulary';
export { effectKinds, failureActions, type EffectKind, type FailureAction } from './vocabulary';


/** What the customer is told, and why (003: acknowledge; 001: contact on every step). */
export type NoticeKind =
  | 'acknowledgement'
  | 'investigating'
  | 'not-upheld'
  | 'remedy-proposed'
  | 'reminder'
  | 'remedy-done'
  | 'owner-changed'
  | 'withdrawn'
  | 'closed';

/** What staff are told: an escalation, an SLA alarm, a missed promise, a callback, a failing effect. */
export type StaffNoticeKind = 'escalated' | 'sla-warning' | 'sla-breached' | 'promise-missed' | 'callback-due' | 'taken-over' | 'effect-failed' | 'repeat-contact';

/**
 * One owed effect: what it is, with what the outside system needs that the case cannot give later.
 * Large, derivable payloads (the archive record, the dispatch's intake fields, the lifecycle
 * events) are filled in from the case when the effect is carried out.
 */
export type EffectOrder =
  | { kind: 'customer-notice'; notice: NoticeKind; message: string; promisedBy?: string }
  | { kind: 'staff-notice'; notice: StaffNoticeKind; recipient: string; message: string; actBy?: string; escalationLevel: number }
  | { kind: 'department-dispatch'; department: Department }
  | { kind: 'service-fix'; remedyId: string; department: Department; description: string; promisedBy: string }
  | { kind: 'payment'; remedyId: string; paymentKind: Extract<RemedyKind, 'refund' | 'fee-reduction' | 'compensation'>; amountFen: number; reason: string }
  | { kind: 'service-cancellation'; remedyId: string; service: string }
  | { kind: 'penalty'; remedyId: string; department: Department; partyAtFault: string; cause: string }
  /** The record as it stands when written: on intake, on each stage change (`stage`: the stage entered), at closure. */
  | { kind: 'archive'; record: 'intake' | 'stage-change' | 'closure'; stage?: Stage }
  /** Timeline entries after `afterSeq` up to `throughSeq`, published to the subscribers. */
  | { kind: 'lifecycle-events'; afterSeq: number; throughSeq: number };

export type EffectStatus = 'owed' | 'done' | 'failed';

/** A ledger entry. `seq` is its position; `key` its idempotency key, stable across retries and replays. */
export type OwedEffect = EffectOrder & {
  seq: number;
  key: string;
  status: EffectStatus;
  owedAt: string;
  /** Attempts made so far (each in one batch activity). */
  attempts: number;
  /** While the outside system is unavailable: not before this instant. */
  retryAt?: string;
  /** A proactive customer notice waits for the contact window (004): not before this instant. */
  notBefore?: string;
  settledAt?: string;
  /** Why it failed, or what the outside system answered (a payment's reference). */
  outcome?: string;
};

/** How one effect came out of an attempt, as the batch activity reports it. */
export type EffectResult =
  | { key: string; outcome: 'done'; reference?: string }
  /** The outside system refused for good: no retry will help. */
  | { key: string; outcome: 'refused'; reason: string }
  /** The outside system could not be reached or answered with a transient error: try again later. */
  | { key: string; outcome: 'unavailable'; reason: string };


export type { EffectFailurePolicy, FailureRule } from './effect-policy';

/** Our defaults (no seed sets them): money and dispatches are worth a day of retries; events three. */
export const defaultEffectFailurePolicy: EffectFailurePolicy = {
  retry: { firstWaitSeconds: 30, backoff: 2, longestWaitMinutes: 60 },
  kinds: {
    'customer-notice': { retryForHours: 24, onFailure: 'alert-staff' },
    'staff-notice': { retryForHours: 24, onFailure: 'record-only' },
    'department-dispatch': { retryForHours: 12, onFailure: 'alert-staff' },
    'service-fix': { retryForHours: 12, onFailure: 'implementation-failed' },
    payment: { retryForHours: 24, onFailure: 'implementation-failed' },
    'service-cancellation': { retryForHours: 24, onFailure: 'implementation-failed' },
    penalty: { retryForHours: 72, onFailure: 'alert-staff' },
    archive: { retryForHours: 168, onFailure: 'alert-staff' },
    'lifecycle-events': { retryForHours: 72, onFailure: 'dead-letter' },
  },
};

/**
 * When to try an unavailable effect again, or `undefined` when its retry window is over (it fails).
 * Pure: `attempts` made so far, the first attempt's time and now.
 */
export function nextAttemptAt(policy: EffectFailurePolicy, kind: EffectKind, firstAttemptAt: Date, attempts: number, now: Date): Date | undefined {
  const { firstWaitSeconds, backoff, longestWaitMinutes } = policy.retry;
  const waitMs = Math.min(firstWaitSeconds * 1000 * backoff ** Math.max(0, attempts - 1), longestWaitMinutes * 60_000);
  const giveUpAt = firstAttemptAt.getTime() + policy.kinds[kind].retryForHours * HOUR_MS;
  const next = now.getTime() + waitMs;
  return next > giveUpAt ? undefined : new Date(next);
}

/** An effect in words, for the timeline. */
export function describeEffect(e: EffectOrder): string {
  switch (e.kind) {
    case 'customer-notice':
      return `customer notice (${e.notice})`;
    case 'staff-notice':
      return `staff notice (${e.notice}) to ${e.recipient}`;
    case 'department-dispatch':
      return `dispatch to ${e.department}`;
    case 'service-fix':
      return `service fix order to ${e.department}`;
    case 'payment':
      return `${e.paymentKind} of ${e.amountFen} fen`;
    case 'service-cancellation':
      return `cancellation of ${e.service}`;
    case 'penalty':
      return `penalty record for ${e.department}`;
    case 'archive':
      return `archive record (${e.record}${e.stage ? `: ${e.stage}` : ''})`;
    case 'lifecycle-events':
      return `lifecycle events ${e.afterSeq + 1}–${e.throughSeq}`;
    default:
      return assertNever(e);
  }
}

/** Exhaustiveness check: a new kind fails to compile where it is not handled. */
export function assertNever(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}
