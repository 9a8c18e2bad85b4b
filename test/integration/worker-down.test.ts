/**
 * With the worker away, callers are not left waiting: a read answers within ~2 s from the last
 * known state, marked stale; a command answers 503 with Retry-After within ~10 s; resent with the
 * same Idempotency-Key once the worker is back, it is applied exactly once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createStoreArchive } from '../../activities/adapters/archive-store';
import { createApp } from '../../api/app';
import { ComplaintRecordStore } from '../../archive/store';
import type { TimelineEvent } from '../../domain/case';
import { intakeBody, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { startDevServer, startWorkerWith, type RunningWorker } from '../support/temporal';

let env: TestWorkflowEnvironment;
let store: ComplaintRecordStore;
const memory = createMemoryPorts();

beforeAll(async () => {
  env = await startDevServer();
  store = await ComplaintRecordStore.open({ inMemory: true });
}, 120_000);
afterAll(async () => {
  await store?.close();
  await env?.teardown();
}, 120_000);

const startWorker = (): Promise<RunningWorker> => startWorkerWith(env, { ...memory.ports, archive: createStoreArchive(store) });
const app = () => createApp({ client: env.client, policy: wallClockPolicy, calendar: shippedCalendar, archive: store, auth: testAuth });
const owner = asActor({ id: 'agent-7', role: 'agent' });
const billing = asActor({ id: 'billing-desk', role: 'department', department: 'billing' });

test('reads answer the last known state at once; commands answer 503 and are applied once when resent', async () => {
  let worker = await startWorker();
  const opened = await request(app()).post('/complaints').set(asService()).send(intakeBody());
  expect(opened.status).toBe(201);
  const path = `/complaints/${opened.body.complaintId}`;
  const judged = await request(app()).post(`${path}/validity-judgment`).set(owner).send({ upheld: true, reason: 'double charge', departments: ['billing'] });
  expect(judged.status).toBe(200);
  // Wait until the intake record is in the archive (an owed effect, carried out after the start).
  for (let i = 0; i < 100 && !(await store.get(opened.body.complaintId)); i++) await new Promise((r) => setTimeout(r, 100));
  await worker.stop();

  let started = Date.now();
  const read = await request(app()).get(path).set(owner);
  const readMs = Date.now() - started;
  expect(read.status).toBe(200);
  expect(readMs).toBeLessThan(4_000);
  expect(read.headers['x-complaint-source']).toBe('last-known');
  expect(read.body.stale).toBe(true);
  // The stage comes from the search attributes, newer than the archived intake record.
  expect(read.body.stage).toBe('investigating');
  expect(read.body.complaintId).toBe(opened.body.complaintId);

  const findings = { department: 'billing', cause: 'The October invoice was issued twice', partyAtFault: 'billing system' };
  started = Date.now();
  const refused = await request(app()).post(`${path}/findings`).set(billing).set('Idempotency-Key', 'findings-1').send(findings);
  const commandMs = Date.now() - started;
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('5');
  expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(commandMs).toBeLessThan(13_000);

  worker = await startWorker();
  const resent = await request(app()).post(`${path}/findings`).set(billing).set('Idempotency-Key', 'findings-1').send(findings);
  expect(resent.status).toBe(200);
  expect(resent.body.stage).toBe('proposing');
  const again = await request(app()).post(`${path}/findings`).set(billing).set('Idempotency-Key', 'findings-1').send(findings);
  expect(again.status).toBe(200);
  const timeline = (await request(app()).get(`${path}/timeline`).set(owner)).body as TimelineEvent[];
  expect(timeline.filter((e) => e.type === 'findings-recorded')).toHaveLength(1);
  const live = await request(app()).get(path).set(owner);
  expect(live.headers['x-complaint-source']).toBe('workflow');
  expect(live.body.stale).toBeUndefined();
  await worker.stop();
}, 90_000);
