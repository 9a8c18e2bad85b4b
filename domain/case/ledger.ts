/**
 * The effects ledger: what the case owes the outside world, when each effect is due, and what each
 * outcome (done, refused for good, unavailable and retried per the failure policy) moves on.
 */
import { assertNever, describeEffect, nextAttemptAt, type EffectResult, type OwedEffect } from '../effects';
import { HOUR_MS } from '../durations';
import { lifecycleEventNames } from '../lifecycle-events';
import type { CaseCore } from './core';
import { implementationFailed, settlementDone } from './remedy';

/** An owed effect that may be attempted at `now`. */
function isDue(e: OwedEffect, now: Date): boolean {
  return e.status === 'owed' && [e.retryAt, e.notBefore].every((t) => !t || Date.parse(t) <= now.getTime());
}

/** Timeline entries not yet owed to the lifecycle subscribers, if any of them is published. */
export function unpublishedEvents(c: CaseCore): boolean {
  return c.timeline.some((e) => e.seq > c.state.eventsOwedThrough && lifecycleEventNames[e.type] !== undefined);
}

/** Whether any effect is owed and due at `now` (not waiting for a retry). */
export function hasEffectsDue(c: CaseCore, now: Date): boolean {
  return unpublishedEvents(c) || c.state.effects.some((e) => isDue(e, now));
}

/** Whether every effect is done or finally failed, and every published event owed. */
export function effectsSettled(c: CaseCore): boolean {
  return !unpublishedEvents(c) && c.state.effects.every((e) => e.status !== 'owed');
}

/** When the earliest effect waiting (for a retry, or for the contact window) is due. */
export function nextEffectRetry(c: CaseCore): number | undefined {
  const times = c.state.effects
    .filter((e) => e.status === 'owed' && (e.retryAt || e.notBefore))
    .map((e) => Math.max(e.retryAt ? Date.parse(e.retryAt) : 0, e.notBefore ? Date.parse(e.notBefore) : 0));
  return times.length ? Math.min(...times) : undefined;
}

/** The effects to carry out now, in ledger order (lifecycle events owed first, as one batch entry). */
export function takeEffectsDue(c: CaseCore, now: Date): OwedEffect[] {
  if (unpublishedEvents(c)) {
    const through = c.timeline.length;
    c.owe({ kind: 'lifecycle-events', afterSeq: c.state.eventsOwedThrough, throughSeq: through }, now);
    c.state.eventsOwedThrough = through;
  }
  return c.state.effects.filter((e) => isDue(e, now));
}

/** Applies the outcomes of a batch: done, refused for good, or unavailable (retried per the failure policy). */
export function settleEffects(c: CaseCore, results: readonly EffectResult[], now: Date): void {
  for (const result of results) {
    const effect = c.state.effects.find((e) => e.key === result.key);
    if (!effect || effect.status !== 'owed') continue;
    effect.attempts += 1;
    switch (result.outcome) {
      case 'done':
        effect.status = 'done';
        effect.settledAt = now.toISOString();
        effect.retryAt = undefined;
        effect.outcome = result.reference;
        effectDone(c, effect, result.reference, now);
        break;
      case 'refused':
        effectFailed(c, effect, 'refused', result.reason, now);
        break;
      case 'unavailable': {
        const next = nextAttemptAt(c.effectPolicy, effect.kind, new Date(effect.owedAt), effect.attempts, now);
        if (next) {
          effect.retryAt = next.toISOString();
          effect.outcome = result.reason;
        } else {
          effectFailed(c, effect, `unavailable for ${c.effectPolicy.kinds[effect.kind].retryForHours} h`, result.reason, now);
        }
        break;
      }
      default:
        assertNever(result);
    }
  }
}

/** What a done effect moves on: a dispatch reached its department, a payment or cancellation completes the remedy. */
export function effectDone(c: CaseCore, effect: OwedEffect, reference: string | undefined, now: Date): void {
  const current = c.state.stage === 'implementing' && 'remedyId' in effect && effect.remedyId === c.state.approvedRemedy?.id;
  switch (effect.kind) {
    case 'department-dispatch':
      c.markDispatched(effect.department, now);
      return;
    case 'payment':
    case 'service-cancellation':
      if (current && c.outsideEventPolicy.settlement.awaitConfirmationOf.includes(effect.kind)) {
        // This system answers later: "done" means submitted; the remedy waits for its confirmation.
        const until = new Date(now.getTime() + c.outsideEventPolicy.settlement.confirmWithinHours * HOUR_MS).toISOString();
        c.state.implementation = { ...c.state.implementation!, awaitingConfirmation: { effectKey: effect.key, until, escalated: false } };
        c.record(now, 'settlement-submitted', undefined, `Submitted: ${describeEffect(effect)}${reference ? ` (reference ${reference})` : ''}; its confirmation is due by ${until}`);
        return;
      }
      c.record(now, 'effect-done', undefined, `Done: ${describeEffect(effect)}${reference ? ` (reference ${reference})` : ''}`);
      if (current) settlementDone(c, effect, reference, now);
      return;
    default:
      c.record(now, 'effect-done', undefined, `Done: ${describeEffect(effect)}`);
  }
}

/** An effect finally failed: the failure policy of its kind decides what follows. */
export function effectFailed(c: CaseCore, effect: OwedEffect, how: string, reason: string, now: Date): void {
  effect.status = 'failed';
  effect.settledAt = now.toISOString();
  effect.retryAt = undefined;
  effect.outcome = `${how}: ${reason}`;
  c.record(now, 'effect-failed', undefined, `Failed: ${describeEffect(effect)} (${how}): ${reason}`);
  let action = c.effectPolicy.kinds[effect.kind].onFailure;
  const current = c.state.stage === 'implementing' && 'remedyId' in effect && effect.remedyId === c.state.approvedRemedy?.id;
  // A remedy already past its implementation (withdrawn, confirmed restored) only needs people told.
  if (action === 'implementation-failed' && !current) action = 'alert-staff';
  switch (action) {
    case 'implementation-failed':
      implementationFailed(c, now, reason);
      return;
    case 'alert-staff': {
      c.state.effectsFailing = true;
      const supervisor = c.policy.escalation.levels[1]?.assignee?.id;
      const message = `Complaint ${c.state.complaintId}: ${describeEffect(effect)} failed (${how}: ${reason}); act on it by hand`;
      for (const recipient of new Set([c.state.owner.id, ...(supervisor ? [supervisor] : [])])) {
        c.notifyStaff('effect-failed', message, now, undefined, recipient);
      }
      return;
    }
    case 'dead-letter':
    case 'record-only':
      // The failed entry stays in the ledger (and the archive record) with its payload: the dead letter.
      c.state.effectsFailing = true;
      return;
    default:
      assertNever(action);
  }
}
