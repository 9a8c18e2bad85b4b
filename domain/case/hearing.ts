/**
 * Events from outside systems (signals: the server keeps them, worker or not), heard by the case.
 */
import * as clocks from '../clocks';
import { describeEffect, type OwedEffect } from '../effects';
import { HOUR_MS } from '../durations';
import { repeatContactEscalates, type OutsideEventName, type OutsideEvents } from '../outside-events';
import { activeAssignment } from '../case-state';
import type { CaseCore } from './core';
import { implementationFailed, settlementDone } from './remedy';

/**
 * Hears an event from an outside system. An event that does not fit the case as it is now (a
 * department that is not responsible, a confirmation nothing waits for) is recorded with the
 * reason and changes nothing else.
 */
export function hear<E extends OutsideEventName>(c: CaseCore, name: E, event: OutsideEvents[E], now: Date, sentBy?: string): void {
  const hearer = hearers[name] as (c: CaseCore, e: OutsideEvents[E], now: Date, sentBy?: string) => string | void;
  const ignored = c.isClosed ? 'the complaint is closed' : hearer(c, event, now, sentBy);
  if (ignored) c.record(now, 'outside-event-ignored', sentBy, `${name} ${event.eventId} changed nothing: ${ignored}`);
}

/** Each event's effect on the case; a returned string is why it changed nothing. */
/** `sentBy`: the system the service authenticated and proved to the complaint, on each entry it causes. */
const hearers: { [E in OutsideEventName]: (c: CaseCore, event: OutsideEvents[E], now: Date, sentBy?: string) => string | void } = {
  repeatContact: (c, e, now, sentBy) => {
    const s = c.state;
    const passedUnmet = s.slaBreached || s.promisedTimes.some((p) => p.status === 'missed') || s.pendingApology !== undefined;
    const escalates = repeatContactEscalates(c.outsideEventPolicy.repeatContact, passedUnmet);
    (s.repeatContacts ??= []).push({ at: now.toISOString(), channel: e.channel, note: e.note, escalated: escalates });
    c.record(now, 'repeat-contact', sentBy, `The customer contacted us again via ${e.channel} (contact ${s.repeatContacts.length})${e.note ? `: ${e.note}` : ''}`);
    if (escalates) c.escalate('repeat-contact', now, `The customer contacted us again${passedUnmet ? ' after a promised time passed unmet' : ''}`);
    else c.notifyStaff('repeat-contact', `The customer of complaint ${s.complaintId} contacted us again via ${e.channel}`, now, undefined, s.owner.id);
  },
  externalReferral: (c, e, now, sentBy) => {
    const s = c.state;
    const rule = c.outsideEventPolicy.externalReferral;
    (s.referrals ??= []).push({ at: now.toISOString(), source: e.source, reference: e.reference, note: e.note });
    const what = e.source === 'regulator' ? 'A regulator referral' : 'Media exposure';
    c.record(now, 'referred', sentBy, `${what}${e.reference ? ` (${e.reference})` : ''}${e.note ? `: ${e.note}` : ''}`);
    if (rule.makeUrgent && s.intake.severity !== 'urgent') {
      // 001: the urgent path from this moment: the running clocks take the urgent durations.
      s.intake.severity = 'urgent';
      s.intake.urgentReason = e.source === 'regulator' ? 'regulator-referral' : 'media-exposure';
      clocks.recompute(s.clocks, c.policy.clocks, c.clockContext());
      c.flagCalendarFallback(now);
      c.record(now, 'reclassified', undefined, `Urgent from now on (${s.intake.urgentReason}); running deadlines recomputed`);
    }
    c.escalate('external-referral', now, `${what} arrived`, rule.escalateToLevel);
  },
  dispatchAcknowledged: (c, e, now, sentBy) => {
    const a = activeAssignment(c.state, e.department) ?? c.state.assignments.findLast((x) => x.department === e.department);
    if (!a) return `${e.department} is not responsible for this complaint`;
    if (a.acknowledgedAt) return `${e.department} already acknowledged it at ${a.acknowledgedAt}`;
    if (a.status === 'awaiting-dispatch') c.markDispatched(e.department, now);
    a.acknowledgedAt = now.toISOString();
    a.acknowledgementReference = e.reference;
    const after = a.dispatchedAt ? ` ${((now.getTime() - Date.parse(a.dispatchedAt)) / HOUR_MS).toFixed(1)} h after dispatch` : '';
    c.record(now, 'dispatch-acknowledged', sentBy, `${e.department} acknowledged the dispatch${e.reference ? ` (${e.reference})` : ''}${after}`);
  },
  settlementConfirmed: (c, e, now, sentBy) => {
    const waiting = c.state.stage === 'implementing' ? c.state.implementation?.awaitingConfirmation : undefined;
    if (!waiting || waiting.effectKey !== e.effectKey) return `no settlement waits for a confirmation under ${e.effectKey}`;
    const effect = c.state.effects.find((x) => x.key === e.effectKey) as Extract<OwedEffect, { kind: 'payment' | 'service-cancellation' }>;
    c.state.implementation = { ...c.state.implementation!, awaitingConfirmation: undefined };
    if (e.outcome === 'confirmed') {
      c.record(now, 'settlement-confirmed', sentBy, `Confirmed: ${describeEffect(effect)}${e.reference ? ` (reference ${e.reference})` : ''}`);
      settlementDone(c, effect, e.reference ?? effect.outcome, now);
    } else {
      c.record(now, 'settlement-failed', sentBy, `Failed: ${describeEffect(effect)}: ${e.reason ?? 'no reason given'}`);
      implementationFailed(c, now, e.reason ?? `${describeEffect(effect)} failed`);
    }
  },
};

// ---- Reads ----
