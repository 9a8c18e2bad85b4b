/**
 * FROZEN with `complaint-v1.ts` (see there): the case file as it was before the effects ledger.
 *
 * One complaint's case file and the rules that move it between stages (DOMAIN §1–§8).
 *
 * Pure and deterministic: every method takes `now` from the caller (the workflow's clock), state is
 * a plain serialisable object, and commands are checked by `check` (which never changes anything)
 * before `apply` changes the state. The workflow wires these to updates: `check` is the validator,
 * `apply` is the handler. Side effects (notifications, dispatches, refunds) are not done here; the
 * workflow carries them out when the case reaches the stage that asks for them.
 */
import { z } from 'zod';
import {
  actorSchema,
  commandSchemas,
  remedyAmountFen,
  type Actor,
  type CommandName,
  type ComplaintIntake,
  type ContactPurpose,
  type Department,
  type Findings,
  type Outcome,
  type ParsedCommand,
  type Person,
  type RemedyOption,
  type Role,
  type Stage,
  stages,
} from '../../domain/complaint';
import { nextContactTime, type BusinessCalendar } from '../../domain/calendar';
import * as clocks from '../../domain/clocks';
import type { Clock, ClockContext } from '../../domain/clocks';
import { nextLevel, respondsAtLevel, type EscalationTrigger } from '../../domain/escalation';
import { HOUR_MS } from '../../domain/durations';
import { approvalLimitFen, handlingPolicySchema, type HandlingPolicy } from '../../domain/policy';

export type { EscalationTrigger } from '../../domain/escalation';

/** Why a command was refused; the API maps these to 403 / 409 / 422. */
export type RejectionKind = 'forbidden' | 'wrong-stage' | 'invalid';

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
  keptOn: string[];
}

/** A staff notice waiting for the workflow to send it. */
export interface PendingStaffNotice {
  kind: 'escalated' | 'sla-warning' | 'sla-breached' | 'promise-missed' | 'callback-due' | 'taken-over';
  recipient: string;
  message: string;
  actBy?: string;
}

export interface TimelineEvent {
  seq: number;
  at: string;
  type: string;
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
  /** Every SLA clock with its deadline and whether it was met or breached (DOMAIN §7). */
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
  implementation?: { startedAt: string; completedAt?: string; failure?: string; restoredAt?: string; paymentReference?: string };
  closedAt?: string;
  policyVersion: string;
}

/** Roles allowed to send each command, and the stages it is accepted in (policy as data). */
const commandRules: { [C in CommandName]: { roles: readonly Role[]; stages: readonly Stage[] | 'any-open' } } = {
  judgeValidity: { roles: ['agent', 'supervisor', 'manager'], stages: ['awaiting-judgment'] },
  recordFindings: { roles: ['department'], stages: ['investigating'] },
  handOverToDepartment: { roles: ['department'], stages: ['investigating'] },
  proposeRemedies: { roles: ['department', 'agent', 'supervisor'], stages: ['proposing'] },
  requireConsultation: { roles: ['supervisor', 'manager'], stages: ['investigating', 'proposing', 'awaiting-approval'] },
  recordConsultation: { roles: ['supervisor', 'manager', 'department'], stages: ['awaiting-approval'] },
  approveRemedy: { roles: ['supervisor', 'manager'], stages: ['awaiting-approval'] },
  returnRemedies: { roles: ['supervisor', 'manager'], stages: ['awaiting-approval'] },
  recordCustomerAnswer: { roles: ['agent', 'supervisor'], stages: ['awaiting-customer'] },
  recordCallback: { roles: ['agent', 'supervisor'], stages: ['awaiting-callback'] },
  disputeJudgment: { roles: ['agent', 'supervisor', 'service'], stages: ['not-upheld'] },
  withdraw: { roles: ['agent', 'supervisor', 'service'], stages: 'any-open' },
  addNote: { roles: ['agent', 'supervisor', 'manager', 'department'], stages: 'any-open' },
  recordContact: { roles: ['agent', 'supervisor'], stages: 'any-open' },
  reassignOwner: { roles: ['supervisor', 'manager'], stages: 'any-open' },
  escalate: { roles: ['agent', 'supervisor', 'manager'], stages: 'any-open' },
  reclassify: { roles: ['supervisor', 'manager'], stages: 'any-open' },
  confirmServiceRestored: { roles: ['department', 'agent', 'supervisor'], stages: ['implementing'] },
  applyPolicy: { roles: ['manager'], stages: 'any-open' },
  applyCalendar: { roles: ['manager'], stages: 'any-open' },
};

