/**
 * SLA clocks (docs/clocks.md): each clock starts and stops on case events, may pause in some stages,
 * warns before its deadline and breaches at it. Pure: every function takes `now`, the policy's
 * clock rules and the business calendar, and returns new values; workflows import it.
 */
import type { ClockRule, ClockRules } from './clock-rules';
export { clockNames, type ClockName } from './vocabulary';
import { clockNames, type ClockName, type TimelineEventType } from './vocabulary';
import { addWorkingDays, addWorkingHours, describeFallback, isCovered, isHoliday, reliesOnFallback, type BusinessCalendar } from './calendar';
import type { ComplaintKind, Severity, Stage } from './vocabulary';
import { HOUR_MS } from './durations';


export type { ClockDuration, ClockRule, ClockRules } from './clock-rules';

export type ClockStatus = 'running' | 'met' | 'breached' | 'cancelled';

/** One clock of one complaint. */
export interface Clock {
  name: ClockName;
  startedAt: string;
  deadline: string;
  warnAt: string;
  status: ClockStatus;
  warnedAt?: string;
  breachedAt?: string;
  metAt?: string;
  /** Set while paused; the time spent paused is added to the deadline on resume. */
  pausedAt?: string;
  pausedMs: number;
}

/** The facts a deadline depends on. */
export interface ClockContext {
  kind: ComplaintKind;
  severity: Severity;
  calendar: BusinessCalendar;
  /** Warn when this fraction of the clock has elapsed (e.g. 0.75). */
  warnAtFraction: number;
}

/** The deadline of a clock started at `startedAt` (before pauses). */
export function deadlineOf(rule: ClockRule, ctx: ClockContext, startedAt: Date): Date {
  const d = rule.durations[ctx.kind][ctx.severity];
  // 000: transferred complaints: 2 h on a working day, 6 h on a holiday (any non-working day).
  const duration = d.receivedOnHoliday && isHoliday(ctx.calendar, startedAt) ? d.receivedOnHoliday : d;
  if ('hours' in duration) return new Date(startedAt.getTime() + duration.hours * HOUR_MS);
  if ('workingHours' in duration) return addWorkingHours(ctx.calendar, startedAt, duration.workingHours);
  return addWorkingDays(ctx.calendar, startedAt, duration.workingDays);
}

/**
 * Whether the deadline of a clock started at `startedAt` relied on the calendar's fallback: a
 * working-day or working-hour span reaching past the calendar's data, or a "received on a
 * holiday" choice (000: 2 h / 6 h) made on a day the data does not cover. A plain-hours clock
 * never depends on the calendar.
 */
export function deadlineReliesOnFallback(rule: ClockRule, ctx: ClockContext, startedAt: Date): boolean {
  const d = rule.durations[ctx.kind][ctx.severity];
  if (d.receivedOnHoliday && !isCovered(ctx.calendar, startedAt)) return true;
  const duration = d.receivedOnHoliday && isHoliday(ctx.calendar, startedAt) ? d.receivedOnHoliday : d;
  if ('hours' in duration) return false;
  return reliesOnFallback(ctx.calendar, startedAt, deadlineOf(rule, ctx, startedAt));
}

/**
 * The running clocks whose deadline relied on the calendar's fallback: the case flags them on its
 * timeline and in the `CalendarFallback` search attribute.
 */
export function clocksOnFallback(clocks: readonly Clock[], rules: ClockRules, ctx: ClockContext): ClockName[] {
  return clocks
    .filter((c) => c.status === 'running' && deadlineReliesOnFallback(rules[c.name], ctx, new Date(c.startedAt)))
    .map((c) => c.name);
}

/** What the case records when clocks come to rely on the calendar's fallback. */
export interface FallbackFlag {
  /** Every running clock on the fallback now (the case's `calendarFallback`; search attribute when non-empty). */
  clocks: ClockName[];
  /** Those not flagged before: the timeline entry names them. */
  added: ClockName[];
  /** The timeline summary for `added`; undefined when nothing was added. */
  summary?: string;
}

/**
 * The case's fallback flag after a clock change (an event, a recompute): which running clocks'
 * deadlines were computed past the calendar's data, and what to say on the timeline for the new
 * ones. `before` is the previous `clocks` of the flag.
 */
