/**
 * The case file's shape (what a complaint holds and `GET /complaints/:id` shows), the refusal a
 * command gets, and small reads of the case shared by the command rules and the case itself.
 */
import type { ContactPurpose, Department, Findings, ComplaintIntake, Outcome, Person, RemedyOption, Role, Stage } from './complaint';
import type { Clock, ClockName } from './clocks';
import type { TimelineEventType } from './vocabulary';
import type { OwedEffect } from './effects';
import type { EscalationTrigger } from './escalation';
import type { SettlingParty } from './settled-by';

/** Why a command was refused; the API maps these to 403 / 409 / 422 (a full case file is 409 too). */
export type RejectionKind = 'forbidden' | 'wrong-stage' | 'invalid' | 'case-file-full';

/** A refused command. Nothing was changed. */
export class CommandRejection extends Error {
  constructor(
    readonly kind: RejectionKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CommandRejection';
  }
}

export type AssignmentStatus = 'awaiting-dispatch' | 'dispatched' | 'reported' | 'handed-over';

/** A responsible department's part in the investigation (§3). */
export interface DepartmentAssignment {
  department: Department;
  status: AssignmentStatus;
  assignedAt: string;
  dispatchedAt?: string;
  /** The department's own system confirmed it has the case (the dispatchAcknowledged event). */
  acknowledgedAt?: string;
  acknowledgementReference?: string;
  findings?: Findings & { reportedAt: string; reportedBy: string };
  handedOverTo?: Department;
}

export interface RemedyProposal {
  id: string;
  round: number;
  option: RemedyOption;
  proposedBy: string;
  proposedAt: string;
}

export interface Approval {
  optionId: string;
  by: string;
  role: Role;
  at: string;
  note?: string;
  /** Whether this approver's authority covers the amount on their own. */
  withinAuthority: boolean;
}

export interface CustomerAnswer {
  accepted: boolean;
  demand?: string;
  note?: string;
  at: string;
  recordedBy: string;
}

export interface Escalation {
  level: number;
  trigger: EscalationTrigger;
  at: string;
  reason: string;
}
/** A time promised to the customer (001 case 1): kept by an event before `by`, or missed. */
export interface PromisedTime {
  what: string;
  by: string;
  promisedAt: string;
  status: 'pending' | 'kept' | 'missed';
  /** The case events that keep the promise. */
  keptOn: TimelineEventType[];
}

export interface TimelineEvent {
  seq: number;
  at: string;
  type: TimelineEventType;
  actor?: string;
  summary: string;
}

/** Everything the case file holds; what `GET /complaints/:id` shows. */
export interface ComplaintState {
  complaintId: string;
  stage: Stage;
  outcome?: Outcome;
  intake: ComplaintIntake;
  receivedAt: string;
  owner: Person;
  escalationLevel: number;
  escalations: Escalation[];
  assignments: DepartmentAssignment[];
  proposalRound: number;
  proposals: RemedyProposal[];
  consultation?: {
    approvers: string[];
    reason: string;
    requestedBy: string;
    opinions: Array<{ approver: string; supports: boolean; opinion: string; at: string }>;
  };
  approvals: Approval[];
  approvedRemedy?: RemedyProposal;
  customerDemands: string[];
  customerAnswers: CustomerAnswer[];
  remindersSent: number;
  callback?: {
    required: boolean;
    /** When the callback should be made: inside the customer's contact window (004). */
    scheduledFor?: string;
    result?: { satisfied: boolean; comments: string; at: string; recordedBy: string };
  };
  promisedTimes: PromisedTime[];
  /** Every SLA clock with its deadline and whether it was met or breached (docs/clocks.md). */
  clocks: Clock[];
  slaBreached: boolean;
  /** Who answers for the case now: the owner at level 0, then each escalation level's assignee. */
  accountable: { level: number; levelName: string; person: Person; since: string; respondBy?: string };
  /** A promised time passed unmet: the owner must call, apologise and give a new time by `contactBy`. */
  pendingApology?: { promise: string; missedAt: string; contactBy: string; escalated: boolean };
  /** 000: the platform took over a transferred complaint its partner left overdue. */
  takeover?: { partner: string; at: string; clock: string };
  /** 000: what the partner is charged for the platform's settlement. */
  partnerCharge?: { partner: string; refundFen: number; costsFen: number; handlingFeeFen: number; totalFen: number };
  contacts: Array<{ at: string; by: string; channel: string; purpose: ContactPurpose; summary: string }>;
  notes: Array<{ at: string; by: string; text: string }>;
  implementation?: {
    startedAt: string;
    completedAt?: string;
    failure?: string;
    restoredAt?: string;
    paymentReference?: string;
    /** A settlement submitted to a system that confirms later: the remedy waits for its answer until `until`. */
    awaitingConfirmation?: { effectKey: string; until: string; escalated: boolean };
  };
  /** The customer contacted us again about this complaint (repeat contacts, counted in the reports). */
  repeatContacts?: Array<{ at: string; channel: string; note?: string; escalated: boolean }>;
  /** Regulator referrals and media exposure that arrived while the complaint was open. */
  referrals?: Array<{ at: string; source: 'regulator' | 'media'; reference?: string; note?: string }>;
  closedAt?: string;
  policyVersion: string;
  /** What the case owes the outside world, in order, with each effect's status (STYLE §13). */
  effects: OwedEffect[];
  /** Clocks whose running deadline was computed past the calendar's data, by its fallback. */
  calendarFallback: ClockName[];
  /** Some effect finally failed (the `EffectsFailing` search attribute): see `effects` and the timeline. */
  effectsFailing: boolean;
  /** The last timeline entry already owed to the lifecycle subscribers. */
  eventsOwedThrough: number;
  /** The approved remedy waiting for the customer's answer: since when, reminders this round, silence acted on. */
  awaitingCustomer?: { since: string; reminders: number; lastReminderAt?: string; silentAt?: string };
  /** A policy or calendar that widens the rules, waiting for a second manager (four eyes, domain/rule-change.ts). */
  pendingRuleChange?: PendingRuleChange;
  /**
   * Who settled a transferred complaint, recorded when the customer accepts a remedy: the partner,
   * or the platform (000 §4: it took the case over, or the customer would not accept the
   * partner's handling), and who approved the remedy accepted.
   */
  settledBy?: { party: SettlingParty; approvedBy?: string; at: string };
  /** Who raised approval limits on this complaint, and the limits before: they approve no remedy above those. */
  limitsRaised?: { by: string[]; before: Partial<Record<Role, number>> };
}

/** A rule change that waits for a second manager's approval before it takes effect. */
export type PendingRuleChange = {
  proposedBy: string;
  proposedAt: string;
  reason: string;
  /** What it widens, one line each (from → to). */
  widenings: string[];
} & ({ kind: 'policy'; policy: Record<string, unknown> } | { kind: 'calendar'; calendar: Record<string, unknown> });


// ---- Small reads of the case file, shared by the command rules and the case ----

/** A department's part in the case, unless it handed it over. */
export function activeAssignment(s: Pick<ComplaintState, 'assignments'>, d: Department): DepartmentAssignment | undefined {
  return s.assignments.find((a) => a.department === d && a.status !== 'handed-over');
}

/** The options the approver is choosing between now. */
export function currentProposals(s: Pick<ComplaintState, 'proposals' | 'proposalRound'>): RemedyProposal[] {
  return s.proposals.filter((p) => p.round === s.proposalRound);
}
