/**
 * The case file of one complaint and the moves every transition is made of: record an event (the
 * timeline, the clocks and the promises all see it), move to a stage of the process table,
 * escalate a level, close, and owe an effect. Pure and deterministic: every method takes `now`
 * from the caller (the workflow's clock), and the state is a plain serialisable object. The other
 * rooms of the case (commands, deadlines, ledger, hearing, remedy) are functions of this file.
 */
import type { BusinessCalendar } from '../calendar';
import * as clocks from '../clocks';
import type { ClockContext, DeadlineMove } from '../clocks';
import { describeCommand } from '../command-rules';
import type { CommandName } from '../complaint';
import { noticeSendTime } from '../contact';
import { HOUR_MS } from '../durations';
import { defaultEffectFailurePolicy, type EffectFailurePolicy, type EffectOrder, type NoticeKind, type StaffNoticeKind } from '../effects';
import { nextLevel, type EscalationTrigger } from '../escalation';
import { jsonBytes } from '../case-file-size';
import { defaultOutsideEventPolicy, type OutsideEventPolicy } from '../outside-events';
import type { HandlingPolicy } from '../policy';
import { transitionFor, type TransitionEvent } from '../process';
import type { Department, Outcome, Stage, TimelineEventType } from '../vocabulary';
import { activeAssignment, currentProposals, type ComplaintState, type DepartmentAssignment, type RemedyProposal, type TimelineEvent } from '../case-state';

/** What a complaint carries into its next run (continue-as-new): its case and what it runs on. */
export interface CaseSnapshot {
  state: ComplaintState;
  timeline: TimelineEvent[];
  policy: HandlingPolicy;
  /** The calendar in force, when one was applied (absent in snapshots taken before applyCalendar). */
  calendar?: BusinessCalendar;
}

/** The case file and its moves; `ComplaintCase` (case.ts) adds what comes from outside. */
export class CaseCore {
  readonly timeline: TimelineEvent[] = [];
  /**
   * Whether each stage change owes the archive the record as it stands (reports and the knowledge
   * base see open complaints as they are now). Off only for runs replaying histories from before
   * it (the workflow's `patched('archive-on-stage-change')`).
   */
  archivesStageChanges = true;
  /**
   * Whether a policy or calendar that widens the rules waits for a second manager (four eyes).
   * Off for runs replaying histories from before it (the workflow's `patched('four-eyes-on-rules')`).
   */
  fourEyesOnRules = true;
  /** Whether this run has looked for clocks its policy lacks (noteClocksNotInPolicy). */
  private clocksInPolicyNoted = false;
  protected constructor(
    readonly state: ComplaintState,
    /** The policy in force for this complaint (recorded at start; replaced only by applyPolicy). */
    public policy: HandlingPolicy,
    /** The business calendar the complaint's clocks run on (recorded at start; replaced only by applyCalendar). */
    public calendar: BusinessCalendar,
  ) {}

