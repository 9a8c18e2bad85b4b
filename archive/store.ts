/**
 * The complaint record store (docs/rules.md): every archived complaint with its whole record, kept
 * beyond Temporal's retention, and the report queries over it. One row per complaint: a repeated
 * write (a retried activity) keeps that one row, and a later write (the complaint reopened, then
 * closed again) replaces it, never the other way round: a write only lands when its record
 * version (the timeline's length, which only grows) is newer than the stored one.
 */
import type { ArchiveRecord } from '../contract/effects';
import {
  classificationReport,
  complaintFacts,
  inPeriod,
  resolutionReport,
  slaReport,
  trendReport,
  type ClassificationReport,
  type ComplaintFacts,
  type Period,
  type ResolutionReport,
  type SlaReport,
  type TrendPoint,
} from './reports';
import { assessmentWindow, scorecard, shiftMonth, type Assessment, type Scorecard } from './scorecard';
import { openDatabase, type Database, type OpenDatabaseOptions } from './db';
import { migrate } from './migrate';
import { summarise, type CaseSummary } from './summary';

/** A record the archive cannot file (no intake, no id): retrying will not help. */
export class InvalidArchiveRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArchiveRecord';
  }
}

/** What `save` did: wrote a new row, replaced an older version, or kept a newer/equal one. */
export type SaveResult = 'inserted' | 'replaced' | 'kept';

export interface ArchivedComplaint {
  record: ArchiveRecord;
  summary: CaseSummary;
  version: number;
  archivedAt: string;
  updatedAt: string;
}

export interface KnowledgeBaseQuery {
  category?: string;
  /** Words that must all appear in the title, cause, remedy, lesson or complaint text. */
  q?: string;
  /** Only complaints submitted in [from, to). */
  period?: Period;
  limit?: number;
}

export interface KnowledgeBaseEntry extends CaseSummary {
  complaintId: string;
  category: string;
  outcome: string | null;
  stage: string;
  submittedAt: string;
  closedAt: string | null;
}

/** The version of a record: the timeline only grows, so its length orders the writes. */
export function recordVersion(record: ArchiveRecord): number {
  const seqs = record.timeline.map((e) => e.seq).filter((s) => Number.isFinite(s));
  return Math.max(record.timeline.length, ...seqs, 0);
}

export class ComplaintRecordStore {
  constructor(readonly db: Database) {}

