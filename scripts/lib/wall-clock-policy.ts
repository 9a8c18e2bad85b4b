/**
 * The shipped rules for runs on the wall clock: the dev-server tests, the benchmark, the chaos run,
 * `measure:actions`. Under the shipped policy a proactive notice waits for the customer's contact
 * window (08:00–21:00 in Shanghai, 004: do not disturb customers at rest), so the same run did
 * different work by the hour: at night notices were deferred to the morning, tests that waited
 * for them failed, and a bench measured fewer activities and more timers. Here every notice goes
 * out at once and the window is the whole day (00:00–23:59, the widest the schema allows; a
 * callback drawn in the last minute waits for midnight). Nothing else changes.
 *
 * What the window does is tested where time skips (test/workflows, test/unit/contact.test.ts).
 */
import { customerNoticeKinds } from '../../domain/contact';
import type { HandlingPolicy } from '../../domain/policy';

export function contactAtAnyHour(policy: HandlingPolicy): HandlingPolicy {
  return {
    ...policy,
    contactWindow: { start: '00:00', end: '23:59' },
    ...(policy.proactiveContact ? { proactiveContact: { ...policy.proactiveContact, anytime: [...customerNoticeKinds] } } : {}),
  };
}
