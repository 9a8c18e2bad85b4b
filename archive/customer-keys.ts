/**
 * The customers' data keys (config/customer-envelope.ts), kept in the archive database wrapped by
 * the master key: which key each complaint's personal data is encrypted under, and erasure, which
 * destroys a customer's keys so that everything they encrypted (history payloads, the archived
 * record and complaint text, and every backup of them) is ciphertext nobody can open.
 *
 * Unwrapped keys are cached in the process for `cacheTtlMs` (default 5 minutes): another process
 * forgets a destroyed key within that time; the process that erases forgets it at once.
 */
import { MasterKeys, type DataKey } from '../config/customer-envelope';
import type { CustomerDataKeys, PayloadKeyRing } from '../config/payload-codec';
import type { Database, Queryable } from './db';

/** What a complaint's personal data is sealed under: the customer's reference and their data key. */
export interface ComplaintKey {
  customerRef: string;
  dataKey: DataKey;
}

/** Why a customer's data is erased: their own request, or the end of the retention period. */
export type ErasureBasis = 'customer-request' | 'retention';

export interface ErasureRequest {
  customerRef: string;
  /** Rows archived before customers had keys name the customer by id: they are erased too. */
  customerId?: string;
  requestedBy: string;
  basis: ErasureBasis;
  reason: string;
  /**
   * Whether a complaint bound to the customer's key but never filed has a workflow: one bound long
   * ago (a start that failed after its key was bound) and unknown to Temporal does not hold the
   * erasure back. Absent, every unfiled complaint does.
   */
  isStarted?: (complaintId: string) => Promise<boolean>;
}

/** A binding this old with no record filed and no workflow is a start that never happened. */
const UNSTARTED_AFTER_MS = 10 * 60_000;

export interface Erasure {
  customerRef: string;
  keysDestroyed: number;
  complaints: number;
  erasedAt: string;
  /** Complaints filed before customers had keys: their Temporal histories are under the master key, to delete. */
  legacyComplaintIds: string[];
}

/** An open complaint still needs the customer's data: erasure waits until every one is closed and filed. */
export class CustomerHasOpenComplaints extends Error {
  constructor(readonly complaintIds: string[]) {
    super(`The customer has ${complaintIds.length} complaint(s) not yet closed and archived`);
    this.name = 'CustomerHasOpenComplaints';
  }
}

/** The erasure's reason may name the customer: kept sealed under the master key. */
const ERASURE_REASON = 'erasure-reason';
const ERASED = 'erased' as const;
const NONE = 'none' as const;
type Cached<T> = { value: T; until: number };
const MAX_CACHED = 20_000;
const MISS_TTL_MS = 15_000;

interface KeyRow {
  key_id: string;
  customer_ref: string;
  wrapped_key: string | null;
  wrapped_by: string | null;
}

export class CustomerKeys implements CustomerDataKeys {
  private readonly byComplaint = new Map<string, Cached<ComplaintKey | typeof ERASED | typeof NONE>>();
  private readonly byKeyId = new Map<string, Cached<DataKey | typeof ERASED | typeof NONE>>();

  constructor(
    private readonly db: Database,
    private readonly master: MasterKeys,
    private readonly cacheTtlMs = 300_000,
  ) {}

  static async create(db: Database, ring: PayloadKeyRing, cacheTtlMs?: number): Promise<CustomerKeys> {
    return new CustomerKeys(db, await MasterKeys.create(ring), cacheTtlMs);
  }

