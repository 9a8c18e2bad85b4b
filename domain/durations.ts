/** Millisecond arithmetic for policy durations, which the policy states in hours. */
export const HOUR_MS = 60 * 60 * 1000;

/** `n` hours in milliseconds. */
export function hours(n: number): number {
  return n * HOUR_MS;
}