export function fallbackFlag(clocks: readonly Clock[], rules: ClockRules, ctx: ClockContext, before: readonly ClockName[] = []): FallbackFlag {
  const now = clocksOnFallback(clocks, rules, ctx);
  const added = now.filter((n) => !before.includes(n));
  const cal = ctx.calendar;
  return {
    clocks: now,
    added,
    summary: added.length
      ? `Deadline of the ${added.join(', ')} clock${added.length > 1 ? 's' : ''} computed past the business calendar ${cal.name} (covers ${cal.years.join(', ')}) by its fallback: ${describeFallback(cal)}`
      : undefined,
  };
}

/** One deadline a new calendar (or policy) would move. */
export interface DeadlineMove {
  clock: ClockName;
  deadline: string;
  newDeadline: string;
  /** Whether the current deadline relied on the fallback, and whether the new one would. */
  onFallback: boolean;
  newOnFallback: boolean;
}

/**
 * Dry run: the running deadlines that would move if `next` (a new calendar, and optionally new
 * clock rules) were applied to these clocks. Changes nothing; the real application goes through
 * `recompute` on the explicit policy/calendar application path.
 */
export function deadlineMoves(clocks: readonly Clock[], rules: ClockRules, ctx: ClockContext, next: { calendar: BusinessCalendar; rules?: ClockRules }): DeadlineMove[] {
  const nextRules = next.rules ?? rules;
  const nextCtx: ClockContext = { ...ctx, calendar: next.calendar };
  const copy: Clock[] = clocks.map((c) => ({ ...c }));
  recompute(copy, nextRules, nextCtx);
  return copy.flatMap((c, i) => {
    const before = clocks[i]!;
    if (c.status !== 'running' || c.deadline === before.deadline) return [];
    return [
      {
        clock: c.name,
        deadline: before.deadline,
        newDeadline: c.deadline,
        onFallback: deadlineReliesOnFallback(rules[c.name], ctx, new Date(c.startedAt)),
        newOnFallback: deadlineReliesOnFallback(nextRules[c.name], nextCtx, new Date(c.startedAt)),
      },
    ];
  });
}

/** One open complaint as the dry run sees it (from its state query). */
export interface CaseClocks {
  complaintId: string;
  clocks: readonly Clock[];
  rules: ClockRules;
  ctx: ClockContext;
}

/** Dry run over many open complaints: whose deadlines a new calendar would move, and how. */
export function calendarDryRun(cases: readonly CaseClocks[], calendar: BusinessCalendar): Array<{ complaintId: string; moves: DeadlineMove[] }> {
  return cases
    .map((c) => ({ complaintId: c.complaintId, moves: deadlineMoves(c.clocks, c.rules, c.ctx, { calendar }) }))
    .filter((c) => c.moves.length > 0);
}

function timesFor(rule: ClockRule, ctx: ClockContext, startedAt: Date, pausedMs: number): { deadline: string; warnAt: string } {
  const deadline = deadlineOf(rule, ctx, startedAt).getTime() + pausedMs;
  const span = deadline - startedAt.getTime() - pausedMs;
  const warnAt = startedAt.getTime() + pausedMs + Math.floor(span * ctx.warnAtFraction);
  return { deadline: new Date(deadline).toISOString(), warnAt: new Date(warnAt).toISOString() };
}

/** The clocks a policy has no rule for (recorded before they existed): they do not run under it. */
export function clocksNotInPolicy(rules: ClockRules): ClockName[] {
  return clockNames.filter((name) => (rules[name] as ClockRule | undefined) === undefined);
}

/** What happened to the clocks on an event, for the timeline and the escalation ladder. */
export type ClockChange = { clock: ClockName; change: 'started' | 'met' | 'met-late' | 'cancelled' };

/**
 * Applies a case event to the clocks: starts the clocks it starts (each once) and stops the
 * running ones it stops. Returns the changes. A clock the complaint's policy has no rule for (a
 * policy from before that clock existed) does not run on it (`clocksNotInPolicy`).
 */
