/**
 * One complaint's case file and the transitions that move it (DOMAIN §1–§8).
 *
 * Pure and deterministic: every method takes `now` from the caller (the workflow's clock), and the
 * state is a plain serialisable object. Commands are judged by `check` (the update's validator,
 * `command-rules.ts`) and applied by `apply` (the handler), which never judges again. Every
 * transition records what it owes the outside world in the effects ledger (`state.effects`); the
 * workflow carries the ledger out and reports each outcome back through `settleEffects`. Stage
 * changes follow the table in `process.ts`.
 */
import type { Actor, CommandName, ComplaintIntake, ParsedCommand } from './complaint';
import { remedyAmountFen, type Department, type Outcome, type Stage } from './vocabulary';
import { nextContactTime, type BusinessCalendar } from './calendar';
import { noticeSendTime } from './contact';
import { isDrawnForCallback } from './callback';
import * as clocks from './clocks';
import type { ClockContext, DeadlineMove } from './clocks';
import { acceptedCommand, calendarSchema, checkCommand, describeCommand, policySchema, type IncomingCommand } from './command-rules';
import { CommandRejection, activeAssignment, currentProposals, type ComplaintState, type DepartmentAssignment, type RemedyProposal, type TimelineEvent } from './case-state';
import {
  assertNever,
  defaultEffectFailurePolicy,
  describeEffect,
  nextAttemptAt,
  type EffectFailurePolicy,
  type EffectOrder,
  type EffectResult,
  type NoticeKind,
  type OwedEffect,
  type StaffNoticeKind,
} from './effects';
import { escalatesOnRejection, nextLevel, respondsAtLevel, type EscalationTrigger } from './escalation';
import { HOUR_MS } from './durations';
import { lifecycleEventNames } from './lifecycle-events';
import { approvalLimitFen } from './approval';
import { withDefaults } from './json-schema';
import { caseFileLimitFor, caseFileRefusal, jsonBytes } from './case-file-size';
import type { HandlingPolicy } from './policy';
import { transitionFor } from './process';
import { defaultOutsideEventPolicy, repeatContactEscalates, type OutsideEventName, type OutsideEventPolicy, type OutsideEvents } from './outside-events';

export type * from './case-state';
export { CommandRejection, activeAssignment, currentProposals } from './case-state';
export { acceptedCommand, checkCommand, describeCommand, mayRead, rolesAllowedTo, type IncomingCommand } from './command-rules';
export type { EscalationTrigger } from './escalation';
export type { EffectResult, OwedEffect } from './effects';

/** What a complaint carries into its next run (continue-as-new): its case and what it runs on. */
export interface CaseSnapshot {
  state: ComplaintState;
  timeline: TimelineEvent[];
  policy: HandlingPolicy;
  /** The calendar in force, when one was applied (absent in snapshots taken before applyCalendar). */
  calendar?: BusinessCalendar;
}

/** What a complaint waits for in its stage, and until when a timer of the stage runs (if any). */
export interface StageWait {
  waitsFor: string;
  /** The stage's own deadline: the dispute window, the next reminder, silence. */
  dueAt?: number;
}

export class ComplaintCase {
  readonly timeline: TimelineEvent[] = [];
  /**
   * Whether each stage change owes the archive the record as it stands (reports and the knowledge
   * base see open complaints as they are now). Off only for runs replaying histories from before
   * it (the workflow's `patched('archive-on-stage-change')`).
   */
  archivesStageChanges = true;

  private constructor(
    readonly state: ComplaintState,
    private currentPolicy: HandlingPolicy,
    private currentCalendar: BusinessCalendar,
  ) {}

  /** The policy in force for this complaint (recorded at start; replaced only by applyPolicy). */
  get policy(): HandlingPolicy {
    return this.currentPolicy;
  }

  /** The business calendar the complaint's clocks run on (recorded at start; replaced only by applyCalendar). */
  get calendar(): BusinessCalendar {
    return this.currentCalendar;
  }

  /** The failure policy for effects (policies recorded before it existed get the defaults). */
  get effectPolicy(): EffectFailurePolicy {
    return this.currentPolicy.effects ?? defaultEffectFailurePolicy;
  }

  /**
   * Opens the case on acceptance: the first responder owns it (首问负责制, 000/001/003); the clocks
   * start from the time of receipt; the customer is told and promised the reply clock's deadline.
   */
  static open(complaintId: string, intake: ComplaintIntake, policy: HandlingPolicy, calendar: BusinessCalendar, now: Date): ComplaintCase {
    // A receipt time in the future cannot start a clock: take the earlier of the two.
    const given = intake.receivedAt && Date.parse(intake.receivedAt) <= now.getTime() ? intake.receivedAt : undefined;
    const received = given ? new Date(given) : now;
    const receivedAt = given ?? now.toISOString();
    const c = new ComplaintCase(
      {
        complaintId,
        stage: 'awaiting-judgment',
        intake,
        receivedAt,
        owner: intake.acceptedBy,
        escalationLevel: 0,
        escalations: [],
        assignments: [],
        proposalRound: 1,
        proposals: [],
        approvals: [],
        customerDemands: [intake.demand],
        customerAnswers: [],
        remindersSent: 0,
        promisedTimes: [],
        clocks: [],
        slaBreached: false,
        accountable: { level: 0, levelName: policy.escalation.levels[0]!.name, person: intake.acceptedBy, since: receivedAt },
        contacts: [],
        notes: [],
        policyVersion: policy.version,
        effects: [],
        effectsFailing: false,
        calendarFallback: [],
        eventsOwedThrough: 0,
      },
      policy,
      calendar,
    );
    c.record(received, 'accepted', intake.acceptedBy.id, `Accepted via ${intake.channel}; owner ${intake.acceptedBy.name}`);
    const reply = c.state.clocks.find((k) => k.name === 'reply');
    if (reply) c.promise('reply', reply.deadline, received, policy.clocks.reply.stopOn);
    // 003: tell the customer the complaint is accepted, when the reply will come, and from whom.
    c.tellCustomer('acknowledgement', `Your complaint ${complaintId} is accepted; ${intake.acceptedBy.name} will reply by ${reply?.deadline}.`, now, reply?.deadline);
    // The archive knows every submitted complaint from the start (reports count submissions).
    c.owe({ kind: 'archive', record: 'intake' }, now);
    if (intake.severity === 'urgent') {
      // 001: special complaints take the urgent path and go up at once.
      c.escalate('urgent', now, `Urgent on intake${intake.urgentReason ? ` (${intake.urgentReason})` : ''}`, policy.escalation.urgentStartLevel);
    }
    return c;
  }

  /**
   * The case as a previous run left it (continue-as-new): nothing is recorded or owed again. The
   * snapshot's calendar (one applied since the start) wins over `calendar`, the one the complaint
   * was started with; snapshots taken before calendars could be applied carry none.
   */
  static resume(snapshot: CaseSnapshot, calendar: BusinessCalendar): ComplaintCase {
    const c = new ComplaintCase(snapshot.state, snapshot.policy, snapshot.calendar ?? calendar);
    c.timeline.push(...snapshot.timeline);
    return c;
  }

