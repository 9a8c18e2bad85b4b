/**
 * The complaint reports of docs/rules.md, as pure functions over archived complaints (no I/O, no
 * clock): classification statistics (《用户投诉分类统计表》, 004), SLA compliance, resolution rate and
 * handling time (000), repeat complaints, callback coverage (004: VIP 100%) and satisfaction (002).
 *
 * Every report takes `ComplaintFacts`: the flat view of one archived complaint that the archive
 * stores in its columns and child tables. `complaintFacts` derives it from a case file; the
 * archive reads it back from the database. Periods are half-open [from, to) on the submission time.
 */

export type { ChargeFact, ClockFact, ClockStatus, ComplaintFacts, DepartmentFact, Period, PromiseStatus } from './facts';
export { complaintFacts, inPeriod, isBreached, responsibleDepartments, settledWhenResolved } from './facts';
export { pct, percentile } from './figures';
export type { ClassificationColumn, ClassificationReport, ClassificationRow } from './classification';
export { classificationColumns, classificationReport } from './classification';
export type { ClockCompliance, SlaReport } from './sla';
export { slaReport } from './sla';
export type { ResolutionRate, ResolutionReport } from './resolution';
export { resolutionRate, resolutionReport } from './resolution';
export type { TrendPoint } from './trend';
export { trendReport } from './trend';
