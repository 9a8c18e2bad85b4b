/**
 * The reports as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read Chinese
 * text), one function per report. Text cells that a spreadsheet would run as a formula are
 * prefixed with an apostrophe.
 */
import type { ClassificationReport, ResolutionReport, SlaReport } from '../../archive/reports';
import { classificationColumns } from '../../archive/reports';
import type { Scorecard } from '../../archive/scorecard';
import type { KnowledgeBaseEntry } from '../../archive/store';

type Cell = string | number | boolean | null | undefined;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text, CRLF line ends, with a BOM. */
export function toCsv(rows: ReadonlyArray<readonly Cell[]>): string {
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

const snake = (s: string) => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

export function classificationCsv(r: ClassificationReport): string {
  const header = ['category', 'total', 'share_pct', ...classificationColumns.flatMap((c) => [snake(c), `${snake(c)}_pct`])];
  const rows = [...r.rows, r.totals].map((row) => [
    row.category,
    row.total,
    row.sharePct,
    ...classificationColumns.flatMap((c) => [row.counts[c], row.sharesPct[c]]),
  ]);
  return toCsv([header, ...rows]);
}

export function slaCsv(r: SlaReport): string {
  const rows: Cell[][] = [['section', 'item', 'metric', 'value']];
  for (const c of r.clocks) {
    for (const m of ['started', 'met', 'warned', 'breached', 'metLate', 'running', 'cancelled', 'compliancePct'] as const) {
      rows.push(['clock', c.clock, snake(m), c[m]]);
    }
  }
  rows.push(['clock', 'all', 'met', r.overall.met], ['clock', 'all', 'breached', r.overall.breached], ['clock', 'all', 'compliance_pct', r.overall.compliancePct]);
  rows.push(
    ['promised-time', 'all', 'total', r.promises.total],
    ['promised-time', 'all', 'kept', r.promises.kept],
    ['promised-time', 'all', 'missed', r.promises.missed],
    ['promised-time', 'all', 'pending', r.promises.pending],
  );
  rows.push(['escalation', 'all', 'complaints_escalated', r.escalations.complaintsEscalated], ['escalation', 'all', 'events', r.escalations.events]);
  for (const e of r.escalations.byLevelAndTrigger) rows.push(['escalation', `level ${e.level} / ${e.trigger}`, 'count', e.count]);
  return toCsv(rows);
}

export function resolutionCsv(r: ResolutionReport): string {
  const rows: Cell[][] = [
    ['metric', 'value'],
    ['submitted', r.submitted],
    ['resolved', r.resolved],
    ['accepted_by_silence', r.acceptedBySilence],
    ['resolution_rate_pct', r.resolutionRatePct],
    ['handling_time_count', r.handlingTime.count],
    ['handling_time_mean_hours', r.handlingTime.meanHours],
    ['handling_time_p90_hours', r.handlingTime.p90Hours],
    ['repeat_groups', r.repeats.groups.length],
    ['repeat_complaints', r.repeats.repeatComplaints],
    ['repeat_rate_pct', r.repeats.repeatRatePct],
    ['callback_eligible', r.callbacks.eligible],
    ['callback_called', r.callbacks.called],
    ['callback_coverage_pct', r.callbacks.coveragePct],
    ['vip_callback_eligible', r.callbacks.vip.eligible],
    ['vip_callback_called', r.callbacks.vip.called],
    ['vip_callback_coverage_pct', r.callbacks.vip.coveragePct],
    ['vip_callback_compliant', r.callbacks.vip.compliant],
    ['callbacks', r.satisfaction.callbacks],
    ['satisfied', r.satisfaction.satisfied],
    ['satisfaction_pct', r.satisfaction.satisfactionPct],
  ];
  for (const g of r.repeats.groups) rows.push([`repeat:${g.customerId}:${g.category}`, g.complaintIds.join(' ')]);
  return toCsv(rows);
}

/** One row per deduction (an item without deductions gets one row with no rule): fully itemised. */
export function scorecardCsv(s: Scorecard): string {
  const rows: Cell[][] = [
    [
      'month', 'unit_kind', 'unit', 'rank', 'score', 'bottom_ten', 'emergency_seats', 'emergency_seat_fee_fen',
      'item', 'item_max', 'item_points', 'measure', 'rule', 'count', 'points_each', 'deduction', 'complaint_ids',
    ],
  ];
  for (const u of [...s.departments, ...s.partners]) {
    for (const i of u.items) {
      const base: Cell[] = [s.month, u.kind, u.unit, u.rank, u.score, u.bottomTen, u.emergencySeats, u.emergencySeatFeeFen, i.key, i.maxPoints, i.points, i.measure];
      if (i.deductions.length === 0) rows.push([...base, '', '', '', 0, '']);
      for (const d of i.deductions) rows.push([...base, d.rule, d.count, d.pointsEach, d.points, d.complaintIds?.join(' ') ?? '']);
    }
  }
  for (const u of [...s.departments, ...s.partners]) {
    if (u.bonus) rows.push([s.month, u.kind, u.unit, u.rank, u.score, u.bottomTen, u.emergencySeats, u.emergencySeatFeeFen, 'top-three-bonus', '', u.bonus.points, `total ${u.totalScore}`, u.bonus.rule, 1, u.bonus.points, -u.bonus.points, '']);
    if (u.suspension?.suspend || u.suspension?.inForce) {
      rows.push([s.month, u.kind, u.unit, u.rank, u.score, u.bottomTen, u.emergencySeats, u.emergencySeatFeeFen, 'suspension', '', '', u.suspension.inForce ? 'suspended (in force)' : 'suspension proposed', u.suspension.reasons.join('; '), u.suspension.customers, '', '', u.suspension.complaintIds.join(' ')]);
    }
    if (u.termination) {
      const t = u.termination;
      const measure = !t.measured ? 'not measured' : t.terminate ? 'terminate partnership recommended' : 'cost within revenue';
      const parts = `handling ${t.costs.handlingFen} + compensation ${t.costs.compensationFen} + takeover charges ${t.costs.takeoverChargesFen} + emergency seats ${t.costs.emergencySeatFeeFen} = ${t.costFen} fen vs revenue ${t.revenueFen ?? 'not configured'}`;
      rows.push([s.month, u.kind, u.unit, u.rank, u.score, u.bottomTen, u.emergencySeats, u.emergencySeatFeeFen, 'termination', '', '', measure, `${t.reason} (${parts})`, t.costs.complaints, '', '', '']);
    }
  }
  for (const p of s.placeholders) {
    rows.push([s.month, 'placeholder', p.path, '', '', '', '', '', 'placeholder', '', '', p.note, '', '', '', '', '']);
  }
  for (const c of s.partnerCharges) {
    rows.push([s.month, 'partner-charge', c.partner, '', '', '', '', '', 'takeover-charges', '', '', `${c.cases} case(s)`, 'refund + costs + 30% handling fee (000 §6)', c.cases, '', c.totalFen, c.complaintIds.join(' ')]);
  }
  return toCsv(rows);
}

export function knowledgeBaseCsv(entries: readonly KnowledgeBaseEntry[]): string {
  return toCsv([
    ['complaint_id', 'category', 'stage', 'outcome', 'submitted_at', 'closed_at', 'title', 'cause', 'remedy', 'lesson'],
    ...entries.map((e) => [e.complaintId, e.category, e.stage, e.outcome, e.submittedAt, e.closedAt, e.title, e.cause, e.remedy, e.lesson]),
  ]);
}