export function onCaseEvent(clocks: Clock[], rules: ClockRules, ctx: ClockContext, event: TimelineEventType, stage: Stage, now: Date): ClockChange[] {
  const changes: ClockChange[] = [];
  for (const name of clockNames) {
    const rule = rules[name] as ClockRule | undefined;
    if (!rule) continue;
    const existing = clocks.find((c) => c.name === name);
    if (existing && existing.status === 'running' && rule.cancelOn.includes(event)) {
      existing.status = 'cancelled';
      existing.pausedAt = undefined;
      changes.push({ clock: name, change: 'cancelled' });
      continue;
    }
    if (existing && rule.stopOn.includes(event) && !existing.metAt && existing.status !== 'cancelled') {
      existing.metAt = now.toISOString();
      changes.push({ clock: name, change: existing.status === 'breached' ? 'met-late' : 'met' });
      if (existing.status === 'running') existing.status = 'met';
      existing.pausedAt = undefined;
    }
    if (!existing && rule.startOn.includes(event)) {
      const clock: Clock = { name, startedAt: now.toISOString(), status: 'running', pausedMs: 0, ...timesFor(rule, ctx, now, 0) };
      if (rule.pauseIn.includes(stage)) clock.pausedAt = now.toISOString();
      clocks.push(clock);
      changes.push({ clock: name, change: 'started' });
    }
  }
  return changes;
}

/** Pauses running clocks entering one of their pause stages, and resumes them on leaving it. */
export function onStageChange(clocks: Clock[], rules: ClockRules, stage: Stage, now: Date): void {
  for (const clock of clocks) {
    if (clock.status !== 'running') continue;
    const paused = rules[clock.name].pauseIn.includes(stage);
    if (paused && !clock.pausedAt) clock.pausedAt = now.toISOString();
    if (!paused && clock.pausedAt) {
      const ms = now.getTime() - Date.parse(clock.pausedAt);
      clock.pausedMs += ms;
      clock.deadline = new Date(Date.parse(clock.deadline) + ms).toISOString();
      clock.warnAt = new Date(Date.parse(clock.warnAt) + ms).toISOString();
      clock.pausedAt = undefined;
    }
  }
}

/** Cancels every clock still running (the case closed before they were met). */
export function cancelRunning(clocks: Clock[]): void {
  for (const clock of clocks) {
    if (clock.status === 'running') {
      clock.status = 'cancelled';
      clock.pausedAt = undefined;
    }
  }
}

/** Recomputes running deadlines after a change of kind or severity (or an applied policy). */
export function recompute(clocks: Clock[], rules: ClockRules, ctx: ClockContext): void {
  for (const clock of clocks) {
    if (clock.status !== 'running') continue;
    const times = timesFor(rules[clock.name], ctx, new Date(clock.startedAt), clock.pausedMs);
    clock.deadline = times.deadline;
    if (!clock.warnedAt) clock.warnAt = times.warnAt;
  }
}

/** The next instant a clock needs attention (a warning or a breach), if any. */
export function nextDue(clocks: Clock[]): number | undefined {
  let next: number | undefined;
  for (const clock of clocks) {
    if (clock.status !== 'running' || clock.pausedAt) continue;
    const at = clock.warnedAt ? Date.parse(clock.deadline) : Date.parse(clock.warnAt);
    next = next === undefined ? at : Math.min(next, at);
  }
  return next;
}

export type ClockAlarm = { clock: ClockName; alarm: 'warning' | 'breach' };

/** Warns and breaches the clocks whose time has come at `now`. */
export function tick(clocks: Clock[], now: Date): ClockAlarm[] {
  const alarms: ClockAlarm[] = [];
  for (const clock of clocks) {
    if (clock.status !== 'running' || clock.pausedAt) continue;
    if (!clock.warnedAt && now.getTime() >= Date.parse(clock.warnAt)) {
      clock.warnedAt = now.toISOString();
      alarms.push({ clock: clock.name, alarm: 'warning' });
    }
    if (now.getTime() >= Date.parse(clock.deadline)) {
      clock.status = 'breached';
      clock.breachedAt = now.toISOString();
      alarms.push({ clock: clock.name, alarm: 'breach' });
    }
  }
  return alarms;
}
