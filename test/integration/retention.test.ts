/**
 * The retention rule on the time-skipping server: three years (the policy's default) after a
 * customer's last complaint closed, the retention sweep erases them (their data key destroyed, their
 * history unreadable, the reports unchanged); a customer whose complaint is still open, or closed
 * only lately, keeps theirs. Three years pass in seconds, not by a shortened setting.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createStoreArchive, createStoreRetention } from '../../activities/adapters/archive-store';
import { createApp } from '../../api/app';
import { developmentCommandSigner } from '../../api/auth/command-signer';
import { ComplaintRecordStore } from '../../archive/store';
import { TASK_QUEUE, complaintWorkflowId } from '../../contract/complaint';
import { RETENTION_WORKFLOW_TYPE, type RetentionSweepInput, type RetentionSweepResult } from '../../contract/retention';
import { PersonalDataErased } from '../../config/customer-envelope';
import { EncryptionCodec, encryptedDataConverter, type PayloadKeyRing } from '../../config/payload-codec';
import { customerRef } from '../../api/complaints/customer-ref';
import { DEV_CUSTOMER_REF_KEY } from '../../config/credentials';
import { intakeBody, shippedCalendar, shippedPolicy, wallClockPolicy } from '../support/fixtures';
import { asService, testAuth } from '../support/http';
import { startTimeSkippingServer, startWorkerWith, type RunningWorker } from '../support/temporal';

const ring: PayloadKeyRing = { activeKeyId: 'm1', keys: { m1: new Uint8Array(randomBytes(32)) } };
const DAY_MS = 86_400_000;
let env: TestWorkflowEnvironment;
let store: ComplaintRecordStore;
let worker: RunningWorker;
let client: Client;
let app: ReturnType<typeof createApp>;
let skippedMs = 0;

beforeAll(async () => {
  env = await startTimeSkippingServer();
  // Time stands still while the complaints are handled (their commands' proofs run on real time);
  // only env.sleep moves it.
  await env.connection.testService!.lockTimeSkipping({});
  store = await ComplaintRecordStore.open({ inMemory: true }, ring);
  const dataConverter = encryptedDataConverter(await EncryptionCodec.create(ring, store.customerKeys));
  worker = await startWorkerWith(env, { ...createMemoryPorts().ports, archive: createStoreArchive(store), retention: createStoreRetention(store) }, { dataConverter });
  client = new Client({ connection: env.connection, dataConverter });
  // The API signs its commands on the server's clock, which env.sleep moves ahead of the wall clock.
  const signer = developmentCommandSigner();
  app = createApp({ client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth, archive: store, commandSigner: { ...signer, prove: (facts) => signer.prove(facts, new Date(Date.now() + skippedMs)) } });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await store?.close();
  await env?.teardown();
}, 120_000);

const customer = (id: string) => ({ id, name: `Customer ${id}`, identityVerified: true, tier: 'regular' as const, contact: { phone: '+86 139 0000 1111' } });

async function open(customerId: string): Promise<string> {
  const opened = await request(app).post('/complaints').set(asService()).send(intakeBody({ customer: customer(customerId) })).expect(201);
  return opened.body.complaintId;
}

async function withdraw(id: string): Promise<void> {
  const w = await request(app).post(`/complaints/${id}/withdrawal`).set(asService()).send({ reason: 'Resolved by the bank' });
  expect({ status: w.status, detail: w.body.detail }).toEqual({ status: 200, detail: undefined });
  await client.workflow.getHandle(complaintWorkflowId(id)).result();
  for (let i = 0; i < 200; i++) {
    const { rows } = await store.db.query<{ stage: string }>('SELECT stage FROM complaints WHERE id = $1', [id]);
    if (rows[0]?.stage === 'closed') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${id} was not filed closed`);
}

const sweep = (input: RetentionSweepInput = { afterClosureDays: shippedPolicy.retention.afterClosureDays }) =>
  client.workflow.execute<(i: RetentionSweepInput) => Promise<RetentionSweepResult>>(RETENTION_WORKFLOW_TYPE, { taskQueue: TASK_QUEUE, workflowId: `retention-${randomBytes(4).toString('hex')}`, args: [input] });

it('erases a customer three years after their last complaint closed, and nobody whose complaint is open or closed since', async () => {
  expect(shippedPolicy.retention).toEqual({ afterClosureDays: 1095, sweepEveryHours: 24 });
  const closed = await open('cust-long-gone');
  const stillOpen = await open('cust-still-waiting');
  await withdraw(closed);
  const period = { from: new Date(Date.now() - 30 * DAY_MS), to: new Date(Date.now() + 30 * DAY_MS) };
  const reportsBefore = await store.classification(period);

  // Within the period: nobody is erased.
  expect(await sweep()).toMatchObject({ erased: 0, skipped: 0 });
  expect(await store.customerKeys!.isErased(closed)).toBe(false);

  // Three years and a day pass (the lock released, or time would crawl at the wall clock's pace).
  await env.connection.testService!.unlockTimeSkipping({});
  await env.sleep(1095 * DAY_MS + DAY_MS);
  await env.connection.testService!.lockTimeSkipping({});
  skippedMs = 1096 * DAY_MS;
  const result = await sweep();
  expect(result.erased).toBe(1);
  expect(new Date(result.cutoff).getTime()).toBeGreaterThan(Date.now() + 1000 * DAY_MS - 1095 * DAY_MS);
  expect(await store.customerKeys!.isErased(closed)).toBe(true);
  expect(await store.customerKeys!.isErased(stillOpen)).toBe(false);
  await expect(store.get(closed)).rejects.toBeInstanceOf(PersonalDataErased);
  const { rows } = await store.db.query<{ customer_ref: string; basis: string; requested_by: string }>('SELECT customer_ref, basis, requested_by FROM customer_erasures');
  expect(rows).toEqual([{ customer_ref: customerRef(DEV_CUSTOMER_REF_KEY, 'cust-long-gone'), basis: 'retention', requested_by: 'retention-schedule' }]);
  expect(await store.classification(period)).toEqual(reportsBefore);

  // Closed only now: three more years to go.
  await withdraw(stillOpen);
  expect(await sweep()).toMatchObject({ erased: 0 });
  expect(await store.customerKeys!.isErased(stillOpen)).toBe(false);
}, 180_000);
