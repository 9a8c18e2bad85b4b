/**
 * A closed complaint outlives its workflow history: once Temporal no longer knows the workflow
 * (retention passed), GET /complaints/:id and its timeline answer from the archive.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createApp } from '../../api/app';
import { ComplaintRecordStore } from '../../archive/store';
import { seedRecord, seedSpecs } from '../support/archive-seed';
import { shippedCalendar, shippedPolicy } from '../support/fixtures';
import { asService, testAuth } from '../support/http';
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

const app = () => createApp({ client: env.client, policy: shippedPolicy, calendar: shippedCalendar, archive: store, auth: testAuth });

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
