/**
 * The edge holds: every bad input is a 4xx problem+json naming what is wrong, and every
 * input the API accepts gets through the later steps (the archive, the reports). Over HTTP against
 * the real app, dev server and worker.
 */
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import type { ArchiveRecord } from '../../activities/ports';
import { createApp } from '../../api/app';
import { complaintStateSchema } from '../../api/complaints/responses';
import { cursorCodec, quote, visibilityQuery } from '../../api/complaints/listing';
import { customerRef, customerRefs } from '../../api/complaints/customer-ref';
import { complaintSearchAttributes } from '../../contract/search-attributes';
import { DEV_CUSTOMER_REF_KEY } from '../../config/credentials';
import { ComplaintRecordStore } from '../../archive/store';
import type { ComplaintIntakeInput } from '../../domain/complaint';
import { complaintWorkflowId } from '../../contract/complaint';
import { expectProblem } from '../support/errors';
import { intakeBody, newComplaintId, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'EDGE' });
let app: Express;
beforeAll(() => {
  app = testbed.app;
});

const note = { text: 'called the customer' };

function uniqueIntake(overrides: Partial<ComplaintIntakeInput> = {}): ComplaintIntakeInput {
  return intakeBody({ content: `Charged twice (${newComplaintId('case')}).`, ...overrides });
}

const open = (body: unknown, on: Express = app) => request(on).post('/complaints').set(asService()).send(body as object);

/** The fields a 4xx names. */
const fields = (res: request.Response) => (res.body.errors as Array<{ field: string }>).map((e) => e.field);

