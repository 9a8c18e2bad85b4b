/**
 * Classification statistics (004: 《用户投诉分类统计表》): category × outcome, counts and shares.
 */
import { categories } from '../../domain/complaint';
import type { ComplaintFacts } from './facts';
import { pct } from './figures';

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
