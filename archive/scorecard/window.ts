/**
 * The assessment window (000 §4.2: 上月21日零时至本月20日24时): the month a complaint is assessed in.
 */

/** Asia/Shanghai, UTC+08:00, has no daylight saving: a fixed offset is exact. */
export const SHANGHAI_OFFSET_MINUTES = 480;

/** YYYY-MM from 1970 on: earlier years are no assessment month (and Date.UTC reads 0–99 as 1900–1999). */
const monthPattern = /^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/;

/** Whether `month` is a 'YYYY-MM' string. */
export function isAssessmentMonth(month: string): boolean {
  return monthPattern.test(month);
}

/**
 * The assessment window of `month` ('YYYY-MM'): [21st of the previous month 00:00, 21st of this
 * month 00:00) local time (000: from the 21st of last month 0:00 to the 20th of this month 24:00).
 */
export function assessmentWindow(month: string, tzOffsetMinutes: number = SHANGHAI_OFFSET_MINUTES): { month: string; from: Date; to: Date } {
  const m = monthPattern.exec(month);
  if (!m) throw new RangeError(`Not an assessment month (YYYY-MM): ${month}`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  const offsetMs = tzOffsetMinutes * 60_000;
  // Date.UTC carries month -1 over into December of the year before.
  return {
    month,
    from: new Date(Date.UTC(year, index - 1, 21) - offsetMs),
    to: new Date(Date.UTC(year, index, 21) - offsetMs),
  };
}

/** The assessment month whose window holds `instant` (from the 21st on, it is next month's). */
export function assessmentMonthOf(instant: Date, tzOffsetMinutes: number = SHANGHAI_OFFSET_MINUTES): string {
  const local = new Date(instant.getTime() + tzOffsetMinutes * 60_000);
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth() + 1;
  if (local.getUTCDate() >= 21) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month `n` months before (negative: after) `month`. */
export function shiftMonth(month: string, n: number): string {
  const m = monthPattern.exec(month);
  if (!m) throw new RangeError(`Not an assessment month (YYYY-MM): ${month}`);
  const total = Number(m[1]) * 12 + Number(m[2]) - 1 - n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}
