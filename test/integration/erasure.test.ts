/**
 * A customer's erasure end to end, through the API and a real worker on the dev server: their
 * complaint's every payload is encrypted under their own data key (the master key alone opens
 * none), the archive holds their record sealed; once a privacy officer erases them, nothing of theirs
 * decrypts anywhere (history, archive, the codec endpoint), reads answer 410, and the reports
 * count the complaint as before.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { createStoreArchive } from '../../activities/adapters/archive-store';
import { createApp } from '../../api/app';
import { ComplaintRecordStore } from '../../archive/store';
import { CustomerKeys } from '../../archive/customer-keys';
import { complaintWorkflowId } from '../../contract/complaint';
import { isDataKeyId, PersonalDataErased } from '../../config/customer-envelope';
import { EncryptionCodec, encryptedDataConverter, KEY_ID_METADATA, type PayloadKeyRing } from '../../config/payload-codec';
import { actors, commandBodies, intakeBody, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';
import { startWorkerWith, type RunningWorker } from '../support/temporal';
import { keepRetentionSchedule } from '../../worker/retention-schedule';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_TYPE } from '../../contract/retention';

let store: ComplaintRecordStore;
let worker: RunningWorker;
let app: ReturnType<typeof createApp>;
let codec: EncryptionCodec;

// Before the testbed's own: the worker stops before its server does.
afterAll(async () => {
  await worker?.stop();
  await store?.close();
});
const testbed = useIntegrationTestbed({ worker: false });
const ring: PayloadKeyRing = { activeKeyId: 'm1', keys: { m1: new Uint8Array(randomBytes(32)) } };
const customer = { id: 'cust-erase-me', name: 'Ouyang Mingyue', identityVerified: true, tier: 'vip' as const, contact: { phone: '+86 139 1111 2222', email: 'ouyang.mingyue@example.cn' } };
const words = 'Ouyang Mingyue says the Gold plan was charged twice on her Shanghai card.';
const secrets = ['Ouyang', 'Mingyue', '1111 2222', 'ouyang.mingyue@example.cn', 'Gold plan was charged twice'];

beforeAll(async () => {
  store = await ComplaintRecordStore.open({ inMemory: true }, ring);
  codec = await EncryptionCodec.create(ring, store.customerKeys);
  const dataConverter = encryptedDataConverter(codec);
  worker = await startWorkerWith(testbed.env, { ...testbed.memory.ports, archive: createStoreArchive(store) }, { dataConverter });
  const client = new Client({ connection: testbed.env.connection, dataConverter });
  app = createApp({ client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth, archive: store, codec: { codec } });
}, 120_000);

/** Every payload of the history as the server stores it. */
async function historyPayloads(workflowId: string): Promise<temporal.api.common.v1.IPayload[]> {
  const payloads: temporal.api.common.v1.IPayload[] = [];
  const walk = (v: unknown, indexed = false): void => {
    if (v instanceof Uint8Array || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, indexed));
    if ('data' in v && 'metadata' in v && !indexed) payloads.push(v as temporal.api.common.v1.IPayload);
    for (const [k, x] of Object.entries(v)) walk(x, indexed || k === 'searchAttributes');
  };
  const page = await testbed.env.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
  walk(page.history);
  return payloads.filter((p) => (p.data?.length ?? 0) > 0);
}
const keyOf = (p: temporal.api.common.v1.IPayload) => Buffer.from(p.metadata?.[KEY_ID_METADATA] ?? []).toString();
const asPayload = (p: temporal.api.common.v1.IPayload) => ({ metadata: p.metadata!, data: p.data! });

async function everythingArchived(): Promise<string> {
  const { rows } = await store.db.query<{ t: string }>(
    `SELECT string_agg(x::text, E'\\n') AS t FROM (
       SELECT to_jsonb(c.*) - 'summary_search' AS x FROM complaints c UNION ALL SELECT to_jsonb(d.*) FROM complaint_departments d
       UNION ALL SELECT to_jsonb(e.*) FROM complaint_escalations e UNION ALL SELECT to_jsonb(p.*) FROM complaint_promises p
       UNION ALL SELECT to_jsonb(k.*) FROM customer_keys k UNION ALL SELECT to_jsonb(r.*) FROM customer_erasures r) all_rows`,
  );
  return rows[0]?.t ?? '';
}

async function filedClosed(id: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await store.db.query<{ stage: string }>('SELECT stage FROM complaints WHERE id = $1', [id]);
    if (rows[0]?.stage === 'closed') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`complaint ${id} was not filed closed`);
}