  /** The failure policy for effects (policies recorded before it existed get the defaults). */
  get effectPolicy(): EffectFailurePolicy {
    return this.policy.effects ?? defaultEffectFailurePolicy;
  }
  /** What events from outside do (policies recorded before this existed get the defaults). */
  get outsideEventPolicy(): OutsideEventPolicy {
    return this.policy.outsideEvents ?? defaultOutsideEventPolicy;
  }
  /** What the next run needs to go on exactly where this one stands. */
  snapshot(): CaseSnapshot {
    return { state: this.state, timeline: this.timeline, policy: this.policy, calendar: this.calendar };
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

  /** The case file as it travels (its state and timeline as JSON), in bytes. */
  sizeInBytes(): number {
    return jsonBytes(this.state) + jsonBytes(this.timeline);
  }
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

  /**
   * The outcome of a command sent without waiting, on the timeline (and so to the webhook
   * subscribers): applied (after its own events), or refused with the reason, changing nothing else.
   */
  recordSubmittedCommand(name: CommandName, commandId: string, actorId: string | undefined, refusal: string | undefined, now: Date): void {
    if (refusal) this.record(now, 'command-refused', actorId, `Refused: ${describeCommand(name)} (${commandId}): ${refusal}`);
    else this.record(now, 'command-applied', actorId, `Applied: ${describeCommand(name)} (${commandId}, sent without waiting)`);
  }

  /** Records an event that arrived malformed (from the CLI, say): on the timeline, nothing else. */
  refuseEvent(name: string, eventId: string | undefined, reason: string, now: Date): void {
    this.record(now, 'outside-event-ignored', undefined, `${name}${eventId ? ` ${eventId}` : ''} refused: ${reason}`);
  }
  /** Records a time promised to the customer (the acknowledgement's reply time, "restored by", ...). */
  promise(what: string, by: string, now: Date, keptOn: TimelineEventType[]): void {
    this.state.promisedTimes.push({ what, by, promisedAt: now.toISOString(), status: 'pending', keptOn });
  }
  clockContext(): ClockContext {
    const { kind, severity } = this.state.intake;
    return { kind, severity, calendar: this.calendar, warnAtFraction: this.policy.warnAtFraction };
  }
  /** A department becomes responsible, and is owed its dispatch (002: within 12 h of receipt). */
  assign(d: Department, now: Date): void {
    this.state.assignments.push({ department: d, status: 'awaiting-dispatch', assignedAt: now.toISOString() });
    this.owe({ kind: 'department-dispatch', department: d }, now);
  }
  /**
   * Moves the case up the ladder (001: level by level): the new level's assignee becomes
   * accountable, is told, and has the level's own time limit to act (003).
   */
  escalate(trigger: EscalationTrigger, now: Date, reason: string, atLeast?: number): void {
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
  close(outcome: Outcome, now: Date, actor: string | undefined, summary: string): void {
    this.state.outcome = outcome;
    this.state.closedAt = now.toISOString();
    this.state.awaitingCustomer = undefined;
    this.moveTo('closed', now, 'closed', actor, summary);
    if (outcome === 'withdrawn') this.tellCustomer('withdrawn', 'Your complaint is withdrawn as you asked.', now);
    else this.tellCustomer('closed', `Your complaint is closed (${outcome}).`, now);
    this.owe({ kind: 'archive', record: 'closure' }, now);
  }
  /** Every stage change goes through here, and must be a row of the process table; the archive hears of it. */
  moveTo(stage: Stage, now: Date, type: TransitionEvent, actor: string | undefined, summary: string): void {
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
  record(now: Date, type: TimelineEventType, actor: string | undefined, summary: string): void {
    this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type, actor, summary });
    if (!this.clocksInPolicyNoted) this.noteClocksNotInPolicy(now);
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
  /**
   * A policy recorded before a clock existed has no rule for it: that clock does not run on this
   * complaint, and the timeline says so once (at the first event this code records).
   */
  private noteClocksNotInPolicy(now: Date): void {
    this.clocksInPolicyNoted = true;
    for (const name of clocks.clocksNotInPolicy(this.policy.clocks)) {
      const summary = `Policy ${this.policy.version} has no rule for the ${name} clock: it does not run on this complaint`;
      if (!this.timeline.some((e) => e.type === 'clock-not-in-policy' && e.summary === summary)) {
        this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type: 'clock-not-in-policy', summary });
      }
    }
  }

  /** A deadline computed past the calendar's data rests on its fallback: the case says so, once per clock. */
  flagCalendarFallback(now: Date): void {
    const flag = clocks.fallbackFlag(this.state.clocks, this.policy.clocks, this.clockContext(), this.state.calendarFallback);
    this.state.calendarFallback = flag.clocks;
    if (flag.summary) this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type: 'calendar-fallback', summary: flag.summary });
  }
  /** Records an effect the case owes; the workflow carries it out. */
  owe(order: EffectOrder, now: Date): void {
    const seq = this.state.effects.length + 1;
    // Stable across retries and replays, unique per complaint: the receiver applies each key once.
    const key = `${this.state.complaintId}:effect-${seq}:${order.kind}`;
    this.state.effects.push({ ...order, seq, key, status: 'owed', owedAt: now.toISOString(), attempts: 0 });
  }
  /** A customer notice; a proactive one waits for the customer's contact window (004: do not disturb at rest). */
  tellCustomer(notice: NoticeKind, message: string, now: Date, promisedBy?: string): void {
    this.owe({ kind: 'customer-notice', notice, message, promisedBy }, now);
    const timing = noticeSendTime(this.calendar, this.policy.contactWindow, this.policy.proactiveContact, notice, now, this.state.intake.severity === 'urgent');
    if (timing.waits) this.state.effects.at(-1)!.notBefore = timing.at.toISOString();
  }
  notifyStaff(notice: StaffNoticeKind, message: string, now: Date, actBy?: string, recipient?: string): void {
    this.owe({ kind: 'staff-notice', notice, message, actBy, recipient: recipient ?? this.state.accountable.person.id, escalationLevel: this.state.escalationLevel }, now);
  }
  markDispatched(department: Department, now: Date): void {
    const a = activeAssignment(this.state, department) ?? this.state.assignments.findLast((x) => x.department === department);
    if (!a) return;
    if (a.status === 'awaiting-dispatch') a.status = 'dispatched';
    if (!a.dispatchedAt) a.dispatchedAt = now.toISOString();
    this.record(now, 'dispatched', undefined, `Dispatched to ${department}`);
  }
}
