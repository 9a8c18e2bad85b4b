/**
 * Reports see open complaints as they are now: the case owes the archive its record on
 * each stage change, not only on intake and closure. An open complaint judged upheld, with its
 * findings in, counts as upheld in the classification report; the knowledge base still lists
 * closed cases only; an older record never overwrites a newer one. The ledger is carried out here
 * as the workflow does (each archive effect writes the record as it stands), into PGlite in memory.
 */
import { openDatabase, type Database } from '../../archive/db';
import { migrate } from '../../archive/migrate';
import { ComplaintRecordStore } from '../../archive/store';
import { ComplaintCase } from '../../domain/case';
import { actors, intake, shippedCalendar, shippedPolicy } from '../support/fixtures';

const now = new Date('2026-11-02T09:00:00+08:00');
const after = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const period = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') };

let db: Database;
let store: ComplaintRecordStore;
beforeAll(async () => {
  db = await openDatabase({ inMemory: true });
  await migrate(db);
  store = new ComplaintRecordStore(db);
});
afterAll(async () => db?.close());

/** Carries out the archive effects due, as the workflow's ledger does: the record as it stands now, under the effect's key. */
async function fileArchiveRecords(c: ComplaintCase, at: Date): Promise<string[]> {
  const due = c.takeEffectsDue(at).filter((e) => e.kind === 'archive');
  for (const e of due) {
    await store.save({ idempotencyKey: e.key, complaintId: c.state.complaintId, ...structuredClone({ state: c.state, timeline: c.timeline }) });
  }
  c.settleEffects(due.map((e) => ({ key: e.key, outcome: 'done' as const })), at);
  return due.map((e) => (e.kind === 'archive' ? `${e.record}${e.stage ? `:${e.stage}` : ''}` : e.kind));
}

test('an open complaint judged upheld with findings in counts as upheld, and stays out of the knowledge base until closed', async () => {
  const c = ComplaintCase.open('C-ARCH-OPEN', intake(), shippedPolicy, shippedCalendar, now);
  expect(await fileArchiveRecords(c, now)).toEqual(['intake']);
  const intakeRecord = structuredClone({ state: c.state, timeline: c.timeline });
  expect((await store.classification(period)).totals.counts).toMatchObject({ upheld: 0, open: 1 });

  c.apply('judgeValidity', { actor: actors.owner, upheld: true, reason: 'The bill shows the package twice', departments: ['billing'] }, after(5));
  c.apply('recordFindings', { actor: actors.billing, department: 'billing', cause: 'A retry charged the package twice', partyAtFault: 'billing system', evidence: ['bill 2026-10'] }, after(60));
  // Each stage change owed its record (here both go out in one batch, as back-to-back commands do).
  expect(await fileArchiveRecords(c, after(61))).toEqual(['stage-change:investigating', 'stage-change:proposing']);

  const report = await store.classification(period);
  expect(report.totals.counts).toMatchObject({ upheld: 1, open: 1, notUpheld: 0 });
  expect(report.rows.find((r) => r.category === c.state.intake.category)!.counts.upheld).toBe(1);
  const archived = await store.get('C-ARCH-OPEN');
  expect(archived!.record.state.stage).toBe('proposing');
  expect(archived!.record.state.assignments[0]!.findings?.cause).toBe('A retry charged the package twice');

  // A stale record (a retried intake write arriving late) never overwrites the newer one.
  await store.save({ idempotencyKey: 'C-ARCH-OPEN:effect-late:archive', complaintId: 'C-ARCH-OPEN', ...intakeRecord });
  expect((await store.get('C-ARCH-OPEN'))!.record.state.stage).toBe('proposing');
  expect((await store.classification(period)).totals.counts.upheld).toBe(1);

  // The knowledge base holds closed cases only (003: typical cases, once settled).
  expect((await store.knowledgeBase()).map((e) => e.complaintId)).not.toContain('C-ARCH-OPEN');
  c.apply('withdraw', { actor: actors.owner, reason: 'The bank refunded it' }, after(90));
  expect(await fileArchiveRecords(c, after(91))).toEqual(['closure']);
  expect((await store.knowledgeBase()).map((e) => e.complaintId)).toContain('C-ARCH-OPEN');
});
