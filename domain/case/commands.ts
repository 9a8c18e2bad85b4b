/**
 * Commands, judged and applied: `check` is the update's validator (command-rules.ts decides),
 * `apply` the handler, which never judges again.
 */
import type { BusinessCalendar } from '../calendar';
import * as clocks from '../clocks';
import { acceptedCommand, calendarSchema, checkCommand, policySchema, type IncomingCommand } from '../command-rules';
import type { Actor, CommandName, ParsedCommand, Role } from '../complaint';
import { calendarWidenings, policyWidenings } from '../rule-change';
import { caseFileLimitFor, caseFileRefusal } from '../case-file-size';
import { escalatesOnRejection, respondsAtLevel } from '../escalation';
import { approvalLimitFen, approverNeeded, approvesAlone } from '../approval';
import { settlingParty } from '../settled-by';
import { withDefaults } from '../json-schema';
import type { HandlingPolicy } from '../policy';
import { remedyAmountFen } from '../vocabulary';
import { CommandRejection, activeAssignment, currentProposals, type PendingRuleChange } from '../case-state';
import type { CaseCore } from './core';
import { completeImplementation, startImplementation } from './remedy';

/**
 * Judges a command without changing anything; throws a CommandRejection saying why it is refused.
 * A command that adds to the record at will is refused once the case file is full for it,
 * counting what else travels with the case (`alsoCarried`, the inbox's bytes): case-file-size.ts.
 */
export function check<C extends CommandName>(c: CaseCore, name: C, input: IncomingCommand, alsoCarried: () => number = () => 0): { actor: Actor; body: ParsedCommand<C> } {
  const checked = checkCommand(c.state, c.policy, name, input);
  const full = caseFileLimitFor(name) !== undefined ? caseFileRefusal(name, c.sizeInBytes() + alsoCarried()) : undefined;
  if (full) throw new CommandRejection('case-file-full', full);
  return checked;
}

/**
 * Applies a command the validator accepted. It does not judge it again: validators do not run on
 * replay, handlers do, so a re-check here would turn every tightened rule into a replay failure.
 */
export function apply<C extends CommandName>(c: CaseCore, name: C, input: IncomingCommand, now: Date): void {
  const { actor, body } = acceptedCommand(name, input);
  const applier = appliers[name] as (c: CaseCore, b: ParsedCommand<C>, a: Actor, now: Date) => void;
  applier(c, body, actor, now);
  const acc = c.state.accountable;
  if (acc.respondBy && respondsAtLevel(c.policy.escalation, acc.level, actor.role)) {
    // The escalated level acted on the case: its own time limit is met (003).
    acc.respondBy = undefined;
  }
}

