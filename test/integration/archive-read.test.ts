/**
 * A closed complaint outlives its workflow history: once Temporal no longer knows the workflow
 * (retention passed), GET /complaints/:id and its timeline answer from the archive.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createApp } from '../../api/app';
import { ComplaintRecordStore } from '../../archive/store';
import { seedRecord, seedSpecs } from '../support/archive-seed';
import { shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { startDevServer } from '../support/temporal';

let env: TestWorkflowEnvironment;
let store: ComplaintRecordStore;
const archived = seedRecord(seedSpecs[0]!);

beforeAll(async () => {
  env = await startDevServer();
  store = await ComplaintRecordStore.open({ inMemory: true });
  await store.save(archived);
}, 120_000);
afterAll(async () => {
  await store?.close();
  await env?.teardown();
});

const app = () => createApp({ client: env.client, policy: wallClockPolicy, calendar: shippedCalendar, archive: store, auth: testAuth });

test('an archived complaint whose workflow is gone is read from the archive', async () => {
  const res = await request(app()).get(`/complaints/${archived.complaintId}`).set(asService());
  expect(res.status).toBe(200);
  expect(res.headers['x-complaint-source']).toBe('archive');
  expect(res.body).toEqual(JSON.parse(JSON.stringify(archived.state)));
  const timeline = await request(app()).get(`/complaints/${archived.complaintId}/timeline`).set(asService());
  expect(timeline.status).toBe(200);
  expect(timeline.body.map((e: { type: string }) => e.type)).toEqual(archived.timeline.map((e) => e.type));
});

test('a complaint neither running nor archived is 404', async () => {
  const res = await request(app()).get('/complaints/C-never-existed').set(asService());
  expect(res.status).toBe(404);
  expect(res.body.type).toBe('complaint-not-found');
});

test('a command to an archived complaint whose workflow is gone is 409 complaint-closed, not 404', async () => {
  const res = await request(app()).post(`/complaints/${archived.complaintId}/notes`).set(asActor({ id: 'sup-1', role: 'supervisor' })).send({ text: 'too late' });
  expect({ status: res.status, type: res.body.type }).toEqual({ status: 409, type: 'complaint-closed' });
  const unknown = await request(app()).post('/complaints/C-never-existed/notes').set(asActor({ id: 'sup-1', role: 'supervisor' })).send({ text: 'x' });
  expect({ status: unknown.status, type: unknown.body.type }).toEqual({ status: 404, type: 'complaint-not-found' });
});

test('a department reads an archived complaint it had, and gets 404 for one it never had', async () => {
  const had = archived.state.assignments[0]?.department;
  expect(had).toBeDefined();
  const other = (['network', 'product', 'billing', 'service'] as const).find((d) => !archived.state.assignments.some((a) => a.department === d))!;
  await request(app()).get(`/complaints/${archived.complaintId}`).set(asActor({ id: `${had}-desk`, role: 'department', department: had! })).expect(200);
  const res = await request(app()).get(`/complaints/${archived.complaintId}/timeline`).set(asActor({ id: `${other}-desk`, role: 'department', department: other }));
  expect({ status: res.status, type: res.body.type, detail: res.body.detail }).toEqual({ status: 404, type: 'complaint-not-found', detail: `There is no complaint ${archived.complaintId}` });
});
