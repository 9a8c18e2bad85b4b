/**
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
} from './complaint';
import { approvalLimitFen, type HandlingPolicy } from './policy';

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
export type EscalationTrigger =
  | 'judgment-disputed'
  | 'callback-dissatisfied'
  | 'customer-silent'
  | 'implementation-failed';

export interface PromisedTime {
  what: string;
  by: string;
  promisedAt: string;
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
  callback?: { required: boolean; result?: { satisfied: boolean; comments: string; at: string; recordedBy: string } };
  promisedTimes: PromisedTime[];
  contacts: Array<{ at: string; by: string; channel: string; purpose: ContactPurpose; summary: string }>;
  notes: Array<{ at: string; by: string; text: string }>;
  implementation?: { startedAt: string; completedAt?: string; failure?: string };
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
};

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
]);

const openStages: readonly Stage[] = [
  'awaiting-judgment',
  'not-upheld',
  'investigating',
  'proposing',
  'awaiting-approval',
  'awaiting-customer',
  'implementing',
  'awaiting-callback',
];

/** A command as the workflow receives it: a JSON object with the actor and the body. */
export type IncomingCommand = { actor?: unknown } & Record<string, unknown>;

export class ComplaintCase {
  readonly timeline: TimelineEvent[] = [];

  private constructor(
    readonly state: ComplaintState,
    readonly policy: HandlingPolicy,
  ) {}

  /** Opens the case on acceptance: the first responder owns it (首问负责制, 000/001/003). */
  static open(complaintId: string, intake: ComplaintIntake, policy: HandlingPolicy, now: Date): ComplaintCase {
    const receivedAt = intake.receivedAt ?? now.toISOString();
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
        contacts: [],
        notes: [],
        policyVersion: policy.version,
      },
      policy,
    );
    c.record(now, 'accepted', intake.acceptedBy.id, `Accepted via ${intake.channel}; owner ${intake.acceptedBy.name}`);
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
      throw new CommandRejection('forbidden', `a ${actor.role} may not ${describe(name)}`, 'actor.role');
    }
    const { actor: _ignored, ...rawBody } = input ?? {};
    const body = parseOr(commandSchemas[name] as unknown as z.ZodType<ParsedCommand<C>>, rawBody);
    const stages = rule.stages === 'any-open' ? openStages : rule.stages;
    if (!stages.includes(this.state.stage)) {
      throw new CommandRejection(
        'wrong-stage',
        `cannot ${describe(name)} while the complaint is ${this.state.stage}`,
      );
    }
    if (actor.role === 'agent' && ownerOnlyForAgents.has(name) && actor.id !== this.state.owner.id) {
      throw new CommandRejection('forbidden', `only the owner (${this.state.owner.id}) or a supervisor may ${describe(name)}`, 'actor.id');
    }
    this.checkObjectRules(name, actor, body);
    return { actor, body };
  }

  /** Applies a command that `check` accepted. */
  apply<C extends CommandName>(name: C, input: IncomingCommand, now: Date): void {
    const { actor, body } = this.check(name, input);
    const apply = this.appliers[name] as (b: ParsedCommand<C>, a: Actor, now: Date) => void;
    apply(body, actor, now);
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
      }
    },
    recordCallback: (b, actor, now) => {
      this.state.callback = { required: true, result: { satisfied: b.satisfied, comments: b.comments, at: now.toISOString(), recordedBy: actor.id } };
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
      if (b.newPromisedTime) this.promise(`reply (${b.purpose})`, b.newPromisedTime, now);
      this.record(now, 'customer-contacted', actor.id, `${b.channel}, ${b.purpose}: ${b.summary}`);
    },
    reassignOwner: (b, actor, now) => {
      const previous = this.state.owner;
      this.state.owner = b.newOwner;
      this.record(now, 'owner-reassigned', actor.id, `Owner ${previous.id} → ${b.newOwner.id}: ${b.reason}`);
    },
  };

  // ---- Transitions the workflow drives (results of activities and timers) ----

  /** Records a time promised to the customer (the acknowledgement's reply time, "restored by", ...). */
  promise(what: string, by: string, now: Date): void {
    this.state.promisedTimes.push({ what, by, promisedAt: now.toISOString() });
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
    this.state.callback = { required: callbackRequired };
    const silent = this.state.customerAnswers.at(-1)?.recordedBy === 'system';
    if (callbackRequired) {
      this.moveTo('awaiting-callback', now, 'callback-due', undefined, 'Awaiting the callback');
    } else {
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

  private escalate(trigger: EscalationTrigger, now: Date, reason: string): void {
    this.state.escalationLevel += 1;
    this.state.escalations.push({ level: this.state.escalationLevel, trigger, at: now.toISOString(), reason });
    this.record(now, 'escalated', undefined, `Escalated to level ${this.state.escalationLevel} (${trigger}): ${reason}`);
  }

  private close(outcome: Outcome, now: Date, actor: string | undefined, summary: string): void {
    this.state.outcome = outcome;
    this.state.closedAt = now.toISOString();
    this.moveTo('closed', now, 'closed', actor, summary);
  }

  private moveTo(stage: Stage, now: Date, type: string, actor: string | undefined, summary: string): void {
    this.state.stage = stage;
    this.record(now, type, actor, summary);
  }

  private record(now: Date, type: string, actor: string | undefined, summary: string): void {
    this.timeline.push({ seq: this.timeline.length + 1, at: now.toISOString(), type, actor, summary });
  }
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || '(body)';
  throw new CommandRejection('invalid', `${field}: ${issue.message}`, field);
}

function describe(name: CommandName): string {
  return name.replace(/[A-Z]/g, (m) => ` ${m.toLowerCase()}`);
}
