/**
 * The monthly scorecard: every unit scored and ranked over the window, the top-three bonus across
 * consecutive assessments (000 §4.8), the partners' decisions and takeover charges (000 §2d, §6).
 */
import { departments as knownDepartments } from '../../domain/complaint';
import { inPeriod, responsibleDepartments, type ComplaintFacts } from '../reports';
import type { Assessment } from './assessment';
import { partnerTermination, suspensionInWindow } from './partners';
import type { PartnerCharges, Scorecard } from './types';
import { rank, round2, scoreUnit } from './units';
import { assessmentWindow, shiftMonth } from './window';

/**
 * The scorecard of `month` over the complaints submitted in its window. Departments: every known
 * department plus any configured or seen; partners: every partner configured or seen in the window.
 */
export function scorecard(allFacts: readonly ComplaintFacts[], a: Assessment, month: string): Scorecard {
  const card = rankedScorecard(allFacts, a, month);
  const bonus = a.topThreeBonus;
  if (bonus) {
    // 000 §4.8: top three in `consecutive` assessments in a row, this one included. A previous
    // month with no complaints at all in its window counts as not assessed (no data, no ranking).
    const earlier = Array.from({ length: bonus.consecutive - 1 }, (_, i) => shiftMonth(month, i + 1))
      .reverse()
      .map((m) => ({ month: m, card: rankedScorecard(allFacts, a, m), assessed: inPeriod(allFacts, assessmentWindow(m, a.timeZoneOffsetMinutes)).length > 0 }));
    for (const kind of bonus.appliesTo) {
      for (const u of kind === 'partner' ? card.partners : card.departments) {
        const ranks = [
          ...earlier.map((e) => ({ month: e.month, rank: e.assessed ? (kind === 'partner' ? e.card.partners : e.card.departments).find((x) => x.unit === u.unit)?.rank : undefined })),
          { month, rank: u.rank },
        ];
        if (ranks.every((r) => r.rank !== undefined && r.rank <= bonus.topN)) {
          const configured = (kind === 'partner' ? a.partners : a.departments)[u.unit]?.topThreeBonusPoints;
          const points = configured ?? bonus.defaultPoints;
          u.bonus = { points, rule: `top ${bonus.topN} in ${bonus.consecutive} assessments in a row (连续两次考核得前3名, +1~5)`, ranks: ranks as Array<{ month: string; rank: number }> };
          u.totalScore = round2(u.score + points);
        }
      }
    }
  }
  return card;
}

/** One month's scorecard, ranked, without the cross-month bonus. */
function rankedScorecard(allFacts: readonly ComplaintFacts[], a: Assessment, month: string): Scorecard {
  const window = assessmentWindow(month, a.timeZoneOffsetMinutes);
  const facts = inPeriod(allFacts, window);
  const deptNames = [...new Set<string>([...knownDepartments, ...Object.keys(a.departments), ...facts.flatMap(responsibleDepartments)])];
  const partnerNames = [...new Set<string>([...Object.keys(a.partners), ...facts.flatMap((f) => (f.partner ? [f.partner] : []))])].sort();
  const suspension = a.partnerSuspension;

  const charges = new Map<string, PartnerCharges>();
  for (const f of facts) {
    if (!f.charge) continue;
    const c = charges.get(f.charge.partner) ?? { partner: f.charge.partner, cases: 0, complaintIds: [], refundFen: 0, costsFen: 0, handlingFeeFen: 0, totalFen: 0 };
    c.cases += 1;
    c.complaintIds.push(f.complaintId);
    c.refundFen += f.charge.refundFen;
    c.costsFen += f.charge.costsFen;
    c.handlingFeeFen += f.charge.handlingFeeFen;
    c.totalFen += f.charge.totalFen;
    charges.set(f.charge.partner, c);
  }
  return {
    month,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    departments: rank(deptNames.map((d) => scoreUnit('department', d, facts, a)), a),
    partners: rank(partnerNames.map((p) => scoreUnit('partner', p, facts, a)), a).map((u) => {
      const inForce = a.partners[u.unit]?.suspended === true;
      if (!suspension && !inForce) return u;
      const decision = suspension
        ? suspensionInWindow(facts, u.unit, suspension)
        : { partner: u.unit, suspend: false, reasons: [], complaintIds: [], customers: 0 };
      return { ...u, suspension: { ...decision, inForce } };
    }).map((u) => (a.partnerTermination ? { ...u, termination: partnerTermination(facts, u, a.partners[u.unit]?.monthlyRevenueFen, a.partnerTermination) } : u)),
    partnerCharges: [...charges.values()].map((c) => ({ ...c, complaintIds: c.complaintIds.sort() })).sort((x, y) => x.partner.localeCompare(y.partner)),
    placeholders: a.placeholders,
  };
}
