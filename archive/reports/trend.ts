/**
 * The reports over time: volume, SLA compliance, satisfaction and resolution rate per period.
 */
import { categories } from '../../domain/complaint';
import { inPeriod, type ComplaintFacts, type Period } from './facts';
import { resolutionReport } from './resolution';
import { slaReport } from './sla';

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
