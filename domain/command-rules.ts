/**
 * Who may send which command, in which stage, on which complaint: the rules an update's validator
 * applies (STYLE §12: validators decide, handlers apply). Pure; `checkCommand` never changes state.
 */
import type { Actor, CommandName, ParsedCommand } from './complaint';
import { approvalLimitFen, approverNeeded } from './approval';
import { calendarDataProblems, type BusinessCalendar } from './calendar';
import { CommandRejection, activeAssignment, currentProposals, type ComplaintState } from './case-state';
import commandSchemaDocument from './generated/command-schemas.json';
import { checkSchema, withDefaults, type JsonSchema } from './json-schema';
import type { HandlingPolicy } from './policy';
import { policyDataProblems, type PolicyForProblems } from './policy-problems';
import type { OutsideEventName, OutsideEvents } from './outside-events';
import { remedyAmountFen, stages, type Role, type Stage } from './vocabulary';

/** The JSON Schemas of the actor and of each command's body, generated from the API's zod schemas. */
const schemas = commandSchemaDocument as unknown as { actor: JsonSchema; commands: Record<CommandName, JsonSchema>; events: Record<OutsideEventName, JsonSchema> };

/**
 * The JSON Schema of a handling policy: large, so loaded only when a policy is applied (a lazy
 * require: the workflow bundle evaluates it in a complaint's sandbox only then).
 */
export function policySchema(): JsonSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  return require('./generated/policy-schema.json') as JsonSchema;
}

/** The JSON Schema of a business calendar: loaded only when a calendar is applied (lazy, as above). */
export function calendarSchema(): JsonSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see policySchema
  return require('./generated/calendar-schema.json') as JsonSchema;
}

