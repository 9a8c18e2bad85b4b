/**
 * Four eyes on the rules: what in a new policy or calendar widens what people may do or what the
 * customer waits for. A change that raises an approval limit, gives a role authority it did not
 * have, lets more roles answer for an escalation level, or lengthens a customer's clock (a longer
 * duration, more stages paused in, more events that stop it, a deadline moved later) takes
 * effect on a complaint only once a second manager approves it. Pure: each widening as a line
 * that says what changed, from what to what.
 */
import type { ClockDuration, ClockRule } from './clock-rules';
import type { DeadlineMove } from './clocks';
import { ladder } from './approval';
import type { HandlingPolicy } from './policy';
import { clockNames, complaintKinds, severities } from './vocabulary';

/** A duration as one comparable length, when it has one unit; undefined when units differ. */
function lengthIn(d: ClockDuration | undefined, unit: string): number | undefined {
  if (!d) return undefined;
  const value = (d as Record<string, unknown>)[unit];
  return typeof value === 'number' ? value : undefined;
}

function unitOf(d: ClockDuration): string {
  return Object.keys(d).find((k) => k !== 'receivedOnHoliday')!;
}

function describe(d: ClockDuration): string {
  const unit = unitOf(d);
  return `${(d as unknown as Record<string, number>)[unit]} ${unit}`;
}

/** Whether `next` is longer than `was`, or not comparable with it (another unit: judged by a second manager too). */
function longer(was: ClockDuration, next: ClockDuration): boolean {
  const unit = unitOf(next);
  const before = lengthIn(was, unit);
  return before === undefined || (next as unknown as Record<string, number>)[unit]! > before;
}

function clockWidenings(name: string, was: ClockRule, next: ClockRule): string[] {
  const out: string[] = [];
  for (const kind of complaintKinds) {
    for (const severity of severities) {
      const a = was.durations[kind][severity];
      const b = next.durations[kind][severity];
      if (longer(a, b)) out.push(`clocks.${name}.durations.${kind}.${severity}: ${describe(a)} → ${describe(b)}`);
      if (b.receivedOnHoliday && (!a.receivedOnHoliday || longer(a.receivedOnHoliday, b.receivedOnHoliday))) {
        out.push(`clocks.${name}.durations.${kind}.${severity}.receivedOnHoliday: ${a.receivedOnHoliday ? describe(a.receivedOnHoliday) : 'none'} → ${describe(b.receivedOnHoliday)}`);
      }
    }
  }
  const added = (key: 'pauseIn' | 'stopOn') => (next[key] as string[]).filter((x) => !(was[key] as string[]).includes(x));
  if (added('pauseIn').length) out.push(`clocks.${name}.pauseIn: also paused in ${added('pauseIn').join(', ')}`);
  if (added('stopOn').length) out.push(`clocks.${name}.stopOn: also stopped by ${added('stopOn').join(', ')}`);
  return out;
}

/** What `next` widens against `current`: nothing, or one line per widening. */
export function policyWidenings(current: HandlingPolicy, next: HandlingPolicy): string[] {
  const out: string[] = [];
  for (const [role, limit] of Object.entries(next.approval.limitsFen)) {
    const before = current.approval.limitsFen[role as keyof typeof current.approval.limitsFen];
    if (before === undefined) out.push(`approval.limitsFen.${role}: none → ${limit} fen`);
    else if (limit! > before) out.push(`approval.limitsFen.${role}: ${before} → ${limit} fen`);
  }
  if (next.approval.escalateTo !== current.approval.escalateTo) out.push(`approval.escalateTo: ${current.approval.escalateTo} → ${next.approval.escalateTo}`);
  if (next.approval.topTier && next.approval.topTier !== current.approval.topTier) out.push(`approval.topTier: ${current.approval.topTier ?? 'none'} → ${next.approval.topTier}`);
  for (const [kind, tier] of Object.entries(current.approval.lowestTierByKind ?? {})) {
    // A kind that no longer starts at its tier, or starts lower, reaches more approvers.
    const now = next.approval.lowestTierByKind?.[kind as keyof typeof next.approval.lowestTierByKind];
    if (now === undefined || ladder(next.approval).indexOf(now) < ladder(next.approval).indexOf(tier)) out.push(`approval.lowestTierByKind.${kind}: ${tier} → ${now ?? 'none'}`);
  }
  for (const level of next.escalation.levels) {
    const before = current.escalation.levels.find((l) => l.level === level.level);
    const gained = level.roles.filter((r) => !before?.roles.includes(r));
    if (before && gained.length) out.push(`escalation.levels.${level.level}.roles: also ${gained.join(', ')}`);
  }
  for (const name of clockNames) {
    // A clock the current policy lacks is a new promise to the customer, not a longer one.
    const [was, now] = [current.clocks[name] as ClockRule | undefined, next.clocks[name] as ClockRule | undefined];
    if (was && now) out.push(...clockWidenings(name, was, now));
  }
  return out;
}

/** What a calendar change widens on one complaint: each running deadline it moves later. */
export function calendarWidenings(moves: readonly DeadlineMove[]): string[] {
  return moves.filter((m) => Date.parse(m.newDeadline) > Date.parse(m.deadline)).map((m) => `${m.clock} deadline: ${m.deadline} → ${m.newDeadline}`);
}

