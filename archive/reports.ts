/**
 * The complaint reports of docs/rules.md, as pure functions over archived complaints (no I/O, no
 * clock): classification statistics (《用户投诉分类统计表》, 004), SLA compliance, resolution rate and
 * handling time (000), repeat complaints, callback coverage (004: VIP 100%) and satisfaction (002).
 *
 * Every report takes `ComplaintFacts`: the flat view of one archived complaint that the archive
 * stores in its columns and child tables. `complaintFacts` derives it from a case file; the
 * archive reads it back from the database. Periods are half-open [from, to) on the submission time.
 */
import { clockNames } from '../domain/vocabulary';
import { categories, type Category, type Channel, type ComplaintKind, type ComplaintSource, type CustomerTier, type Outcome, type Severity, type UrgentReason } from '../domain/complaint';
import type { ComplaintState, TimelineEvent } from '../domain/case-state';

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

const HOUR_MS = 3_600_000;

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

/** n ÷ d as a percentage with one decimal; null when there is nothing to divide by. */
export function pct(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((1000 * n) / d) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---- Classification (004: 《用户投诉分类统计表》) ----

/**
 * The outcome columns of the classification table. They overlap on purpose, as on the paper form:
 * an upheld complaint may also be escalated and resolved. `open` is archived but not closed (a
 * reopened complaint).
 */
export const classificationColumns = ['upheld', 'notUpheld', 'withdrawn', 'resolved', 'escalated', 'open'] as const;
export type ClassificationColumn = (typeof classificationColumns)[number];

export interface ClassificationRow {
  category: string;
  total: number;
  /** This category's share of every complaint in the period (%). */
  sharePct: number | null;
  counts: Record<ClassificationColumn, number>;
  /** Each count as a share of the category's total (%). */
  sharesPct: Record<ClassificationColumn, number | null>;
}

export interface ClassificationReport {
  total: number;
  rows: ClassificationRow[];
  totals: ClassificationRow;
}

function classify(f: ComplaintFacts): Record<ClassificationColumn, boolean> {
  return {
    upheld: f.upheld === true,
    notUpheld: f.outcome === 'not-upheld',
    withdrawn: f.outcome === 'withdrawn',
    resolved: f.resolved,
    escalated: f.escalations.length > 0 || f.escalationLevel > 0,
    open: f.stage !== 'closed',
  };
}

function classificationRow(category: string, rows: readonly ComplaintFacts[], grandTotal: number): ClassificationRow {
  const counts = Object.fromEntries(classificationColumns.map((c) => [c, 0])) as Record<ClassificationColumn, number>;
  for (const f of rows) {
    const flags = classify(f);
    for (const c of classificationColumns) if (flags[c]) counts[c] += 1;
  }
  const sharesPct = Object.fromEntries(classificationColumns.map((c) => [c, pct(counts[c], rows.length)])) as Record<
    ClassificationColumn,
    number | null
  >;
  return { category, total: rows.length, sharePct: pct(rows.length, grandTotal), counts, sharesPct };
}

/** Category × outcome: counts and shares. Every known category gets a row, even an empty one. */
export function classificationReport(facts: readonly ComplaintFacts[]): ClassificationReport {
  const known = categories as readonly string[];
  const seen = [...new Set(facts.map((f) => f.category as string))].filter((c) => !known.includes(c)).sort();
  const rows = [...known, ...seen].map((category) =>
    classificationRow(
      category,
      facts.filter((f) => f.category === category),
      facts.length,
    ),
  );
  return { total: facts.length, rows, totals: classificationRow('all', facts, facts.length) };
}

// ---- SLA compliance (docs/clocks.md), promised times (001 case 1), escalations (003) ----

/** Display order of the clocks: the vocabulary's; clocks of other names (archived under older code) follow alphabetically. */
const clockOrder: readonly string[] = clockNames;

export interface ClockCompliance {
  clock: string;
  started: number;
  /** Stopped before the deadline. */
  met: number;
  /** Passed the deadline (including those stopped late, counted again in `metLate`). */
  breached: number;
  metLate: number;
  warned: number;
  running: number;
  cancelled: number;
  /** met ÷ (met + breached): the clocks decided one way or the other (%). */
  compliancePct: number | null;
}

export interface SlaReport {
  clocks: ClockCompliance[];
  overall: { met: number; breached: number; compliancePct: number | null };
  promises: { total: number; kept: number; missed: number; pending: number; complaintsWithMissed: string[] };
  escalations: {
    complaintsEscalated: number;
    events: number;
    byLevelAndTrigger: Array<{ level: number; trigger: string; count: number }>;
    byLevel: Array<{ level: number; count: number }>;
    byTrigger: Array<{ trigger: string; count: number }>;
  };
  /**
   * Each department's own clock: from the dispatch to its system's acknowledgement (the
   * dispatchAcknowledged event), in hours. Departments that never acknowledge show 0 acknowledged.
   */
  dispatchAcknowledgement: Array<{ department: string; dispatched: number; acknowledged: number; meanHours: number | null; p90Hours: number | null }>;
}

/** Per department: dispatches, acknowledgements and the hours between them. */
function dispatchAcknowledgement(facts: readonly ComplaintFacts[]): SlaReport['dispatchAcknowledgement'] {
  const byDept = new Map<string, { dispatched: number; hours: number[] }>();
  for (const d of facts.flatMap((f) => f.departments)) {
    if (!d.dispatchedAt) continue;
    const row = byDept.get(d.department) ?? { dispatched: 0, hours: [] };
    row.dispatched += 1;
    if (d.acknowledgedAt) row.hours.push(Math.max(0, Date.parse(d.acknowledgedAt) - Date.parse(d.dispatchedAt)) / HOUR_MS);
    byDept.set(d.department, row);
  }
  return [...byDept.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([department, { dispatched, hours }]) => {
      const sorted = [...hours].sort((a, b) => a - b);
      const mean = sorted.length ? sorted.reduce((x, h) => x + h, 0) / sorted.length : null;
      const p90 = percentile(sorted, 90);
      return { department, dispatched, acknowledged: sorted.length, meanHours: mean === null ? null : round2(mean), p90Hours: p90 === null ? null : round2(p90) };
    });
}

export function slaReport(facts: readonly ComplaintFacts[]): SlaReport {
  const byClock = new Map<string, ClockCompliance>();
  for (const f of facts) {
    for (const c of f.clocks) {
      let row = byClock.get(c.name);
      if (!row) {
        row = { clock: c.name, started: 0, met: 0, breached: 0, metLate: 0, warned: 0, running: 0, cancelled: 0, compliancePct: null };
        byClock.set(c.name, row);
      }
      row.started += 1;
      if (c.warnedAt) row.warned += 1;
      if (isBreached(c)) {
        row.breached += 1;
        if (c.metAt) row.metLate += 1;
      } else if (c.status === 'met') row.met += 1;
      else if (c.status === 'running') row.running += 1;
      else if (c.status === 'cancelled') row.cancelled += 1;
    }
  }
  const rank = (name: string) => (clockOrder.includes(name) ? clockOrder.indexOf(name) : clockOrder.length);
  const clocks = [...byClock.values()]
    .map((r) => ({ ...r, compliancePct: pct(r.met, r.met + r.breached) }))
    .sort((a, b) => rank(a.clock) - rank(b.clock) || a.clock.localeCompare(b.clock));
  const met = clocks.reduce((s, r) => s + r.met, 0);
  const breached = clocks.reduce((s, r) => s + r.breached, 0);

  const promises = facts.flatMap((f) => f.promises);
  const escalations = facts.flatMap((f) => f.escalations);
  const countBy = <K extends string | number>(keys: K[]) => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const pairs = countBy(escalations.map((e) => `${e.level}\u0000${e.trigger}`));
  return {
    clocks,
    overall: { met, breached, compliancePct: pct(met, met + breached) },
    promises: {
      total: promises.length,
      kept: promises.filter((p) => p.status === 'kept').length,
      missed: promises.filter((p) => p.status === 'missed').length,
      pending: promises.filter((p) => p.status === 'pending').length,
      complaintsWithMissed: facts.filter((f) => f.promises.some((p) => p.status === 'missed')).map((f) => f.complaintId).sort(),
    },
    escalations: {
      complaintsEscalated: facts.filter((f) => f.escalations.length > 0 || f.escalationLevel > 0).length,
      events: escalations.length,
      byLevelAndTrigger: [...pairs.entries()]
        .map(([key, count]) => {
          const [level, trigger] = key.split('\u0000');
          return { level: Number(level), trigger: trigger!, count };
        })
        .sort((a, b) => a.level - b.level || a.trigger.localeCompare(b.trigger)),
      byLevel: [...countBy(escalations.map((e) => e.level)).entries()]
        .map(([level, count]) => ({ level, count }))
        .sort((a, b) => a.level - b.level),
      byTrigger: [...countBy(escalations.map((e) => e.trigger)).entries()]
        .map(([trigger, count]) => ({ trigger, count }))
        .sort((a, b) => b.count - a.count || a.trigger.localeCompare(b.trigger)),
    },
    dispatchAcknowledgement: dispatchAcknowledgement(facts),
  };
}

// ---- Resolution, handling time, repeats, callbacks, satisfaction ----

/** The resolution rate, as the report and the scorecard both compute it. */
export interface ResolutionRate {
  /** Submitted, less those the customer withdrew. */
  counted: number;
  settled: number;
  /** settled ÷ counted (%); null when nothing counts. */
  pct: number | null;
  notSettled: string[];
}

/**
 * The one definition of the resolution rate (000 §4.6 处理落实率 = 反馈解决数 / 申告投诉提交数): the
 * complaints settled with an answer the customer kept (closed resolved, or closed "not upheld" with
 * no dispute), over those submitted and not withdrawn. Accepted by silence is not settled (002:
 * closed only when the customer is satisfied). For a partner (`takenOverUnsettled`), a complaint
 * the platform had to take over counts as not settled (000 §4 note: 最终由我方妥为处理的投诉视为处理未落实).
 */
export function resolutionRate(facts: readonly ComplaintFacts[], options: { takenOverUnsettled?: boolean } = {}): ResolutionRate {
  const counted = facts.filter((f) => f.outcome !== 'withdrawn');
  const isSettled = (f: ComplaintFacts) => (f.resolved || f.outcome === 'not-upheld') && !(options.takenOverUnsettled && f.takenOver);
  const settled = counted.filter(isSettled);
  return {
    counted: counted.length,
    settled: settled.length,
    pct: pct(settled.length, counted.length),
    notSettled: counted.filter((f) => !isSettled(f)).map((f) => f.complaintId).sort(),
  };
}

export interface ResolutionReport {
  submitted: number;
  /** Closed with the customer satisfied. */
  resolved: number;
  /** Closed as accepted by silence (a policy option): reported apart, never counted as resolved. */
  acceptedBySilence: number;
  /** `resolutionRate`: settled ÷ (submitted − withdrawn) (%), the scorecard's definition too. */
  resolutionRatePct: number | null;
  /**
   * 000 §4.5 处理时限 = 反馈解决日期 − 申告投诉提交日期: from submission to the remedy carried out (not
   * to closure, which waits for the callback up to 72 h later), over the resolved complaints, in
   * hours; a resolved record without an implementation time ends at its closure.
   */
  handlingTime: { count: number; meanHours: number | null; p90Hours: number | null };
  /** The same customer complaining again about the same category within the period. */
  repeats: {
    groups: Array<{ customerId: string; category: string; complaintIds: string[] }>;
    /** Complaints after the first in each group. */
    repeatComplaints: number;
    complaintsInGroups: number;
    repeatRatePct: number | null;
    /** The customer contacting us again about an open complaint (the repeatContact event): contacts, and complaints with any. */
    contactsAgain: { contacts: number; complaints: number };
  };
  /** 004: callbacks made ÷ complaints whose remedy was carried out; VIP must be 100%. */
  callbacks: {
    eligible: number;
    called: number;
    coveragePct: number | null;
    vip: { eligible: number; called: number; coveragePct: number | null; compliant: boolean; missing: string[] };
  };
  /** 002: satisfied callbacks ÷ callbacks made. */
  satisfaction: { callbacks: number; satisfied: number; satisfactionPct: number | null };
}

/** The nearest-rank percentile (p in 0..100) of ascending values. */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1]!;
}

