/**
 * Writing a complaint's record into the archive: the complaint row's columns, its child tables'
 * rows, and the whole save as one statement (see `ComplaintRecordStore.save`).
 */
import type { ArchiveRecord } from '../contract/effects';
import type { ComplaintFacts } from './reports';
import type { CaseSummary } from './summary';

/**
 * A record sealed under its customer's data key (archive/customer-keys.ts): the whole record and
 * the complaint's words as sealed text, the customer as their keyed reference.
 */
export interface SealedParts {
  record: string;
  content: string;
  customerRef: string;
}

/** The complaint row's columns and values. */
function complaintColumns(record: ArchiveRecord, f: ComplaintFacts, s: CaseSummary, version: number, sealed: SealedParts | undefined): Array<[string, unknown]> {
  const state = record.state;
  const whole = () => JSON.stringify({ idempotencyKey: record.idempotencyKey, complaintId: record.complaintId, state: record.state, timeline: record.timeline });
  return [
    ['id', record.complaintId],
    ['customer_id', sealed?.customerRef ?? f.customerId],
    ['customer_tier', f.customerTier],
    ['category', f.category],
    ['severity', f.severity],
    ['urgent_reason', f.urgentReason ?? null],
    ['kind', f.kind],
    ['source', f.source ?? null],
    ['partner', f.partner ?? null],
    ['channel', f.channel],
    ['service', state.intake.service ?? ''],
    ['content', sealed?.content ?? state.intake.content ?? ''],
    ['stage', f.stage],
    ['outcome', f.outcome ?? null],
    ['upheld', f.upheld ?? null],
    ['resolved', f.resolved],
    ['taken_over', f.takenOver],
    ['submitted_at', f.submittedAt],
    ['closed_at', f.closedAt ?? null],
    ['owner_id', state.owner?.id ?? state.intake.acceptedBy.id],
    ['owner_name', state.owner?.name ?? state.intake.acceptedBy.name],
    ['escalation_level', f.escalationLevel],
    ['sla_breached', f.slaBreached],
    ['remedy_kind', f.remedy?.kind ?? null],
    ['remedy_amount_fen', f.remedy?.amountFen ?? null],
    ['remedy_implemented', f.remedyImplemented],
    ['remedy_implemented_at', f.remedyImplementedAt ?? null],
    ['repeat_contacts', f.repeatContacts ?? 0],
    ['referrals', f.referrals ?? 0],
    ['callback_required', f.callback?.required ?? null],
    ['callback_satisfied', f.callback?.satisfied ?? null],
    ['callback_at', f.callback?.at ?? null],
    ['summary_title', s.title],
    ['summary_cause', s.cause],
    ['summary_remedy', s.remedy],
    ['summary_lesson', s.lesson],
    ['record', sealed ? JSON.stringify({ sealed: sealed.record }) : whole()],
    ['record_version', version],
    ['idempotency_key', record.idempotencyKey],
  ];
}