  /** What the next run needs to go on exactly where this one stands. */
  snapshot(): CaseSnapshot {
    return { state: this.state, timeline: this.timeline, policy: this.currentPolicy, calendar: this.currentCalendar };
  }

  /**
   * Dry run: the running deadlines `calendar` would move on this case (its own clock rules, kind
   * and severity). Changes nothing; `applyCalendar` applies it.
   */
  calendarMoves(calendar: BusinessCalendar): DeadlineMove[] {
    return clocks.deadlineMoves(this.state.clocks, this.policy.clocks, this.clockContext(), { calendar });
  }

  get stage(): Stage {
    return this.state.stage;
  }

  get isClosed(): boolean {
    return this.state.stage === 'closed';
  }

  // ---- Commands: check (validator) and apply (handler) ----

  /**
   * Judges a command without changing anything; throws a CommandRejection saying why it is refused.
   * A command that adds to the record at will is refused once the case file is full for it,
   * counting what else travels with the case (`alsoCarried`, the inbox's bytes): case-file-size.ts.
   */
  check<C extends CommandName>(name: C, input: IncomingCommand, alsoCarried: () => number = () => 0): { actor: Actor; body: ParsedCommand<C> } {
    const checked = checkCommand(this.state, this.policy, name, input);
    const full = caseFileLimitFor(name) !== undefined ? caseFileRefusal(name, this.sizeInBytes() + alsoCarried()) : undefined;
    if (full) throw new CommandRejection('case-file-full', full);
    return checked;
  }

  /** The case file as it travels (its state and timeline as JSON), in bytes. */
  sizeInBytes(): number {
    return jsonBytes(this.state) + jsonBytes(this.timeline);
  }

  /**
   * Applies a command the validator accepted. It does not judge it again: validators do not run on
   * replay, handlers do, so a re-check here would turn every tightened rule into a replay failure.
   */
  apply<C extends CommandName>(name: C, input: IncomingCommand, now: Date): void {
    const { actor, body } = acceptedCommand(name, input);
    const apply = this.appliers[name] as (b: ParsedCommand<C>, a: Actor, now: Date) => void;
    apply(body, actor, now);
    const acc = this.state.accountable;
    if (acc.respondBy && respondsAtLevel(this.policy.escalation, acc.level, actor.role)) {
      // The escalated level acted on the case: its own time limit is met (003).
      acc.respondBy = undefined;
    }
  }

