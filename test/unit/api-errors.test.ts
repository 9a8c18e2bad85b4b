/** The HTTP edge: requests the API refuses before they reach Temporal, all as problem+json. */
import { ServiceError, type Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createAuthenticator } from '../../api/auth/credentials';
import { expectProblem } from '../support/errors';
import { actors, intakeBody, shippedCalendar, shippedPolicy } from '../support/fixtures';
import { asActor, asService, signToken, testAuth, TEST_JWT_SECRET } from '../support/http';

/** A client that fails the test if any path under test reaches Temporal. */
const untouchableClient = new Proxy({} as Client, {
  get(_target, property) {
    throw new Error(`the request reached Temporal (client.${String(property)})`);
  },
});

const app = createApp({ client: untouchableClient, policy: shippedPolicy, checkTemporal: async () => false, calendar: shippedCalendar, auth: testAuth });

const owner = asActor(actors.owner);

describe('POST /complaints at the edge', () => {
  it('answers 400 malformed-json for a body that is not JSON', async () => {
    const res = await request(app).post('/complaints').set(asService()).set('Content-Type', 'application/json').send('{"customer": ');
    expectProblem(res, 400, 'malformed-json');
    expect(res.body.instance).toBe('/complaints');
  });

  it('answers 415 for a body that is not JSON by content type', async () => {
    const res = await request(app).post('/complaints').set(asService()).set('Content-Type', 'text/plain').send('hello');
    expectProblem(res, 415, 'unsupported-media-type');
  });

  it('answers 413 for a body over 100kb', async () => {
    const res = await request(app).post('/complaints').set(asService()).send(intakeBody({ content: 'x'.repeat(150_000) }));
    expectProblem(res, 413, 'content-too-large');
  });

  it('answers 400 naming each missing or bad field, path joined with dots', async () => {
    const { category: _omitted, ...body } = intakeBody();
    const res = await request(app)
      .post('/complaints').set(asService())
      .send({ ...body, severity: 'apocalyptic', customer: { ...body.customer, contact: { phone: 'call me' } } });
    expectProblem(res, 400, 'validation-failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['category', 'severity', 'customer.contact.phone']));
    for (const e of res.body.errors) expect(e.reason).toEqual(expect.any(String));
  });

  it('names every required field when the POST has no body', async () => {
    const res = await request(app).post('/complaints').set(asService());
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['customer', 'category', 'acceptedBy']));
  });

  it('answers 400 for an Idempotency-Key over 200 characters', async () => {
    const res = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', 'k'.repeat(201)).send(intakeBody());
    expectProblem(res, 400, 'invalid-request');
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
  });
});