/** Each command's effect on the case, applied as accepted. */
const appliers: { [C in CommandName]: (c: CaseCore, body: ParsedCommand<C>, actor: Actor, now: Date) => void } = {
  judgeValidity: (c, b, actor, now) => {
    if (b.upheld) {
      for (const d of b.departments) c.assign(d, now);
      c.moveTo('investigating', now, 'judged-upheld', actor.id, `Upheld: ${b.reason}; responsible: ${b.departments.join(', ')}`);
      c.tellCustomer('investigating', 'Your complaint is upheld and under investigation; we will keep you informed.', now);
    } else {
      c.moveTo('not-upheld', now, 'judged-not-upheld', actor.id, `Not upheld: ${b.reason}`);
      // 004: a reasoned reply; the customer may dispute it within the window.
      c.tellCustomer('not-upheld', `Not upheld: ${b.reason}`, now);
    }
  },
  recordFindings: (c, b, actor, now) => {
    const a = activeAssignment(c.state, b.department)!;
    if (a.status === 'awaiting-dispatch') {
      // The department reported before its dispatch was confirmed: it evidently has the case.
      a.dispatchedAt = now.toISOString();
      c.record(now, 'dispatched', undefined, `${b.department} has the case (reported before the dispatch was confirmed)`);
    }
    a.status = 'reported';
    a.findings = { cause: b.cause, partyAtFault: b.partyAtFault, evidence: b.evidence, poorHandling: b.poorHandling, reportedAt: now.toISOString(), reportedBy: actor.id };
    c.record(now, 'findings-recorded', actor.id, `${b.department}: ${b.cause} (at fault: ${b.partyAtFault})`);
    if (c.activeAssignments().every((x) => x.status === 'reported')) {
      c.moveTo('proposing', now, 'investigation-complete', undefined, 'Every responsible department has reported');
    }
  },
  handOverToDepartment: (c, b, actor, now) => {
    const from = activeAssignment(c.state, b.from)!;
    from.status = 'handed-over';
    from.handedOverTo = b.to;
    c.assign(b.to, now);
    c.record(now, 'handed-over', actor.id, `${b.from} handed the case to ${b.to}: ${b.reason}`);
  },
  proposeRemedies: (c, b, actor, now) => {
    const round = c.state.proposalRound;
    b.options.forEach((option, i) => {
      c.state.proposals.push({ id: `R${round}-${i + 1}`, round, option, proposedBy: actor.id, proposedAt: now.toISOString() });
    });
    c.moveTo('awaiting-approval', now, 'remedies-proposed', actor.id, `${b.options.length} remedy option(s): ${b.options.map((o) => o.kind).join(', ')}`);
  },
  requireConsultation: (c, b, actor, now) => {
    c.state.consultation = { approvers: b.approvers, reason: b.reason, requestedBy: actor.id, opinions: [] };
    c.record(now, 'consultation-required', actor.id, `Major case: consult ${b.approvers.join(', ')} (${b.reason})`);
  },
  recordConsultation: (c, b, actor, now) => {
    c.state.consultation!.opinions.push({ approver: actor.id, supports: b.supports, opinion: b.opinion, at: now.toISOString() });
    c.record(now, 'consulted', actor.id, `${b.supports ? 'Supports' : 'Objects'}: ${b.opinion}`);
  },
  approveRemedy: (c, b, actor, now) => {
    const proposal = currentProposals(c.state).find((p) => p.id === b.optionId)!;
    const amount = remedyAmountFen(proposal.option);
    const withinAuthority = approvesAlone(c.policy, actor.role, proposal.option);
    c.state.approvals.push({ optionId: b.optionId, by: actor.id, role: actor.role, at: now.toISOString(), note: b.note, withinAuthority });
    if (withinAuthority) {
      c.state.approvedRemedy = proposal;
      c.moveTo('awaiting-customer', now, 'remedy-approved', actor.id, `Approved ${b.optionId} (${proposal.option.kind})`);
      c.state.awaitingCustomer = { since: now.toISOString(), reminders: 0 };
      // 003/004: explain the approved remedy to the customer.
      c.tellCustomer('remedy-proposed', `Proposed remedy: ${proposal.option.description}`, now);
    } else {
      const needed = approverNeeded(c.policy, proposal.option) ?? c.policy.approval.escalateTo;
      c.record(now, 'remedy-chosen', actor.id, `Chose ${b.optionId}: ${amount} fen needs ${needed} approval too`);
      const byKind = approvalLimitFen(c.policy, actor.role, proposal.option.kind) < 0;
      c.escalate('beyond-authority', now, byKind ? `A ${proposal.option.kind} is beyond the ${actor.role}'s tier` : `${amount} fen is beyond the ${actor.role}'s limit`);
    }
  },
  returnRemedies: (c, b, actor, now) => {
    c.state.proposalRound += 1;
    c.moveTo('proposing', now, 'remedies-returned', actor.id, `Sent back: ${b.reason}`);
  },
  recordCustomerAnswer: (c, b, actor, now) => {
    c.state.customerAnswers.push({ accepted: b.accepted, demand: b.accepted ? undefined : b.demand, note: b.accepted ? b.note : undefined, at: now.toISOString(), recordedBy: actor.id });
    c.state.awaitingCustomer = undefined;
    if (b.accepted) {
      const party = settlingParty({ kind: c.state.intake.kind, takenOver: Boolean(c.state.takeover), escalations: c.state.escalations });
      if (party) {
        const approvedBy = c.state.approvals.filter((a) => a.optionId === c.state.approvedRemedy?.id && a.withinAuthority).at(-1)?.by;
        c.state.settledBy = { party, approvedBy, at: now.toISOString() };
      }
      const settled = party === 'platform' ? ': settled by the platform, not the partner (000 §4: 处理未落实)' : party === 'partner' ? ': settled by the partner' : '';
      c.moveTo('implementing', now, 'customer-accepted', actor.id, `The customer accepted the remedy${settled}`);
      startImplementation(c, now);
    } else {
      c.state.customerDemands.push(b.demand);
      c.state.proposalRound += 1;
      c.moveTo('proposing', now, 'customer-rejected', actor.id, `The customer rejected the remedy and wants: ${b.demand}`);
      const rejections = c.state.customerAnswers.filter((a) => !a.accepted).length;
      if (escalatesOnRejection(c.policy.escalation, rejections)) {
        c.escalate('customer-rejections', now, `The customer rejected ${rejections} remedies`);
      }
    }
  },
  recordCallback: (c, b, actor, now) => {
    c.state.callback = { ...c.state.callback, required: true, result: { satisfied: b.satisfied, comments: b.comments, at: now.toISOString(), recordedBy: actor.id } };
    c.record(now, 'callback-recorded', actor.id, `Callback: ${b.satisfied ? 'satisfied' : 'dissatisfied'}${b.comments ? ` (${b.comments})` : ''}`);
    if (b.satisfied) {
      c.close('resolved', now, actor.id, 'Callback: the customer is satisfied');
    } else {
      c.state.proposalRound += 1;
      c.escalate('callback-dissatisfied', now, `Callback: dissatisfied${b.comments ? ` (${b.comments})` : ''}`);
      c.moveTo('proposing', now, 'reopened', actor.id, 'Reopened after a dissatisfied callback');
    }
  },
  disputeJudgment: (c, b, actor, now) => {
    c.escalate('judgment-disputed', now, b.reason);
    c.moveTo('awaiting-judgment', now, 'reopened', actor.id, `The customer disputes the judgment: ${b.reason}`);
  },
  withdraw: (c, b, actor, now) => {
    c.close('withdrawn', now, actor.id, `Withdrawn by the customer: ${b.reason}`);
  },
  addNote: (c, b, actor, now) => {
    c.state.notes.push({ at: now.toISOString(), by: actor.id, text: b.text });
    c.record(now, 'note', actor.id, b.text);
  },
  recordContact: (c, b, actor, now) => {
    c.state.contacts.push({ at: now.toISOString(), by: actor.id, channel: b.channel, purpose: b.purpose, summary: b.summary });
    c.record(now, 'customer-contacted', actor.id, `${b.channel}, ${b.purpose}: ${b.summary}`);
    if (b.purpose === 'promised-time-missed' && c.state.pendingApology) {
      c.record(now, 'apology-made', actor.id, `Apologised for the missed ${c.state.pendingApology.promise} time`);
      c.state.pendingApology = undefined;
    }
    if (b.newPromisedTime) c.promise(`contact (${b.purpose})`, b.newPromisedTime, now, ['customer-contacted']);
  },
  reassignOwner: (c, b, actor, now) => {
    const previous = c.state.owner;
    c.state.owner = b.newOwner;
    if (c.state.accountable.level === 0) c.state.accountable.person = b.newOwner;
    c.record(now, 'owner-reassigned', actor.id, `Owner ${previous.id} → ${b.newOwner.id}: ${b.reason}`);
    // 001: the customer keeps one known contact; tell them who it is now.
    c.tellCustomer('owner-changed', `${b.newOwner.name} now handles your complaint.`, now);
  },
  escalate: (c, b, actor, now) => {
    c.escalate('manual', now, `${b.reason} (by ${actor.id})`);
  },
  reclassify: (c, b, actor, now) => {
    const intake = c.state.intake;
    const before = `${intake.kind}/${intake.severity}`;
    if (b.severity) intake.severity = b.severity;
    if (b.urgentReason) intake.urgentReason = b.urgentReason;
    if (b.kind) intake.kind = b.kind;
    if (b.partner) intake.partner = b.partner;
    clocks.recompute(c.state.clocks, c.policy.clocks, c.clockContext());
    c.flagCalendarFallback(now);
    c.record(now, 'reclassified', actor.id, `${before} → ${intake.kind}/${intake.severity}: ${b.reason}; running deadlines recomputed`);
    const urgentLevel = c.policy.escalation.urgentStartLevel;
    if (intake.severity === 'urgent' && c.state.escalationLevel < urgentLevel) {
      c.escalate('urgent', now, 'Reclassified as urgent', urgentLevel);
    }
  },
  confirmServiceRestored: (c, b, actor, now) => {
    c.state.implementation = { ...c.state.implementation!, restoredAt: now.toISOString() };
    c.record(now, 'service-restored', actor.id, `Service restored${b.note ? `: ${b.note}` : ''}`);
    completeImplementation(c, now);
  },
  applyPolicy: (c, b, actor, now) => {
    // Defaults filled in, not judged: the validator accepted it.
    const policy = withDefaults(policySchema(), b.policy as HandlingPolicy);
    const widenings = c.fourEyesOnRules ? policyWidenings(c.policy, policy) : [];
    if (!widenings.length) return applyPolicy(c, policy, b.reason, actor, now);
    if (secondPairOfEyes(c.state.pendingRuleChange, { kind: 'policy', policy: b.policy }, actor)) return approvePending(c, b.reason, actor, now);
    proposeRuleChange(c, { kind: 'policy', policy: b.policy }, widenings, b.reason, actor, now);
  },
  applyCalendar: (c, b, actor, now) => {
    // Defaults filled in, not judged: the validator accepted it.
    const calendar = withDefaults(calendarSchema(), b.calendar) as unknown as BusinessCalendar;
    const widenings = c.fourEyesOnRules ? calendarWidenings(c.calendarMoves(calendar)) : [];
    if (!widenings.length) return applyCalendar(c, calendar, b.reason, actor, now);
    if (secondPairOfEyes(c.state.pendingRuleChange, { kind: 'calendar', calendar: b.calendar }, actor)) return approvePending(c, b.reason, actor, now);
    proposeRuleChange(c, { kind: 'calendar', calendar: b.calendar }, widenings, b.reason, actor, now);
  },
  approveRuleChange: (c, b, actor, now) => approvePending(c, b.reason, actor, now),
};

