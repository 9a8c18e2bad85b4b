/**
 * SLA compliance (docs/clocks.md), promised times (001 case 1), escalations (003) and the
 * departments' dispatch acknowledgements.
 */
import { clockNames } from '../../domain/vocabulary';
import { isBreached, type ComplaintFacts } from './facts';
import { HOUR_MS, pct, percentile, round2 } from './figures';

/** Display order of the clocks: the vocabulary's; clocks of other names (archived under older code) follow alphabetically. */
const clockOrder: readonly string[] = clockNames;

export interface ClockCompliance {
  clock: string;
  started: number;
  /** Stopped before the deadline. */
  met: number;
  /** Passed the deadline (including those stopped late, counted again in `metLate`). */
  breached: number;
  metLate: number;
  warned: number;
  running: number;
  cancelled: number;
  /** met ÷ (met + breached): the clocks decided one way or the other (%). */
  compliancePct: number | null;
}

export interface SlaReport {
  clocks: ClockCompliance[];
  overall: { met: number; breached: number; compliancePct: number | null };
  promises: { total: number; kept: number; missed: number; pending: number; complaintsWithMissed: string[] };
  escalations: {
    complaintsEscalated: number;
    events: number;
    byLevelAndTrigger: Array<{ level: number; trigger: string; count: number }>;
    byLevel: Array<{ level: number; count: number }>;
    byTrigger: Array<{ trigger: string; count: number }>;
  };
  /**
   * Each department's own clock: from the dispatch to its system's acknowledgement (the
   * dispatchAcknowledged event), in hours. Departments that never acknowledge show 0 acknowledged.
   */
  dispatchAcknowledgement: Array<{ department: string; dispatched: number; acknowledged: number; meanHours: number | null; p90Hours: number | null }>;
}

/** Per department: dispatches, acknowledgements and the hours between them. */
function dispatchAcknowledgement(facts: readonly ComplaintFacts[]): SlaReport['dispatchAcknowledgement'] {
  const byDept = new Map<string, { dispatched: number; hours: number[] }>();
  for (const d of facts.flatMap((f) => f.departments)) {
    if (!d.dispatchedAt) continue;
    const row = byDept.get(d.department) ?? { dispatched: 0, hours: [] };
    row.dispatched += 1;
    if (d.acknowledgedAt) row.hours.push(Math.max(0, Date.parse(d.acknowledgedAt) - Date.parse(d.dispatchedAt)) / HOUR_MS);
    byDept.set(d.department, row);
  }
  return [...byDept.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([department, { dispatched, hours }]) => {
      const sorted = [...hours].sort((a, b) => a - b);
      const mean = sorted.length ? sorted.reduce((x, h) => x + h, 0) / sorted.length : null;
      const p90 = percentile(sorted, 90);
      return { department, dispatched, acknowledged: sorted.length, meanHours: mean === null ? null : round2(mean), p90Hours: p90 === null ? null : round2(p90) };
    });
}

export function slaReport(facts: readonly ComplaintFacts[]): SlaReport {
  const byClock = new Map<string, ClockCompliance>();
  for (const f of facts) {
    for (const c of f.clocks) {
      let row = byClock.get(c.name);
      if (!row) {
        row = { clock: c.name, started: 0, met: 0, breached: 0, metLate: 0, warned: 0, running: 0, cancelled: 0, compliancePct: null };
        byClock.set(c.name, row);
      }
      row.started += 1;
      if (c.warnedAt) row.warned += 1;
      if (isBreached(c)) {
        row.breached += 1;
        if (c.metAt) row.metLate += 1;
      } else if (c.status === 'met') row.met += 1;
      else if (c.status === 'running') row.running += 1;
      else if (c.status === 'cancelled') row.cancelled += 1;
    }
  }
  const rank = (name: string) => (clockOrder.includes(name) ? clockOrder.indexOf(name) : clockOrder.length);
  const clocks = [...byClock.values()]
    .map((r) => ({ ...r, compliancePct: pct(r.met, r.met + r.breached) }))
    .sort((a, b) => rank(a.clock) - rank(b.clock) || a.clock.localeCompare(b.clock));
  const met = clocks.reduce((s, r) => s + r.met, 0);
  const breached = clocks.reduce((s, r) => s + r.breached, 0);

  const promises = facts.flatMap((f) => f.promises);
  const escalations = facts.flatMap((f) => f.escalations);
  const countBy = <K extends string | number>(keys: K[]) => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const pairs = countBy(escalations.map((e) => `${e.level}\u0000${e.trigger}`));
  return {
    clocks,
    overall: { met, breached, compliancePct: pct(met, met + breached) },
    promises: {
      total: promises.length,
      kept: promises.filter((p) => p.status === 'kept').length,
      missed: promises.filter((p) => p.status === 'missed').length,
      pending: promises.filter((p) => p.status === 'pending').length,
      complaintsWithMissed: facts.filter((f) => f.promises.some((p) => p.status === 'missed')).map((f) => f.complaintId).sort(),
    },
    escalations: {
      complaintsEscalated: facts.filter((f) => f.escalations.length > 0 || f.escalationLevel > 0).length,
      events: escalations.length,
      byLevelAndTrigger: [...pairs.entries()]
        .map(([key, count]) => {
          const [level, trigger] = key.split('\u0000');
          return { level: Number(level), trigger: trigger!, count };
        })
        .sort((a, b) => a.level - b.level || a.trigger.localeCompare(b.trigger)),
      byLevel: [...countBy(escalations.map((e) => e.level)).entries()]
        .map(([level, count]) => ({ level, count }))
        .sort((a, b) => a.level - b.level),
      byTrigger: [...countBy(escalations.map((e) => e.trigger)).entries()]
        .map(([trigger, count]) => ({ trigger, count }))
        .sort((a, b) => b.count - a.count || a.trigger.localeCompare(b.trigger)),
    },
    dispatchAcknowledgement: dispatchAcknowledgement(facts),
  };
}
