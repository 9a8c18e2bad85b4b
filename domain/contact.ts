/**
 * Proactive customer contacts and the customer's rest hours (004: 避免在用户休息时打搅用户, do not
 * disturb customers at rest). Every notice the platform sends a customer on its own initiative
 * waits for the contact window, unless the policy lets its kind go out at any hour (e.g. the
 * acknowledgement of a complaint the customer has just made) or, on an urgent complaint, exempts it.
 *
 * Pure (no zod; the policy's schema is in contact-policy.ts): the case asks `noticeSendTime` before each notice and waits until then.
 */
import type { ProactiveContactPolicy } from './contact-policy';
import { nextContactTime, type BusinessCalendar, type ContactWindow } from './calendar';
export { customerNoticeKinds, type CustomerNoticeKind } from './vocabulary';
import type { CustomerNoticeKind } from './vocabulary';


export type { ProactiveContactPolicy } from './contact-policy';

/** The kinds that waited for the window before `proactiveContact` existed (older recorded policies). */
const waitedBefore: ReadonlySet<CustomerNoticeKind> = new Set<CustomerNoticeKind>(['reminder']);

/** When a notice may go out, and why. */
export interface NoticeTiming {
  at: Date;
  /** True when `at` is later than `now` (the notice waits for the window). */
  waits: boolean;
  reason: 'inside-window' | 'anytime' | 'urgent-exempt' | 'waits-for-window' | 'not-governed';
}

/**
 * When a customer notice of `kind` may go out, asked at `now` (004). With no `rule` (a policy
 * recorded before the rule existed) only reminders wait, as they always did, so running
 * complaints replay unchanged.
 */
export function noticeSendTime(
  cal: BusinessCalendar,
  window: ContactWindow,
  rule: ProactiveContactPolicy | undefined,
  kind: CustomerNoticeKind,
  now: Date,
  urgent: boolean,
): NoticeTiming {
  if (!rule) {
    if (!waitedBefore.has(kind)) return { at: now, waits: false, reason: 'not-governed' };
    const at = nextContactTime(cal, now, window);
    return { at, waits: at.getTime() > now.getTime(), reason: at.getTime() > now.getTime() ? 'waits-for-window' : 'inside-window' };
  }
  if (rule.anytime.includes(kind)) return { at: now, waits: false, reason: 'anytime' };
  if (urgent && rule.urgentAnytime.includes(kind)) return { at: now, waits: false, reason: 'urgent-exempt' };
  const at = nextContactTime(cal, now, window, { workingDaysOnly: rule.workingDaysOnly });
  const waits = at.getTime() > now.getTime();
  return { at, waits, reason: waits ? 'waits-for-window' : 'inside-window' };
}
