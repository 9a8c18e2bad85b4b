/**
 * What a complaint waits for, and what falls due: the clocks' warnings and breaches, promised
 * times, the apology owed for a missed one, a level's time limit, a settlement's confirmation and
 * the stage's own deadline (the dispute window, the customer's reminders and silence).
 */
import { nextContactTime } from '../calendar';
import * as clocks from '../clocks';
import { HOUR_MS } from '../durations';
import { assertNever } from '../effects';
import type { CaseCore } from './core';
import { startImplementation, takeOverFromPartner } from './remedy';

/** What a complaint waits for in its stage, and until when a timer of the stage runs (if any). */
export interface StageWait {
  waitsFor: string;
  /** The stage's own deadline: the dispute window, the next reminder, silence. */
  dueAt?: number;
}

/** What the complaint waits for now, and the stage's own deadline. Exhaustive over stages. */
export function stageWait(c: CaseCore): StageWait {
  const s = c.state;
  switch (s.stage) {
    case 'awaiting-judgment':
      return { waitsFor: `the validity judgment of ${s.owner.id}` };
    case 'not-upheld': {
      // 004: the window runs from the judgment, not from when the reply was delivered.
      const judgment = c.timeline.findLast((e) => e.type === 'judged-not-upheld');
      const at = judgment ? Date.parse(judgment.at) : Date.parse(s.receivedAt);
      return { waitsFor: "the customer's dispute, if any", dueAt: at + c.policy.notUpheld.disputeWindowHours * HOUR_MS };
    }
    case 'investigating':
      return { waitsFor: `findings from ${c.activeAssignments().filter((a) => a.status !== 'reported').map((a) => a.department).join(', ')}` };
    case 'proposing':
      return { waitsFor: `remedy proposals (round ${s.proposalRound})` };
    case 'awaiting-approval':
      return { waitsFor: s.consultation && s.consultation.opinions.length < s.consultation.approvers.length ? `opinions of ${s.consultation.approvers.join(', ')}` : 'approval of a remedy' };
    case 'awaiting-customer':
      return { waitsFor: "the customer's answer to the remedy", dueAt: customerDueAt(c) };
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
export function customerDueAt(c: CaseCore): number | undefined {
  const wait = c.state.awaitingCustomer;
  if (!wait || wait.silentAt) return undefined;
  const { reminderEveryHours, reminders } = c.policy.customerAnswer;
  const base = Date.parse(wait.lastReminderAt ?? wait.since) + reminderEveryHours * HOUR_MS;
  if (wait.reminders >= reminders) return base;
  return nextContactTime(c.calendar, new Date(base), c.policy.contactWindow).getTime();
}

/** A deadline the case keeps: when it is next due (in words, for the timer's summary), and what falls due then. */
interface Deadline {
  /** The instants this deadline is next due at, each with what it is; none when it does not run. */
  dueAt(c: CaseCore): Array<{ at: number | undefined; what: string }>;
  /** Acts on what of it is due at `now` (and nothing else: it is asked on every tick). */
  onDue(c: CaseCore, now: Date): void;
}

/**
 * Every deadline of a complaint, in the order a tick acts on them: one row feeds both the timer
 * (nextDeadline) and the tick, so the two cannot disagree. A new deadline is a new row.
 */
const deadlines: readonly Deadline[] = [
  {
    // The SLA clocks: a warning at the policy's fraction, then the breach.
    dueAt: (c) =>
      c.state.clocks
        .filter((k) => k.status === 'running' && !k.pausedAt)
        .map((k) => (k.warnedAt ? { at: Date.parse(k.deadline), what: `${k.name} clock deadline` } : { at: Date.parse(k.warnAt), what: `${k.name} clock warning` })),
    onDue: clocksDue,
  },
  {
    // Times promised to the customer (003: the owner calls, apologises and gives a new time).
    dueAt: (c) => c.state.promisedTimes.filter((p) => p.status === 'pending').map((p) => ({ at: Date.parse(p.by), what: `promised ${p.what} time` })),
    onDue: promisesDue,
  },
  {
    dueAt: ({ state: s }) => [{ at: s.pendingApology && !s.pendingApology.escalated ? Date.parse(s.pendingApology.contactBy) : undefined, what: 'apology for a missed promise' }],
    onDue: (c, now) => {
      const s = c.state;
      if (s.pendingApology && !s.pendingApology.escalated && Date.parse(s.pendingApology.contactBy) <= now.getTime()) {
        s.pendingApology.escalated = true;
        c.escalate('promise-missed', now, `No apology and new promise for the missed ${s.pendingApology.promise} time`);
      }
    },
  },
  {
    // 003: each escalated level has its own time limit to act.
    dueAt: ({ state: s }) => [{ at: s.accountable.respondBy ? Date.parse(s.accountable.respondBy) : undefined, what: `${s.accountable.levelName} must act` }],
    onDue: (c, now) => {
      const s = c.state;
      if (s.accountable.respondBy && Date.parse(s.accountable.respondBy) <= now.getTime()) {
        c.escalate('level-timeout', now, `${s.accountable.levelName} did not act by ${s.accountable.respondBy}`);
      }
    },
  },
  {
    dueAt: (c) => [{ at: confirmationDueAt(c), what: 'settlement confirmation overdue' }],
    onDue: (c, now) => {
      const confirmationDue = confirmationDueAt(c);
      if (confirmationDue !== undefined && confirmationDue <= now.getTime()) {
        const waiting = c.state.implementation!.awaitingConfirmation!;
        waiting.escalated = true;
        c.escalate('confirmation-overdue', now, `No confirmation of ${waiting.effectKey} by ${waiting.until}`);
      }
    },
  },
  {
    // The stage's own deadline: the dispute window, the customer's reminders and silence.
    dueAt: (c) => {
      const s = c.state;
      const what = s.stage === 'not-upheld' ? 'dispute window ends' : s.awaitingCustomer && s.awaitingCustomer.reminders < c.policy.customerAnswer.reminders ? 'customer reminder' : 'customer silence';
      return [{ at: stageWait(c).dueAt, what }];
    },
    onDue: (c, now) => {
      const stageDue = stageWait(c).dueAt;
      if (stageDue !== undefined && stageDue <= now.getTime()) stageDeadlinePassed(c, now);
    },
  },
];

/** The nearest deadline and what it is, in words (the timer's summary in the Temporal UI). */
export function nextDeadline(c: CaseCore): { at: number; what: string } | undefined {
  if (c.isClosed) return undefined;
  let next: { at: number; what: string } | undefined;
  for (const d of deadlines) {
    for (const { at, what } of d.dueAt(c)) if (at !== undefined && (!next || at < next.at)) next = { at, what };
  }
  return next;
}

/** Acts on everything due at `now`, row by row of the deadlines table. */
export function tick(c: CaseCore, now: Date): void {
  if (c.isClosed) return;
  for (const d of deadlines) d.onDue(c, now);
}

/** SLA warnings and breaches; on a partner's complaint, a breach of a listed clock is a takeover (000). */
function clocksDue(c: CaseCore, now: Date): void {
  const s = c.state;
  const breached: string[] = [];
  for (const { clock, alarm } of clocks.tick(s.clocks, now)) {
    const k = s.clocks.find((x) => x.name === clock)!;
    if (alarm === 'warning') {
      c.record(now, 'sla-warning', undefined, `The ${clock} clock is ${Math.round(c.policy.warnAtFraction * 100)}% gone; due ${k.deadline}`);
      c.notifyStaff('sla-warning', `The ${clock} clock of complaint ${s.complaintId} is due at ${k.deadline}`, now, k.deadline);
    } else {
      s.slaBreached = true;
      c.record(now, 'sla-breached', undefined, `The ${clock} clock passed its deadline ${k.deadline}`);
      breached.push(`${clock} (due ${k.deadline})`);
      if (s.intake.kind === 'transferred' && !s.takeover && (c.policy.takeover.onBreachOf as string[]).includes(clock)) {
        takeOverFromPartner(c, clock, now);
      }
    }
  }
  // Clocks breached together escalate once: level by level, not several levels at a stroke (001).
  if (breached.length) c.escalate('sla-breach', now, `deadline passed: ${breached.join(', ')}`);
}

/** A promised time passed unmet: the owner owes the customer a call, an apology and a new time. */
function promisesDue(c: CaseCore, now: Date): void {
  const s = c.state;
  for (const p of s.promisedTimes) {
    if (p.status === 'pending' && Date.parse(p.by) <= now.getTime()) {
      p.status = 'missed';
      const contactBy = new Date(now.getTime() + c.policy.promisedTime.contactWithinHours * HOUR_MS).toISOString();
      s.pendingApology = { promise: p.what, missedAt: now.toISOString(), contactBy, escalated: false };
      c.record(now, 'promise-missed', undefined, `The ${p.what} time promised for ${p.by} passed: ${s.owner.name} must call the customer, apologise and give a new time by ${contactBy}`);
      c.notifyStaff('promise-missed', `Complaint ${s.complaintId}: the ${p.what} time ${p.by} passed; call the customer by ${contactBy}`, now, contactBy, s.owner.id);
    }
  }
}

/** A submitted settlement's confirmation is due by then (once; it escalates when it passes). */
export function confirmationDueAt(c: CaseCore): number | undefined {
  const waiting = c.state.stage === 'implementing' ? c.state.implementation?.awaitingConfirmation : undefined;
  return waiting && !waiting.escalated ? Date.parse(waiting.until) : undefined;
}

export function stageDeadlinePassed(c: CaseCore, now: Date): void {
  const s = c.state;
  if (s.stage === 'not-upheld') {
    c.close('not-upheld', now, undefined, 'No dispute within the window: closed as not upheld');
    return;
  }
  const wait = s.awaitingCustomer;
  if (s.stage !== 'awaiting-customer' || !wait) return;
  if (wait.reminders < c.policy.customerAnswer.reminders) {
    wait.reminders += 1;
    wait.lastReminderAt = now.toISOString();
    s.remindersSent += 1;
    c.record(now, 'customer-reminded', undefined, `Reminder ${s.remindersSent} sent about the proposed remedy`);
    c.tellCustomer('reminder', `Please tell us whether you accept the proposed remedy: ${s.approvedRemedy!.option.description}`, now);
  } else {
    wait.silentAt = now.toISOString();
    customerSilent(c, now);
  }
}

/** The customer never answered the remedy: the policy decides (docs/process.md). */
export function customerSilent(c: CaseCore, now: Date): void {
  if (c.policy.customerAnswer.onSilence === 'close-as-accepted') {
    c.state.customerAnswers.push({ accepted: true, note: 'accepted by silence', at: now.toISOString(), recordedBy: 'system' });
    c.record(now, 'accepted-by-silence', undefined, `No answer after ${c.state.remindersSent} reminder(s): treated as accepted`);
    c.state.awaitingCustomer = undefined;
    c.moveTo('implementing', now, 'customer-accepted', undefined, 'Implementing the remedy accepted by silence');
    startImplementation(c, now);
  } else {
    // The case stays with the customer, now at a higher level.
    c.escalate('customer-silent', now, `No answer after ${c.state.remindersSent} reminder(s)`);
  }
}