  /**
   * The key `complaintId`'s personal data is sealed under: the customer's live key, created if they
   * have none. Idempotent: a complaint already bound keeps its key.
   */
  async bindComplaint(complaintId: string, customerRef: string): Promise<ComplaintKey> {
    const bound = await this.forComplaint(complaintId);
    if (bound !== undefined && bound !== ERASED) return bound;
    const row = await this.db.transaction(async (tx) => {
      let live = await liveKey(tx, customerRef);
      if (!live) {
        const fresh = await this.master.newDataKey(customerRef);
        await tx.query(
          `INSERT INTO customer_keys (key_id, customer_ref, wrapped_key, wrapped_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (customer_ref) WHERE wrapped_key IS NOT NULL DO NOTHING`,
          [fresh.dataKey.id, customerRef, fresh.wrapped, fresh.wrappedBy],
        );
        live = await liveKey(tx, customerRef);
      }
      await tx.query('INSERT INTO complaint_customers (complaint_id, key_id) VALUES ($1, $2) ON CONFLICT (complaint_id) DO NOTHING', [complaintId, live!.key_id]);
      const { rows } = await tx.query<KeyRow>(
        `SELECT k.key_id, k.customer_ref, k.wrapped_key, k.wrapped_by FROM complaint_customers c JOIN customer_keys k ON k.key_id = c.key_id WHERE c.complaint_id = $1`,
        [complaintId],
      );
      return rows[0]!;
    });
    // The row in hand: no second read to learn what the transaction just saw.
    if (!row.wrapped_key) throw new Error(`Complaint ${complaintId} is bound to a destroyed key ${row.key_id}`);
    const key: ComplaintKey = { customerRef: row.customer_ref, dataKey: await this.unwrapped(row) };
    this.remember(this.byComplaint, complaintId, key, this.cacheTtlMs);
    return key;
  }

  /** The complaint's key; `'erased'` once destroyed; undefined for a complaint with none (started before keys). */
  async forComplaint(complaintId: string): Promise<ComplaintKey | typeof ERASED | undefined> {
    const hit = this.cached(this.byComplaint, complaintId);
    if (hit !== undefined) return hit === NONE ? undefined : hit;
    const { rows } = await this.db.query<KeyRow>(
      `SELECT k.key_id, k.customer_ref, k.wrapped_key, k.wrapped_by FROM complaint_customers c JOIN customer_keys k ON k.key_id = c.key_id WHERE c.complaint_id = $1`,
      [complaintId],
      { name: 'customer_key_of_complaint' },
    );
    const row = rows[0];
    let value: ComplaintKey | typeof ERASED | typeof NONE = NONE;
    if (row && !row.wrapped_key) value = ERASED;
    else if (row) value = { customerRef: row.customer_ref, dataKey: await this.unwrapped(row) };
    this.remember(this.byComplaint, complaintId, value, value === NONE ? MISS_TTL_MS : this.cacheTtlMs);
    return value === NONE ? undefined : value;
  }

  /** Whether the complaint's customer was erased. */
  async isErased(complaintId: string): Promise<boolean> {
    return (await this.forComplaint(complaintId)) === ERASED;
  }

  /** The data key a complaint's workflow payloads are encrypted under (none once erased: the master key then). */
  async forWorkflow(workflowId: string): Promise<DataKey | undefined> {
    if (!workflowId.startsWith('complaint-')) return undefined;
    const key = await this.forComplaint(workflowId.slice('complaint-'.length));
    return key === undefined || key === ERASED ? undefined : key.dataKey;
  }

  /** A data key by id, to decrypt what names it: the key, `'erased'`, or undefined when unknown. */
  async byId(keyId: string): Promise<DataKey | typeof ERASED | undefined> {
    const hit = this.cached(this.byKeyId, keyId);
    if (hit !== undefined) return hit === NONE ? undefined : hit;
    const { rows } = await this.db.query<KeyRow>('SELECT key_id, customer_ref, wrapped_key, wrapped_by FROM customer_keys WHERE key_id = $1', [keyId], { name: 'customer_key_by_id' });
    const row = rows[0];
    const value = !row ? NONE : !row.wrapped_key ? ERASED : await this.unwrapped(row);
    this.remember(this.byKeyId, keyId, value, value === NONE ? MISS_TTL_MS : this.cacheTtlMs);
    return value === NONE ? undefined : value;
  }

