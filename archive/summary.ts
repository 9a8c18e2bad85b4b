/**
 * The case summary the knowledge base holds for every archived complaint (003: typical cases are
 * summarised): what caused it, what remedied it, and what the handling teaches. Pure: derived
 * from the case file and its timeline only, and redacted: the knowledge base is read by people who
 * never call the customer.
 */
import type { ComplaintState, TimelineEvent } from '../domain/case';
import { textMasker } from '../domain/personal-data-view';

export interface CaseSummary {
  title: string;
  cause: string;
  remedy: string;
  lesson: string;
}

/** Fen as yuan with two decimals: 12345 → "¥123.45". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The summary, redacted: the customer's name and contact, and any mobile number or e-mail address, masked. */
export function summarise(state: ComplaintState, timeline: readonly TimelineEvent[] = []): CaseSummary {
  const intake = state.intake;
  const redact = textMasker(intake.customer);
  return {
    title: redact(`${intake.category}: ${intake.service}`),
    cause: redact(cause(state, timeline)),
    remedy: redact(remedy(state)),
    lesson: redact(lesson(state, timeline)),
  };
}

function lastSummary(timeline: readonly TimelineEvent[], type: string): string | undefined {
  return [...timeline].reverse().find((e) => e.type === type)?.summary;
}

function cause(state: ComplaintState, timeline: readonly TimelineEvent[]): string {
  const findings = (state.assignments ?? [])
    .filter((a) => a.status !== 'handed-over' && a.findings)
    .map((a) => `${a.department}: ${a.findings!.cause} (at fault: ${a.findings!.partyAtFault})`);
  if (findings.length) return findings.join('; ');
  if (state.outcome === 'not-upheld') {
    const reply = lastSummary(timeline, 'judged-not-upheld');
    return `Not upheld${reply ? `: ${reply.replace(/^Not upheld:\s*/, '')}` : ''}`;
  }
  if (state.outcome === 'withdrawn') {
    const why = lastSummary(timeline, 'closed');
    return `Withdrawn before a cause was established${why ? ` (${why})` : ''}`;
  }
  return 'Cause not yet established';
}

function remedy(state: ComplaintState): string {
  const parts: string[] = [];
  const approved = state.approvedRemedy?.option;
  if (approved) {
    const amount = 'amountFen' in approved ? ` (${yuan(approved.amountFen)})` : '';
    const done = state.implementation?.completedAt ? 'carried out' : state.implementation?.failure ? `failed: ${state.implementation.failure}` : 'not carried out yet';
    parts.push(`${approved.kind}${amount}: ${approved.description}; ${done}`);
  } else if (state.outcome === 'not-upheld') {
    parts.push('Explanation only: the complaint was not upheld');
  } else if (state.outcome === 'withdrawn') {
    parts.push('None: withdrawn by the customer');
  } else {
    parts.push('No remedy approved yet');
  }
  const charge = state.partnerCharge;
  if (charge) {
    parts.push(`settled by the platform for ${charge.partner}, who is charged ${yuan(charge.totalFen)} (refund ${yuan(charge.refundFen)}, costs ${yuan(charge.costsFen)}, handling fee ${yuan(charge.handlingFeeFen)})`);
  }
  return parts.join('; ');
}

function lesson(state: ComplaintState, timeline: readonly TimelineEvent[]): string {
  const notes: string[] = [];
  const reason = state.intake.urgentReason;
  if (state.intake.severity === 'urgent') notes.push(`Urgent path${reason ? ` (${reason})` : ''}`);
  const clocks = (state as { clocks?: Array<{ name: string; status: string; breachedAt?: string }> }).clocks ?? [];
  const breached = clocks.filter((c) => c.status === 'breached' || c.breachedAt).map((c) => c.name);
  if (breached.length) notes.push(`Missed the ${breached.join(', ')} deadline${breached.length > 1 ? 's' : ''}`);
  const missed = (state.promisedTimes ?? []).filter((p) => (p as { status?: string }).status === 'missed').length;
  if (missed) notes.push(`${missed} time(s) promised to the customer missed`);
  const escalations = state.escalations ?? [];
  if (escalations.length) {
    const triggers = [...new Set(escalations.map((e) => e.trigger))].join(', ');
    notes.push(`Escalated to level ${Math.max(...escalations.map((e) => e.level))} (${triggers})`);
  }
  const handovers = timeline.filter((e) => e.type === 'handed-over').length;
  if (handovers) notes.push(`Handed between departments ${handovers} time(s): first assignment was wrong`);
  const rejections = (state.customerAnswers ?? []).filter((a) => !a.accepted).length;
  if (rejections) notes.push(`The customer rejected ${rejections} remedy proposal(s)`);
  if (state.partnerCharge || (state as { takeover?: unknown }).takeover) notes.push('The partner left a transferred complaint overdue: taken over');
  const callback = state.callback?.result;
  if (callback) notes.push(callback.satisfied ? 'Callback: satisfied' : `Callback: dissatisfied${callback.comments ? ` (${callback.comments})` : ''}`);
  if (!breached.length && !missed && !escalations.length && !rejections) notes.unshift('No deadline missed, no escalation');
  return notes.join('; ') + '.';
}
