/** Where each workflow test's server clock starts: 10:00 local on a Monday opening two ordinary working weeks. */
import { ordinaryMondayAfter } from '../support/workflow-testbed';
import { shippedCalendar } from '../support/fixtures';

test('skips the weeks with a public holiday or a make-up working day', () => {
  // Mid-Autumn (25–27 Sep), National Day (1–7 Oct) and the make-up Saturday 10 Oct 2026.
  expect(ordinaryMondayAfter(shippedCalendar, Date.parse('2026-09-15T12:00:00+08:00')).toISOString()).toBe('2026-10-12T02:00:00.000Z');
});

test('takes the next Monday of ordinary weeks, also from a Monday and beyond the calendar\'s years (weekends only)', () => {
  expect(ordinaryMondayAfter(shippedCalendar, Date.parse('2026-11-30T09:00:00+08:00')).toISOString()).toBe('2026-12-07T02:00:00.000Z');
  expect(ordinaryMondayAfter(shippedCalendar, Date.parse('2027-03-03T23:30:00+08:00')).toISOString()).toBe('2027-03-08T02:00:00.000Z');
});
