/**
 * How long a customer's personal data is kept once their complaints are closed. The rule documents
 * say only that every complaint is archived with its whole trail; the period is the deployment's
 * choice (the policy's `retention`), three years by default. When it ends, the retention schedule
 * erases the customer's data as their own erasure request would (their data keys destroyed), and
 * the reports still count the complaints.
 *
 * Pure module, no zod (imported by workflow code); its schema is in retention-policy.ts.
 */
const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  /** Days after a customer's last complaint closed that their personal data is erased. */
  afterClosureDays: number;
  /** How often the retention schedule looks for customers past the period. */
  sweepEveryHours: number;
}

/** The default: three years after the last closure, looked for daily. */
export const defaultRetentionPolicy: RetentionPolicy = { afterClosureDays: 1095, sweepEveryHours: 24 };

/** Complaints closed before this instant are past the retention period at `now`. */
export function retentionCutoff(now: Date, policy: Pick<RetentionPolicy, 'afterClosureDays'>): Date {
  return new Date(now.getTime() - policy.afterClosureDays * DAY_MS);
}
