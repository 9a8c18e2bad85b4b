/**
 * Reading the archive's report tables back: the complaint row and its child rows as the database
 * returns them, and the complaint facts they make.
 */
import { settledWhenResolved, type ComplaintFacts } from './reports';

type Timestamp = Date | string | null;

export interface ComplaintRow {
  id: string;
  customer_id: string;
  customer_tier: string;
  category: string;
  severity: string;
  urgent_reason: string | null;
  kind: string;
  source: string | null;
  partner: string | null;
  channel: string;
  stage: string;
  outcome: string | null;
  upheld: boolean | null;
  resolved: boolean;
  taken_over: boolean;
  submitted_at: Timestamp;
  closed_at: Timestamp;
  escalation_level: number;
  sla_breached: boolean;
  repeat_contacts?: number | string;
  referrals?: number | string;
  remedy_kind: string | null;
  remedy_amount_fen: number | string | null;
  remedy_implemented: boolean;
  remedy_implemented_at: Timestamp;
  callback_required: boolean | null;
  callback_satisfied: boolean | null;
  callback_at: Timestamp;
  summary_title: string;
  summary_cause: string;
  summary_remedy: string;
  summary_lesson: string;
}

export type ChildRow = Record<string, unknown>;

/** Timestamps come back as Date from both engines; anything else is passed through as text. */
export function iso(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  return new Date(String(v)).toISOString();
}

/** bigint arrives as a string from pg and as a number from PGlite. */
function num(v: unknown): number {
  return Number(v);
}

function text(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

export function toFacts(c: ComplaintRow, departments: ChildRow[], clocks: ChildRow[], escalations: ChildRow[], promises: ChildRow[], charge: ChildRow | undefined): ComplaintFacts {
  return {
    complaintId: c.id,
    customerId: c.customer_id,
    customerTier: c.customer_tier as ComplaintFacts['customerTier'],
    category: c.category as ComplaintFacts['category'],
    severity: c.severity as ComplaintFacts['severity'],
    urgentReason: (c.urgent_reason ?? undefined) as ComplaintFacts['urgentReason'],
    kind: c.kind as ComplaintFacts['kind'],
    source: (c.source ?? undefined) as ComplaintFacts['source'],
    partner: c.partner ?? undefined,
    channel: c.channel as ComplaintFacts['channel'],
    stage: c.stage,
    outcome: (c.outcome ?? undefined) as ComplaintFacts['outcome'],
    upheld: c.upheld ?? undefined,
    // Records archived before silence was told apart counted it as resolved: it never is.
    resolved: c.resolved && c.outcome !== 'accepted-by-silence',
    takenOver: c.taken_over,
    // Derived from the stored escalations, as the case file derives it: no column of its own.
    settledBy: settledWhenResolved(c.resolved && c.outcome !== 'accepted-by-silence', {
      kind: c.kind as ComplaintFacts['kind'],
      takenOver: c.taken_over,
      escalations: escalations.map((e) => ({ trigger: String(e.trigger) })),
    }),
    submittedAt: iso(c.submitted_at)!,
    closedAt: iso(c.closed_at),
    escalationLevel: num(c.escalation_level),
    slaBreached: c.sla_breached,
    repeatContacts: num(c.repeat_contacts ?? 0),
    referrals: num(c.referrals ?? 0),
    departments: departments.map((d) => ({
      department: String(d.department),
      status: String(d.status),
      responsible: Boolean(d.responsible),
      assignedAt: iso(d.assigned_at)!,
      dispatchedAt: iso(d.dispatched_at),
      acknowledgedAt: iso(d.acknowledged_at),
      reportedAt: iso(d.reported_at),
      cause: text(d.cause),
      partyAtFault: text(d.party_at_fault),
      poorHandling: d.poor_handling === null || d.poor_handling === undefined ? undefined : Boolean(d.poor_handling),
      handedOverTo: text(d.handed_over_to),
    })),
    clocks: clocks.map((k) => ({
      name: String(k.name),
      status: k.status as ComplaintFacts['clocks'][number]['status'],
      startedAt: iso(k.started_at)!,
      deadline: iso(k.deadline)!,
      warnAt: iso(k.warn_at),
      warnedAt: iso(k.warned_at),
      metAt: iso(k.met_at),
      breachedAt: iso(k.breached_at),
    })),
    escalations: escalations.map((e) => ({ level: num(e.level), trigger: String(e.trigger), at: iso(e.at)!, reason: String(e.reason) })),
    promises: promises.map((p) => ({
      what: String(p.what),
      by: iso(p.due_by)!,
      promisedAt: iso(p.promised_at)!,
      status: p.status as ComplaintFacts['promises'][number]['status'],
    })),
    remedy: c.remedy_kind ? { kind: c.remedy_kind, amountFen: num(c.remedy_amount_fen ?? 0) } : undefined,
    remedyImplemented: c.remedy_implemented,
    remedyImplementedAt: iso(c.remedy_implemented_at),
    callback:
      c.callback_required === null
        ? undefined
        : { required: c.callback_required, satisfied: c.callback_satisfied ?? undefined, at: iso(c.callback_at) },
    charge: charge
      ? {
          partner: String(charge.partner),
          takenOverAt: iso(charge.taken_over_at),
          refundFen: num(charge.refund_fen),
          costsFen: num(charge.costs_fen),
          handlingFeeFen: num(charge.handling_fee_fen),
          totalFen: num(charge.total_fen),
        }
      : undefined,
  };
}