  /**
   * Erases a customer: destroys their keys and takes their complaints out of the knowledge base, in
   * one transaction, and records who asked and why. Refused while a complaint of theirs is not yet
   * closed and filed; undefined when the service never held data of this customer.
   */
  async erase(request: ErasureRequest): Promise<Erasure | undefined> {
    const result = await this.db.transaction(async (tx) => {
      const { rows: keys } = await tx.query<{ key_id: string }>('SELECT key_id FROM customer_keys WHERE customer_ref = $1 ORDER BY key_id FOR UPDATE', [request.customerRef]);
      const ids = [request.customerRef, ...(request.customerId ? [request.customerId] : [])];
      const { rows: candidates } = await tx.query<{ complaint_id: string; unstarted: boolean }>(
        `SELECT cc.complaint_id, (c.id IS NULL AND cc.bound_at < $3) AS unstarted FROM complaint_customers cc JOIN customer_keys k ON k.key_id = cc.key_id
           LEFT JOIN complaints c ON c.id = cc.complaint_id
          WHERE k.customer_ref = $1 AND k.wrapped_key IS NOT NULL AND (c.id IS NULL OR c.stage <> 'closed')
         UNION SELECT id, false FROM complaints WHERE customer_id = ANY($2::text[]) AND stage <> 'closed'
         ORDER BY 1`,
        [request.customerRef, ids, new Date(Date.now() - UNSTARTED_AFTER_MS).toISOString()],
      );
      const open: string[] = [];
      for (const c of candidates) {
        if (c.unstarted && request.isStarted && !(await request.isStarted(c.complaint_id))) {
          await tx.query('DELETE FROM complaint_customers WHERE complaint_id = $1', [c.complaint_id]);
        } else open.push(c.complaint_id);
      }
      if (open.length) throw new CustomerHasOpenComplaints(open);
      const { rows: complaints } = await tx.query<{ id: string; legacy: boolean }>(
        `SELECT id, (customer_id = ANY($2::text[]) AND customer_id <> $1) AS legacy FROM complaints
          WHERE id IN (SELECT cc.complaint_id FROM complaint_customers cc JOIN customer_keys k ON k.key_id = cc.key_id WHERE k.customer_ref = $1)
             OR customer_id = ANY($2::text[])`,
        [request.customerRef, ids],
      );
      if (!keys.length && !complaints.length) return undefined;
      const { rows: destroyed } = await tx.query<{ key_id: string }>(
        `UPDATE customer_keys SET wrapped_key = NULL, wrapped_by = NULL, destroyed_at = now()
          WHERE customer_ref = $1 AND wrapped_key IS NOT NULL RETURNING key_id`,
        [request.customerRef],
      );
      // The knowledge base keeps no case of theirs; a record filed before keys (in plaintext) goes.
      await tx.query(
        `UPDATE complaints SET customer_id = $2, erased_at = coalesce(erased_at, now()), summary_title = category, summary_cause = '', summary_remedy = '', summary_lesson = '',
                content = CASE WHEN id = ANY($3::text[]) THEN '' ELSE content END,
                record = CASE WHEN id = ANY($3::text[]) THEN '{"erased":true}'::jsonb ELSE record END, updated_at = now()
          WHERE id = ANY($1::text[])`,
        [complaints.map((c) => c.id), request.customerRef, complaints.filter((c) => c.legacy).map((c) => c.id)],
      );
      const { rows: logged } = await tx.query<{ erased_at: Date | string }>(
        `INSERT INTO customer_erasures (customer_ref, requested_by, basis, reason, keys, complaints) VALUES ($1, $2, $3, $4, $5, $6) RETURNING erased_at`,
        [request.customerRef, request.requestedBy, request.basis, await this.master.seal(request.reason, ERASURE_REASON), destroyed.length, complaints.length],
      );
      return { keys: keys.map((k) => k.key_id), destroyed: destroyed.length, complaints: complaints.map((c) => c.id), legacy: complaints.filter((c) => c.legacy).map((c) => c.id), erasedAt: logged[0]!.erased_at };
    });
    if (!result) return undefined;
    for (const id of result.keys) this.byKeyId.delete(id);
    for (const id of result.complaints) this.byComplaint.delete(id);
    // A complaint bound to a destroyed key but never archived cannot exist (erasure waits for filing).
    return {
      customerRef: request.customerRef,
      keysDestroyed: result.destroyed,
      complaints: result.complaints.length,
      erasedAt: new Date(result.erasedAt).toISOString(),
      legacyComplaintIds: result.legacy,
    };
  }