export function resolutionReport(facts: readonly ComplaintFacts[]): ResolutionReport {
  const resolved = facts.filter((f) => f.resolved);
  const hours = resolved
    .filter((f) => f.remedyImplementedAt ?? f.closedAt)
    .map((f) => (Date.parse((f.remedyImplementedAt ?? f.closedAt)!) - Date.parse(f.submittedAt)) / HOUR_MS)
    .sort((a, b) => a - b);
  const mean = hours.length ? hours.reduce((s, h) => s + h, 0) / hours.length : null;
  const p90 = percentile(hours, 90);

  const groups = new Map<string, ComplaintFacts[]>();
  for (const f of facts) {
    const key = `${f.customerId}\u0000${f.category}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const repeatGroups = [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => {
      const sorted = [...g].sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.complaintId.localeCompare(b.complaintId));
      return { customerId: sorted[0]!.customerId, category: sorted[0]!.category as string, complaintIds: sorted.map((f) => f.complaintId) };
    })
    .sort((a, b) => a.customerId.localeCompare(b.customerId) || a.category.localeCompare(b.category));
  const repeatComplaints = repeatGroups.reduce((s, g) => s + g.complaintIds.length - 1, 0);

  const eligible = facts.filter((f) => f.remedyImplemented);
  const called = eligible.filter((f) => f.callback?.satisfied !== undefined);
  const vipEligible = eligible.filter((f) => f.customerTier === 'vip');
  const vipCalled = vipEligible.filter((f) => f.callback?.satisfied !== undefined);
  const callbacks = facts.filter((f) => f.callback?.satisfied !== undefined);
  const satisfied = callbacks.filter((f) => f.callback!.satisfied === true);
  return {
    submitted: facts.length,
    resolved: resolved.length,
    acceptedBySilence: facts.filter((f) => f.outcome === 'accepted-by-silence').length,
    resolutionRatePct: resolutionRate(facts).pct,
    handlingTime: { count: hours.length, meanHours: mean === null ? null : round2(mean), p90Hours: p90 === null ? null : round2(p90) },
    repeats: {
      groups: repeatGroups,
      repeatComplaints,
      complaintsInGroups: repeatGroups.reduce((s, g) => s + g.complaintIds.length, 0),
      repeatRatePct: pct(repeatComplaints, facts.length),
      contactsAgain: {
        contacts: facts.reduce((n, f) => n + (f.repeatContacts ?? 0), 0),
        complaints: facts.filter((f) => (f.repeatContacts ?? 0) > 0).length,
      },
    },
    callbacks: {
      eligible: eligible.length,
      called: called.length,
      coveragePct: pct(called.length, eligible.length),
      vip: {
        eligible: vipEligible.length,
        called: vipCalled.length,
        coveragePct: pct(vipCalled.length, vipEligible.length),
        // 004: every VIP customer is called back.
        compliant: vipCalled.length === vipEligible.length,
        missing: vipEligible.filter((f) => f.callback?.satisfied === undefined).map((f) => f.complaintId).sort(),
      },
    },
    satisfaction: { callbacks: callbacks.length, satisfied: satisfied.length, satisfactionPct: pct(satisfied.length, callbacks.length) },
  };
}

// ---- Over time ----

export interface TrendPoint {
  label: string;
  from: string;
  to: string;
  submitted: number;
  byCategory: Record<string, number>;
  slaCompliancePct: number | null;
  satisfactionPct: number | null;
  resolutionRatePct: number | null;
}

/** Volume by category, SLA compliance, satisfaction and resolution rate per period, in order. */
export function trendReport(facts: readonly ComplaintFacts[], periods: ReadonlyArray<Period & { label: string }>): TrendPoint[] {
  return periods.map((p) => {
    const inside = inPeriod(facts, p);
    const byCategory = Object.fromEntries((categories as readonly string[]).map((c) => [c, 0]));
    for (const f of inside) byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
    const resolution = resolutionReport(inside);
    return {
      label: p.label,
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      submitted: inside.length,
      byCategory,
      slaCompliancePct: slaReport(inside).overall.compliancePct,
      satisfactionPct: resolution.satisfaction.satisfactionPct,
      resolutionRatePct: resolution.resolutionRatePct,
    };
  });
}