/** The roles that may send `name` (function-level rule; the API refuses other roles before asking the workflow). */
export function rolesAllowedTo(name: CommandName): readonly Role[] {
  return commandRules[name].roles;
}

/**
 * Whether `actor` may see a complaint at all: a department only sees complaints it is or was
 * responsible for; every other role sees every complaint (agents take repeat calls on any of them).
 */
export function mayRead(actor: Actor, state: Pick<ComplaintState, 'assignments'>): boolean {
  return actor.role !== 'department' || state.assignments.some((a) => a.department === actor.department);
}

/** Commands an agent may send only on a complaint it owns (first-responder responsibility). */
const ownerOnlyForAgents: ReadonlySet<CommandName> = new Set<CommandName>([
  'judgeValidity',
  'proposeRemedies',
  'recordCustomerAnswer',
  'recordCallback',
  'disputeJudgment',
  'withdraw',
  'addNote',
  'recordContact',
  'escalate',
  'confirmServiceRestored',
]);

/** Every stage but `closed`: where 'any-open' commands are accepted. */
const openStages: readonly Stage[] = stages.filter((s) => s !== 'closed');

/** A command as the workflow receives it: a JSON object with the actor and the body. */
export type IncomingCommand = { actor?: unknown } & Record<string, unknown>;

export class ComplaintCase {
  readonly timeline: TimelineEvent[] = [];

  /** Staff notices the workflow has yet to send. */
  private readonly staffOutbox: PendingStaffNotice[] = [];

  private constructor(
    readonly state: ComplaintState,
    private currentPolicy: HandlingPolicy,
    readonly calendar: BusinessCalendar,
  ) {}

  /** The policy in force for this complaint (recorded at start; replaced only by applyPolicy). */
  get policy(): HandlingPolicy {
    return this.currentPolicy;
  }

  /**
   * Opens the case on acceptance: the first responder owns it (首问负责制, 000/001/003); the clocks
   * start from the time of receipt; the customer is promised the reply clock's deadline.
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
      },
      policy,
      calendar,
    );
    c.record(received, 'accepted', intake.acceptedBy.id, `Accepted via ${intake.channel}; owner ${intake.acceptedBy.name}`);
    const reply = c.state.clocks.find((k) => k.name === 'reply');
    if (reply) c.promise('reply', reply.deadline, received, policy.clocks.reply.stopOn);
    if (intake.severity === 'urgent') {
      // 001: special complaints take the urgent path and go up at once.
      c.escalate('urgent', now, `Urgent on intake${intake.urgentReason ? ` (${intake.urgentReason})` : ''}`, policy.escalation.urgentStartLevel);
    }
    return c;
  }

  get stage(): Stage {
    return this.state.stage;
  }

  get isClosed(): boolean {
    return this.state.stage === 'closed';
  }

  // ---- Commands: check (validator) and apply (handler) ----

  /**
   * Checks a command without changing anything; throws a CommandRejection saying why it is refused.
   * Returns the parsed actor and body for `apply`.
   */
  check<C extends CommandName>(name: C, input: IncomingCommand): { actor: Actor; body: ParsedCommand<C> } {
    const actor = parseOr(actorSchema, input?.actor, 'actor');
    const rule = commandRules[name];
    if (!rule.roles.includes(actor.role)) {
      throw new CommandRejection('forbidden', `a ${actor.role} may not ${describeCommand(name)}`, 'actor.role');
    }
    // A department that never had the case learns nothing of it, not even its stage (consulted
    // approvers are named individually, so their opinion is decided by the consultation rule).
    if (actor.role === 'department' && name !== 'recordConsultation' && !mayRead(actor, this.state)) {
      throw new CommandRejection('forbidden', `${actor.department} is not responsible for this complaint`, 'actor.department');
    }
    const { actor: _ignored, ...rawBody } = input ?? {};
    const body = parseOr(commandSchemas[name] as unknown as z.ZodType<ParsedCommand<C>>, rawBody);
    const allowedStages = rule.stages === 'any-open' ? openStages : rule.stages;
    if (!allowedStages.includes(this.state.stage)) {
      throw new CommandRejection(
        'wrong-stage',
        `cannot ${describeCommand(name)} while the complaint is ${this.state.stage}`,
      );
    }
    if (actor.role === 'agent' && ownerOnlyForAgents.has(name) && actor.id !== this.state.owner.id) {
      throw new CommandRejection('forbidden', `only the owner (${this.state.owner.id}) or a supervisor may ${describeCommand(name)}`, 'actor.id');
    }
    this.checkObjectRules(name, actor, body);
    return { actor, body };
  }

