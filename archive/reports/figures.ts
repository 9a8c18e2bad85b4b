/**
 * The arithmetic the reports share: shares as percentages, rounding, percentiles, hours.
 */

/** Milliseconds in an hour: handling times and acknowledgements are reported in hours. */
export const HOUR_MS = 3_600_000;

/** n ÷ d as a percentage with one decimal; null when there is nothing to divide by. */
export function pct(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((1000 * n) / d) / 10;
}

/** Rounds to two decimals, as the reports show hours. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The nearest-rank percentile (p in 0..100) of ascending values. */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1]!;
}