type RuleChange = { kind: 'policy'; policy: Record<string, unknown> } | { kind: 'calendar'; calendar: Record<string, unknown> };

/**
 * Whether `actor` sending the very change another manager proposed is its second pair of eyes (so
 * the same `POST /calendar/apply` by a second manager approves it on every open complaint).
 */
function secondPairOfEyes(pending: PendingRuleChange | undefined, change: RuleChange, actor: Actor): boolean {
  if (!pending || pending.kind !== change.kind || pending.proposedBy === actor.id) return false;
  const rules = (x: RuleChange | PendingRuleChange) => JSON.stringify(x.kind === 'policy' ? x.policy : x.calendar);
  return rules(pending) === rules(change);
}

/** A second manager lets the pending change take effect. */
function approvePending(c: CaseCore, reason: string, actor: Actor, now: Date): void {
  const pending = c.state.pendingRuleChange!;
  c.state.pendingRuleChange = undefined;
  c.record(now, 'rule-change-approved', actor.id, `${pending.kind === 'policy' ? 'Policy' : 'Calendar'} change proposed by ${pending.proposedBy} approved: ${reason}`);
  const proposer = { ...actor, id: pending.proposedBy };
  if (pending.kind === 'calendar') return applyCalendar(c, withDefaults(calendarSchema(), pending.calendar) as unknown as BusinessCalendar, pending.reason, proposer, now);
  const policy = withDefaults(policySchema(), pending.policy as unknown as HandlingPolicy);
  if (Object.entries(policy.approval.limitsFen).some(([role, limit]) => limit! > (c.policy.approval.limitsFen[role as Role] ?? -1))) {
    // Both the proposer and the approver raised them.
    const by = [...new Set([...(c.state.limitsRaised?.by ?? []), pending.proposedBy, actor.id])];
    c.state.limitsRaised = { by, before: c.state.limitsRaised?.before ?? { ...c.policy.approval.limitsFen } };
  }
  applyPolicy(c, policy, pending.reason, proposer, now);
}

