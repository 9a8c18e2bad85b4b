/**
 * One complaint's case file (docs/process.md): opened on acceptance, moved by commands (judged by
 * `check`, the update's validator; applied by `apply`, the handler), by events from outside, by
 * the workflow's timer (`tick`) and by the outcomes of the effects it owes (`settleEffects`). Each
 * of these lives in its own room of this folder; this class is the door the workflow uses.
 */
import type { BusinessCalendar } from '../calendar';
import type { IncomingCommand } from '../command-rules';
import type { Actor, CommandName, ComplaintIntake, ParsedCommand } from '../complaint';
import type { EffectResult, OwedEffect } from '../effects';
import type { OutsideEventName, OutsideEvents } from '../outside-events';
import type { HandlingPolicy } from '../policy';
import { CaseCore, type CaseSnapshot } from './core';
import * as commands from './commands';
import * as deadlines from './deadlines';
import * as ledger from './ledger';
import { hear } from './hearing';

export class ComplaintCase extends CaseCore {
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

  /** Judges a command without changing anything (commands.ts); throws a CommandRejection saying why. */
  check<C extends CommandName>(name: C, input: IncomingCommand, alsoCarried: () => number = () => 0): { actor: Actor; body: ParsedCommand<C> } {
    return commands.check(this, name, input, alsoCarried);
  }

  /** Applies a command the validator accepted, without judging it again (commands.ts). */
  apply<C extends CommandName>(name: C, input: IncomingCommand, now: Date): void {
    commands.apply(this, name, input, now);
  }

  /** Hears an event from an outside system (hearing.ts). */
  hear<E extends OutsideEventName>(name: E, event: OutsideEvents[E], now: Date, sentBy?: string): void {
    hear(this, name, event, now, sentBy);
  }

  /** What the complaint waits for now, and the stage's own deadline (deadlines.ts). */
  stageWait(): deadlines.StageWait {
    return deadlines.stageWait(this);
  }

  /** The nearest deadline and what it is, in words (the timer's summary in the Temporal UI). */
  nextDeadline(): { at: number; what: string } | undefined {
    return deadlines.nextDeadline(this);
  }

  /** The next instant something is due: a clock's warning or breach, a promise, an apology, a level's limit, the stage's own deadline. */
  nextDue(): number | undefined {
    return this.nextDeadline()?.at;
  }

  /** Acts on everything due at `now` (deadlines.ts). */
  tick(now: Date): void {
    deadlines.tick(this, now);
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

  /** Whether any effect is owed and due at `now` (not waiting for a retry). */
  hasEffectsDue(now: Date): boolean {
    return ledger.hasEffectsDue(this, now);
  }

  /** Whether every effect is done or finally failed, and every published event owed. */
  get effectsSettled(): boolean {
    return ledger.effectsSettled(this);
  }

  /** When the earliest effect waiting (for a retry, or for the contact window) is due. */
  nextEffectRetry(): number | undefined {
    return ledger.nextEffectRetry(this);
  }

  /** The effects to carry out now, in ledger order (lifecycle events owed first, as one batch entry). */
  takeEffectsDue(now: Date): OwedEffect[] {
    return ledger.takeEffectsDue(this, now);
  }

  /** Applies the outcomes of a batch: done, refused for good, or unavailable (ledger.ts). */
  settleEffects(results: readonly EffectResult[], now: Date): void {
    ledger.settleEffects(this, results, now);
  }
}
