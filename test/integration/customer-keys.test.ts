/**
 * Customers' data keys in the archive database: a bound complaint is filed sealed (its record and
 * words under the customer's key, the customer by reference, the report columns in the clear);
 * erasure destroys the key, after which the stored rows, and a copy of the database taken before,
 * hold nothing that opens, while the reports count the complaint as before.
 */
import { randomBytes } from 'node:crypto';
import { PersonalDataErased, sealedKeyId } from '../../config/customer-envelope';
import { EncryptionCodec, type PayloadKeyRing } from '../../config/payload-codec';
import { CustomerHasOpenComplaints, CustomerKeys } from '../../archive/customer-keys';
import { ComplaintRecordStore } from '../../archive/store';
import { DefaultPayloadConverter } from '@temporalio/common';
import { seedRecord, seedSpecs } from '../support/archive-seed';

const ring: PayloadKeyRing = { activeKeyId: 'm1', keys: { m1: new Uint8Array(randomBytes(32)) } };
let store: ComplaintRecordStore;

beforeEach(async () => {
  store = await ComplaintRecordStore.open({ inMemory: true }, ring);
});
afterEach(() => store.close());

/** Every text the archive tables hold, as one string. */
async function everythingStored(): Promise<string> {
  const tables = ['complaints', 'complaint_departments', 'complaint_clocks', 'complaint_escalations', 'complaint_promises', 'complaint_penalties', 'complaint_charges', 'customer_keys', 'complaint_customers', 'customer_erasures'];
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify((await store.db.query(`SELECT * FROM ${table}`)).rows));
  return parts.join('\n');
}

function closedRecord() {
  const record = seedRecord(seedSpecs.find((s) => s.outcome !== undefined)!);
  const customer = { ...record.state.intake.customer, name: 'Ouyang Mingyue', contact: { phone: '+86 139 1111 2222', email: 'ouyang.mingyue@example.cn' } };
  const content = 'Ouyang Mingyue at +86 139 1111 2222 says the Gold plan was charged twice.';
  return { ...record, state: { ...record.state, intake: { ...record.state.intake, customer, content } } };
}
const secrets = ['Ouyang', 'Mingyue', '1111 2222', 'ouyang.mingyue@example.cn', 'Gold plan was charged twice'];

test('a bound complaint is filed sealed: no personal field in any table, the record opens with the key, the reports count it', async () => {
  const record = closedRecord();
  const key = await store.customerKeys!.bindComplaint(record.complaintId, 'cr1_customer');
  expect(await store.save(record)).toBe('inserted');
  const stored = await everythingStored();
  for (const s of secrets) expect(stored).not.toContain(s);
  const { rows } = await store.db.query<{ customer_id: string; content: string }>('SELECT customer_id, content FROM complaints');
  expect(rows[0]!.customer_id).toBe('cr1_customer');
  expect(sealedKeyId(rows[0]!.content)).toBe(key.dataKey.id);
  expect((await store.get(record.complaintId))!.record.state.intake.customer.name).toBe('Ouyang Mingyue');
  const period = { from: new Date('2000-01-01'), to: new Date('2099-01-01') };
  expect((await store.facts(period)).map((f) => f.complaintId)).toEqual([record.complaintId]);
});

