/**
 * The clock rules of a policy, as data (docs/clocks.md): when each clock starts, stops, pauses, and how
 * long it runs by kind and severity. Zod schemas, checked when a policy is loaded or applied.
 */
import { z } from 'zod';
import { clockNames, type ClockName } from './vocabulary';
import { complaintKinds, severities, stages, timelineEventTypes, type ComplaintKind, type Severity } from './vocabulary';

/** A case event a clock listens for: one of the timeline's event types (a typo is refused, with its path). */
const caseEvent = z.enum(timelineEventTypes);

const basicDuration = z.union([
  z.object({ hours: z.number().positive() }).strict(),
  z.object({ workingHours: z.number().positive() }).strict(),
  z.object({ workingDays: z.int().positive() }).strict(),
]);
/** A clock's length; `receivedOnHoliday` replaces it when the clock starts on a non-working day (000). */
export const clockDurationSchema = z.intersection(
  basicDuration,
  z.object({ receivedOnHoliday: basicDuration.optional() }),
);
export type ClockDuration = z.infer<typeof clockDurationSchema>;

const bySeverity = z.object(Object.fromEntries(severities.map((s) => [s, clockDurationSchema])) as Record<Severity, typeof clockDurationSchema>);

export const clockRuleSchema = z.object({
  /** Where the number comes from (seed id), or "chosen" for a default of ours. */
  source: z.string().min(1),
  /** Case events (timeline types) that start the clock; it starts once. */
  startOn: z.array(caseEvent).min(1),
  /** Case events that stop it (met). */
  stopOn: z.array(caseEvent).min(1),
  /** Case events that make the clock moot (e.g. dispatch, once the complaint is not upheld). */
  cancelOn: z.array(caseEvent).default([]),
  /**
   * Stages in which the clock does not run (e.g. while the customer decides). Off for every clock
   * of the seeds, whose limits are flat (000 §3b(3): 12 h / 48 h): a deployment may turn it on,
   * saying in `pauseSource` which seed or decision of its own allows the pause.
   */
  pauseIn: z.array(z.enum(stages)).default([]),
  /** What allows the pause in `pauseIn`: required when the clock pauses at all. */
  pauseSource: z.string().min(1).optional(),
  durations: z.object(Object.fromEntries(complaintKinds.map((k) => [k, bySeverity])) as Record<ComplaintKind, typeof bySeverity>),
});
export type ClockRule = z.infer<typeof clockRuleSchema>;

export const clockRulesSchema = z.object(
  Object.fromEntries(clockNames.map((n) => [n, clockRuleSchema])) as Record<ClockName, typeof clockRuleSchema>,
);
export type ClockRules = z.infer<typeof clockRulesSchema>;
