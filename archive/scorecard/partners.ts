/**
 * The partners' consequences (000 §2d): suspending cooperation on mass complaints, keeping new
 * transferred complaints with the platform while suspended, and recommending termination when the
 * customer-service cost a partner causes exceeds the revenue it brings.
 */
import type { ComplaintFacts } from '../reports';
import type { Assessment } from './assessment';
import type { SuspensionDecision, TerminationDecision, UnitScore } from './types';

export type PartnerSuspensionRule = NonNullable<Assessment['partnerSuspension']>;

/**
 * 000 §2d: whether to suspend cooperation with `partner` (当出现大批用户强烈投诉 ... 或造成恶劣社会影响时,
 * 将暂时停止与SP的合作): upheld complaints against it from at least `rule.customers` different
 * customers submitted in the `rule.withinDays` days up to `now`, or one upheld complaint with one of
 * `rule.urgentReasons` (a mass complaint, a bad social impact) in that time. Complaints judged not
 * upheld or withdrawn do not count. Pure: a manager decides, then sets `suspended` in the configuration.
 */
export function partnerSuspension(facts: readonly ComplaintFacts[], partner: string, rule: PartnerSuspensionRule, now: Date): SuspensionDecision {
  const from = now.getTime() - rule.withinDays * 86_400_000;
  const against = facts.filter((f) => {
    const t = Date.parse(f.submittedAt);
    return f.partner === partner && f.upheld === true && f.outcome !== 'withdrawn' && t >= from && t < now.getTime();
  });
  const customers = new Set(against.map((f) => f.customerId)).size;
  const reasons: string[] = [];
  if (customers >= rule.customers) {
    reasons.push(`upheld complaints from ${customers} customers in ${rule.withinDays} days (threshold ${rule.customers}: 大批用户强烈投诉)`);
  }
  const grave = against.filter((f) => f.urgentReason !== undefined && rule.urgentReasons.includes(f.urgentReason));
  if (grave.length) reasons.push(`${grave.map((f) => `${f.complaintId} (${f.urgentReason})`).join(', ')}: 恶劣社会影响`);
  return { partner, suspend: reasons.length > 0, reasons, complaintIds: against.map((f) => f.complaintId).sort(), customers };
}

/**
 * The suspension decision over an assessment window: the first moment (each complaint's arrival)
 * at which the rule's days held enough to suspend, else the decision at the last complaint.
 */
export function suspensionInWindow(facts: readonly ComplaintFacts[], partner: string, rule: PartnerSuspensionRule): SuspensionDecision {
  const times = facts.filter((f) => f.partner === partner).map((f) => Date.parse(f.submittedAt) + 1).sort((x, y) => x - y);
  let last: SuspensionDecision = { partner, suspend: false, reasons: [], complaintIds: [], customers: 0 };
  for (const t of times) {
    last = partnerSuspension(facts, partner, rule, new Date(t));
    if (last.suspend) return last;
  }
  return last;
}

/**
 * 000 §2d, at intake: a complaint to be transferred to a suspended partner stays with the platform
 * (a direct complaint, the partner still named so the scorecard attributes it). Anything else is
 * returned unchanged.
 */
export function routeIntakeAroundSuspension<T extends { kind: 'direct' | 'transferred'; partner?: string }>(
  intake: T,
  isSuspended: (partner: string) => boolean,
): { intake: T; keptByPlatform: boolean } {
  if (intake.kind !== 'transferred' || !intake.partner || !isSuspended(intake.partner)) return { intake, keptByPlatform: false };
  return { intake: { ...intake, kind: 'direct' }, keptByPlatform: true };
}

export type PartnerTerminationRule = NonNullable<Assessment['partnerTermination']>;

/**
 * 000 §2d: whether to recommend terminating the partnership with `unit.unit` over one assessment
 * window: the customer-service cost its business caused (handling its complaints, the money paid
 * out on them, the takeover charges, the emergency-seat fee) against the revenue it brings in a
 * month. Strictly above (已高于) recommends; equal does not. Pure: a manager decides.
 */
export function partnerTermination(
  facts: readonly ComplaintFacts[],
  unit: Pick<UnitScore, 'unit' | 'emergencySeatFeeFen'>,
  monthlyRevenueFen: number | undefined,
  rule: PartnerTerminationRule,
): TerminationDecision {
  const mine = facts.filter((f) => f.partner === unit.unit);
  // Money that left because of its complaints: a takeover is counted once, at what it was charged.
  const compensationFen = mine.filter((f) => !f.charge && f.remedyImplemented).reduce((sum, f) => sum + (f.remedy?.amountFen ?? 0), 0);
  const takeoverChargesFen = mine.reduce((sum, f) => sum + (f.charge?.totalFen ?? 0), 0);
  const costs = {
    complaints: mine.length,
    handlingFen: mine.length * rule.handlingCostPerComplaintFen,
    compensationFen,
    takeoverChargesFen,
    emergencySeatFeeFen: unit.emergencySeatFeeFen,
  };
  const costFen = costs.handlingFen + costs.compensationFen + costs.takeoverChargesFen + costs.emergencySeatFeeFen;
  if (monthlyRevenueFen === undefined) {
    return { partner: unit.unit, terminate: false, measured: false, costFen, costs, reason: `not measured: partners.${unit.unit}.monthlyRevenueFen is not configured` };
  }
  const terminate = costFen > monthlyRevenueFen;
  return {
    partner: unit.unit,
    terminate,
    measured: true,
    revenueFen: monthlyRevenueFen,
    costFen,
    costs,
    reason: terminate
      ? `customer-service cost ${costFen} fen is above the revenue of ${monthlyRevenueFen} fen: terminate partnership recommended (客服成本已高于业务收入)`
      : `customer-service cost ${costFen} fen is within the revenue of ${monthlyRevenueFen} fen`,
  };
}
