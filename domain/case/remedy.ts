/**
 * The remedy carried out (004): what the accepted remedy owes, its completion (penalties, the
 * customer told, the callback drawn), its failure, and a partner's complaint taken over (000).
 */
import { nextContactTime } from '../calendar';
import { isDrawnForCallback } from '../callback';
import { assertNever, type OwedEffect } from '../effects';
import { remedyAmountFen } from '../vocabulary';
import type { CaseCore } from './core';

/** 004: implement promptly: what the accepted remedy owes (a payment, a cancellation, a fix order). */
export function startImplementation(c: CaseCore, now: Date): void {
  const remedy = c.state.approvedRemedy!;
  const { option } = remedy;
  c.state.implementation = { startedAt: now.toISOString() };
  switch (option.kind) {
    case 'refund':
    case 'fee-reduction':
    case 'compensation':
      c.owe({ kind: 'payment', remedyId: remedy.id, paymentKind: option.kind, amountFen: remedyAmountFen(option), reason: option.description }, now);
      return;
    case 'service-cancellation':
      c.owe({ kind: 'service-cancellation', remedyId: remedy.id, service: option.service }, now);
      return;
    case 'service-fix':
      // 001 case 1: "restored by" is a promise; the department confirms the restoration.
      c.promise('service restored', option.promisedBy, now, ['service-restored']);
      c.owe({ kind: 'service-fix', remedyId: remedy.id, department: c.responsibleDepartments()[0]!, description: option.description, promisedBy: option.promisedBy }, now);
      return;
    case 'explanation':
      completeImplementation(c, now);
      return;
    default:
      return assertNever(option);
  }
}

/** 004: the remedy is done: penalise the party at fault, tell the customer, decide the callback. */
export function completeImplementation(c: CaseCore, now: Date): void {
  const remedy = c.state.approvedRemedy!;
  for (const fault of c.partiesAtFault()) {
    c.owe({ kind: 'penalty', remedyId: remedy.id, department: fault.department, partyAtFault: fault.party, cause: fault.cause }, now);
  }
  c.tellCustomer('remedy-done', `Done: ${remedy.option.description}`, now);
  const callbackRequired = isDrawnForCallback(c.state.complaintId, c.state.intake.customer.tier, c.policy.callback.sampleRate);
  c.state.implementation = { ...c.state.implementation!, completedAt: now.toISOString() };
  c.record(now, 'remedy-implemented', undefined, `Implemented ${remedy.option.kind}`);
  const silent = c.state.customerAnswers.at(-1)?.recordedBy === 'system';
  if (callbackRequired) {
    // 004: do not disturb customers at rest: the callback waits for the contact window.
    const scheduledFor = nextContactTime(c.calendar, now, c.policy.contactWindow).toISOString();
    c.state.callback = { required: true, scheduledFor };
    c.moveTo('awaiting-callback', now, 'callback-due', undefined, `Callback scheduled for ${scheduledFor}`);
    c.notifyStaff('callback-due', `Call back the customer of complaint ${c.state.complaintId}`, now, scheduledFor, c.state.owner.id);
  } else {
    c.state.callback = { required: false };
    c.close(silent ? 'accepted-by-silence' : 'resolved', now, undefined, 'Resolved; no callback drawn for this customer');
  }
}

/** The remedy could not be carried out: escalate and look for another remedy. */
export function implementationFailed(c: CaseCore, now: Date, reason: string): void {
  c.state.implementation = { ...c.state.implementation!, failure: reason };
  c.state.proposalRound += 1;
  c.escalate('implementation-failed', now, reason);
  c.moveTo('proposing', now, 'implementation-failed', undefined, `The remedy failed: ${reason}`);
}

/** A payment went out; on a taken-over complaint the partner is charged for it (000). */
export function paymentExecuted(c: CaseCore, amountFen: number, reference: string | undefined, now: Date): void {
  c.state.implementation = { ...c.state.implementation!, paymentReference: reference };
  const t = c.state.takeover;
  if (!t) return;
  const rule = c.policy.takeover;
  const costsFen = rule.postageFen + Math.round(amountFen * rule.taxRate);
  const handlingFeeFen = Math.round(amountFen * rule.handlingFeeRate);
  c.state.partnerCharge = { partner: t.partner, refundFen: amountFen, costsFen, handlingFeeFen, totalFen: amountFen + costsFen + handlingFeeFen };
  c.record(now, 'partner-charged', undefined, `${t.partner} is charged ${c.state.partnerCharge.totalFen} fen: refund ${amountFen} + costs ${costsFen} + handling fee ${handlingFeeFen}`);
}

export function takeOverFromPartner(c: CaseCore, clock: string, now: Date): void {
  const s = c.state;
  s.takeover = { partner: s.intake.partner!, at: now.toISOString(), clock };
  const previous = s.owner;
  s.owner = c.policy.takeover.platformOwner;
  if (s.accountable.level === 0) s.accountable.person = s.owner;
  c.record(now, 'taken-over', undefined, `${s.intake.partner} left the complaint overdue (${clock}); the platform takes over from ${previous.id} and settles at the partner's cost`);
  c.notifyStaff('taken-over', `Complaint ${s.complaintId} is taken over from ${s.intake.partner}`, now, undefined, s.owner.id);
}

// ---- The effects ledger ----

/** A payment or cancellation of the current remedy went through: the remedy is carried out. */
export function settlementDone(c: CaseCore, effect: Extract<OwedEffect, { kind: 'payment' | 'service-cancellation' }>, reference: string | undefined, now: Date): void {
  if (effect.kind === 'payment') paymentExecuted(c, effect.amountFen, reference, now);
  completeImplementation(c, now);
}