describe('authentication at the edge', () => {
  const judge = { upheld: false, reason: 'No fault found' };
  const now = () => Math.floor(Date.now() / 1000);

  it('answers 401 unauthenticated with a Bearer challenge without credentials, on every protected route', async () => {
    for (const req of [request(app).post('/complaints/C-1/validity-judgment').send(judge), request(app).get('/complaints'), request(app).get('/nowhere')]) {
      const res = await req;
      expectProblem(res, 401, 'unauthenticated');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="complaints"');
      expect(res.body.errors).toEqual([{ field: 'Authorization', reason: expect.any(String) }]);
    }
  });

  it.each([
    ['an unknown API key', { 'X-API-Key': 'not-a-key-we-ever-issued' }, 'X-API-Key', /unknown API key/],
    ['a Basic credential', { Authorization: 'Basic dXNlcjpwYXNz' }, 'Authorization', /Bearer/],
    ['a token that is not a JWT', { Authorization: 'Bearer not.a.jwt' }, 'Authorization', /not a valid JWT/],
    ['a token signed with another secret', { Authorization: `Bearer ${signToken({ sub: 'agent-7', role: 'agent' }, 'some-other-secret-of-32-characters!!')}` }, 'Authorization', /signature/],
    ['an expired token', { Authorization: `Bearer ${signToken({ sub: 'agent-7', role: 'agent', iat: now() - 7200, exp: now() - 3600 })}` }, 'Authorization', /expired/],
    ['a token without exp', { Authorization: `Bearer ${signToken({ sub: 'agent-7', role: 'agent', exp: undefined })}` }, 'Authorization', /"exp" claim/],
    ['a token with an unknown role', { Authorization: `Bearer ${signToken({ sub: 'x', role: 'admin' })}` }, 'Authorization', /"role" claim/],
    ['a department token without its department', { Authorization: `Bearer ${signToken({ sub: 'billing-desk', role: 'department' })}` }, 'Authorization', /"department" claim/],
    ['an unsigned token (alg none)', { Authorization: `Bearer ${signToken({ sub: 'sup-1', role: 'supervisor' }, TEST_JWT_SECRET, { alg: 'none' })}` }, 'Authorization', /not accepted/],
    ['both an API key and a token', { ...asService(), ...asActor(actors.owner) }, 'Authorization', /one credential/],
  ])('answers 401 invalid-credentials for %s, naming the header and the reason', async (_what, headers, field, reason) => {
    const res = await request(app).post('/complaints/C-1/validity-judgment').set(headers).send(judge);
    expectProblem(res, 401, 'invalid-credentials');
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(res.body.errors).toEqual([{ field, reason: expect.stringMatching(reason) }]);
  });

  it('answers 503 with Retry-After when the identity provider\'s keys cannot be fetched', async () => {
    const noIdp = createApp({
      client: untouchableClient,
      policy: shippedPolicy,
      calendar: shippedCalendar,
      auth: createAuthenticator({ apiKeys: [], jwt: { jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' } }),
    });
    const rs256 = `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"agent"}').toString('base64url')}.c2ln`;
    const res = await request(noIdp).get('/complaints').set('Authorization', `Bearer ${rs256}`);
    expectProblem(res, 503, 'identity-provider-unavailable');
    expect(res.headers['retry-after']).toBe('5');
  });

  it('refuses a role the command does not admit with 403 before asking the complaint', async () => {
    // The untouchable client proves the refusal never reached Temporal.
    const res = await request(app).post('/complaints/C-1/validity-judgment').set(asActor({ id: 'aud-1', role: 'auditor' })).send(judge);
    expectProblem(res, 403, 'command-forbidden');
    expect(res.body.detail).toBe('An auditor may not judge validity');
    expect(res.body.errors).toEqual([{ field: 'role', reason: 'judge validity needs one of: agent, supervisor, manager' }]);
  });

  it('refuses an agent opening a complaint accepted by someone else (403 naming acceptedBy.id)', async () => {
    const res = await request(app).post('/complaints').set(asActor(actors.otherAgent)).send(intakeBody());
    expectProblem(res, 403, 'access-denied');
    expect(res.body.errors).toEqual([{ field: 'acceptedBy.id', reason: `must be ${actors.otherAgent.id}, the agent sending the request` }]);
  });

  it('refuses a department listing another department\'s complaints', async () => {
    const res = await request(app).get('/complaints').query({ department: 'network' }).set(asActor(actors.billing));
    expectProblem(res, 403, 'access-denied');
    expect(res.body.errors).toEqual([{ field: 'query.department', reason: 'must be billing (or left out)' }]);
  });
});

describe('commands at the edge', () => {
  it('answers 400 naming the command field the schema refuses', async () => {
    const res = await request(app).post('/complaints/C-1/validity-judgment').set(owner).send({ upheld: true, reason: 'Charged twice' });
    expectProblem(res, 400, 'validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('departments');
  });
});

describe('routing', () => {
  it('answers 404 problem+json for an unknown route', async () => {
    const res = await request(app).get('/nowhere').set(asService());
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
    const res = await request(app)[method](path).set(asService());
    expectProblem(res, 405, 'method-not-allowed');
    expect(res.headers.allow).toBe(allow);
  });

  it('answers OPTIONS with the allowed methods', async () => {
    const res = await request(app).options('/complaints/C-1/owner').set(asService());
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

describe('a read cut short by its own deadline', () => {
  // What the chaos run found: with the worker just killed, the query waits, and the API's 2 s
  // deadline ends it as gRPC CANCELLED. That is the worker being away, not our failure.
  const cancelled = new ServiceError('Failed to query Workflow', { cause: Object.assign(new Error('1 CANCELLED: Call cancelled'), { code: 1 }) });
  const client = {
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    workflow: { getHandle: () => ({ query: () => Promise.reject(cancelled), describe: () => Promise.reject(cancelled) }) },
  } as unknown as Client;
  const away = createApp({ client, policy: shippedPolicy, calendar: shippedCalendar, auth: testAuth });

  it('answers 503 with Retry-After, not 500', async () => {
    const res = await request(away).get('/complaints/C-1').set(asService());
    expectProblem(res, 503, 'temporal-unavailable');
    expect(res.headers['retry-after']).toBe('5');
  });
});
