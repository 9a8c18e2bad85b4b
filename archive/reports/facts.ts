/**
 * `ComplaintFacts`: the flat view of one archived complaint that the archive stores in its columns
 * and child tables, and that every report takes. `complaintFacts` derives it from a case file; the
 * archive reads it back from the database. Periods are half-open [from, to) on the submission time.
 */
import type { Category, Channel, ComplaintKind, ComplaintSource, CustomerTier, Outcome, Severity, UrgentReason } from '../../domain/complaint';
import type { ComplaintState, TimelineEvent } from '../../domain/case-state';
import { settlingParty, type SettlementFacts, type SettlingParty } from '../../domain/settled-by';

export type ClockStatus = 'running' | 'met' | 'breached' | 'cancelled';
export type PromiseStatus = 'pending' | 'kept' | 'missed';

/** One SLA clock of one complaint, as archived. */
export interface ClockFact {
  name: string;
  status: ClockStatus;
  startedAt: string;
  deadline: string;
  warnAt?: string;
  warnedAt?: string;
  metAt?: string;
  breachedAt?: string;
}

/** One department's part in a complaint; `responsible` is false once it handed the case over. */
export interface DepartmentFact {
  department: string;
  status: string;
  responsible: boolean;
  assignedAt: string;
  dispatchedAt?: string;
  /** When the department's own system acknowledged the dispatch (the dispatchAcknowledged event). */
  acknowledgedAt?: string;
  reportedAt?: string;
  cause?: string;
  partyAtFault?: string;
  /** 000 §4: the findings say poor reception or handling caused the complaint (undefined: not said). */
  poorHandling?: boolean;
  handedOverTo?: string;
}

/** 000: what a partner is charged for a complaint the platform took over. */
export interface ChargeFact {
  partner: string;
  takenOverAt?: string;
  refundFen: number;
  costsFen: number;
  handlingFeeFen: number;
  totalFen: number;
}

/** What the reports need to know about one archived complaint. */
export interface ComplaintFacts {
  complaintId: string;
  customerId: string;
  customerTier: CustomerTier;
  category: Category;
  severity: Severity;
  urgentReason?: UrgentReason;
  kind: ComplaintKind;
  /** Who brought it (000 §4); undefined on records from before the intake recorded it: the customer. */
  source?: ComplaintSource;
  partner?: string;
  channel: Channel;
  stage: string;
  outcome?: Outcome;
  /** The latest validity judgment; undefined when never judged (e.g. withdrawn before). */
  upheld?: boolean;
  /** Closed as resolved: the customer accepted, or was satisfied at the callback (never by silence). */
  resolved: boolean;
  /** 000: the platform settled it on the partner's behalf. */
  takenOver: boolean;
  /**
   * Who settled a transferred complaint that closed resolved (000 §4): the partner, or the platform
   * (it took it over, or the customer would not accept the partner's handling). Undefined otherwise.
   */
  settledBy?: SettlingParty;
  submittedAt: string;
  closedAt?: string;
  escalationLevel: number;
  slaBreached: boolean;
  /** Times the customer contacted us again about it while it was open (the repeatContact event). */
  repeatContacts?: number;
  /** Regulator referrals and media exposures that arrived while it was open. */
  referrals?: number;
  departments: DepartmentFact[];
  clocks: ClockFact[];
  escalations: Array<{ level: number; trigger: string; at: string; reason: string }>;
  promises: Array<{ what: string; by: string; promisedAt: string; status: PromiseStatus }>;
  remedy?: { kind: string; amountFen: number };
  remedyImplemented: boolean;
  /** When the remedy was carried out: where handling time ends (000 §4.5: 反馈解决日期). */
  remedyImplementedAt?: string;
  callback?: { required: boolean; satisfied?: boolean; at?: string };
  charge?: ChargeFact;
}

/** A half-open period [from, to) of submission times. */
export interface Period {
  from: Date;
  to: Date;
}

/**
 * The outcomes that count as resolved: closed with the customer satisfied (002: 顾客满意后结案).
 * `accepted-by-silence` is not among them: it is reported apart (`acceptedBySilence`).
 */
const resolvedOutcomes: ReadonlySet<string> = new Set<Outcome>(['resolved']);