const iso = (msFromNow: number, offset = 'Z') => {
  const at = new Date(Date.now() + msFromNow);
  if (offset === 'Z') return at.toISOString();
  // The same instant written with `offset` (±hh:mm).
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(at.getTime() + sign * (h! * 60 + m!) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
};
const DAY = 86_400_000;

describe('paths and bodies that do not decode', () => {
  it.each([
    ['GET', '/complaints/%ff'],
    ['GET', '/complaints/%'],
    ['GET', '/complaints/%E0%A4%A/timeline'],
    ['POST', '/complaints/%ff/notes'],
  ])('%s %s: 400 naming the path', async (method, path) => {
    const res = method === 'GET' ? await request(app).get(path).set(asService()) : await request(app).post(path).set(asActor({ id: 'sup-1', role: 'supervisor' })).send(note);
    expectProblem(res, 400, 'invalid-request', /percent-encoded/);
    expect(fields(res)).toEqual(['path']);
  });

  it.each(['gzip', 'deflate', 'br'])('a body that is not %s though Content-Encoding says so: 400 naming Content-Encoding', async (encoding) => {
    const res = await request(app)
      .post('/complaints')
      .set(asService())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .send(JSON.stringify(uniqueIntake()));
    expectProblem(res, 400, 'invalid-request');
    expect(fields(res)).toEqual(['Content-Encoding']);
  });

  it('a body that is gzip is read', async () => {
    const res = await request(app)
      .post('/complaints')
      .set(asService())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      // As bytes: superagent would otherwise serialise the Buffer as JSON.
      .serialize((body: Buffer) => body as unknown as string)
      .send(gzipSync(JSON.stringify(uniqueIntake())));
    expect([res.status, res.body.errors]).toEqual([201, undefined]);
  });
});

describe('text', () => {
  it.each([
    ['a NUL', 'content', { content: 'bad\u0000byte' }],
    ['a lone high surrogate', 'content', { content: 'half \ud800 a pair' }],
    ['a lone low surrogate', 'demand', { demand: '\udc00' }],
    ['only white space', 'demand', { demand: ' \t\n ' }],
    ['too many characters', 'service', { service: '字'.repeat(201) }],
  ])('refuses %s (400 naming %s)', async (_what, field, overrides) => {
    const res = await open(uniqueIntake(overrides as Partial<ComplaintIntakeInput>));
    expectProblem(res, 400, 'validation-failed');
    expect(fields(res)).toEqual([field]);
  });

  it('refuses a NUL in a command body too (400 naming the field)', async () => {
    const { complaintId } = (await open(uniqueIntake()).expect(201)).body as { complaintId: string };
    const res = await request(app).post(`/complaints/${complaintId}/notes`).set(asActor({ id: 'sup-1', role: 'supervisor' })).send({ text: 'a\u0000b' });
    expectProblem(res, 400, 'validation-failed');
    expect(fields(res)).toEqual(['text']);
  });

  it('counts characters, not UTF-16 units: 200 emoji fit a 200-character field', async () => {
    await open(uniqueIntake({ service: '📶'.repeat(200) })).expect(201);
  });
});

describe('e-mail addresses', () => {
  const withEmail = (email: string) => uniqueIntake({ customer: { ...intakeBody().customer, contact: { email } } });

  it('refuses a local part of 65 characters (400 naming the field)', async () => {
    const res = await open(withEmail(`${'a'.repeat(65)}@example.com`));
    expectProblem(res, 400, 'validation-failed');
    expect(fields(res)).toEqual(['customer.contact.email']);
  });

  it('accepts 64, and the case file that returns it satisfies the answer schema', async () => {
    const email = `${'a'.repeat(64)}@example.com`;
    const { complaintId } = (await open(withEmail(email)).expect(201)).body as { complaintId: string };
    const state = (await request(app).get(`/complaints/${complaintId}`).set(asService()).expect(200)).body;
    expect(state.intake.customer.contact.email).toBe(email);
    expect(complaintStateSchema.safeParse(state).error).toBeUndefined();
  });
});

describe('receivedAt', () => {
  it.each([
    ['in year 0020', '0020-01-01T00:00:00Z'],
    ['in year 0009', '0009-09-09T00:00:00Z'],
    ['in year 9999', '9999-12-31T00:00:00Z'],
    ['with offset -16:00', iso(-DAY, '-16:00')],
    ['with offset +23:59', iso(-DAY, '+23:59')],
    ['with offset +14:30', iso(-DAY, '+14:30')],
    ['10 minutes ahead of the clock', iso(10 * 60_000)],
    ['31 days ago', iso(-31 * DAY)],
  ])('refuses a receivedAt %s (400 naming receivedAt)', async (_what, receivedAt) => {
    const res = await open(uniqueIntake({ receivedAt }));
    expectProblem(res, 400, 'validation-failed');
    expect(fields(res)).toEqual(['receivedAt']);
  });

  it.each([
    ['29 days ago at +14:00', iso(-29 * DAY, '+14:00')],
    ['an hour ago at -12:00', iso(-3600_000, '-12:00')],
    ['4 minutes ahead (clock skew)', iso(4 * 60_000)],
  ])('accepts %s, as the case file shows', async (_what, receivedAt) => {
    const { complaintId } = (await open(uniqueIntake({ receivedAt })).expect(201)).body as { complaintId: string };
    const state = (await request(app).get(`/complaints/${complaintId}`).set(asService()).expect(200)).body;
    // A receipt time ahead of the clock (skew) is taken as now: clocks never start in the future.
    const [stored, given] = [Date.parse(state.receivedAt), Date.parse(receivedAt)];
    if (given > Date.now()) expect(stored).toBeLessThanOrEqual(given);
    else expect(stored).toBe(given);
    expect(state.escalationLevel).toBe(0);
  });

  it('takes the window from the settings', async () => {
    const strict = testbed.appWith({ receivedAtWindow: { maxAgeMs: 3600_000, maxSkewMs: 0 } });
    expect(fields(await open(uniqueIntake({ receivedAt: iso(-2 * 3600_000) }), strict))).toEqual(['receivedAt']);
    expect(fields(await open(uniqueIntake({ receivedAt: iso(60_000) }), strict))).toEqual(['receivedAt']);
    await open(uniqueIntake({ receivedAt: iso(-1800_000) }), strict).expect(201);
  });
});

describe('what the API accepts, the later steps take', () => {
  it('a complaint at the edges of every rule is filed in the archive and shows in the knowledge base', async () => {
    const body = uniqueIntake({
      receivedAt: iso(-29 * DAY, '+14:00'),
      content: `Emoji 📶, CJK 投诉, combining é, RTL עברית (${newComplaintId('edge')})`,
      customer: { ...intakeBody().customer, contact: { email: `${'a'.repeat(64)}@example.com` } },
    });
    const { complaintId } = (await open(body).expect(201)).body as { complaintId: string };
    let record: ArchiveRecord | undefined;
    for (const deadline = Date.now() + 20_000; !record && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      record = testbed.memory.effects.find((e) => e.effect === 'archive' && (e.payload as ArchiveRecord).complaintId === complaintId)?.payload as ArchiveRecord | undefined;
    }
    expect(record).toBeDefined();
    const store = await ComplaintRecordStore.open({ inMemory: true });
    try {
      // Filed as the closed record it becomes (the knowledge base lists closed cases only).
      const closedAt = new Date().toISOString();
      await expect(store.save({ ...record!, state: { ...record!.state, stage: 'closed', outcome: 'resolved', closedAt } })).resolves.toBe('inserted');
      const withArchive = createApp({ client: testbed.client, policy: wallClockPolicy, calendar: shippedCalendar, archive: store, auth: testAuth });
      const kb = await request(withArchive).get('/knowledge-base').set(asActor({ id: 'aud-1', role: 'auditor' }));
      expect(kb.status).toBe(200);
      expect(JSON.stringify(kb.body)).toContain(complaintId);
    } finally {
      await store.close();
    }
  });
});

describe('listing cursors', () => {
  const customerId = newComplaintId('cust');
  let firstPage: { nextCursor: string };

  beforeAll(async () => {
    for (let i = 0; i < 3; i += 1) await open(uniqueIntake({ customer: { ...intakeBody().customer, id: customerId } })).expect(201);
    // Visibility is eventually consistent: wait until a page of one has a next page.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
      const res = await request(app).get('/complaints').query({ customerId, limit: 1 }).set(asService()).expect(200);
      if (res.body.nextCursor) {
        firstPage = res.body;
        return;
      }
    }
    throw new Error('the complaints never showed in visibility');
  });

  it("finds a customer's complaints by their id, while visibility holds only a keyed reference of it", async () => {
    const listed = firstPage as unknown as { items: Array<{ complaintId: string }> };
    const described = await testbed.client.workflow.getHandle(complaintWorkflowId(listed.items[0]!.complaintId)).describe();
    const held = described.typedSearchAttributes.get(complaintSearchAttributes.customerId);
    expect(held).toBe(customerRef(DEV_CUSTOMER_REF_KEY, customerId));
    expect(held).not.toContain(customerId);
    const byRawId: string[] = [];
    for await (const execution of testbed.client.workflow.list({ query: `CustomerId = ${quote(customerId)}` })) byRawId.push(execution.workflowId);
    expect(byRawId).toEqual([]);
  });

  it('a cursor the API issued reads the next page', async () => {
    const res = await request(app).get('/complaints').query({ customerId, limit: 1, cursor: firstPage.nextCursor }).set(asService());
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
  });

  it('refuses a tampered cursor at once (400 naming query.cursor)', async () => {
    const c = firstPage.nextCursor;
    const i = Math.floor(c.length * 0.75);
    const tampered = `${c.slice(0, i)}${c[i] === 'A' ? 'B' : 'A'}${c.slice(i + 1)}`;
    const started = Date.now();
    const res = await request(app).get('/complaints').query({ customerId, limit: 1, cursor: tampered }).set(asService());
    expectProblem(res, 400, 'invalid-request');
    expect(fields(res)).toEqual(['query.cursor']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a forged cursor, one from other filters, and one from another key', async () => {
    const forged = Buffer.from(JSON.stringify({ LastRunID: 'x', LastStartTime: 0 })).toString('base64url');
    for (const [query, by] of [
      [{ customerId, cursor: forged }, app],
      [{ customerId: `${customerId}-other`, cursor: firstPage.nextCursor }, app],
      [{ customerId, cursor: firstPage.nextCursor }, testbed.appWith({})],
    ] as const) {
      const res = await request(by).get('/complaints').query({ limit: 1, ...query }).set(asService());
      expectProblem(res, 400, 'invalid-request');
      expect(fields(res)).toEqual(['query.cursor']);
    }
  });

  it('refuses a stale cursor (older than an hour)', async () => {
    const secret = 'a-cursor-secret-of-at-least-32-characters';
    const keyed = testbed.appWith({ cursorSecret: secret });
    const fresh = (await request(keyed).get('/complaints').query({ customerId, limit: 1 }).set(asService()).expect(200)).body.nextCursor as string;
    await request(keyed).get('/complaints').query({ customerId, limit: 1, cursor: fresh }).set(asService()).expect(200);
    // The same page token, signed with the same key, two hours ago.
    const codec = cursorCodec(secret);
    const query = visibilityQuery({ customerId, limit: 1 }, customerRefs());
    const token = codec.decode(query, fresh);
    const stale = codec.encode(query, token, Date.now() - 2 * 3600_000);
    const res = await request(keyed).get('/complaints').query({ customerId, limit: 1, cursor: stale }).set(asService());
    expectProblem(res, 400, 'invalid-request');
    expect(res.body.errors).toEqual([{ field: 'query.cursor', reason: expect.stringMatching(/expired/) }]);
  });
});

describe('idempotent replay', () => {
  it('answers the stage the complaint is in now (closed after a withdrawal), not the stage it started in', async () => {
    const key = newComplaintId('key');
    const body = uniqueIntake();
    const first = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(body).expect(201);
    expect(first.body.stage).toBe('awaiting-judgment');
    await request(app).post(`/complaints/${first.body.complaintId}/withdrawal`).set(asService()).send({ reason: 'resolved by phone' }).expect(200);
    await testbed.client.workflow.getHandle(complaintWorkflowId(first.body.complaintId)).result();
    const again = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(body).expect(200);
    expect(again.body).toEqual({ ...first.body, stage: 'closed' });
  });
});
