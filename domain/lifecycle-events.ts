/**
 * The lifecycle events backend services subscribe to, derived from the case timeline: which
 * timeline entries are published, and under which event name. Pure data.
 */
import type { TimelineEvent } from './case-state';

/** Timeline type → published event name. */
export const lifecycleEventNames: Readonly<Record<string, string>> = {
  accepted: 'complaint.accepted',
  'judged-upheld': 'complaint.judged',
  'judged-not-upheld': 'complaint.judged',
  dispatched: 'complaint.dispatched',
  'findings-recorded': 'complaint.findings-recorded',
  'remedies-proposed': 'complaint.remedies-proposed',
  'remedy-approved': 'complaint.remedy-approved',
  'customer-accepted': 'complaint.customer-answered',
  'customer-rejected': 'complaint.customer-answered',
  escalated: 'complaint.escalated',
  'sla-warning': 'complaint.sla-warning',
  'sla-breached': 'complaint.sla-breached',
  'remedy-implemented': 'complaint.resolved',
  'callback-recorded': 'complaint.callback-recorded',
  closed: 'complaint.closed',
  // Events from outside, and the outcome of commands sent asynchronously.
  'repeat-contact': 'complaint.repeat-contact',
  referred: 'complaint.referred',
  'dispatch-acknowledged': 'complaint.dispatch-acknowledged',
  'settlement-confirmed': 'complaint.settlement-confirmed',
  'settlement-failed': 'complaint.settlement-failed',
  'command-applied': 'complaint.command-applied',
  'command-refused': 'complaint.command-refused',
};

/** One published event. `id` is stable (complaint and timeline position), so receivers dedupe. */
export interface LifecycleEvent {
  id: string;
  type: string;
  complaintId: string;
  occurredAt: string;
  actor?: string;
  summary: string;
}

/** The publishable events among `timeline` entries. */
export function lifecycleEventsOf(complaintId: string, timeline: readonly TimelineEvent[]): LifecycleEvent[] {
  return timeline
    .filter((e) => lifecycleEventNames[e.type] !== undefined)
    .map((e) => ({
      id: `${complaintId}:${e.seq}`,
      type: lifecycleEventNames[e.type]!,
      complaintId,
      occurredAt: e.at,
      actor: e.actor,
      summary: e.summary,
    }));
}
