/**
 * Warns in the process log while the business calendar is running out: at start-up and
 * once a day after, from `warnDays` before its data ends. Used by the worker and the API.
 */
import { coverageWarning, type BusinessCalendar } from '../domain/calendar';

const DAY_MS = 86_400_000;

/** Logs the coverage warning now and daily; returns a function that stops the daily check. */
export function watchCalendarCoverage(
  calendar: BusinessCalendar,
  warnDays: number,
  warn: (message: string) => void = (m) => console.warn(m),
  now: () => Date = () => new Date(),
): () => void {
  const check = () => {
    const warning = coverageWarning(calendar, now(), warnDays);
    if (warning) warn(`WARNING [calendar ${warning.severity}] ${warning.message}`);
  };
  check();
  const timer = setInterval(check, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
