/**
 * The complaint record store (docs/rules.md): every archived complaint with its whole record, kept
 * beyond Temporal's retention, and the report queries over it. One row per complaint: a repeated
 * write (a retried activity) keeps that one row, and a later write (the complaint reopened, then
 * closed again) replaces it, never the other way round: a write only lands when its record
 * version (the timeline's length, which only grows) is newer than the stored one.
 */
import { textMasker } from '../domain/personal-data-view';
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
import { saveStatement, type SealedParts } from './save-statement';
import { CustomerKeys, type ComplaintKey } from './customer-keys';
import { openJson, PersonalDataErased, sealedKeyId, sealJson, sealText } from '../config/customer-envelope';
import type { PayloadKeyRing } from '../config/payload-codec';
import { iso, toFacts, type ChildRow, type ComplaintRow } from './record-rows';

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
  /** Words that must all appear in the summary (title, cause, remedy, lesson) or the service: each a word, or the start of one. */
  q?: string;
  /** Only complaints this department was responsible for (a department desk reads no other's cases). */
  department?: string;
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
  /**
   * @param customerKeys the customers' data keys: with them, a complaint whose customer has one is
   * filed sealed (its record and words under that key, the customer by reference), and erasure works.
   */
  constructor(
    readonly db: Database,
    readonly customerKeys?: CustomerKeys,
  ) {}

  /**
   * Opens the database (PostgreSQL or PGlite, see `openDatabase`) and brings its schema up to date;
   * with the payload key ring, the customers' data keys are kept in it, wrapped by its active key.
   */
  static async open(options: OpenDatabaseOptions, payloadKeyRing?: PayloadKeyRing): Promise<ComplaintRecordStore> {
    const db = await openDatabase(options);
    try {
      await migrate(db);
      return new ComplaintRecordStore(db, payloadKeyRing ? await CustomerKeys.create(db, payloadKeyRing) : undefined);
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
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
    const key = await this.customerKeys?.forComplaint(record.complaintId);
    // Filed late for a customer since erased (a retried write): nothing of theirs is written again.
    if (key === 'erased') return 'kept';
    let sealed: SealedParts | undefined;
    if (key) ({ facts, sealed } = await sealRecord(record, facts, key));
    // One statement, so no transaction around it: each statement is a round trip to the database.
    // Named: its long text is parsed and planned once per connection (in the embedded PGlite that
    // was 2.9 of a save's 3.7 ms of CPU).
    const { sql, params } = saveStatement(record, facts, summary, version, sealed);
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
      record: await this.opened(row.record),
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
    const redact = textMasker(undefined);
    const params: unknown[] = [];
    const where: string[] = ["stage = 'closed'", 'erased_at IS NULL'];
    if (query.category) {
      params.push(query.category);
      where.push(`category = $${params.length}`);
    }
    if (query.period) {
      params.push(query.period.from.toISOString(), query.period.to.toISOString());
      where.push(`submitted_at >= $${params.length - 1} AND submitted_at < $${params.length}`);
    }
    if (query.department) {
      params.push(query.department);
      where.push(`EXISTS (SELECT 1 FROM complaint_departments d WHERE d.complaint_id = complaints.id AND d.department = $${params.length})`);
    }
    const words = (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, 10);
    if (words.length) {
      // The index finds the rows holding each word (or a word starting with it); the pattern then
      // keeps those where it appears as typed, punctuation included.
      params.push(words.map((w) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`).join(' & '));
      where.push(`summary_search @@ to_tsquery('simple', $${params.length})`);
    }
    for (const word of words) {
      params.push(`%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const p = `$${params.length}`;
      where.push(`(summary_title ILIKE ${p} OR summary_cause ILIKE ${p} OR summary_remedy ILIKE ${p} OR summary_lesson ILIKE ${p} OR service ILIKE ${p})`);
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
      // Summaries written before they were redacted: masked on the way out (numbers and addresses).
      title: redact(r.summary_title),
      cause: redact(r.summary_cause),
      remedy: redact(r.summary_remedy),
      lesson: redact(r.summary_lesson),
    }));
  }

  /** Notes a command sent without waiting (its id and name, never its body); a resend keeps the first. */
  async recordSubmittedCommand(complaintId: string, commandId: string, command: string): Promise<void> {
    await this.db.query('INSERT INTO submitted_commands (complaint_id, command_id, command) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [complaintId, commandId, command], { name: 'submitted_command_insert' });
  }

  /** A command sent without waiting, as noted: its name and when it was sent. */
  async submittedCommand(complaintId: string, commandId: string): Promise<{ command: string; at: string } | undefined> {
    const { rows } = await this.db.query<{ command: string; submitted_at: Date | string }>('SELECT command, submitted_at FROM submitted_commands WHERE complaint_id = $1 AND command_id = $2', [complaintId, commandId], { name: 'submitted_command_get' });
    return rows[0] ? { command: rows[0].command, at: iso(rows[0].submitted_at)! } : undefined;
  }

  /** The facts of complaints in [from, to) computed from the stored JSON records (a cross-check). */
  async factsFromRecords(period: Period): Promise<ComplaintFacts[]> {
    const { rows } = await this.db.query<{ record: ArchiveRecord | string }>(
      'SELECT record FROM complaints WHERE submitted_at >= $1 AND submitted_at < $2 ORDER BY submitted_at, id',
      [period.from.toISOString(), period.to.toISOString()],
    );
    const records = await Promise.all(rows.map((r) => this.opened(r.record).catch((err: unknown) => (err instanceof PersonalDataErased ? undefined : Promise.reject(err)))));
    return inPeriod(
      records.filter((r) => r !== undefined).map((record) => complaintFacts(record.state, record.timeline)),
      period,
    );
  }

  /** The stored record as filed: opened with its customer's key when sealed; PersonalDataErased once erased. */
  private async opened(stored: ArchiveRecord | string | StoredSealed): Promise<ArchiveRecord> {
    const value = (typeof stored === 'string' ? JSON.parse(stored) : stored) as ArchiveRecord | StoredSealed;
    if ('erased' in value) throw new PersonalDataErased('(filed before customer keys)');
    if (!('sealed' in value)) return value;
    const keyId = sealedKeyId(value.sealed);
    const dataKey = keyId ? await this.customerKeys?.byId(keyId) : undefined;
    if (dataKey === 'erased') throw new PersonalDataErased(keyId!);
    if (!dataKey) throw new Error(`An archived record is sealed under key ${keyId ?? '(none)'}, which this archive does not hold`);
    return openJson<ArchiveRecord>(dataKey, value.sealed);
  }
}

/** A record as stored sealed, or as erased (filed before customers had keys). */
type StoredSealed = { sealed: string } | { erased: true };

/**
 * The parts of a record filed under its customer's key: the whole record and the complaint's words
 * sealed, the customer by reference; the free text the report tables keep (findings, escalation
 * reasons, promises) masked of the customer's name, numbers and addresses.
 */
async function sealRecord(record: ArchiveRecord, facts: ComplaintFacts, key: ComplaintKey): Promise<{ facts: ComplaintFacts; sealed: SealedParts }> {
  const mask = textMasker(record.state.intake.customer);
  const masked = (v: string | undefined) => (v === undefined ? v : mask(v));
  const whole = { idempotencyKey: record.idempotencyKey, complaintId: record.complaintId, state: record.state, timeline: record.timeline };
  return {
    facts: {
      ...facts,
      customerId: key.customerRef,
      departments: facts.departments.map((d) => ({ ...d, cause: masked(d.cause), partyAtFault: masked(d.partyAtFault) })),
      escalations: facts.escalations.map((e) => ({ ...e, reason: mask(e.reason) })),
      promises: facts.promises.map((p) => ({ ...p, what: mask(p.what) })),
    },
    sealed: {
      record: await sealJson(key.dataKey, whole),
      content: await sealText(key.dataKey, record.state.intake.content ?? ''),
      customerRef: key.customerRef,
    },
  };
}
