/**
 * The codec endpoint the Temporal UI and CLI call, over HTTP through the real app: who may decode,
 * from which origin, what the audit log says (and does not), and the development capability URL.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { EncryptionCodec } from '../../config/payload-codec';
import { actors, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, testAuth } from '../support/http';
import { expectProblem } from '../support/errors';

const uiOrigin = 'http://localhost:8080';
const capability = `dev-${randomBytes(18).toString('base64url')}`;
const secretText = JSON.stringify({ customer: { name: 'Ouyang Mingyue', phone: '+86 139 1111 2222' } });
const audit: Array<Record<string, unknown>> = [];
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  const codec = await EncryptionCodec.create({ activeKeyId: 'k1', keys: { k1: new Uint8Array(randomBytes(32)) } });
  const logger = pino({ level: 'info' }, { write: (line: string) => audit.push(JSON.parse(line)) });
  // The codec endpoint needs no Temporal: a client that is never called.
  app = createApp({ client: {} as Client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth, logger, codec: { codec, corsOrigin: uiOrigin, devCapability: capability } });
});

const plainPayload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(secretText).toString('base64') };

it('an engineer encodes and decodes; the audit line names them and counts, and holds nothing decoded', async () => {
  const encoded = await request(app).post('/codec/encode').set(asActor(actors.engineer)).set('X-Namespace', 'default').send({ payloads: [plainPayload] }).expect(200);
  const [sealed] = encoded.body.payloads as Array<{ metadata: Record<string, string>; data: string }>;
  expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
  expect(Buffer.from(sealed!.data, 'base64').toString('latin1')).not.toContain('Ouyang');

  const decoded = await request(app).post('/codec/decode').set(asActor(actors.engineer)).set('X-Namespace', 'default').set('X-Workflow-Id', 'complaint-C-1').send({ payloads: [sealed] }).expect(200);
  expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()).toBe(secretText);
  expect(decoded.headers['cache-control']).toBe('no-store');
  const line = audit.find((l) => l.audit === 'payloads-decoded');
  expect(line).toMatchObject({ principal: actors.engineer.id, role: 'engineer', namespace: 'default', workflowId: 'complaint-C-1', payloads: 1, keys: ['k1'] });
  expect(JSON.stringify(audit)).not.toContain('Ouyang');
});

it('answers 401 without a credential and 403 to every other role', async () => {
  expectProblem(await request(app).post('/codec/decode').send({ payloads: [plainPayload] }), 401, 'unauthenticated');
  for (const other of [actors.auditor, actors.manager, actors.supervisor, actors.service, actors.billing]) {
    expectProblem(await request(app).post('/codec/decode').set(asActor(other)).send({ payloads: [plainPayload] }), 403, 'access-denied', /may not decode payloads/);
  }
});

it('answers CORS for the configured UI origin only', async () => {
  const ok = await request(app).options('/codec/decode').set('Origin', uiOrigin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
  expect(ok.status).toBe(204);
  expect(ok.headers['access-control-allow-origin']).toBe(uiOrigin);
  expect(ok.headers['access-control-allow-headers']).toMatch(/Authorization/);
  const other = await request(app).options('/codec/decode').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
  expectProblem(other, 403, 'access-denied');
  expect(other.headers['access-control-allow-origin']).toBeUndefined();
  const posted = await request(app).post('/codec/decode').set('Origin', 'https://evil.example').set(asActor(actors.engineer)).send({ payloads: [] });
  expect(posted.headers['access-control-allow-origin']).toBeUndefined();
});

it('refuses a payload that does not decode, naming the body, and a body that is not payloads', async () => {
  const encoded = await request(app).post('/codec/encode').set(asActor(actors.engineer)).send({ payloads: [plainPayload] }).expect(200);
  const sealed = encoded.body.payloads[0];
  const data = Buffer.from(sealed.data, 'base64');
  data[data.length - 1] ^= 1;
  const tampered = await request(app).post('/codec/decode').set(asActor(actors.engineer)).send({ payloads: [{ ...sealed, data: data.toString('base64') }] });
  expectProblem(tampered, 400, 'validation-failed', /does not decrypt/);
  expectProblem(await request(app).post('/codec/decode').set(asActor(actors.engineer)).send({ payloads: 'x' }), 400, 'validation-failed');
});

it('decodes at the development capability URL without a token; a wrong one is not a way in', async () => {
  const encoded = await request(app).post(`/codec/${capability}/encode`).send({ payloads: [plainPayload] }).expect(200);
  const decoded = await request(app).post(`/codec/${capability}/decode`).send({ payloads: encoded.body.payloads }).expect(200);
  expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()).toBe(secretText);
  expect(audit.some((l) => l.audit === 'payloads-decoded' && l.principal === 'dev-engineer')).toBe(true);
  expectProblem(await request(app).post(`/codec/${capability}x/decode`).send({ payloads: [] }), 401, 'unauthenticated');
});
