/** The HTTP edge: requests the API refuses before they reach Temporal, all as problem+json. */
import type { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { actors, intakeBody, shippedCalendar, shippedPolicy } from '../support/fixtures';

/** A client that fails the test if any path under test reaches Temporal. */
const untouchableClient = new Proxy({} as Client, {
  get(_target, property) {
    throw new Error(`the request reached Temporal (client.${String(property)})`);
  },
});

const app = createApp({ client: untouchableClient, policy: shippedPolicy, checkTemporal: async () => false, calendar: shippedCalendar });

const owner = { 'X-Actor-Id': actors.owner.id, 'X-Actor-Role': actors.owner.role };

function expectProblem(res: request.Response, status: number, type: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\.(ts|js):\d+/);
}

describe('POST /complaints at the edge', () => {
  it('answers 400 malformed-json for a body that is not JSON', async () => {
    const res = await request(app).post('/complaints').set('Content-Type', 'application/json').send('{"customer": ');
    expectProblem(res, 400, 'malformed-json');
    expect(res.body.instance).toBe('/complaints');
  });

  it('answers 415 for a body that is not JSON by content type', async () => {
    const res = await request(app).post('/complaints').set('Content-Type', 'text/plain').send('hello');
    expectProblem(res, 415, 'unsupported-media-type');
  });

  it('answers 413 for a body over 100kb', async () => {
    const res = await request(app).post('/complaints').send(intakeBody({ content: 'x'.repeat(150_000) }));
    expectProblem(res, 413, 'content-too-large');
  });

  it('answers 400 naming each missing or bad field, path joined with dots', async () => {
    const { category: _omitted, ...body } = intakeBody();
    const res = await request(app)
      .post('/complaints')
      .send({ ...body, severity: 'apocalyptic', customer: { ...body.customer, contact: { phone: 'call me' } } });
    expectProblem(res, 400, 'validation-failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['category', 'severity', 'customer.contact.phone']));
    for (const e of res.body.errors) expect(e.reason).toEqual(expect.any(String));
  });

  it('names every required field when the POST has no body', async () => {
    const res = await request(app).post('/complaints');
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['customer', 'category', 'acceptedBy']));
  });

  it('answers 400 for an Idempotency-Key over 200 characters', async () => {
    const res = await request(app).post('/complaints').set('Idempotency-Key', 'k'.repeat(201)).send(intakeBody());
    expectProblem(res, 400, 'invalid-request');
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
  });
});

describe('commands at the edge', () => {
  it('answers 401 without actor headers', async () => {
    const res = await request(app).post('/complaints/C-1/validity-judgment').send({ upheld: false, reason: 'No fault found' });
    expectProblem(res, 401, 'actor-required');
  });

  it('answers 400 naming the header of a malformed actor', async () => {
    const res = await request(app)
      .post('/complaints/C-1/findings')
      .set({ 'X-Actor-Id': 'billing-desk', 'X-Actor-Role': 'department' })
      .send({ department: 'billing', cause: 'Duplicate charge', partyAtFault: 'billing' });
    expectProblem(res, 400, 'invalid-actor');
    expect(res.body.errors).toEqual([{ field: 'X-Actor-Department', reason: expect.any(String) }]);
  });

  it('answers 400 naming the command field the schema refuses', async () => {
    const res = await request(app).post('/complaints/C-1/validity-judgment').set(owner).send({ upheld: true, reason: 'Charged twice' });
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('departments');
  });
});

describe('routing', () => {
  it('answers 404 problem+json for an unknown route', async () => {
    const res = await request(app).get('/nowhere');
    expectProblem(res, 404, 'route-not-found');
  });

  it('answers 404 for an unknown command path', async () => {
    const res = await request(app).post('/complaints/C-1/escalation').set(owner).send({});
    expectProblem(res, 404, 'route-not-found');
  });

  it.each([
    ['delete', '/complaints/C-1', 'GET, HEAD, OPTIONS'],
    ['delete', '/complaints', 'GET, HEAD, POST, OPTIONS'],
    ['get', '/complaints/C-1/validity-judgment', 'POST, OPTIONS'],
    ['put', '/complaints/C-1/timeline', 'GET, HEAD, OPTIONS'],
    ['post', '/healthz', 'GET, HEAD, OPTIONS'],
  ] as const)('answers 405 with Allow for %s %s', async (method, path, allow) => {
    const res = await request(app)[method](path);
    expectProblem(res, 405, 'method-not-allowed');
    expect(res.headers.allow).toBe(allow);
  });

  it('answers OPTIONS with the allowed methods', async () => {
    const res = await request(app).options('/complaints/C-1/owner');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });
});

describe('GET /healthz', () => {
  it('answers 503 degraded when Temporal does not answer', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'degraded', temporal: 'unreachable' });
  });
});
