/**
 * The retention sweep's contract: its workflow type, the schedule that starts it, and its input and
 * result. Shared by the workflow, the worker that keeps the schedule, and the tests.
 */
import type { RetentionPolicy } from '../domain/retention';

/** The workflow type, as the Temporal UI lists it. */
export const RETENTION_WORKFLOW_TYPE = 'personalDataRetention';

/** The one schedule that starts it (one per namespace). */
export const RETENTION_SCHEDULE_ID = 'personal-data-retention';

export interface RetentionSweepInput {
  afterClosureDays: RetentionPolicy['afterClosureDays'];
  /** Customers erased per activity call (default 100). */
  batchSize?: number;
}

export interface RetentionSweepResult {
  /** Complaints closed before this instant were past the period. */
  cutoff: string;
  erased: number;
  /** Customers past the period but with a complaint open again: left for a later sweep. */
  skipped: number;
}