/** A child table of `complaints`: its rows for one complaint, in order. */
interface ChildRows {
  table: string;
  /** Its key besides complaint_id: `position` (rows 1..n), or none (one row at most). */
  positioned: boolean;
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** What the record says goes into each child table (every table, even when it has no rows). */
function childRows(f: ComplaintFacts): ChildRows[] {
  const at = <T>(items: T[], row: (item: T) => Record<string, unknown>) => items.map((item, i) => ({ position: i + 1, ...row(item) }));
  // 004: the parties the findings put at fault are penalised.
  const penalties = f.departments.filter((d) => d.responsible && d.partyAtFault);
  const c = f.charge;
  return [
    {
      table: 'complaint_departments',
      positioned: true,
      columns: ['position', 'department', 'status', 'responsible', 'assigned_at', 'dispatched_at', 'reported_at', 'cause', 'party_at_fault', 'handed_over_to', 'poor_handling', 'acknowledged_at'],
      rows: at(f.departments, (d) => ({
        department: d.department, status: d.status, responsible: d.responsible, assigned_at: d.assignedAt, dispatched_at: d.dispatchedAt ?? null, reported_at: d.reportedAt ?? null,
        cause: d.cause ?? null, party_at_fault: d.partyAtFault ?? null, handed_over_to: d.handedOverTo ?? null, poor_handling: d.poorHandling ?? null, acknowledged_at: d.acknowledgedAt ?? null,
      })),
    },
    {
      table: 'complaint_clocks',
      positioned: true,
      columns: ['position', 'name', 'status', 'started_at', 'deadline', 'warn_at', 'warned_at', 'met_at', 'breached_at'],
      rows: at(f.clocks, (k) => ({ name: k.name, status: k.status, started_at: k.startedAt, deadline: k.deadline, warn_at: k.warnAt ?? null, warned_at: k.warnedAt ?? null, met_at: k.metAt ?? null, breached_at: k.breachedAt ?? null })),
    },
    { table: 'complaint_escalations', positioned: true, columns: ['position', 'level', 'trigger', 'at', 'reason'], rows: at(f.escalations, (e) => ({ level: e.level, trigger: e.trigger, at: e.at, reason: e.reason })) },
    { table: 'complaint_promises', positioned: true, columns: ['position', 'what', 'due_by', 'promised_at', 'status'], rows: at(f.promises, (p) => ({ what: p.what, due_by: p.by, promised_at: p.promisedAt, status: p.status })) },
    { table: 'complaint_penalties', positioned: true, columns: ['position', 'department', 'party_at_fault', 'cause'], rows: at(penalties, (d) => ({ department: d.department, party_at_fault: d.partyAtFault, cause: d.cause ?? '' })) },
    {
      table: 'complaint_charges',
      positioned: false,
      columns: ['partner', 'taken_over_at', 'refund_fen', 'costs_fen', 'handling_fee_fen', 'total_fen'],
      rows: c ? [{ partner: c.partner, taken_over_at: c.takenOverAt ?? null, refund_fen: c.refundFen, costs_fen: c.costsFen, handling_fee_fen: c.handlingFeeFen, total_fen: c.totalFen }] : [],
    },
  ];
}

/**
 * The whole save as one statement: the complaint row is inserted, or replaced when this version is
 * newer (the row lock ON CONFLICT takes serialises concurrent writes of one complaint; xmax = 0
 * marks a freshly inserted row); only then are its children written, each table's rows upserted
 * by key from one JSON parameter and the rows beyond them deleted (never the same rows, so the
 * parts of the statement do not collide). No row back: an older or equal version, kept as it was.
 * The statement sees the children as they were when it began: should an older version of the same
 * complaint commit meanwhile (a retried batch racing its first attempt) with more rows of a table
 * than this one, those extra rows outlive it until the next save; the row itself is always right.
 */
export function saveStatement(record: ArchiveRecord, f: ComplaintFacts, s: CaseSummary, version: number, sealed?: SealedParts): { sql: string; params: unknown[] } {
  const columns = complaintColumns(record, f, s, version, sealed);
  const children = childRows(f);
  const params = [...columns.map(([, v]) => v), ...children.map((child) => JSON.stringify(child.rows))];
  const sql = (saveSql ??= saveSqlFor(
    columns.map(([c]) => c),
    children,
  ));
  return { sql, params };
}

/** The save's text, the same for every record (so prepared once per connection): built on first use. */
let saveSql: string | undefined;

function saveSqlFor(names: string[], children: ChildRows[]): string {
  const placeholders = names.map((c, i) => (c === 'record' ? `$${i + 1}::jsonb` : `$${i + 1}`));
  const updates = names.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`);
  const parts = [
    `saved AS (
      INSERT INTO complaints (${names.join(', ')}) VALUES (${placeholders.join(', ')})
      ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')}, updated_at = now()
        WHERE complaints.record_version < EXCLUDED.record_version
      RETURNING id, (xmax = 0) AS inserted)`,
  ];
  children.forEach((child, i) => {
    const { table, columns: cols } = child;
    const rows = `$${names.length + i + 1}::jsonb`;
    // A replaced row's children beyond this version's (a row just inserted has none). By the
    // complaint's id, so by its key's index: joined to `saved`, the planner scans the whole table.
    const beyond = child.positioned ? `position > jsonb_array_length(${rows})` : `jsonb_array_length(${rows}) = 0`;
    parts.push(`cleared_${i} AS (DELETE FROM ${table} WHERE complaint_id = $1 AND ${beyond} AND EXISTS (SELECT 1 FROM saved WHERE NOT saved.inserted))`);
    const key = child.positioned ? 'complaint_id, position' : 'complaint_id';
    const set = cols.filter((c) => c !== 'position').map((c) => `${c} = EXCLUDED.${c}`);
    parts.push(
      `written_${i} AS (
        INSERT INTO ${table} (complaint_id, ${cols.join(', ')})
        SELECT saved.id, ${cols.map((c) => `r.${c}`).join(', ')} FROM saved, jsonb_populate_recordset(NULL::${table}, ${rows}) AS r
        ON CONFLICT (${key}) DO UPDATE SET ${set.join(', ')})`,
    );
  });
  return `WITH ${parts.join(',\n')}\nSELECT inserted FROM saved`;
}