it("erases a customer: no key opens their history or record any more, reads are 410, reports unchanged", async () => {
  const opened = await request(app).post('/complaints').set(asService()).send(intakeBody({ customer, content: words })).expect(201);
  const id: string = opened.body.complaintId;
  await request(app).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.owner)).send(commandBodies.judgeValidity).expect(200);
  await request(app).post(`/complaints/${id}/notes`).set(asActor(actors.owner)).send({ text: `Ouyang Mingyue asks for SMS to ${customer.contact.phone}` }).expect(200);

  // Open: the customer's data is still needed, and only a privacy officer erases.
  const early = await request(app).post(`/customers/${customer.id}/erasure`).set(asActor(actors.privacyOfficer)).send({ reason: 'Asked by phone on 1 December' });
  expect({ status: early.status, type: early.body.type, errors: early.body.errors }).toEqual({ status: 409, type: 'customer-has-open-complaints', errors: [{ field: 'customerId', reason: `open or not yet filed: ${id}` }] });
  const denied = await request(app).post(`/customers/${customer.id}/erasure`).set(asActor(actors.supervisor)).send({ reason: 'x' });
  expect({ status: denied.status, type: denied.body.type }).toEqual({ status: 403, type: 'access-denied' });
  const blank = await request(app).post(`/customers/${customer.id}/erasure`).set(asActor(actors.privacyOfficer)).send({});
  expect({ status: blank.status, field: blank.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'reason' });
  const privacyReads = await request(app).get(`/complaints/${id}`).set(asActor(actors.privacyOfficer));
  expect(privacyReads.status).toBe(403);

  await request(app).post(`/complaints/${id}/withdrawal`).set(asService()).send({ reason: 'Ouyang Mingyue was refunded by her bank' }).expect(200);
  await filedClosed(id);

  // Every payload of the complaint is under the customer's data key: the master key alone opens none.
  const payloads = await historyPayloads(complaintWorkflowId(id));
  expect(payloads.length).toBeGreaterThan(10);
  const keys = new Set(payloads.map(keyOf));
  expect(keys.size).toBe(1);
  const [dataKeyId] = [...keys];
  expect(isDataKeyId(dataKeyId!)).toBe(true);
  const masterOnly = await EncryptionCodec.create(ring);
  await expect(masterOnly.decode([asPayload(payloads[0]!)])).rejects.toThrow(/not in the payload key ring/);
  const readable = (await codec.decode(payloads.map(asPayload))).map((p) => Buffer.from(p.data ?? []).toString()).join('\n');
  expect(readable).toContain(customer.name);
  const archivedBefore = await everythingArchived();
  for (const s of secrets) expect({ s, found: archivedBefore.includes(s) }).toEqual({ s, found: false });
  const period = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) };
  const reportsBefore = { classification: await store.classification(period), sla: await store.sla(period), resolution: await store.resolution(period) };
  expect(reportsBefore.classification.total).toBeGreaterThanOrEqual(1);

  const erased = await request(app).post(`/customers/${customer.id}/erasure`).set(asActor(actors.privacyOfficer)).send({ reason: 'Asked by phone on 1 December' });
  expect(erased.status).toBe(200);
  expect(erased.body).toMatchObject({ keysDestroyed: 1, complaints: 1, historiesDeleted: 0 });
  expect(erased.body.customerRef).toMatch(/^cr1_[0-9a-f]{32}$/);

  // Nothing of theirs opens: not the history (in this process or one that never cached the key), not the archive.
  await expect(codec.decode([asPayload(payloads[0]!)])).rejects.toBeInstanceOf(PersonalDataErased);
  const otherProcess = await EncryptionCodec.create(ring, await CustomerKeys.create(store.db, ring));
  await expect(otherProcess.decode([asPayload(payloads[0]!)])).rejects.toBeInstanceOf(PersonalDataErased);
  const { rows } = await store.db.query<{ wrapped_key: string | null }>('SELECT wrapped_key FROM customer_keys WHERE key_id = $1', [dataKeyId]);
  expect(rows).toEqual([{ wrapped_key: null }]);
  const archivedAfter = await everythingArchived();
  for (const s of secrets) expect({ s, found: archivedAfter.includes(s) }).toEqual({ s, found: false });
  // The codec endpoint gives an engineer the ciphertext back, as it was.
  const decoded = await request(app)
    .post('/codec/decode')
    .set(asActor(actors.engineer))
    .send({ payloads: payloads.slice(0, 3).map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data!).toString('base64') })) });
  expect(decoded.status).toBe(200);
  expect(decoded.body.payloads.map((p: { data: string }) => p.data)).toEqual(payloads.slice(0, 3).map((p) => Buffer.from(p.data!).toString('base64')));

  for (const path of [`/complaints/${id}`, `/complaints/${id}/timeline`]) {
    const gone = await request(app).get(path).set(asService());
    expect({ path, status: gone.status, type: gone.body.type }).toEqual({ path, status: 410, type: 'personal-data-erased' });
  }
  expect({ classification: await store.classification(period), sla: await store.sla(period), resolution: await store.resolution(period) }).toEqual(reportsBefore);
  const kb = await request(app).get('/knowledge-base').set(asActor(actors.supervisor)).expect(200);
  expect(JSON.stringify(kb.body)).not.toContain(id);

  // Again: nothing more to destroy. A customer the service never held: 404.
  const again = await request(app).post(`/customers/${customer.id}/erasure`).set(asActor(actors.privacyOfficer)).send({ reason: 'Asked again' });
  expect({ status: again.status, keysDestroyed: again.body.keysDestroyed }).toEqual({ status: 200, keysDestroyed: 0 });
  const unknown = await request(app).post('/customers/never-a-customer/erasure').set(asActor(actors.privacyOfficer)).send({ reason: 'x' });
  expect({ status: unknown.status, type: unknown.body.type }).toEqual({ status: 404, type: 'customer-not-found' });
}, 120_000);

it('the retention schedule is kept in line with the policy: created once, unchanged, updated when the period changes', async () => {
  const policy = { afterClosureDays: 1095, sweepEveryHours: 24 };
  expect(await keepRetentionSchedule(testbed.client, policy)).toBe('created');
  expect(await keepRetentionSchedule(testbed.client, policy)).toBe('unchanged');
  const handle = testbed.client.schedule.getHandle(RETENTION_SCHEDULE_ID);
  const described = await handle.describe();
  expect(described.spec.intervals?.[0]?.every).toBe(24 * 3_600_000);
  expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: RETENTION_WORKFLOW_TYPE, args: [{ afterClosureDays: 1095 }] });
  expect(await keepRetentionSchedule(testbed.client, { afterClosureDays: 730, sweepEveryHours: 12 })).toBe('updated');
  const after = await handle.describe();
  expect({ every: after.spec.intervals?.[0]?.every, args: (after.action as { args: unknown[] }).args }).toEqual({ every: 12 * 3_600_000, args: [{ afterClosureDays: 730 }] });
  await handle.delete();
});
