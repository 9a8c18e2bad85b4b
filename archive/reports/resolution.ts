/**
 * Resolution, handling time, repeats, callbacks, satisfaction (000, 002, 004).
 */
import type { ComplaintFacts } from './facts';
import { HOUR_MS, pct, percentile, round2 } from './figures';

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
 * closed only when the customer is satisfied). For a partner (`platformSettledUnsettled`), a
 * complaint the platform settled counts as not settled: one it took over, or one whose customer
 * would not accept the partner's handling (000 §4 note: 投诉客户不接受相关SP处理人员的处理,最终由我方妥为处理的投诉视为处理未落实).
 */
export function resolutionRate(facts: readonly ComplaintFacts[], options: { platformSettledUnsettled?: boolean } = {}): ResolutionRate {
  const counted = facts.filter((f) => f.outcome !== 'withdrawn');
  const byPlatform = (f: ComplaintFacts) => f.takenOver || f.settledBy === 'platform';
  const isSettled = (f: ComplaintFacts) => (f.resolved || f.outcome === 'not-upheld') && !(options.platformSettledUnsettled && byPlatform(f));
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