test('erasure destroys the key: the rows and a copy taken before hold nothing that opens; reports unchanged; the knowledge base drops the case', async () => {
  const record = closedRecord();
  await store.customerKeys!.bindComplaint(record.complaintId, 'cr1_customer');
  await store.save(record);
  const period = { from: new Date('2000-01-01'), to: new Date('2099-01-01') };
  const before = { classification: await store.classification(period), sla: await store.sla(period), resolution: await store.resolution(period) };
  const backup = (await store.db.query<{ record: { sealed: string } }>('SELECT record FROM complaints')).rows[0]!.record.sealed;
  expect((await store.knowledgeBase()).map((e) => e.complaintId)).toEqual([record.complaintId]);

  const erased = await store.customerKeys!.erase({ customerRef: 'cr1_customer', requestedBy: 'privacy-1', basis: 'customer-request', reason: 'asked by phone' });
  expect(erased).toMatchObject({ customerRef: 'cr1_customer', keysDestroyed: 1, complaints: 1 });
  expect({ classification: await store.classification(period), sla: await store.sla(period), resolution: await store.resolution(period) }).toEqual(before);
  await expect(store.get(record.complaintId)).rejects.toBeInstanceOf(PersonalDataErased);
  expect(await store.knowledgeBase()).toEqual([]);
  const { rows: keys } = await store.db.query<{ wrapped_key: string | null }>('SELECT wrapped_key FROM customer_keys');
  expect(keys).toEqual([{ wrapped_key: null }]);
  // The copy taken before names a key nobody holds any more, in this process or another.
  const fresh = await ComplaintRecordStore.open({ inMemory: true }, ring);
  expect(await store.customerKeys!.byId(sealedKeyId(backup)!)).toBe('erased');
  await fresh.close();
  // Again: nothing more to destroy; recorded all the same.
  expect(await store.customerKeys!.erase({ customerRef: 'cr1_customer', requestedBy: 'privacy-1', basis: 'customer-request', reason: 'again' })).toMatchObject({ keysDestroyed: 0, complaints: 1 });
  expect((await store.db.query('SELECT requested_by, basis FROM customer_erasures ORDER BY id')).rows).toEqual([
    { requested_by: 'privacy-1', basis: 'customer-request' },
    { requested_by: 'privacy-1', basis: 'customer-request' },
  ]);
  // The reasons may name the customer: sealed under the master key, opened only with it.
  expect(await everythingStored()).not.toContain('asked by phone');
  expect((await store.customerKeys!.erasuresOf('cr1_customer')).map((e) => e.reason)).toEqual(['asked by phone', 'again']);
  // A late write of the record (a retried activity) files nothing of theirs again.
  expect(await store.save({ ...record, timeline: [...record.timeline, { ...record.timeline.at(-1)!, seq: 999 }] })).toBe('kept');
});