/** Derives the facts from a case file and its timeline; tolerates the fields a record may lack. */
export function complaintFacts(state: ComplaintState, timeline: readonly TimelineEvent[] = []): ComplaintFacts {
  const intake = state.intake;
  if (!intake || !state.receivedAt) throw new Error(`complaint ${state.complaintId}: the record has no intake`);
  const judgments = timeline.filter((e) => e.type === 'judged-upheld' || e.type === 'judged-not-upheld');
  const lastJudgment = judgments.at(-1);
  const upheld = lastJudgment
    ? lastJudgment.type === 'judged-upheld'
    : (state.assignments ?? []).length > 0
      ? true
      : state.outcome === 'not-upheld'
        ? false
        : undefined;
  const closed = state.stage === 'closed';
  const remedy = state.approvedRemedy?.option;
  const charge = state.partnerCharge;
  const takeover = (state as { takeover?: { partner: string; at: string } }).takeover;
  const clocks = ((state as { clocks?: ClockFact[] }).clocks ?? []).map((c) => ({
    name: c.name,
    status: c.status,
    startedAt: c.startedAt,
    deadline: c.deadline,
    warnAt: c.warnAt,
    warnedAt: c.warnedAt,
    metAt: c.metAt,
    breachedAt: c.breachedAt,
  }));
  const promises = (state.promisedTimes ?? []).map((p) => {
    const status = (p as { status?: PromiseStatus }).status;
    return { what: p.what, by: p.by, promisedAt: p.promisedAt, status: status ?? 'pending' };
  });
  const callbackResult = state.callback?.result;
  return {
    complaintId: state.complaintId,
    customerId: intake.customer.id,
    customerTier: intake.customer.tier,
    category: intake.category,
    severity: intake.severity,
    urgentReason: intake.urgentReason,
    kind: intake.kind ?? 'direct',
    source: intake.source,
    partner: intake.partner ?? charge?.partner ?? takeover?.partner,
    channel: intake.channel,
    stage: state.stage,
    outcome: closed ? state.outcome : undefined,
    upheld,
    resolved: closed && state.outcome !== undefined && resolvedOutcomes.has(state.outcome),
    takenOver: Boolean(takeover || charge),
    settledBy: settledWhenResolved(closed && state.outcome !== undefined && resolvedOutcomes.has(state.outcome), {
      kind: intake.kind ?? 'direct',
      takenOver: Boolean(takeover || charge),
      escalations: state.escalations ?? [],
    }),
    submittedAt: state.receivedAt,
    closedAt: closed ? state.closedAt : undefined,
    escalationLevel: state.escalationLevel ?? 0,
    slaBreached: (state as { slaBreached?: boolean }).slaBreached ?? clocks.some(isBreached),
    repeatContacts: state.repeatContacts?.length ?? 0,
    referrals: state.referrals?.length ?? 0,
    departments: (state.assignments ?? []).map((a) => ({
      department: a.department,
      status: a.status,
      responsible: a.status !== 'handed-over',
      assignedAt: a.assignedAt,
      dispatchedAt: a.dispatchedAt,
      acknowledgedAt: a.acknowledgedAt,
      reportedAt: a.findings?.reportedAt,
      cause: a.findings?.cause,
      partyAtFault: a.findings?.partyAtFault,
      poorHandling: a.findings?.poorHandling,
      handedOverTo: a.handedOverTo,
    })),
    clocks,
    escalations: (state.escalations ?? []).map((e) => ({ level: e.level, trigger: e.trigger, at: e.at, reason: e.reason })),
    promises,
    remedy: remedy ? { kind: remedy.kind, amountFen: 'amountFen' in remedy ? remedy.amountFen : 0 } : undefined,
    remedyImplemented: Boolean(state.implementation?.completedAt),
    remedyImplementedAt: state.implementation?.completedAt,
    callback: state.callback
      ? { required: state.callback.required, satisfied: callbackResult?.satisfied, at: callbackResult?.at }
      : undefined,
    charge: charge
      ? {
          partner: charge.partner,
          takenOverAt: takeover?.at,
          refundFen: charge.refundFen,
          costsFen: charge.costsFen,
          handlingFeeFen: charge.handlingFeeFen,
          totalFen: charge.totalFen,
        }
      : undefined,
  };
}

/** Who settled a complaint, once it closed resolved (the archive's rows and the case file alike). */
export function settledWhenResolved(resolved: boolean, f: SettlementFacts): SettlingParty | undefined {
  return resolved ? settlingParty(f) : undefined;
}

/** The departments responsible for a complaint (handed-over parts excluded). */
export function responsibleDepartments(f: ComplaintFacts): string[] {
  return [...new Set(f.departments.filter((d) => d.responsible).map((d) => d.department))];
}

/** The complaints submitted in [from, to). */
export function inPeriod(facts: readonly ComplaintFacts[], period: Period): ComplaintFacts[] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  return facts.filter((f) => {
    const t = Date.parse(f.submittedAt);
    return t >= from && t < to;
  });
}

/** A clock that passed its deadline unmet (whether or not it was met late). */
export function isBreached(c: ClockFact): boolean {
  return c.status === 'breached' || c.breachedAt !== undefined;
}