/** Roles allowed to send each command, and the stages it is accepted in (policy as data). */
export const commandRules: { [C in CommandName]: { roles: readonly Role[]; stages: readonly Stage[] | 'any-open' } } = {
  judgeValidity: { roles: ['agent', 'supervisor', 'manager'], stages: ['awaiting-judgment'] },
  recordFindings: { roles: ['department'], stages: ['investigating'] },
  handOverToDepartment: { roles: ['department'], stages: ['investigating'] },
  proposeRemedies: { roles: ['department', 'agent', 'supervisor'], stages: ['proposing'] },
  requireConsultation: { roles: ['supervisor', 'manager'], stages: ['investigating', 'proposing', 'awaiting-approval'] },
  recordConsultation: { roles: ['supervisor', 'manager', 'general-manager', 'department'], stages: ['awaiting-approval'] },
  approveRemedy: { roles: ['supervisor', 'manager', 'general-manager'], stages: ['awaiting-approval'] },
  returnRemedies: { roles: ['supervisor', 'manager', 'general-manager'], stages: ['awaiting-approval'] },
  recordCustomerAnswer: { roles: ['agent', 'supervisor'], stages: ['awaiting-customer'] },
  recordCallback: { roles: ['agent', 'supervisor'], stages: ['awaiting-callback'] },
  disputeJudgment: { roles: ['agent', 'supervisor', 'service'], stages: ['not-upheld'] },
  withdraw: { roles: ['agent', 'supervisor', 'service'], stages: 'any-open' },
  addNote: { roles: ['agent', 'supervisor', 'manager', 'general-manager', 'department'], stages: 'any-open' },
  recordContact: { roles: ['agent', 'supervisor'], stages: 'any-open' },
  reassignOwner: { roles: ['supervisor', 'manager'], stages: 'any-open' },
  escalate: { roles: ['agent', 'supervisor', 'manager'], stages: 'any-open' },
  reclassify: { roles: ['supervisor', 'manager'], stages: 'any-open' },
  confirmServiceRestored: { roles: ['department', 'agent', 'supervisor'], stages: ['implementing'] },
  applyPolicy: { roles: ['manager'], stages: 'any-open' },
  /** A second manager lets a widening policy or calendar change take effect (four eyes). */
  approveRuleChange: { roles: ['manager'], stages: 'any-open' },
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

/**
 * Checks a command against the case without changing anything; throws a CommandRejection saying
 * why it is refused. Returns the parsed actor and body.
 */
export function checkCommand<C extends CommandName>(
  state: ComplaintState,
  policy: HandlingPolicy,
  name: C,
  input: IncomingCommand,
): { actor: Actor; body: ParsedCommand<C> } {
  const actor = conforming<Actor>(schemas.actor, input?.actor, 'actor');
  if (actor.role === 'department' && actor.department === undefined) {
    throw new CommandRejection('invalid', 'actor.department: a department actor must name its department', 'actor.department');
  }
  const rule = commandRules[name];
  if (!rule.roles.includes(actor.role)) {
    throw new CommandRejection('forbidden', `a ${actor.role} may not ${describeCommand(name)}`, 'actor.role');
  }
  // A department that never had the case learns nothing of it, not even its stage; only a desk
  // named as a consulted approver may give its opinion on a case it never had.
  const consulted = name === 'recordConsultation' && state.consultation?.approvers.includes(actor.id);
  if (actor.role === 'department' && !consulted && !mayRead(actor, state)) {
    throw new CommandRejection('forbidden', `${actor.department} is not responsible for this complaint`, 'actor.department');
  }
  const { actor: _ignored, ...rawBody } = input ?? {};
  const body = conforming<ParsedCommand<C>>(schemas.commands[name], rawBody);
  const allowedStages = rule.stages === 'any-open' ? openStages : rule.stages;
  if (!allowedStages.includes(state.stage)) {
    throw new CommandRejection('wrong-stage', `cannot ${describeCommand(name)} while the complaint is ${state.stage}`);
  }
  if (actor.role === 'agent' && ownerOnlyForAgents.has(name) && actor.id !== state.owner.id) {
    throw new CommandRejection('forbidden', `only the owner (${state.owner.id}) or a supervisor may ${describeCommand(name)}`, 'actor.id');
  }
  checkObjectRules(state, policy, name, actor, body);
  return { actor, body };
}


function checkObjectRules<C extends CommandName>(s: ComplaintState, policy: HandlingPolicy, name: C, actor: Actor, body: ParsedCommand<C>): void {
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
      const a = activeAssignment(s, b.department);
      if (!a) throw new CommandRejection('forbidden', `${b.department} is not responsible for this complaint`, 'department');
      if (a.status === 'reported') throw new CommandRejection('wrong-stage', `${b.department} has already reported its findings`, 'department');
      return;
    }
    case 'handOverToDepartment': {
      const b = body as ParsedCommand<'handOverToDepartment'>;
      if (actor.department !== b.from) {
        throw new CommandRejection('forbidden', `department ${actor.department} may not hand over ${b.from}'s part`, 'from');
      }
      const from = activeAssignment(s, b.from);
      if (!from) throw new CommandRejection('forbidden', `${b.from} is not responsible for this complaint`, 'from');
      if (from.status === 'reported') throw new CommandRejection('wrong-stage', `${b.from} has already reported its findings`, 'from');
      if (activeAssignment(s, b.to)) throw new CommandRejection('invalid', `${b.to} is already responsible for this complaint`, 'to');
      return;
    }
    case 'proposeRemedies':
      if (actor.role === 'department' && !activeAssignment(s, actor.department!)) {
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
      const proposal = currentProposals(s).find((p) => p.id === b.optionId);
      if (!proposal) throw new CommandRejection('invalid', `no current remedy option ${b.optionId}`, 'optionId');
      if (proposal.proposedBy === actor.id) {
        throw new CommandRejection('forbidden', 'no one approves a remedy they proposed', 'actor.id');
      }
      if (s.consultation && s.consultation.opinions.length < s.consultation.approvers.length) {
        throw new CommandRejection('wrong-stage', 'this major case needs every consulted opinion before a decision (003)');
      }
      if (s.approvals.some((a) => a.optionId === b.optionId && a.by === actor.id)) {
        throw new CommandRejection('wrong-stage', `${actor.id} has already approved ${b.optionId}`);
      }
      const amount = remedyAmountFen(proposal.option);
      const kind = proposal.option.kind;
      const limit = approvalLimitFen(policy, actor.role, kind);
      const needed = approverNeeded(policy, proposal.option);
      if (!needed) {
        const topLimit = approvalLimitFen(policy, policy.approval.escalateTo, kind);
        throw new CommandRejection('forbidden', `${amount} fen is beyond every approver's limit (${topLimit} fen)`, 'optionId');
      }
      // Four eyes: who raised the limits approves nothing above what they could before the raise.
      const before = s.limitsRaised?.by.includes(actor.id) ? (s.limitsRaised.before[actor.role] ?? 0) : undefined;
      if (before !== undefined && amount > before) {
        throw new CommandRejection('forbidden', `${actor.id} raised the approval limits: no one approves a remedy under a limit they raised (${amount} fen is above the ${before} fen before the raise)`, 'actor.id');
      }
      // Above the supervisor's tier the supervisor still chooses; the higher tier countersigns (003).
      if (amount > limit && actor.role !== 'supervisor') {
        const why = limit < 0 ? `a ${kind} starts at the ${needed}'s tier` : `${amount} fen is beyond a ${actor.role}'s approval limit of ${limit} fen`;
        throw new CommandRejection('forbidden', `${why}: the ${needed} approves it`, 'optionId');
      }
      return;
    }
    case 'addNote':
      if (actor.role === 'department' && !activeAssignment(s, actor.department!)) {
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
      if (actor.role === 'department' && !activeAssignment(s, actor.department!)) {
        throw new CommandRejection('forbidden', `${actor.department} is not responsible for this complaint`, 'actor.department');
      }
      return;
    }
    case 'applyPolicy': {
      const b = body as ParsedCommand<'applyPolicy'>;
      conforming(policySchema(), b.policy, 'policy');
      // What the JSON Schema cannot say (the zod schema's refinements), checked the same way.
      const [problem] = policyDataProblems(b.policy as PolicyForProblems);
      if (problem) {
        const field = ['policy', ...problem.path].join('.');
        throw new CommandRejection('invalid', `${field}: ${problem.message}`, field);
      }
      return;
    }
    case 'approveRuleChange': {
      const pending = s.pendingRuleChange;
      if (!pending) throw new CommandRejection('wrong-stage', 'no rule change waits for approval');
      if (pending.proposedBy === actor.id) throw new CommandRejection('forbidden', 'no one approves a rule change they proposed (four eyes)', 'actor.id');
      return;
    }
    case 'applyCalendar': {
      const b = body as ParsedCommand<'applyCalendar'>;
      const calendar = conforming<BusinessCalendar>(calendarSchema(), b.calendar, 'calendar');
      // What the JSON Schema cannot say (the zod schema's refinements), checked the same way.
      const [problem] = calendarDataProblems(calendar);
      if (problem) {
        const field = ['calendar', ...problem.path].join('.');
        throw new CommandRejection('invalid', `${field}: ${problem.message}`, field);
      }
      return;
    }
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

/**
 * The command as the handler applies it: the validator accepted it, so this only fills in the
 * schema's defaults and never judges (the API sends bodies it already parsed; the Temporal CLI
 * may leave defaults out). Whatever today's schema says, what was accepted is applied as sent.
 */
export function acceptedCommand<C extends CommandName>(name: C, input: IncomingCommand): { actor: Actor; body: ParsedCommand<C> } {
  const { actor, ...rawBody } = input;
  const body = withDefaults(schemas.commands[name] ?? {}, rawBody) as unknown as ParsedCommand<C>;
  return { actor: actor as Actor, body };
}

/** `value` with the schema's defaults, when it conforms; otherwise an `invalid` rejection naming the field. */
function conforming<T>(schema: JsonSchema, value: unknown, prefix?: string): T {
  const problem = checkSchema(schema, value);
  if (problem) {
    const field = [prefix, problem.path].filter(Boolean).join('.') || '(body)';
    throw new CommandRejection('invalid', `${field}: ${problem.message}`, field);
  }
  return withDefaults(schema, value) as T;
}

/** A command in words: `judgeValidity` → "judge validity". */
export function describeCommand(name: CommandName): string {
  return name.replace(/[A-Z]/g, (m) => ` ${m.toLowerCase()}`);
}

/**
 * An event from outside as the case hears it: conforming to its schema (defaults filled in), or
 * the reason it is refused. Events come from other systems and the CLI as plain JSON.
 */
export function checkOutsideEvent<E extends OutsideEventName>(name: E, raw: unknown): { event: OutsideEvents[E] } | { refused: string } {
  const problem = checkSchema(schemas.events[name], raw);
  if (problem) return { refused: `${problem.path || '(body)'}: ${problem.message}` };
  return { event: withDefaults(schemas.events[name], raw) as OutsideEvents[E] };
}