  /** Applies a command that `check` accepted. */
  apply<C extends CommandName>(name: C, input: IncomingCommand, now: Date): void {
    const { actor, body } = this.check(name, input);
    const apply = this.appliers[name] as (b: ParsedCommand<C>, a: Actor, now: Date) => void;
    apply(body, actor, now);
    const acc = this.state.accountable;
    if (acc.respondBy && respondsAtLevel(this.policy.escalation, acc.level, actor.role)) {
      // The escalated level acted on the case: its own time limit is met (003).
      acc.respondBy = undefined;
    }
  }

  private checkObjectRules<C extends CommandName>(name: C, actor: Actor, body: ParsedCommand<C>): void {
    const s = this.state;
    switch (name) {
      case 'judgeValidity':
        // A disputed judgment is judged again at a higher level (004): not by the front line.
        if (s.escalationLevel > 0 && actor.role === 'agent') {
          throw new CommandRejection('forbidden', 'a reopened complaint is judged by a supervisor', 'actor.role');
        }
        return;
      case 'recordFindings': {
        const b = body as ParsedCommand<'recordFindings'>;
        if (actor.department !== b.department) {
          throw new CommandRejection('forbidden', `department ${actor.department} may not report for ${b.department}`, 'department');
        }
        const a = this.activeAssignment(b.department);
        if (!a) throw new CommandRejection('forbidden', `${b.department} is not responsible for this complaint`, 'department');
        if (a.status === 'reported') throw new CommandRejection('wrong-stage', `${b.department} has already reported its findings`, 'department');
        return;
      }
      case 'handOverToDepartment': {
        const b = body as ParsedCommand<'handOverToDepartment'>;
        if (actor.department !== b.from) {
          throw new CommandRejection('forbidden', `department ${actor.department} may not hand over ${b.from}'s part`, 'from');
        }
        const from = this.activeAssignment(b.from);
        if (!from) throw new CommandRejection('forbidden', `${b.from} is not responsible for this complaint`, 'from');
        if (from.status === 'reported') throw new CommandRejection('wrong-stage', `${b.from} has already reported its findings`, 'from');
        if (this.activeAssignment(b.to)) throw new CommandRejection('invalid', `${b.to} is already responsible for this complaint`, 'to');
        return;
      }
      case 'proposeRemedies':
        if (actor.role === 'department' && !this.activeAssignment(actor.department!)) {
          throw new CommandRejection('forbidden', `${actor.department} is not responsible for this complaint`, 'actor.department');
        }
        return;
      case 'requireConsultation':
        if (s.consultation) throw new CommandRejection('wrong-stage', 'a consultation is already under way');
        return;
      case 'recordConsultation': {
        const c = s.consultation;
        if (!c) throw new CommandRejection('wrong-stage', 'no consultation was asked for');
        if (!c.approvers.includes(actor.id)) throw new CommandRejection('forbidden', `${actor.id} is not one of the consulted approvers`, 'actor.id');
        if (c.opinions.some((o) => o.approver === actor.id)) throw new CommandRejection('wrong-stage', `${actor.id} has already given an opinion`);
        return;
      }
      case 'approveRemedy': {
        const b = body as ParsedCommand<'approveRemedy'>;
        const proposal = this.currentProposals().find((p) => p.id === b.optionId);
        if (!proposal) throw new CommandRejection('invalid', `no current remedy option ${b.optionId}`, 'optionId');
        if (proposal.proposedBy === actor.id) {
          throw new CommandRejection('forbidden', 'no one approves a remedy they proposed', 'actor.id');
        }
        if (s.consultation && s.consultation.opinions.length < s.consultation.approvers.length) {
          throw new CommandRejection('wrong-stage', 'this major case needs every consulted opinion before a decision (003)');
        }
        if (this.state.approvals.some((a) => a.optionId === b.optionId && a.by === actor.id)) {
          throw new CommandRejection('wrong-stage', `${actor.id} has already approved ${b.optionId}`);
        }
        const amount = remedyAmountFen(proposal.option);
        const limit = approvalLimitFen(this.policy, actor.role);
        const topLimit = approvalLimitFen(this.policy, this.policy.approval.escalateTo);
        if (amount > topLimit) {
          throw new CommandRejection('forbidden', `${amount} fen is beyond every approver's limit (${topLimit} fen)`, 'optionId');
        }
        // Above the supervisor's limit the supervisor still chooses; the higher role countersigns (003).
        if (amount > limit && actor.role !== 'supervisor') {
          throw new CommandRejection('forbidden', `${amount} fen is beyond a ${actor.role}'s approval limit of ${limit} fen`, 'optionId');
        }
        return;
      }
      case 'addNote':
        if (actor.role === 'department' && !this.activeAssignment(actor.department!)) {
          throw new CommandRejection('forbidden', `${actor.department} is not responsible for this complaint`, 'actor.department');
        }
        return;
      case 'recordContact': {
        const b = body as ParsedCommand<'recordContact'>;
        if (b.purpose === 'promised-time-missed' && !b.newPromisedTime) {
          throw new CommandRejection('invalid', 'an apology for a missed promise gives the customer a new promised time (001)', 'newPromisedTime');
        }
        return;
      }
      case 'confirmServiceRestored': {
        if (s.approvedRemedy?.option.kind !== 'service-fix') {
          throw new CommandRejection('wrong-stage', 'only a service fix is confirmed as restored');
        }
        if (actor.role === 'department' && !this.activeAssignment(actor.department!)) {
          throw new CommandRejection('forbidden', `${actor.department} is not responsible for this complaint`, 'actor.department');
        }
        return;
      }
      case 'applyPolicy': {
        const b = body as ParsedCommand<'applyPolicy'>;
        const parsed = handlingPolicySchema.safeParse(b.policy);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new CommandRejection('invalid', `policy.${issue.path.join('.')}: ${issue.message}`, `policy.${issue.path.join('.')}`);
        }
        return;
      }
      case 'applyCalendar':
        // Frozen code: a complaint started before the effects ledger keeps the calendar it started with.
        throw new CommandRejection('wrong-stage', 'this complaint was started before calendars could be applied; it keeps its own');
      case 'reclassify': {
        const b = body as ParsedCommand<'reclassify'>;
        const kind = b.kind ?? s.intake.kind;
        if (kind === 'transferred' && !(b.partner ?? s.intake.partner)) {
          throw new CommandRejection('invalid', 'a transferred complaint names its partner', 'partner');
        }
        return;
      }
      case 'reassignOwner': {
        const b = body as ParsedCommand<'reassignOwner'>;
        if (b.newOwner.id === s.owner.id) throw new CommandRejection('invalid', `${b.newOwner.id} already owns this complaint`, 'newOwner.id');
        return;
      }
      default:
        return;
    }
  }

  private readonly appliers: { [C in CommandName]: (body: ParsedCommand<C>, actor: Actor, now: Date) => void } = {
    judgeValidity: (b, actor, now) => {
      if (b.upheld) {
        for (const d of b.departments) this.assign(d, now);
        this.moveTo('investigating', now, 'judged-upheld', actor.id, `Upheld: ${b.reason}; responsible: ${b.departments.join(', ')}`);
      } else {
        this.moveTo('not-upheld', now, 'judged-not-upheld', actor.id, `Not upheld: ${b.reason}`);
      }
    },
    recordFindings: (b, actor, now) => {
      const a = this.activeAssignment(b.department)!;
      if (a.status === 'awaiting-dispatch') {
        // The department reported before its dispatch was confirmed: it evidently has the case.
        a.dispatchedAt = now.toISOString();
        this.record(now, 'dispatched', undefined, `${b.department} has the case (reported before the dispatch was confirmed)`);
      }
      a.status = 'reported';
      a.findings = { cause: b.cause, partyAtFault: b.partyAtFault, evidence: b.evidence, reportedAt: now.toISOString(), reportedBy: actor.id };
      this.record(now, 'findings-recorded', actor.id, `${b.department}: ${b.cause} (at fault: ${b.partyAtFault})`);
      if (this.activeAssignments().every((x) => x.status === 'reported')) {
        this.moveTo('proposing', now, 'investigation-complete', undefined, 'Every responsible department has reported');
      }
    },
    handOverToDepartment: (b, actor, now) => {
      const from = this.activeAssignment(b.from)!;
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
      const proposal = this.currentProposals().find((p) => p.id === b.optionId)!;
      const amount = remedyAmountFen(proposal.option);
      const withinAuthority = amount <= approvalLimitFen(this.policy, actor.role);
      this.state.approvals.push({ optionId: b.optionId, by: actor.id, role: actor.role, at: now.toISOString(), note: b.note, withinAuthority });
      if (withinAuthority) {
        this.state.approvedRemedy = proposal;
        this.moveTo('awaiting-customer', now, 'remedy-approved', actor.id, `Approved ${b.optionId} (${proposal.option.kind})`);
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
      if (b.accepted) {
        this.moveTo('implementing', now, 'customer-accepted', actor.id, 'The customer accepted the remedy');
      } else {
        this.state.customerDemands.push(b.demand);
        this.state.proposalRound += 1;
        this.moveTo('proposing', now, 'customer-rejected', actor.id, `The customer rejected the remedy and wants: ${b.demand}`);
        const rejections = this.state.customerAnswers.filter((a) => !a.accepted).length;
        if (rejections % this.policy.escalation.customerRejectionsBeforeEscalation === 0) {
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
      this.record(now, 'reclassified', actor.id, `${before} → ${intake.kind}/${intake.severity}: ${b.reason}; running deadlines recomputed`);
      const urgentLevel = this.policy.escalation.urgentStartLevel;
      if (intake.severity === 'urgent' && this.state.escalationLevel < urgentLevel) {
        this.escalate('urgent', now, 'Reclassified as urgent', urgentLevel);
      }
    },
    confirmServiceRestored: (b, actor, now) => {
      this.state.implementation = { ...this.state.implementation!, restoredAt: now.toISOString() };
      this.record(now, 'service-restored', actor.id, `Service restored${b.note ? `: ${b.note}` : ''}`);
    },
    applyPolicy: (b, actor, now) => {
      this.currentPolicy = handlingPolicySchema.parse(b.policy);
      this.state.policyVersion = this.currentPolicy.version;
      clocks.recompute(this.state.clocks, this.policy.clocks, this.clockContext());
      this.record(now, 'policy-applied', actor.id, `Policy ${this.currentPolicy.version} applied: ${b.reason}`);
    },
    // Never accepted by this frozen code's validator (see checkObjectRules).
    applyCalendar: () => undefined,
  };

  // ---- Transitions the workflow drives (results of activities and timers) ----

  /** Records a time promised to the customer (the acknowledgement's reply time, "restored by", ...). */
  promise(what: string, by: string, now: Date, keptOn: string[]): void {
    this.state.promisedTimes.push({ what, by, promisedAt: now.toISOString(), status: 'pending', keptOn });
  }

  // ---- Clocks, promises and the escalation ladder ----

  /** The next instant something is due: a clock's warning or breach, a promise, an apology, a level's limit. */
  nextDue(): number | undefined {
    const s = this.state;
    const instants = [
      clocks.nextDue(s.clocks),
      ...s.promisedTimes.filter((p) => p.status === 'pending').map((p) => Date.parse(p.by)),
      s.pendingApology && !s.pendingApology.escalated ? Date.parse(s.pendingApology.contactBy) : undefined,
      s.accountable.respondBy ? Date.parse(s.accountable.respondBy) : undefined,
    ].filter((t): t is number => t !== undefined);
    return instants.length ? Math.min(...instants) : undefined;
  }

  /** Acts on everything due at `now`: SLA warnings and breaches, missed promises, levels out of time. */
  tick(now: Date): void {
    const s = this.state;
    if (this.isClosed) return;
    const breached: string[] = [];
    for (const { clock, alarm } of clocks.tick(s.clocks, now)) {
      const k = s.clocks.find((c) => c.name === clock)!;
      if (alarm === 'warning') {
        this.record(now, 'sla-warning', undefined, `The ${clock} clock is ${Math.round(this.policy.warnAtFraction * 100)}% gone; due ${k.deadline}`);
        this.notifyStaff('sla-warning', `The ${clock} clock of complaint ${s.complaintId} is due at ${k.deadline}`, k.deadline);
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
        this.notifyStaff('promise-missed', `Complaint ${s.complaintId}: the ${p.what} time ${p.by} passed; call the customer by ${contactBy}`, contactBy, s.owner.id);
      }
    }
    if (s.pendingApology && !s.pendingApology.escalated && Date.parse(s.pendingApology.contactBy) <= now.getTime()) {
      s.pendingApology.escalated = true;
      this.escalate('promise-missed', now, `No apology and new promise for the missed ${s.pendingApology.promise} time`);
    }
    if (s.accountable.respondBy && Date.parse(s.accountable.respondBy) <= now.getTime()) {
      this.escalate('level-timeout', now, `${s.accountable.levelName} did not act by ${s.accountable.respondBy}`);
    }
  }

  hasStaffNotices(): boolean {
    return this.staffOutbox.length > 0;
  }

  /** Staff notices raised since the last call (escalations, warnings, callbacks), for the workflow to send. */
  takeStaffNotices(): PendingStaffNotice[] {
    return this.staffOutbox.splice(0);
  }

  /** A payment went out; on a taken-over complaint the partner is charged for it (000). */
  paymentExecuted(amountFen: number, reference: string, now: Date): void {
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
    this.notifyStaff('taken-over', `Complaint ${s.complaintId} is taken over from ${s.intake.partner}`, undefined, s.owner.id);
  }

  private clockContext(): ClockContext {
    const { kind, severity } = this.state.intake;
    return { kind, severity, calendar: this.calendar, warnAtFraction: this.policy.warnAtFraction };
  }

  private notifyStaff(kind: PendingStaffNotice['kind'], message: string, actBy?: string, recipient?: string): void {
    this.staffOutbox.push({ kind, message, actBy, recipient: recipient ?? this.state.accountable.person.id });
  }

  /** Departments still to be dispatched, with the assignment's number (stable, for idempotency keys). */
  departmentsAwaitingDispatch(): Array<{ department: Department; assignment: number }> {
    return this.state.assignments
      .map((a, i) => ({ department: a.department, assignment: i + 1, status: a.status }))
      .filter((a) => a.status === 'awaiting-dispatch')
      .map(({ department, assignment }) => ({ department, assignment }));
  }

  markDispatched(department: Department, now: Date): void {
    const a = this.activeAssignment(department);
    if (a && a.status === 'awaiting-dispatch') {
      a.status = 'dispatched';
      a.dispatchedAt = now.toISOString();
      this.record(now, 'dispatched', undefined, `Dispatched to ${department}`);
    }
  }

  customerReminded(now: Date): void {
    this.state.remindersSent += 1;
    this.record(now, 'customer-reminded', undefined, `Reminder ${this.state.remindersSent} sent about the proposed remedy`);
  }

  /** The customer never answered the remedy: the policy decides (DOMAIN §5). */
  customerSilent(now: Date): void {
    if (this.policy.customerAnswer.onSilence === 'close-as-accepted') {
      this.state.customerAnswers.push({ accepted: true, note: 'accepted by silence', at: now.toISOString(), recordedBy: 'system' });
      this.record(now, 'accepted-by-silence', undefined, `No answer after ${this.state.remindersSent} reminder(s): treated as accepted`);
      this.moveTo('implementing', now, 'customer-accepted', undefined, 'Implementing the remedy accepted by silence');
    } else {
      this.escalate('customer-silent', now, `No answer after ${this.state.remindersSent} reminder(s)`);
    }
  }

  implementationStarted(now: Date): void {
    this.state.implementation = { startedAt: now.toISOString() };
  }

  /** The remedy is done; the callback decides whether the case stays open (004). */
  implementationCompleted(now: Date, callbackRequired: boolean): void {
    this.state.implementation = { ...this.state.implementation!, completedAt: now.toISOString() };
    this.record(now, 'remedy-implemented', undefined, `Implemented ${this.state.approvedRemedy?.option.kind}`);
    const silent = this.state.customerAnswers.at(-1)?.recordedBy === 'system';
    if (callbackRequired) {
      // 004: do not disturb customers at rest: the callback waits for the contact window.
      const scheduledFor = nextContactTime(this.calendar, now, this.policy.contactWindow).toISOString();
      this.state.callback = { required: true, scheduledFor };
      this.moveTo('awaiting-callback', now, 'callback-due', undefined, `Callback scheduled for ${scheduledFor}`);
      this.notifyStaff('callback-due', `Call back the customer of complaint ${this.state.complaintId}`, scheduledFor, this.state.owner.id);
    } else {
      this.state.callback = { required: false };
      this.close(silent ? 'accepted-by-silence' : 'resolved', now, undefined, 'Resolved; no callback drawn for this customer');
    }
  }

  /** The remedy could not be carried out: escalate and look for another remedy. */
  implementationFailed(now: Date, reason: string): void {
    this.state.implementation = { ...this.state.implementation!, failure: reason };
    this.state.proposalRound += 1;
    this.escalate('implementation-failed', now, reason);
    this.moveTo('proposing', now, 'implementation-failed', undefined, `The remedy failed: ${reason}`);
  }

  /** The dispute window of a "not upheld" reply passed with no dispute. */
  disputeWindowPassed(now: Date): void {
    this.close('not-upheld', now, undefined, 'No dispute within the window: closed as not upheld');
  }

  // ---- Reads ----

  /** The options the supervisor is choosing between now. */
  currentProposals(): RemedyProposal[] {
    return this.state.proposals.filter((p) => p.round === this.state.proposalRound);
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

  private activeAssignment(d: Department): DepartmentAssignment | undefined {
    return this.state.assignments.find((a) => a.department === d && a.status !== 'handed-over');
  }

  private assign(d: Department, now: Date): void {
    this.state.assignments.push({ department: d, status: 'awaiting-dispatch', assignedAt: now.toISOString() });
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
    this.notifyStaff('escalated', `Complaint ${s.complaintId} is escalated to you (${rung.name}) on ${trigger}: ${reason}`, s.accountable.respondBy);
  }

  private close(outcome: Outcome, now: Date, actor: string | undefined, summary: string): void {
    this.state.outcome = outcome;
    this.state.closedAt = now.toISOString();
    this.moveTo('closed', now, 'closed', actor, summary);
  }

  private moveTo(stage: Stage, now: Date, type: string, actor: string | undefined, summary: string): void {
    this.state.stage = stage;
    clocks.onStageChange(this.state.clocks, this.policy.clocks, stage, now);
    if (stage === 'closed') {
      clocks.cancelRunning(this.state.clocks);
      this.state.pendingApology = undefined;
      this.state.accountable.respondBy = undefined;
      for (const p of this.state.promisedTimes) if (p.status === 'pending') p.status = 'kept';
    }
    this.record(now, type, actor, summary);
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
  }
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || '(body)';
  throw new CommandRejection('invalid', `${field}: ${issue.message}`, field);
}

/** A command in words: `judgeValidity` → "judge validity". */
export function describeCommand(name: CommandName): string {
  return name.replace(/[A-Z]/g, (m) => ` ${m.toLowerCase()}`);
}