  private readonly appliers: { [C in CommandName]: (body: ParsedCommand<C>, actor: Actor, now: Date) => void } = {
    judgeValidity: (b, actor, now) => {
      if (b.upheld) {
        for (const d of b.departments) this.assign(d, now);
        this.moveTo('investigating', now, 'judged-upheld', actor.id, `Upheld: ${b.reason}; responsible: ${b.departments.join(', ')}`);
        this.tellCustomer('investigating', 'Your complaint is upheld and under investigation; we will keep you informed.', now);
      } else {
        this.moveTo('not-upheld', now, 'judged-not-upheld', actor.id, `Not upheld: ${b.reason}`);
        // 004: a reasoned reply; the customer may dispute it within the window.
        this.tellCustomer('not-upheld', `Not upheld: ${b.reason}`, now);
      }
    },
    recordFindings: (b, actor, now) => {
      const a = activeAssignment(this.state, b.department)!;
      if (a.status === 'awaiting-dispatch') {
        // The department reported before its dispatch was confirmed: it evidently has the case.
        a.dispatchedAt = now.toISOString();
        this.record(now, 'dispatched', undefined, `${b.department} has the case (reported before the dispatch was confirmed)`);
      }
      a.status = 'reported';
      a.findings = { cause: b.cause, partyAtFault: b.partyAtFault, evidence: b.evidence, poorHandling: b.poorHandling, reportedAt: now.toISOString(), reportedBy: actor.id };
      this.record(now, 'findings-recorded', actor.id, `${b.department}: ${b.cause} (at fault: ${b.partyAtFault})`);
      if (this.activeAssignments().every((x) => x.status === 'reported')) {
        this.moveTo('proposing', now, 'investigation-complete', undefined, 'Every responsible department has reported');
      }
    },
    handOverToDepartment: (b, actor, now) => {
      const from = activeAssignment(this.state, b.from)!;
      from.status = 'handed-over';
      from.handedOverTo = b.to;
      this.assign(b.to, now);
      this.record(now, 'handed-over', actor.id, `${b.from} handed the case to ${b.to}: ${b.reason}`);
    },
    proposeRemedies: (b, actor, now) => {
      const round = this.state.proposalRound;
      b.options.forEach((option, i) => {
        this.state.proposals.push({ id: `R${round}-${i + 1}`, round, option, proposedBy: actor.id, proposedAt: now.toISOString() });
      });
      this.moveTo('awaiting-approval', now, 'remedies-proposed', actor.id, `${b.options.length} remedy option(s): ${b.options.map((o) => o.kind).join(', ')}`);
    },
    requireConsultation: (b, actor, now) => {
      this.state.consultation = { approvers: b.approvers, reason: b.reason, requestedBy: actor.id, opinions: [] };
      this.record(now, 'consultation-required', actor.id, `Major case: consult ${b.approvers.join(', ')} (${b.reason})`);
    },
    recordConsultation: (b, actor, now) => {
      this.state.consultation!.opinions.push({ approver: actor.id, supports: b.supports, opinion: b.opinion, at: now.toISOString() });
      this.record(now, 'consulted', actor.id, `${b.supports ? 'Supports' : 'Objects'}: ${b.opinion}`);
    },
    approveRemedy: (b, actor, now) => {
      const proposal = currentProposals(this.state).find((p) => p.id === b.optionId)!;
      const amount = remedyAmountFen(proposal.option);
      const withinAuthority = amount <= approvalLimitFen(this.policy, actor.role);
      this.state.approvals.push({ optionId: b.optionId, by: actor.id, role: actor.role, at: now.toISOString(), note: b.note, withinAuthority });
      if (withinAuthority) {
        this.state.approvedRemedy = proposal;
        this.moveTo('awaiting-customer', now, 'remedy-approved', actor.id, `Approved ${b.optionId} (${proposal.option.kind})`);
        this.state.awaitingCustomer = { since: now.toISOString(), reminders: 0 };
        // 003/004: explain the approved remedy to the customer.
        this.tellCustomer('remedy-proposed', `Proposed remedy: ${proposal.option.description}`, now);
      } else {
        this.record(now, 'remedy-chosen', actor.id, `Chose ${b.optionId}: ${amount} fen needs ${this.policy.approval.escalateTo} approval too`);
        this.escalate('beyond-authority', now, `${amount} fen is beyond the ${actor.role}'s limit`);
      }
    },
    returnRemedies: (b, actor, now) => {
      this.state.proposalRound += 1;
      this.moveTo('proposing', now, 'remedies-returned', actor.id, `Sent back: ${b.reason}`);
    },
    recordCustomerAnswer: (b, actor, now) => {
      this.state.customerAnswers.push({ accepted: b.accepted, demand: b.accepted ? undefined : b.demand, note: b.accepted ? b.note : undefined, at: now.toISOString(), recordedBy: actor.id });
      this.state.awaitingCustomer = undefined;
      if (b.accepted) {
        this.moveTo('implementing', now, 'customer-accepted', actor.id, 'The customer accepted the remedy');
        this.startImplementation(now);
      } else {
        this.state.customerDemands.push(b.demand);
        this.state.proposalRound += 1;
        this.moveTo('proposing', now, 'customer-rejected', actor.id, `The customer rejected the remedy and wants: ${b.demand}`);
        const rejections = this.state.customerAnswers.filter((a) => !a.accepted).length;
        if (escalatesOnRejection(this.policy.escalation, rejections)) {
          this.escalate('customer-rejections', now, `The customer rejected ${rejections} remedies`);
        }
      }
    },
    recordCallback: (b, actor, now) => {
      this.state.callback = { ...this.state.callback, required: true, result: { satisfied: b.satisfied, comments: b.comments, at: now.toISOString(), recordedBy: actor.id } };
      this.record(now, 'callback-recorded', actor.id, `Callback: ${b.satisfied ? 'satisfied' : 'dissatisfied'}${b.comments ? ` (${b.comments})` : ''}`);
      if (b.satisfied) {
        this.close('resolved', now, actor.id, 'Callback: the customer is satisfied');
      } else {
        this.state.proposalRound += 1;
        this.escalate('callback-dissatisfied', now, `Callback: dissatisfied${b.comments ? ` (${b.comments})` : ''}`);
        this.moveTo('proposing', now, 'reopened', actor.id, 'Reopened after a dissatisfied callback');
      }
    },
    disputeJudgment: (b, actor, now) => {
      this.escalate('judgment-disputed', now, b.reason);
      this.moveTo('awaiting-judgment', now, 'reopened', actor.id, `The customer disputes the judgment: ${b.reason}`);
    },
    withdraw: (b, actor, now) => {
      this.close('withdrawn', now, actor.id, `Withdrawn by the customer: ${b.reason}`);
    },
    addNote: (b, actor, now) => {
      this.state.notes.push({ at: now.toISOString(), by: actor.id, text: b.text });
      this.record(now, 'note', actor.id, b.text);
    },
    recordContact: (b, actor, now) => {
      this.state.contacts.push({ at: now.toISOString(), by: actor.id, channel: b.channel, purpose: b.purpose, summary: b.summary });
      this.record(now, 'customer-contacted', actor.id, `${b.channel}, ${b.purpose}: ${b.summary}`);
      if (b.purpose === 'promised-time-missed' && this.state.pendingApology) {
        this.record(now, 'apology-made', actor.id, `Apologised for the missed ${this.state.pendingApology.promise} time`);
        this.state.pendingApology = undefined;
      }
      if (b.newPromisedTime) this.promise(`contact (${b.purpose})`, b.newPromisedTime, now, ['customer-contacted']);
    },
    reassignOwner: (b, actor, now) => {
      const previous = this.state.owner;
      this.state.owner = b.newOwner;
      if (this.state.accountable.level === 0) this.state.accountable.person = b.newOwner;
      this.record(now, 'owner-reassigned', actor.id, `Owner ${previous.id} → ${b.newOwner.id}: ${b.reason}`);
      // 001: the customer keeps one known contact; tell them who it is now.
      this.tellCustomer('owner-changed', `${b.newOwner.name} now handles your complaint.`, now);
    },
    escalate: (b, actor, now) => {
      this.escalate('manual', now, `${b.reason} (by ${actor.id})`);
    },
    reclassify: (b, actor, now) => {
      const intake = this.state.intake;
      const before = `${intake.kind}/${intake.severity}`;
      if (b.severity) intake.severity = b.severity;
      if (b.urgentReason) intake.urgentReason = b.urgentReason;
      if (b.kind) intake.kind = b.kind;
      if (b.partner) intake.partner = b.partner;
      clocks.recompute(this.state.clocks, this.policy.clocks, this.clockContext());
      this.flagCalendarFallback(now);
      this.record(now, 'reclassified', actor.id, `${before} → ${intake.kind}/${intake.severity}: ${b.reason}; running deadlines recomputed`);
      const urgentLevel = this.policy.escalation.urgentStartLevel;
      if (intake.severity === 'urgent' && this.state.escalationLevel < urgentLevel) {
        this.escalate('urgent', now, 'Reclassified as urgent', urgentLevel);
      }
    },
    confirmServiceRestored: (b, actor, now) => {
      this.state.implementation = { ...this.state.implementation!, restoredAt: now.toISOString() };
      this.record(now, 'service-restored', actor.id, `Service restored${b.note ? `: ${b.note}` : ''}`);
      this.completeImplementation(now);
    },
    applyPolicy: (b, actor, now) => {
      // Defaults filled in, not judged: the validator accepted it.
      this.currentPolicy = withDefaults(policySchema(), b.policy as HandlingPolicy);
      this.state.policyVersion = this.currentPolicy.version;
      clocks.recompute(this.state.clocks, this.policy.clocks, this.clockContext());
      this.flagCalendarFallback(now);
      this.record(now, 'policy-applied', actor.id, `Policy ${this.currentPolicy.version} applied: ${b.reason}`);
    },
    applyCalendar: (b, actor, now) => {
      // Defaults filled in, not judged: the validator accepted it.
      const calendar = withDefaults(calendarSchema(), b.calendar) as unknown as BusinessCalendar;
      const moves = this.calendarMoves(calendar);
      const onFallbackBefore = this.state.calendarFallback;
      this.currentCalendar = calendar;
      clocks.recompute(this.state.clocks, this.policy.clocks, this.clockContext());
      const moved = moves.length ? `deadlines moved: ${moves.map((m) => `${m.clock} ${m.deadline} → ${m.newDeadline}`).join('; ')}` : 'no running deadline moved';
      this.record(now, 'calendar-applied', actor.id, `Calendar ${calendar.name} (covers ${calendar.years.join(', ')}) applied: ${b.reason}; ${moved}`);
      // The new data may cover what the old one left to the fallback: those clocks are no longer flagged.
      const covered = onFallbackBefore.filter((n) => !this.state.calendarFallback.includes(n));
      if (covered.length) this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type: 'calendar-covered', summary: `The ${covered.join(', ')} deadline${covered.length > 1 ? 's are' : ' is'} now within the calendar's data (no longer on its fallback)` });
    },
  };


  /**
   * The outcome of a command sent without waiting, on the timeline (and so to the webhook
   * subscribers): applied (after its own events), or refused with the reason, changing nothing else.
   */
  recordSubmittedCommand(name: CommandName, commandId: string, actorId: string | undefined, refusal: string | undefined, now: Date): void {
    if (refusal) this.record(now, 'command-refused', actorId, `Refused: ${describeCommand(name)} (${commandId}): ${refusal}`);
    else this.record(now, 'command-applied', actorId, `Applied: ${describeCommand(name)} (${commandId}, sent without waiting)`);
  }

  // ---- Transitions driven by the workflow's timer and by effects' outcomes ----

  /** Records a time promised to the customer (the acknowledgement's reply time, "restored by", ...). */
  promise(what: string, by: string, now: Date, keptOn: string[]): void {
    this.state.promisedTimes.push({ what, by, promisedAt: now.toISOString(), status: 'pending', keptOn });
  }

  /** What the complaint waits for now, and the stage's own deadline. Exhaustive over stages. */
  stageWait(): StageWait {
    const s = this.state;
    switch (s.stage) {
      case 'awaiting-judgment':
        return { waitsFor: `the validity judgment of ${s.owner.id}` };
      case 'not-upheld': {
        // 004: the window runs from the judgment, not from when the reply was delivered.
        const judgment = this.timeline.findLast((e) => e.type === 'judged-not-upheld');
        const at = judgment ? Date.parse(judgment.at) : Date.parse(s.receivedAt);
        return { waitsFor: "the customer's dispute, if any", dueAt: at + this.policy.notUpheld.disputeWindowHours * HOUR_MS };
      }
      case 'investigating':
        return { waitsFor: `findings from ${this.activeAssignments().filter((a) => a.status !== 'reported').map((a) => a.department).join(', ')}` };
      case 'proposing':
        return { waitsFor: `remedy proposals (round ${s.proposalRound})` };
      case 'awaiting-approval':
        return { waitsFor: s.consultation && s.consultation.opinions.length < s.consultation.approvers.length ? `opinions of ${s.consultation.approvers.join(', ')}` : 'approval of a remedy' };
      case 'awaiting-customer':
        return { waitsFor: "the customer's answer to the remedy", dueAt: this.customerDueAt() };
      case 'implementing': {
        const confirmation = s.implementation?.awaitingConfirmation;
        if (confirmation) return { waitsFor: `the settlement system's confirmation of ${confirmation.effectKey}` };
        return { waitsFor: s.approvedRemedy?.option.kind === 'service-fix' && !s.implementation?.restoredAt ? 'confirmation that the service is restored' : 'the remedy to be carried out' };
      }
      case 'awaiting-callback':
        return { waitsFor: `the callback by ${s.owner.id}` };
      case 'closed':
        return { waitsFor: 'nothing' };
      default:
        return assertNever(s.stage);
    }
  }

  /** 003/004: remind a silent customer (inside the contact window), then let the policy decide. */
  private customerDueAt(): number | undefined {
    const wait = this.state.awaitingCustomer;
    if (!wait || wait.silentAt) return undefined;
    const { reminderEveryHours, reminders } = this.policy.customerAnswer;
    const base = Date.parse(wait.lastReminderAt ?? wait.since) + reminderEveryHours * HOUR_MS;
    if (wait.reminders >= reminders) return base;
    return nextContactTime(this.calendar, new Date(base), this.policy.contactWindow).getTime();
  }

  /** The next instant something is due: a clock's warning or breach, a promise, an apology, a level's limit, the stage's own deadline. */
  nextDue(): number | undefined {
    return this.nextDeadline()?.at;
  }

  /** The nearest deadline and what it is, in words (the timer's summary in the Temporal UI). */
  nextDeadline(): { at: number; what: string } | undefined {
    const s = this.state;
    if (this.isClosed) return undefined;
    const wait = this.stageWait();
    const candidates: Array<{ at: number | undefined; what: string }> = [
      ...s.clocks
        .filter((k) => k.status === 'running' && !k.pausedAt)
        .map((k) => (k.warnedAt ? { at: Date.parse(k.deadline), what: `${k.name} clock deadline` } : { at: Date.parse(k.warnAt), what: `${k.name} clock warning` })),
      ...s.promisedTimes.filter((p) => p.status === 'pending').map((p) => ({ at: Date.parse(p.by), what: `promised ${p.what} time` })),
      { at: s.pendingApology && !s.pendingApology.escalated ? Date.parse(s.pendingApology.contactBy) : undefined, what: 'apology for a missed promise' },
      { at: s.accountable.respondBy ? Date.parse(s.accountable.respondBy) : undefined, what: `${s.accountable.levelName} must act` },
      { at: this.confirmationDueAt(), what: 'settlement confirmation overdue' },
      { at: wait.dueAt, what: s.stage === 'not-upheld' ? 'dispute window ends' : s.awaitingCustomer && s.awaitingCustomer.reminders < this.policy.customerAnswer.reminders ? 'customer reminder' : 'customer silence' },
    ];
    let next: { at: number; what: string } | undefined;
    for (const c of candidates) if (c.at !== undefined && (!next || c.at < next.at)) next = { at: c.at, what: c.what };
    return next;
  }

  /** The case now, in a few Markdown lines (the workflow's current details in the Temporal UI). */
  currentDetails(): string {
    const s = this.state;
    const next = this.nextDeadline();
    const failing = s.effects.filter((e) => e.status === 'failed').length;
    return [
      `**Stage:** ${s.stage}${s.outcome ? ` (${s.outcome})` : ''}`,
      `**Owner:** ${s.owner.name} (${s.owner.id})`,
      `**Waits for:** ${this.stageWait().waitsFor}`,
      `**Next deadline:** ${next ? `${new Date(next.at).toISOString()}, ${next.what}` : 'none'}`,
      `**Escalation level:** ${s.escalationLevel} (${s.accountable.levelName}: ${s.accountable.person.name})`,
      `**Effects:** ${s.effects.filter((e) => e.status === 'owed').length} owed, ${s.effects.filter((e) => e.status === 'done').length} done${failing ? `, ${failing} failed` : ''}`,
    ].join('\n');
  }

  /** Acts on everything due at `now`: SLA warnings and breaches, missed promises, levels out of time, the stage's deadline. */
  tick(now: Date): void {
    const s = this.state;
    if (this.isClosed) return;
    const breached: string[] = [];
    for (const { clock, alarm } of clocks.tick(s.clocks, now)) {
      const k = s.clocks.find((c) => c.name === clock)!;
      if (alarm === 'warning') {
        this.record(now, 'sla-warning', undefined, `The ${clock} clock is ${Math.round(this.policy.warnAtFraction * 100)}% gone; due ${k.deadline}`);
        this.notifyStaff('sla-warning', `The ${clock} clock of complaint ${s.complaintId} is due at ${k.deadline}`, now, k.deadline);
      } else {
        s.slaBreached = true;
        this.record(now, 'sla-breached', undefined, `The ${clock} clock passed its deadline ${k.deadline}`);
        breached.push(`${clock} (due ${k.deadline})`);
        if (s.intake.kind === 'transferred' && !s.takeover && (this.policy.takeover.onBreachOf as string[]).includes(clock)) {
          this.takeOverFromPartner(clock, now);
        }
      }
    }
    // Clocks breached together escalate once: level by level, not several levels at a stroke (001).
    if (breached.length) this.escalate('sla-breach', now, `deadline passed: ${breached.join(', ')}`);
    for (const p of s.promisedTimes) {
      if (p.status === 'pending' && Date.parse(p.by) <= now.getTime()) {
        p.status = 'missed';
        const contactBy = new Date(now.getTime() + this.policy.promisedTime.contactWithinHours * HOUR_MS).toISOString();
        s.pendingApology = { promise: p.what, missedAt: now.toISOString(), contactBy, escalated: false };
        this.record(now, 'promise-missed', undefined, `The ${p.what} time promised for ${p.by} passed: ${s.owner.name} must call the customer, apologise and give a new time by ${contactBy}`);
        this.notifyStaff('promise-missed', `Complaint ${s.complaintId}: the ${p.what} time ${p.by} passed; call the customer by ${contactBy}`, now, contactBy, s.owner.id);
      }
    }
    if (s.pendingApology && !s.pendingApology.escalated && Date.parse(s.pendingApology.contactBy) <= now.getTime()) {
      s.pendingApology.escalated = true;
      this.escalate('promise-missed', now, `No apology and new promise for the missed ${s.pendingApology.promise} time`);
    }
    if (s.accountable.respondBy && Date.parse(s.accountable.respondBy) <= now.getTime()) {
      this.escalate('level-timeout', now, `${s.accountable.levelName} did not act by ${s.accountable.respondBy}`);
    }
    const confirmationDue = this.confirmationDueAt();
    if (confirmationDue !== undefined && confirmationDue <= now.getTime()) {
      const waiting = s.implementation!.awaitingConfirmation!;
      waiting.escalated = true;
      this.escalate('confirmation-overdue', now, `No confirmation of ${waiting.effectKey} by ${waiting.until}`);
    }
    const stageDue = this.stageWait().dueAt;
    if (stageDue !== undefined && stageDue <= now.getTime()) this.stageDeadlinePassed(now);
  }

  /** A submitted settlement's confirmation is due by then (once; it escalates when it passes). */
  private confirmationDueAt(): number | undefined {
    const waiting = this.state.stage === 'implementing' ? this.state.implementation?.awaitingConfirmation : undefined;
    return waiting && !waiting.escalated ? Date.parse(waiting.until) : undefined;
  }

  private stageDeadlinePassed(now: Date): void {
    const s = this.state;
    if (s.stage === 'not-upheld') {
      this.close('not-upheld', now, undefined, 'No dispute within the window: closed as not upheld');
      return;
    }
    const wait = s.awaitingCustomer;
    if (s.stage !== 'awaiting-customer' || !wait) return;
    if (wait.reminders < this.policy.customerAnswer.reminders) {
      wait.reminders += 1;
      wait.lastReminderAt = now.toISOString();
      s.remindersSent += 1;
      this.record(now, 'customer-reminded', undefined, `Reminder ${s.remindersSent} sent about the proposed remedy`);
      this.tellCustomer('reminder', `Please tell us whether you accept the proposed remedy: ${s.approvedRemedy!.option.description}`, now);
    } else {
      wait.silentAt = now.toISOString();
      this.customerSilent(now);
    }
  }

  /** The customer never answered the remedy: the policy decides (DOMAIN §5). */
  private customerSilent(now: Date): void {
    if (this.policy.customerAnswer.onSilence === 'close-as-accepted') {
      this.state.customerAnswers.push({ accepted: true, note: 'accepted by silence', at: now.toISOString(), recordedBy: 'system' });
      this.record(now, 'accepted-by-silence', undefined, `No answer after ${this.state.remindersSent} reminder(s): treated as accepted`);
      this.state.awaitingCustomer = undefined;
      this.moveTo('implementing', now, 'customer-accepted', undefined, 'Implementing the remedy accepted by silence');
      this.startImplementation(now);
    } else {
      // The case stays with the customer, now at a higher level.
      this.escalate('customer-silent', now, `No answer after ${this.state.remindersSent} reminder(s)`);
    }
  }

  /** 004: implement promptly: what the accepted remedy owes (a payment, a cancellation, a fix order). */
  private startImplementation(now: Date): void {
    const remedy = this.state.approvedRemedy!;
    const { option } = remedy;
    this.state.implementation = { startedAt: now.toISOString() };
    switch (option.kind) {
      case 'refund':
      case 'fee-reduction':
      case 'compensation':
        this.owe({ kind: 'payment', remedyId: remedy.id, paymentKind: option.kind, amountFen: remedyAmountFen(option), reason: option.description }, now);
        return;
      case 'service-cancellation':
        this.owe({ kind: 'service-cancellation', remedyId: remedy.id, service: option.service }, now);
        return;
      case 'service-fix':
        // 001 case 1: "restored by" is a promise; the department confirms the restoration.
        this.promise('service restored', option.promisedBy, now, ['service-restored']);
        this.owe({ kind: 'service-fix', remedyId: remedy.id, department: this.responsibleDepartments()[0]!, description: option.description, promisedBy: option.promisedBy }, now);
        return;
      case 'explanation':
        this.completeImplementation(now);
        return;
      default:
        return assertNever(option);
    }
  }

  /** 004: the remedy is done: penalise the party at fault, tell the customer, decide the callback. */
  private completeImplementation(now: Date): void {
    const remedy = this.state.approvedRemedy!;
    for (const fault of this.partiesAtFault()) {
      this.owe({ kind: 'penalty', remedyId: remedy.id, department: fault.department, partyAtFault: fault.party, cause: fault.cause }, now);
    }
    this.tellCustomer('remedy-done', `Done: ${remedy.option.description}`, now);
    const callbackRequired = isDrawnForCallback(this.state.complaintId, this.state.intake.customer.tier, this.policy.callback.sampleRate);
    this.state.implementation = { ...this.state.implementation!, completedAt: now.toISOString() };
    this.record(now, 'remedy-implemented', undefined, `Implemented ${remedy.option.kind}`);
    const silent = this.state.customerAnswers.at(-1)?.recordedBy === 'system';
    if (callbackRequired) {
      // 004: do not disturb customers at rest: the callback waits for the contact window.
      const scheduledFor = nextContactTime(this.calendar, now, this.policy.contactWindow).toISOString();
      this.state.callback = { required: true, scheduledFor };
      this.moveTo('awaiting-callback', now, 'callback-due', undefined, `Callback scheduled for ${scheduledFor}`);
      this.notifyStaff('callback-due', `Call back the customer of complaint ${this.state.complaintId}`, now, scheduledFor, this.state.owner.id);
    } else {
      this.state.callback = { required: false };
      this.close(silent ? 'accepted-by-silence' : 'resolved', now, undefined, 'Resolved; no callback drawn for this customer');
    }
  }

  /** The remedy could not be carried out: escalate and look for another remedy. */
  private implementationFailed(now: Date, reason: string): void {
    this.state.implementation = { ...this.state.implementation!, failure: reason };
    this.state.proposalRound += 1;
    this.escalate('implementation-failed', now, reason);
    this.moveTo('proposing', now, 'implementation-failed', undefined, `The remedy failed: ${reason}`);
  }

  /** A payment went out; on a taken-over complaint the partner is charged for it (000). */
  private paymentExecuted(amountFen: number, reference: string | undefined, now: Date): void {
    this.state.implementation = { ...this.state.implementation!, paymentReference: reference };
    const t = this.state.takeover;
    if (!t) return;
    const rule = this.policy.takeover;
    const costsFen = rule.postageFen + Math.round(amountFen * rule.taxRate);
    const handlingFeeFen = Math.round(amountFen * rule.handlingFeeRate);
    this.state.partnerCharge = { partner: t.partner, refundFen: amountFen, costsFen, handlingFeeFen, totalFen: amountFen + costsFen + handlingFeeFen };
    this.record(now, 'partner-charged', undefined, `${t.partner} is charged ${this.state.partnerCharge.totalFen} fen: refund ${amountFen} + costs ${costsFen} + handling fee ${handlingFeeFen}`);
  }

  private takeOverFromPartner(clock: string, now: Date): void {
    const s = this.state;
    s.takeover = { partner: s.intake.partner!, at: now.toISOString(), clock };
    const previous = s.owner;
    s.owner = this.policy.takeover.platformOwner;
    if (s.accountable.level === 0) s.accountable.person = s.owner;
    this.record(now, 'taken-over', undefined, `${s.intake.partner} left the complaint overdue (${clock}); the platform takes over from ${previous.id} and settles at the partner's cost`);
    this.notifyStaff('taken-over', `Complaint ${s.complaintId} is taken over from ${s.intake.partner}`, now, undefined, s.owner.id);
  }

  // ---- The effects ledger ----

  /** Records an effect the case owes; the workflow carries it out. */
  private owe(order: EffectOrder, now: Date): void {
    const seq = this.state.effects.length + 1;
    // Stable across retries and replays, unique per complaint: the receiver applies each key once.
    const key = `${this.state.complaintId}:effect-${seq}:${order.kind}`;
    this.state.effects.push({ ...order, seq, key, status: 'owed', owedAt: now.toISOString(), attempts: 0 });
  }

  /** A customer notice; a proactive one waits for the customer's contact window (004: do not disturb at rest). */
  private tellCustomer(notice: NoticeKind, message: string, now: Date, promisedBy?: string): void {
    this.owe({ kind: 'customer-notice', notice, message, promisedBy }, now);
    const timing = noticeSendTime(this.calendar, this.policy.contactWindow, this.policy.proactiveContact, notice, now, this.state.intake.severity === 'urgent');
    if (timing.waits) this.state.effects.at(-1)!.notBefore = timing.at.toISOString();
  }

  private notifyStaff(notice: StaffNoticeKind, message: string, now: Date, actBy?: string, recipient?: string): void {
    this.owe({ kind: 'staff-notice', notice, message, actBy, recipient: recipient ?? this.state.accountable.person.id, escalationLevel: this.state.escalationLevel }, now);
  }

  /** Timeline entries not yet owed to the lifecycle subscribers, if any of them is published. */
  private unpublishedEvents(): boolean {
    return this.timeline.some((e) => e.seq > this.state.eventsOwedThrough && lifecycleEventNames[e.type] !== undefined);
  }

  /** Whether any effect is owed and due at `now` (not waiting for a retry). */
  hasEffectsDue(now: Date): boolean {
    return this.unpublishedEvents() || this.state.effects.some((e) => isDue(e, now));
  }

  /** Whether every effect is done or finally failed, and every published event owed. */
  get effectsSettled(): boolean {
    return !this.unpublishedEvents() && this.state.effects.every((e) => e.status !== 'owed');
  }

  /** When the earliest effect waiting (for a retry, or for the contact window) is due. */
  nextEffectRetry(): number | undefined {
    const times = this.state.effects
      .filter((e) => e.status === 'owed' && (e.retryAt || e.notBefore))
      .map((e) => Math.max(e.retryAt ? Date.parse(e.retryAt) : 0, e.notBefore ? Date.parse(e.notBefore) : 0));
    return times.length ? Math.min(...times) : undefined;
  }

  /** The effects to carry out now, in ledger order (lifecycle events owed first, as one batch entry). */
  takeEffectsDue(now: Date): OwedEffect[] {
    if (this.unpublishedEvents()) {
      const through = this.timeline.length;
      this.owe({ kind: 'lifecycle-events', afterSeq: this.state.eventsOwedThrough, throughSeq: through }, now);
      this.state.eventsOwedThrough = through;
    }
    return this.state.effects.filter((e) => isDue(e, now));
  }

  /** Applies the outcomes of a batch: done, refused for good, or unavailable (retried per the failure policy). */
  settleEffects(results: readonly EffectResult[], now: Date): void {
    for (const result of results) {
      const effect = this.state.effects.find((e) => e.key === result.key);
      if (!effect || effect.status !== 'owed') continue;
      effect.attempts += 1;
      switch (result.outcome) {
        case 'done':
          effect.status = 'done';
          effect.settledAt = now.toISOString();
          effect.retryAt = undefined;
          effect.outcome = result.reference;
          this.effectDone(effect, result.reference, now);
          break;
        case 'refused':
          this.effectFailed(effect, 'refused', result.reason, now);
          break;
        case 'unavailable': {
          const next = nextAttemptAt(this.effectPolicy, effect.kind, new Date(effect.owedAt), effect.attempts, now);
          if (next) {
            effect.retryAt = next.toISOString();
            effect.outcome = result.reason;
          } else {
            this.effectFailed(effect, `unavailable for ${this.effectPolicy.kinds[effect.kind].retryForHours} h`, result.reason, now);
          }
          break;
        }
        default:
          assertNever(result);
      }
    }
  }

  /** What a done effect moves on: a dispatch reached its department, a payment or cancellation completes the remedy. */
  private effectDone(effect: OwedEffect, reference: string | undefined, now: Date): void {
    const current = this.state.stage === 'implementing' && 'remedyId' in effect && effect.remedyId === this.state.approvedRemedy?.id;
    switch (effect.kind) {
      case 'department-dispatch':
        this.markDispatched(effect.department, now);
        return;
      case 'payment':
      case 'service-cancellation':
        if (current && this.outsideEventPolicy.settlement.awaitConfirmationOf.includes(effect.kind)) {
          // This system answers later: "done" means submitted; the remedy waits for its confirmation.
          const until = new Date(now.getTime() + this.outsideEventPolicy.settlement.confirmWithinHours * HOUR_MS).toISOString();
          this.state.implementation = { ...this.state.implementation!, awaitingConfirmation: { effectKey: effect.key, until, escalated: false } };
          this.record(now, 'settlement-submitted', undefined, `Submitted: ${describeEffect(effect)}${reference ? ` (reference ${reference})` : ''}; its confirmation is due by ${until}`);
          return;
        }
        this.record(now, 'effect-done', undefined, `Done: ${describeEffect(effect)}${reference ? ` (reference ${reference})` : ''}`);
        if (current) this.settlementDone(effect, reference, now);
        return;
      default:
        this.record(now, 'effect-done', undefined, `Done: ${describeEffect(effect)}`);
    }
  }

  /** A payment or cancellation of the current remedy went through: the remedy is carried out. */
  private settlementDone(effect: Extract<OwedEffect, { kind: 'payment' | 'service-cancellation' }>, reference: string | undefined, now: Date): void {
    if (effect.kind === 'payment') this.paymentExecuted(effect.amountFen, reference, now);
    this.completeImplementation(now);
  }

  /** An effect finally failed: the failure policy of its kind decides what follows. */
  private effectFailed(effect: OwedEffect, how: string, reason: string, now: Date): void {
    effect.status = 'failed';
    effect.settledAt = now.toISOString();
    effect.retryAt = undefined;
    effect.outcome = `${how}: ${reason}`;
    this.record(now, 'effect-failed', undefined, `Failed: ${describeEffect(effect)} (${how}): ${reason}`);
    let action = this.effectPolicy.kinds[effect.kind].onFailure;
    const current = this.state.stage === 'implementing' && 'remedyId' in effect && effect.remedyId === this.state.approvedRemedy?.id;
    // A remedy already past its implementation (withdrawn, confirmed restored) only needs people told.
    if (action === 'implementation-failed' && !current) action = 'alert-staff';
    switch (action) {
      case 'implementation-failed':
        this.implementationFailed(now, reason);
        return;
      case 'alert-staff': {
        this.state.effectsFailing = true;
        const supervisor = this.policy.escalation.levels[1]?.assignee?.id;
        const message = `Complaint ${this.state.complaintId}: ${describeEffect(effect)} failed (${how}: ${reason}); act on it by hand`;
        for (const recipient of new Set([this.state.owner.id, ...(supervisor ? [supervisor] : [])])) {
          this.notifyStaff('effect-failed', message, now, undefined, recipient);
        }
        return;
      }
      case 'dead-letter':
      case 'record-only':
        // The failed entry stays in the ledger (and the archive record) with its payload: the dead letter.
        this.state.effectsFailing = true;
        return;
      default:
        assertNever(action);
    }
  }

  private markDispatched(department: Department, now: Date): void {
    const a = activeAssignment(this.state, department) ?? this.state.assignments.findLast((x) => x.department === department);
    if (!a) return;
    if (a.status === 'awaiting-dispatch') a.status = 'dispatched';
    if (!a.dispatchedAt) a.dispatchedAt = now.toISOString();
    this.record(now, 'dispatched', undefined, `Dispatched to ${department}`);
  }

  // ---- Events from outside (signals: the server keeps them, worker or not) ----

  /** What events from outside do (policies recorded before this existed get the defaults). */
  get outsideEventPolicy(): OutsideEventPolicy {
    return this.currentPolicy.outsideEvents ?? defaultOutsideEventPolicy;
  }

  /**
   * Hears an event from an outside system. An event that does not fit the case as it is now (a
   * department that is not responsible, a confirmation nothing waits for) is recorded with the
   * reason and changes nothing else.
   */
  hear<E extends OutsideEventName>(name: E, event: OutsideEvents[E], now: Date): void {
    const hearer = this.hearers[name] as (e: OutsideEvents[E], now: Date) => string | void;
    const ignored = this.isClosed ? 'the complaint is closed' : hearer(event, now);
    if (ignored) this.record(now, 'outside-event-ignored', undefined, `${name} ${event.eventId} changed nothing: ${ignored}`);
  }

  /** Records an event that arrived malformed (from the CLI, say): on the timeline, nothing else. */
  refuseEvent(name: string, eventId: string | undefined, reason: string, now: Date): void {
    this.record(now, 'outside-event-ignored', undefined, `${name}${eventId ? ` ${eventId}` : ''} refused: ${reason}`);
  }

  /** Each event's effect on the case; a returned string is why it changed nothing. */
  private readonly hearers: { [E in OutsideEventName]: (event: OutsideEvents[E], now: Date) => string | void } = {
    repeatContact: (e, now) => {
      const s = this.state;
      const passedUnmet = s.slaBreached || s.promisedTimes.some((p) => p.status === 'missed') || s.pendingApology !== undefined;
      const escalates = repeatContactEscalates(this.outsideEventPolicy.repeatContact, passedUnmet);
      (s.repeatContacts ??= []).push({ at: now.toISOString(), channel: e.channel, note: e.note, escalated: escalates });
      this.record(now, 'repeat-contact', undefined, `The customer contacted us again via ${e.channel} (contact ${s.repeatContacts.length})${e.note ? `: ${e.note}` : ''}`);
      if (escalates) this.escalate('repeat-contact', now, `The customer contacted us again${passedUnmet ? ' after a promised time passed unmet' : ''}`);
      else this.notifyStaff('repeat-contact', `The customer of complaint ${s.complaintId} contacted us again via ${e.channel}`, now, undefined, s.owner.id);
    },
    externalReferral: (e, now) => {
      const s = this.state;
      const rule = this.outsideEventPolicy.externalReferral;
      (s.referrals ??= []).push({ at: now.toISOString(), source: e.source, reference: e.reference, note: e.note });
      const what = e.source === 'regulator' ? 'A regulator referral' : 'Media exposure';
      this.record(now, 'referred', undefined, `${what}${e.reference ? ` (${e.reference})` : ''}${e.note ? `: ${e.note}` : ''}`);
      if (rule.makeUrgent && s.intake.severity !== 'urgent') {
        // 001: the urgent path from this moment: the running clocks take the urgent durations.
        s.intake.severity = 'urgent';
        s.intake.urgentReason = e.source === 'regulator' ? 'regulator-referral' : 'media-exposure';
        clocks.recompute(s.clocks, this.policy.clocks, this.clockContext());
        this.flagCalendarFallback(now);
        this.record(now, 'reclassified', undefined, `Urgent from now on (${s.intake.urgentReason}); running deadlines recomputed`);
      }
      this.escalate('external-referral', now, `${what} arrived`, rule.escalateToLevel);
    },
    dispatchAcknowledged: (e, now) => {
      const a = activeAssignment(this.state, e.department) ?? this.state.assignments.findLast((x) => x.department === e.department);
      if (!a) return `${e.department} is not responsible for this complaint`;
      if (a.acknowledgedAt) return `${e.department} already acknowledged it at ${a.acknowledgedAt}`;
      if (a.status === 'awaiting-dispatch') this.markDispatched(e.department, now);
      a.acknowledgedAt = now.toISOString();
      a.acknowledgementReference = e.reference;
      const after = a.dispatchedAt ? ` ${((now.getTime() - Date.parse(a.dispatchedAt)) / HOUR_MS).toFixed(1)} h after dispatch` : '';
      this.record(now, 'dispatch-acknowledged', undefined, `${e.department} acknowledged the dispatch${e.reference ? ` (${e.reference})` : ''}${after}`);
    },
    settlementConfirmed: (e, now) => {
      const waiting = this.state.stage === 'implementing' ? this.state.implementation?.awaitingConfirmation : undefined;
      if (!waiting || waiting.effectKey !== e.effectKey) return `no settlement waits for a confirmation under ${e.effectKey}`;
      const effect = this.state.effects.find((x) => x.key === e.effectKey) as Extract<OwedEffect, { kind: 'payment' | 'service-cancellation' }>;
      this.state.implementation = { ...this.state.implementation!, awaitingConfirmation: undefined };
      if (e.outcome === 'confirmed') {
        this.record(now, 'settlement-confirmed', undefined, `Confirmed: ${describeEffect(effect)}${e.reference ? ` (reference ${e.reference})` : ''}`);
        this.settlementDone(effect, e.reference ?? effect.outcome, now);
      } else {
        this.record(now, 'settlement-failed', undefined, `Failed: ${describeEffect(effect)}: ${e.reason ?? 'no reason given'}`);
        this.implementationFailed(now, e.reason ?? `${describeEffect(effect)} failed`);
      }
    },
  };

  // ---- Reads ----

  /** The options the supervisor is choosing between now. */
  currentProposals(): RemedyProposal[] {
    return currentProposals(this.state);
  }

  activeAssignments(): DepartmentAssignment[] {
    return this.state.assignments.filter((a) => a.status !== 'handed-over');
  }

  /** The departments currently responsible (what the search attribute shows). */
  responsibleDepartments(): Department[] {
    return this.activeAssignments().map((a) => a.department);
  }

  /** The department(s) at fault according to the findings, for the penalty record (004). */
  partiesAtFault(): Array<{ department: Department; party: string; cause: string }> {
    return this.activeAssignments()
      .filter((a) => a.findings)
      .map((a) => ({ department: a.department, party: a.findings!.partyAtFault, cause: a.findings!.cause }));
  }

  // ---- Internals ----

  private clockContext(): ClockContext {
    const { kind, severity } = this.state.intake;
    return { kind, severity, calendar: this.calendar, warnAtFraction: this.policy.warnAtFraction };
  }

  /** A department becomes responsible, and is owed its dispatch (002: within 12 h of receipt). */
  private assign(d: Department, now: Date): void {
    this.state.assignments.push({ department: d, status: 'awaiting-dispatch', assignedAt: now.toISOString() });
    this.owe({ kind: 'department-dispatch', department: d }, now);
  }

  /**
   * Moves the case up the ladder (001: level by level): the new level's assignee becomes
   * accountable, is told, and has the level's own time limit to act (003).
   */
  private escalate(trigger: EscalationTrigger, now: Date, reason: string, atLeast?: number): void {
    const s = this.state;
    const ladder = this.policy.escalation;
    const level = nextLevel(ladder, s.escalationLevel, atLeast);
    if (level === s.escalationLevel) {
      // Nowhere higher to go: the top level keeps the case, with no further time limit to run out.
      s.accountable.respondBy = undefined;
      this.record(now, 'escalation-at-top', undefined, `Already at the top level (${trigger}): ${reason}`);
      return;
    }
    const rung = ladder.levels[level]!;
    s.escalationLevel = level;
    s.escalations.push({ level, trigger, at: now.toISOString(), reason });
    s.accountable = {
      level,
      levelName: rung.name,
      person: rung.assignee ?? s.owner,
      since: now.toISOString(),
      respondBy: rung.respondWithinHours ? new Date(now.getTime() + rung.respondWithinHours * HOUR_MS).toISOString() : undefined,
    };
    this.record(now, 'escalated', undefined, `Escalated to level ${level} (${rung.name}, ${s.accountable.person.name}) on ${trigger}: ${reason}`);
    this.notifyStaff('escalated', `Complaint ${s.complaintId} is escalated to you (${rung.name}) on ${trigger}: ${reason}`, now, s.accountable.respondBy);
  }

  /** Closes the case: the customer is told, and the archive gets the whole record. */
  private close(outcome: Outcome, now: Date, actor: string | undefined, summary: string): void {
    this.state.outcome = outcome;
    this.state.closedAt = now.toISOString();
    this.state.awaitingCustomer = undefined;
    this.moveTo('closed', now, 'closed', actor, summary);
    if (outcome === 'withdrawn') this.tellCustomer('withdrawn', 'Your complaint is withdrawn as you asked.', now);
    else this.tellCustomer('closed', `Your complaint is closed (${outcome}).`, now);
    this.owe({ kind: 'archive', record: 'closure' }, now);
  }

  /** Every stage change goes through here, and must be a row of the process table; the archive hears of it. */
  private moveTo(stage: Stage, now: Date, type: string, actor: string | undefined, summary: string): void {
    if (!transitionFor(this.state.stage, type, stage)) {
      throw new Error(`No transition ${this.state.stage} --${type}--> ${stage} in the process table`);
    }
    this.state.stage = stage;
    clocks.onStageChange(this.state.clocks, this.policy.clocks, stage, now);
    if (stage === 'closed') {
      clocks.cancelRunning(this.state.clocks);
      this.state.pendingApology = undefined;
      this.state.accountable.respondBy = undefined;
      for (const p of this.state.promisedTimes) if (p.status === 'pending') p.status = 'kept';
    }
    this.record(now, type, actor, summary);
    // The closure owes its own, final record (close()). Rides in the batch of the transition's
    // other effects (its notice, its lifecycle events): no activity of its own.
    if (stage !== 'closed' && this.archivesStageChanges) this.owe({ kind: 'archive', record: 'stage-change', stage }, now);
  }

  /** Every case event goes through here: the timeline, the clocks and the promises all see it. */
  private record(now: Date, type: string, actor: string | undefined, summary: string): void {
    this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type, actor, summary });
    for (const p of this.state.promisedTimes) {
      if (p.status === 'pending' && p.keptOn.includes(type)) p.status = 'kept';
    }
    for (const change of clocks.onCaseEvent(this.state.clocks, this.policy.clocks, this.clockContext(), type, this.state.stage, now)) {
      if (change.change !== 'started') {
        this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type: `clock-${change.change}`, summary: `The ${change.clock} clock is ${change.change.replace('-', ' ')}` });
      }
    }
    this.flagCalendarFallback(now);
  }

  /** A deadline computed past the calendar's data rests on its fallback: the case says so, once per clock. */
  private flagCalendarFallback(now: Date): void {
    const flag = clocks.fallbackFlag(this.state.clocks, this.policy.clocks, this.clockContext(), this.state.calendarFallback);
    this.state.calendarFallback = flag.clocks;
    if (flag.summary) this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type: 'calendar-fallback', summary: flag.summary });
  }
}

/** An owed effect that may be attempted at `now`. */
function isDue(e: OwedEffect, now: Date): boolean {
  return e.status === 'owed' && [e.retryAt, e.notBefore].every((t) => !t || Date.parse(t) <= now.getTime());
}