test('erasure waits while a complaint of the customer is not yet closed and filed; an unknown customer is undefined', async () => {
  const record = closedRecord();
  await store.customerKeys!.bindComplaint(record.complaintId, 'cr1_customer');
  await store.customerKeys!.bindComplaint('C-still-open', 'cr1_customer');
  await store.save(record);
  await expect(store.customerKeys!.erase({ customerRef: 'cr1_customer', requestedBy: 'p', basis: 'customer-request', reason: 'r' })).rejects.toEqual(new CustomerHasOpenComplaints(['C-still-open']));
  expect((await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_keys WHERE wrapped_key IS NOT NULL')).rows[0]!.n).toBe(1);
  expect(await store.customerKeys!.erase({ customerRef: 'cr1_nobody', requestedBy: 'p', basis: 'customer-request', reason: 'r' })).toBeUndefined();
});

test("one live key per customer; a complaint keeps its key; payloads of a bound complaint's workflow are under it and stop opening once erased", async () => {
  const keys = store.customerKeys!;
  const a = await keys.bindComplaint('C-a', 'cr1_x');
  const b = await keys.bindComplaint('C-b', 'cr1_x');
  const c = await keys.bindComplaint('C-c', 'cr1_y');
  expect(a.dataKey.id).toBe(b.dataKey.id);
  expect(c.dataKey.id).not.toBe(a.dataKey.id);
  expect((await keys.bindComplaint('C-a', 'cr1_y')).dataKey.id).toBe(a.dataKey.id);

  const codec = await EncryptionCodec.create(ring, keys);
  const payload = new DefaultPayloadConverter().toPayload({ name: 'Ouyang Mingyue' });
  const [under] = await codec.encode([payload], { type: 'workflow', namespace: 'default', workflowId: 'complaint-C-a' });
  expect(Buffer.from(under!.metadata!['encryption-key-id']!).toString()).toBe(a.dataKey.id);
  const [other] = await codec.encode([payload], { type: 'workflow', namespace: 'default', workflowId: 'bench-1' });
  expect(Buffer.from(other!.metadata!['encryption-key-id']!).toString()).toBe('m1');
  expect(new DefaultPayloadConverter().fromPayload((await codec.decode([under!]))[0]!)).toEqual({ name: 'Ouyang Mingyue' });
  // C-a and C-b are not filed closed yet: the key stays.
  await expect(keys.erase({ customerRef: 'cr1_x', requestedBy: 'p', basis: 'customer-request', reason: 'r' })).rejects.toBeInstanceOf(CustomerHasOpenComplaints);
  const seeded = closedRecord();
  for (const id of ['C-a', 'C-b']) await store.save({ ...seeded, complaintId: id, state: { ...seeded.state, complaintId: id } });
  await keys.erase({ customerRef: 'cr1_x', requestedBy: 'p', basis: 'customer-request', reason: 'r' });
  await expect(codec.decode([under!])).rejects.toBeInstanceOf(PersonalDataErased);
  // A new complaint of the erased customer gets a new key.
  expect((await keys.bindComplaint('C-d', 'cr1_x')).dataKey.id).not.toBe(a.dataKey.id);
});

test('past retention: customers whose every complaint closed before the cutoff, none open', async () => {
  const record = closedRecord();
  const closedAt = new Date(record.state.closedAt ?? record.timeline.at(-1)!.at);
  await store.customerKeys!.bindComplaint(record.complaintId, 'cr1_old');
  await store.save(record);
  await store.customerKeys!.bindComplaint('C-open', 'cr1_busy');
  expect(await store.customerKeys!.pastRetention(new Date(closedAt.getTime() + 1), 10)).toEqual(['cr1_old']);
  expect(await store.customerKeys!.pastRetention(closedAt, 10)).toEqual([]);
});

test('after a master key rotation, rewrapping puts every live key under the new master: a ring without the old one still opens them, an old copy of a key row does not', async () => {
  const record = closedRecord();
  const before = await store.customerKeys!.bindComplaint(record.complaintId, 'cr1_customer');
  await store.save(record);
  const oldRow = (await store.db.query<{ wrapped_key: string; wrapped_by: string }>('SELECT wrapped_key, wrapped_by FROM customer_keys')).rows[0]!;
  expect(oldRow.wrapped_by).toBe('m1');
  const m2 = new Uint8Array(randomBytes(32));
  const rotated = new ComplaintRecordStore(store.db, await CustomerKeys.create(store.db, { activeKeyId: 'm2', keys: { ...ring.keys, m2 } }));
  expect(await rotated.customerKeys!.rewrapAll()).toBe(1);
  expect(await rotated.customerKeys!.rewrapAll()).toBe(0);
  const onlyNew = new ComplaintRecordStore(store.db, await CustomerKeys.create(store.db, { activeKeyId: 'm2', keys: { m2 } }));
  expect((await onlyNew.get(record.complaintId))!.record.state.intake.customer.name).toBe('Ouyang Mingyue');
  // A backup's copy of the row, wrapped by m1, opens for nobody once m1 is destroyed.
  await store.db.query('UPDATE customer_keys SET wrapped_key = $1, wrapped_by = $2', [oldRow.wrapped_key, oldRow.wrapped_by]);
  const restored = await CustomerKeys.create(store.db, { activeKeyId: 'm2', keys: { m2 } });
  await expect(restored.byId(before.dataKey.id)).rejects.toThrow(/wrapped by master key "m1", which is not in the payload key ring/);
});

test('at once: two erasures destroy the key once; a complaint bound while the customer is erased never lands on a destroyed key', async () => {
  const keys = store.customerKeys!;
  const record = closedRecord();
  await keys.bindComplaint(record.complaintId, 'cr1_customer');
  await store.save(record);
  const request = { customerRef: 'cr1_customer', requestedBy: 'p', basis: 'customer-request' as const, reason: 'r' };
  const [a, b] = await Promise.all([keys.erase(request), keys.erase(request)]);
  expect([a!.keysDestroyed, b!.keysDestroyed].sort()).toEqual([0, 1]);

  // A second customer: a new complaint of theirs arrives while they are being erased.
  const other = { ...closedRecord(), complaintId: 'C-other-1', state: { ...closedRecord().state, complaintId: 'C-other-1' } };
  await keys.bindComplaint(other.complaintId, 'cr1_other');
  await store.save(other);
  const [erased, bound] = await Promise.allSettled([keys.erase({ ...request, customerRef: 'cr1_other' }), keys.bindComplaint('C-other-2', 'cr1_other')]);
  expect(bound.status).toBe('fulfilled');
  const newKey = (bound as PromiseFulfilledResult<Awaited<ReturnType<typeof keys.bindComplaint>>>).value.dataKey.id;
  const fresh = await CustomerKeys.create(store.db, ring);
  // Either the erasure came first (the new complaint has a new, live key) or it waited for the new
  // complaint and was refused; never both done on the same key.
  if (erased.status === 'fulfilled') expect(await fresh.byId(newKey)).not.toBe('erased');
  else expect(erased.reason).toBeInstanceOf(CustomerHasOpenComplaints);
  expect(await fresh.isErased('C-other-2')).toBe(false);
});