  /** Opens the database (PostgreSQL or PGlite, see `openDatabase`) and brings its schema up to date. */
  static async open(options: OpenDatabaseOptions): Promise<ComplaintRecordStore> {
    const db = await openDatabase(options);
    try {
      await migrate(db);
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
    return new ComplaintRecordStore(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Files the complete record; idempotent, and an older version never overwrites a newer one. */
  async save(record: ArchiveRecord): Promise<SaveResult> {
    const state = record.state;
    if (!record.complaintId || !state?.intake || !state.receivedAt) {
      throw new InvalidArchiveRecord(`archive record ${record.idempotencyKey}: the case file has no complaint id, intake or receipt time`);
    }
    if (state.complaintId && state.complaintId !== record.complaintId) {
      throw new InvalidArchiveRecord(`archive record ${record.idempotencyKey}: the case file is ${state.complaintId}, not ${record.complaintId}`);
    }
    let facts: ComplaintFacts;
    let summary: CaseSummary;
    try {
      facts = complaintFacts(state, record.timeline ?? []);
      summary = summarise(state, record.timeline ?? []);
    } catch (err) {
      throw new InvalidArchiveRecord(`archive record ${record.idempotencyKey}: ${(err as Error).message}`);
    }
    const version = recordVersion({ ...record, timeline: record.timeline ?? [] });
    // One statement, so no transaction around it: each statement is a round trip to the database.
    // Named: its long text is parsed and planned once per connection (in the embedded PGlite that
    // was 2.9 of a save's 3.7 ms of CPU).
    const { sql, params } = saveStatement(record, facts, summary, version);
    const { rows } = await this.db.query<{ inserted: boolean }>(sql, params, { name: 'archive_save' });
    if (rows.length === 0) return 'kept';
    return rows[0]!.inserted ? 'inserted' : 'replaced';
  }

  async get(complaintId: string): Promise<ArchivedComplaint | undefined> {
    const { rows } = await this.db.query<{
      record: ArchiveRecord | string;
      summary_title: string;
      summary_cause: string;
      summary_remedy: string;
      summary_lesson: string;
      record_version: number;
      archived_at: Date | string;
      updated_at: Date | string;
    }>(
      `SELECT record, summary_title, summary_cause, summary_remedy, summary_lesson, record_version, archived_at, updated_at
         FROM complaints WHERE id = $1`,
      [complaintId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      record: typeof row.record === 'string' ? (JSON.parse(row.record) as ArchiveRecord) : row.record,
      summary: { title: row.summary_title, cause: row.summary_cause, remedy: row.summary_remedy, lesson: row.summary_lesson },
      version: Number(row.record_version),
      archivedAt: iso(row.archived_at)!,
      updatedAt: iso(row.updated_at)!,
    };
  }

  /** The facts of every complaint submitted in [from, to), read back from the report tables. */
  async facts(period: Period): Promise<ComplaintFacts[]> {
    const params = [period.from.toISOString(), period.to.toISOString()];
    const inWindow = 'SELECT id FROM complaints WHERE submitted_at >= $1 AND submitted_at < $2';
    // One snapshot for the six reads, so a write landing in between cannot split a complaint.
    const [complaints, departments, clocks, escalations, promises, charges] = await this.db.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const child = (table: string) =>
        tx.query<ChildRow>(`SELECT * FROM ${table} WHERE complaint_id IN (${inWindow}) ORDER BY complaint_id, position`, params);
      return [
        await tx.query<ComplaintRow>('SELECT * FROM complaints WHERE submitted_at >= $1 AND submitted_at < $2 ORDER BY submitted_at, id', params),
        await child('complaint_departments'),
        await child('complaint_clocks'),
        await child('complaint_escalations'),
        await child('complaint_promises'),
        await tx.query<ChildRow>(`SELECT * FROM complaint_charges WHERE complaint_id IN (${inWindow})`, params),
      ] as const;
    });
    const group = (rows: ChildRow[]) => {
      const m = new Map<string, ChildRow[]>();
      for (const r of rows) m.set(r.complaint_id as string, [...(m.get(r.complaint_id as string) ?? []), r]);
      return m;
    };
    const byDept = group(departments.rows);
    const byClock = group(clocks.rows);
    const byEsc = group(escalations.rows);
    const byPromise = group(promises.rows);
    const byCharge = group(charges.rows);
    return complaints.rows.map((c) => toFacts(c, byDept.get(c.id) ?? [], byClock.get(c.id) ?? [], byEsc.get(c.id) ?? [], byPromise.get(c.id) ?? [], byCharge.get(c.id)?.[0]));
  }

  async classification(period: Period): Promise<ClassificationReport> {
    return classificationReport(await this.facts(period));
  }

  async sla(period: Period): Promise<SlaReport> {
    return slaReport(await this.facts(period));
  }

  async resolution(period: Period): Promise<ResolutionReport> {
    return resolutionReport(await this.facts(period));
  }

  /** The 100-point scorecard of `month` ('YYYY-MM') over its 21st-to-20th window. */
  async scorecard(month: string, assessment: Assessment): Promise<Scorecard> {
    const window = assessmentWindow(month, assessment.timeZoneOffsetMinutes);
    // 000 §4.8: the top-three bonus looks back over the previous assessments too.
    const lookBack = assessment.topThreeBonus ? assessment.topThreeBonus.consecutive - 1 : 0;
    const from = assessmentWindow(shiftMonth(month, lookBack), assessment.timeZoneOffsetMinutes).from;
    return scorecard(await this.facts({ from, to: window.to }), assessment, month);
  }

  /** One point per assessment month, oldest first. */
  async trend(months: readonly string[], tzOffsetMinutes: number): Promise<TrendPoint[]> {
    if (months.length === 0) return [];
    const windows = months.map((m) => ({ label: m, ...assessmentWindow(m, tzOffsetMinutes) }));
    const from = new Date(Math.min(...windows.map((w) => w.from.getTime())));
    const to = new Date(Math.max(...windows.map((w) => w.to.getTime())));
    const facts = await this.facts({ from, to });
    return trendReport(facts, windows);
  }

  /**
   * Case summaries by category and words, newest first (003: the typical-case knowledge base).
   * Closed cases only: an open case's cause and remedy are not settled yet.
   */
  async knowledgeBase(query: KnowledgeBaseQuery = {}): Promise<KnowledgeBaseEntry[]> {
    const params: unknown[] = [];
    const where: string[] = ["stage = 'closed'"];
    if (query.category) {
      params.push(query.category);
      where.push(`category = $${params.length}`);
    }
    if (query.period) {
      params.push(query.period.from.toISOString(), query.period.to.toISOString());
      where.push(`submitted_at >= $${params.length - 1} AND submitted_at < $${params.length}`);
    }
    const words = (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, 10);
    for (const word of words) {
      params.push(`%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const p = `$${params.length}`;
      where.push(
        `(summary_title ILIKE ${p} OR summary_cause ILIKE ${p} OR summary_remedy ILIKE ${p} OR summary_lesson ILIKE ${p} OR content ILIKE ${p} OR service ILIKE ${p})`,
      );
    }
    params.push(Math.min(Math.max(query.limit ?? 50, 1), 500));
    const { rows } = await this.db.query<ComplaintRow>(
      `SELECT id, category, outcome, stage, submitted_at, closed_at, summary_title, summary_cause, summary_remedy, summary_lesson
         FROM complaints WHERE ${where.join(' AND ')}
        ORDER BY submitted_at DESC, id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      complaintId: r.id,
      category: r.category,
      outcome: r.outcome,
      stage: r.stage,
      submittedAt: iso(r.submitted_at)!,
      closedAt: iso(r.closed_at) ?? null,
      title: r.summary_title,
      cause: r.summary_cause,
      remedy: r.summary_remedy,
      lesson: r.summary_lesson,
    }));
  }

  /** The facts of complaints in [from, to) computed from the stored JSON records (a cross-check). */
  async factsFromRecords(period: Period): Promise<ComplaintFacts[]> {
    const { rows } = await this.db.query<{ record: ArchiveRecord | string }>(
      'SELECT record FROM complaints WHERE submitted_at >= $1 AND submitted_at < $2 ORDER BY submitted_at, id',
      [period.from.toISOString(), period.to.toISOString()],
    );
    return inPeriod(
      rows.map((r) => {
        const record = typeof r.record === 'string' ? (JSON.parse(r.record) as ArchiveRecord) : r.record;
        return complaintFacts(record.state, record.timeline);
      }),
      period,
    );
  }
}

// ---- Writing ----

/** The complaint row's columns and values. */
function complaintColumns(record: ArchiveRecord, f: ComplaintFacts, s: CaseSummary, version: number): Array<[string, unknown]> {
  const state = record.state;
  return [
    ['id', record.complaintId],
    ['customer_id', f.customerId],
    ['customer_tier', f.customerTier],
    ['category', f.category],
    ['severity', f.severity],
    ['urgent_reason', f.urgentReason ?? null],
    ['kind', f.kind],
    ['source', f.source ?? null],
    ['partner', f.partner ?? null],
    ['channel', f.channel],
    ['service', state.intake.service ?? ''],
    ['content', state.intake.content ?? ''],
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
    ['record', JSON.stringify({ idempotencyKey: record.idempotencyKey, complaintId: record.complaintId, state: record.state, timeline: record.timeline })],
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
function saveStatement(record: ArchiveRecord, f: ComplaintFacts, s: CaseSummary, version: number): { sql: string; params: unknown[] } {
  const columns = complaintColumns(record, f, s, version);
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

// ---- Reading ----

type Timestamp = Date | string | null;

interface ComplaintRow {
  id: string;
  customer_id: string;
  customer_tier: string;
  category: string;
  severity: string;
  urgent_reason: string | null;
  kind: string;
  source: string | null;
  partner: string | null;
  channel: string;
  stage: string;
  outcome: string | null;
  upheld: boolean | null;
  resolved: boolean;
  taken_over: boolean;
  submitted_at: Timestamp;
  closed_at: Timestamp;
  escalation_level: number;
  sla_breached: boolean;
  repeat_contacts?: number | string;
  referrals?: number | string;
  remedy_kind: string | null;
  remedy_amount_fen: number | string | null;
  remedy_implemented: boolean;
  remedy_implemented_at: Timestamp;
  callback_required: boolean | null;
  callback_satisfied: boolean | null;
  callback_at: Timestamp;
  summary_title: string;
  summary_cause: string;
  summary_remedy: string;
  summary_lesson: string;
}

type ChildRow = Record<string, unknown>;

/** Timestamps come back as Date from both engines; anything else is passed through as text. */
function iso(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString();
  return new Date(String(v)).toISOString();
}

/** bigint arrives as a string from pg and as a number from PGlite. */
function num(v: unknown): number {
  return Number(v);
}

function text(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

function toFacts(c: ComplaintRow, departments: ChildRow[], clocks: ChildRow[], escalations: ChildRow[], promises: ChildRow[], charge: ChildRow | undefined): ComplaintFacts {
  return {
    complaintId: c.id,
    customerId: c.customer_id,
    customerTier: c.customer_tier as ComplaintFacts['customerTier'],
    category: c.category as ComplaintFacts['category'],
    severity: c.severity as ComplaintFacts['severity'],
    urgentReason: (c.urgent_reason ?? undefined) as ComplaintFacts['urgentReason'],
    kind: c.kind as ComplaintFacts['kind'],
    source: (c.source ?? undefined) as ComplaintFacts['source'],
    partner: c.partner ?? undefined,
    channel: c.channel as ComplaintFacts['channel'],
    stage: c.stage,
    outcome: (c.outcome ?? undefined) as ComplaintFacts['outcome'],
    upheld: c.upheld ?? undefined,
    // Records archived before silence was told apart counted it as resolved: it never is.
    resolved: c.resolved && c.outcome !== 'accepted-by-silence',
    takenOver: c.taken_over,
    submittedAt: iso(c.submitted_at)!,
    closedAt: iso(c.closed_at),
    escalationLevel: num(c.escalation_level),
    slaBreached: c.sla_breached,
    repeatContacts: num(c.repeat_contacts ?? 0),
    referrals: num(c.referrals ?? 0),
    departments: departments.map((d) => ({
      department: String(d.department),
      status: String(d.status),
      responsible: Boolean(d.responsible),
      assignedAt: iso(d.assigned_at)!,
      dispatchedAt: iso(d.dispatched_at),
      acknowledgedAt: iso(d.acknowledged_at),
      reportedAt: iso(d.reported_at),
      cause: text(d.cause),
      partyAtFault: text(d.party_at_fault),
      poorHandling: d.poor_handling === null || d.poor_handling === undefined ? undefined : Boolean(d.poor_handling),
      handedOverTo: text(d.handed_over_to),
    })),
    clocks: clocks.map((k) => ({
      name: String(k.name),
      status: k.status as ComplaintFacts['clocks'][number]['status'],
      startedAt: iso(k.started_at)!,
      deadline: iso(k.deadline)!,
      warnAt: iso(k.warn_at),
      warnedAt: iso(k.warned_at),
      metAt: iso(k.met_at),
      breachedAt: iso(k.breached_at),
    })),
    escalations: escalations.map((e) => ({ level: num(e.level), trigger: String(e.trigger), at: iso(e.at)!, reason: String(e.reason) })),
    promises: promises.map((p) => ({
      what: String(p.what),
      by: iso(p.due_by)!,
      promisedAt: iso(p.promised_at)!,
      status: p.status as ComplaintFacts['promises'][number]['status'],
    })),
    remedy: c.remedy_kind ? { kind: c.remedy_kind, amountFen: num(c.remedy_amount_fen ?? 0) } : undefined,
    remedyImplemented: c.remedy_implemented,
    remedyImplementedAt: iso(c.remedy_implemented_at),
    callback:
      c.callback_required === null
        ? undefined
        : { required: c.callback_required, satisfied: c.callback_satisfied ?? undefined, at: iso(c.callback_at) },
    charge: charge
      ? {
          partner: String(charge.partner),
          takenOverAt: iso(charge.taken_over_at),
          refundFen: num(charge.refund_fen),
          costsFen: num(charge.costs_fen),
          handlingFeeFen: num(charge.handling_fee_fen),
          totalFen: num(charge.total_fen),
        }
      : undefined,
  };
}