  /** The erasures of a customer, oldest first, their reasons opened (for whoever holds the service's keys). */
  async erasuresOf(customerRef: string): Promise<Array<{ requestedBy: string; basis: ErasureBasis; reason: string; keys: number; complaints: number; erasedAt: string }>> {
    const { rows } = await this.db.query<{ requested_by: string; basis: ErasureBasis; reason: string; keys: number; complaints: number; erased_at: Date | string }>(
      'SELECT requested_by, basis, reason, keys, complaints, erased_at FROM customer_erasures WHERE customer_ref = $1 ORDER BY id',
      [customerRef],
    );
    return Promise.all(
      rows.map(async (r) => ({ requestedBy: r.requested_by, basis: r.basis, reason: await this.master.open(r.reason, ERASURE_REASON), keys: r.keys, complaints: r.complaints, erasedAt: new Date(r.erased_at).toISOString() })),
    );
  }

  /**
   * Customers whose every complaint was closed before `closedBefore` (the retention rule), with a
   * live key still: the next to erase, at most `limit`. A complaint bound before the cutoff and
   * never filed is taken for a start that never happened (erasure asks Temporal to be sure).
   */
  async pastRetention(closedBefore: Date, limit: number, afterRef = ''): Promise<string[]> {
    const { rows } = await this.db.query<{ customer_ref: string }>(
      `SELECT k.customer_ref FROM customer_keys k JOIN complaint_customers cc ON cc.key_id = k.key_id
         LEFT JOIN complaints c ON c.id = cc.complaint_id
        WHERE k.wrapped_key IS NOT NULL AND k.customer_ref > $3
        GROUP BY k.customer_ref
       HAVING bool_and(CASE WHEN c.id IS NULL THEN cc.bound_at < $1 ELSE coalesce(c.stage = 'closed' AND c.closed_at < $1, false) END)
        ORDER BY k.customer_ref LIMIT $2`,
      [closedBefore.toISOString(), limit, afterRef],
    );
    return rows.map((r) => r.customer_ref);
  }

  /**
   * Wraps every live key under the active master key (after a master key rotation), so that once
   * the old master key is destroyed, backups taken before hold keys nobody can unwrap.
   */
  async rewrapAll(): Promise<number> {
    const { rows } = await this.db.query<KeyRow>('SELECT key_id, customer_ref, wrapped_key, wrapped_by FROM customer_keys WHERE wrapped_key IS NOT NULL AND wrapped_by <> $1', [this.master.activeKeyId]);
    for (const row of rows) {
      const next = await this.master.rewrap(row.key_id, row.customer_ref, row.wrapped_by!, row.wrapped_key!);
      await this.db.query('UPDATE customer_keys SET wrapped_key = $2, wrapped_by = $3 WHERE key_id = $1 AND wrapped_key IS NOT NULL', [row.key_id, next.wrapped, next.wrappedBy]);
    }
    return rows.length;
  }

  private async unwrapped(row: KeyRow): Promise<DataKey> {
    const hit = this.cached(this.byKeyId, row.key_id);
    if (hit && hit !== NONE && hit !== ERASED) return hit;
    const key = await this.master.unwrap(row.key_id, row.customer_ref, row.wrapped_by!, row.wrapped_key!);
    this.remember(this.byKeyId, row.key_id, key, this.cacheTtlMs);
    return key;
  }

  private cached<T>(map: Map<string, Cached<T>>, id: string): T | undefined {
    const hit = map.get(id);
    if (!hit) return undefined;
    if (hit.until > Date.now()) return hit.value;
    map.delete(id);
    return undefined;
  }

  private remember<T>(map: Map<string, Cached<T>>, id: string, value: T, ttlMs: number): void {
    if (map.size >= MAX_CACHED) map.delete(map.keys().next().value!);
    map.set(id, { value, until: Date.now() + ttlMs });
  }
}

async function liveKey(tx: Queryable, customerRef: string): Promise<KeyRow | undefined> {
  const { rows } = await tx.query<KeyRow>(
    'SELECT key_id, customer_ref, wrapped_key, wrapped_by FROM customer_keys WHERE customer_ref = $1 AND wrapped_key IS NOT NULL FOR UPDATE',
    [customerRef],
  );
  return rows[0];
}

