/**
 * The complaint metrics the worker counts as it carries out effects, in a prom-client registry the
 * worker serves on its own /metrics (worker/metrics.ts). The workflow decides, the activities act:
 * every staff notice (SLA warning, breach, escalation, missed promise, ...) passes through
 * `notifyStaff` and every closed complaint through `archiveComplaint`, so counting there sees
 * each event once per successful effect (at least once: a retried activity whose first success
 * was lost counts again). Failing effects are counted by the worker's activity interceptor.
 */
import { Counter, Registry } from 'prom-client';
import type { ArchiveRecord, StaffNotice } from './ports';

/** What the activities report; `createEffectMetrics` counts it, tests may pass their own. */
export interface EffectMetrics {
  /** A staff notice was delivered (its kind and the case's escalation level). */
  staffNotified(notice: Pick<StaffNotice, 'kind' | 'escalationLevel'>): void;
  /** A record was filed in the archive: a closed one counts the outcome and its promises. */
  archived(record: Pick<ArchiveRecord, 'state'>): void;
  /** An activity failed (each failed attempt); `nonRetryable`: a business refusal, not a fault. */
  activityFailed(activity: string, nonRetryable: boolean): void;
}

/** Counts nothing: for callers that do not collect metrics. */
export const noEffectMetrics: EffectMetrics = {
  staffNotified: () => undefined,
  archived: () => undefined,
  activityFailed: () => undefined,
};

/** The counters, registered on `registry`. Names and labels are documented in the README. */
export function createEffectMetrics(registry: Registry): EffectMetrics {
  const staffNotices = new Counter({
    name: 'complaint_staff_notices_total',
    help: 'Staff notices delivered, by kind (escalated, sla-warning, sla-breached, promise-missed, callback-due, taken-over) and the escalation level of the case',
    labelNames: ['kind', 'escalation_level'] as const,
    registers: [registry],
  });
  const closed = new Counter({
    name: 'complaint_closed_total',
    help: 'Complaints closed and archived, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const promises = new Counter({
    name: 'complaint_promises_total',
    help: 'Times promised to customers, counted when their complaint closes, by status (kept, missed, pending)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'complaint_activity_failures_total',
    help: 'Failed attempts of effects, by effect kind (customer-notice, department-dispatch, payment, ...; or the activity type for a failed activity) and whether the failure is non-retryable (a refusal)',
    labelNames: ['activity', 'non_retryable'] as const,
    registers: [registry],
  });
  return {
    staffNotified(notice) {
      staffNotices.inc({ kind: notice.kind, escalation_level: String(notice.escalationLevel) });
    },
    archived({ state }) {
      // The archive also files each complaint open, on intake: only the closing record counts.
      if (state.stage !== 'closed') return;
      closed.inc({ outcome: state.outcome ?? 'unknown' });
      for (const p of state.promisedTimes) promises.inc({ status: p.status });
    },
    activityFailed(activity, nonRetryable) {
      failures.inc({ activity, non_retryable: String(nonRetryable) });
    },
  };
}