/** A widening change waits for a second manager: nothing of it applies yet. */
function proposeRuleChange(c: CaseCore, change: RuleChange, widenings: string[], reason: string, actor: Actor, now: Date): void {
  c.state.pendingRuleChange = { ...change, proposedBy: actor.id, proposedAt: now.toISOString(), reason, widenings };
  c.record(now, 'rule-change-proposed', actor.id, `${change.kind === 'policy' ? 'Policy' : 'Calendar'} change waits for a second manager (four eyes): ${widenings.join('; ')}`);
}

function applyPolicy(c: CaseCore, policy: HandlingPolicy, reason: string, actor: Actor, now: Date): void {
  c.policy = policy;
  c.state.policyVersion = c.policy.version;
  clocks.recompute(c.state.clocks, c.policy.clocks, c.clockContext());
  c.flagCalendarFallback(now);
  c.record(now, 'policy-applied', actor.id, `Policy ${c.policy.version} applied: ${reason}`);
}

function applyCalendar(c: CaseCore, calendar: BusinessCalendar, reason: string, actor: Actor, now: Date): void {
  const moves = c.calendarMoves(calendar);
  const onFallbackBefore = c.state.calendarFallback;
  c.calendar = calendar;
  clocks.recompute(c.state.clocks, c.policy.clocks, c.clockContext());
  const moved = moves.length ? `deadlines moved: ${moves.map((m) => `${m.clock} ${m.deadline} → ${m.newDeadline}`).join('; ')}` : 'no running deadline moved';
  c.record(now, 'calendar-applied', actor.id, `Calendar ${calendar.name} (covers ${calendar.years.join(', ')}) applied: ${reason}; ${moved}`);
  // The new data may cover what the old one left to the fallback: those clocks are no longer flagged.
  const covered = onFallbackBefore.filter((n) => !c.state.calendarFallback.includes(n));
  if (covered.length) c.timeline.push({ seq: c.timeline.length + 1, at: now.toISOString(), type: 'calendar-covered', summary: `The ${covered.join(', ')} deadline${covered.length > 1 ? 's are' : ' is'} now within the calendar's data (no longer on its fallback)` });
}
