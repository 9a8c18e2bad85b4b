/** The API's contract against the real thing: listing through visibility, and answers that match /openapi.json. */
import type { Express } from 'express';
import request from 'supertest';
import type { ComplaintIntakeInput } from '../../domain/complaint';
import { complaintWorkflowId } from '../../contract/complaint';
import { intakeBody, newComplaintId } from '../support/fixtures';
import { asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'CT' });
let app: Express;
beforeAll(() => {
  ({ app } = testbed);
});

interface Summary {
  complaintId: string;
  workflowId: string;
  stage?: string;
  category?: string;
  severity?: string;
  owner?: string;
  escalationLevel?: number;
  customerTier?: string;
  startedAt: string;
  status: string;
}

/** Visibility is eventually consistent: ask until `done` holds (up to ~10 s), then answer the last page. */
async function listUntil(query: Record<string, string | number>, done: (items: Summary[]) => boolean): Promise<{ items: Summary[]; nextCursor: string | null }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await request(app).get('/complaints').set(asService()).query(query).expect(200);
    if (done(res.body.items) || Date.now() > deadline) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('GET /complaints', () => {
  // One customer per run, so the listing sees only this test's complaints.
  const customerId = newComplaintId('cust');
  const opened: Record<string, string> = {};

  beforeAll(async () => {
    const customer = { ...intakeBody().customer, id: customerId };
    const intakes: Record<string, ComplaintIntakeInput> = {
      billing: intakeBody({ customer, category: 'billing-dispute', severity: 'normal' }),
      network: intakeBody({ customer: { ...customer, tier: 'vip' }, category: 'network-quality', severity: 'urgent', urgentReason: 'media-exposure' }),
      attitude: intakeBody({ customer, category: 'service-attitude', severity: 'normal' }),
    };
    for (const [name, intake] of Object.entries(intakes)) {
      const res = await request(app).post('/complaints').set(asService()).send(intake).expect(201);
      opened[name] = res.body.complaintId;
    }
  });

  it('lists the complaints of a customer, each summarised from its search attributes', async () => {
    const { items } = await listUntil({ customerId }, (items) => items.length === 3 && items.every((i) => i.stage !== undefined));
    expect(items.map((i) => i.complaintId).sort()).toEqual(Object.values(opened).sort());
    const network = items.find((i) => i.complaintId === opened.network)!;
    // An urgent complaint may be escalated at once: the level must be the case file's.
    const state = await request(app).get(`/complaints/${opened.network}`).set(asService()).expect(200);
    expect(network).toEqual({
      complaintId: opened.network,
      workflowId: complaintWorkflowId(opened.network!),
      stage: 'awaiting-judgment',
      category: 'network-quality',
      severity: 'urgent',
      owner: 'agent-7',
      escalationLevel: state.body.escalationLevel,
      customerTier: 'vip',
      startedAt: expect.any(String),
      status: 'RUNNING',
    });
    expect(Date.parse(network.startedAt)).toBeGreaterThan(Date.now() - 5 * 60_000);
  });

  it('filters by category, severity, stage, owner, SLA, escalation level and the created range', async () => {
    const network = await listUntil({ customerId, category: 'network-quality' }, (items) => items.length === 1);
    expect(network.items.map((i) => i.complaintId)).toEqual([opened.network]);

    const normal = await listUntil({ customerId, severity: 'normal' }, (items) => items.length === 2);
    expect(normal.items.map((i) => i.complaintId).sort()).toEqual([opened.billing, opened.attitude].sort());

    const waiting = await listUntil({ customerId, stage: 'awaiting-judgment', owner: 'agent-7', slaBreached: 'false' }, (items) => items.length === 3);
    expect(waiting.items).toHaveLength(3);

    const level0 = await listUntil({ customerId, escalationLevel: 0, severity: 'normal' }, (items) => items.length === 2);
    expect(level0.items.map((i) => i.complaintId).sort()).toEqual([opened.billing, opened.attitude].sort());

    const none = await request(app).get('/complaints').set(asService()).query({ customerId, stage: 'closed' }).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });

    const future = await request(app).get('/complaints').set(asService()).query({ customerId, createdFrom: new Date(Date.now() + 3_600_000).toISOString() }).expect(200);
    expect(future.body.items).toEqual([]);
    const recent = await listUntil({ customerId, createdFrom: new Date(Date.now() - 3_600_000).toISOString(), createdTo: new Date(Date.now() + 60_000).toISOString() }, (items) => items.length === 3);
    expect(recent.items).toHaveLength(3);
  });

  it('pages with limit and an opaque cursor, every complaint exactly once', async () => {
    await listUntil({ customerId }, (items) => items.length === 3);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: request.Response = await request(app)
        .get('/complaints').set(asService())
        .query({ customerId, limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((i: Summary) => i.complaintId));
      cursor = res.body.nextCursor;
      if (page === 0) expect(cursor).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen.sort()).toEqual(Object.values(opened).sort());
  });

  it('refuses a cursor from a listing with other filters', async () => {
    const first = await listUntil({ customerId, limit: 1 }, (items) => items.length === 1);
    const res = await request(app).get('/complaints').set(asService()).query({ customerId, category: 'other', cursor: first.nextCursor! });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
  });

  it.each([
    [{ category: 'weather' }, 'query.category'],
    [{ severity: 'apocalyptic' }, 'query.severity'],
    [{ limit: 0 }, 'query.limit'],
    [{ limit: 101 }, 'query.limit'],
    [{ escalationLevel: 'high' }, 'query.escalationLevel'],
    [{ slaBreached: 'maybe' }, 'query.slaBreached'],
    [{ owner: "x' OR WorkflowType = 'y" }, 'query.owner'],
    [{ createdFrom: 'yesterday' }, 'query.createdFrom'],
    [{ createdFrom: '2026-03-02T00:00:00Z', createdTo: '2026-03-01T00:00:00Z' }, 'query.createdTo'],
    [{ cursor: 'not/a/cursor' }, 'query.cursor'],
  ] as const)('answers 400 problem naming the field for %j', async (query, field) => {
    const res = await request(app).get('/complaints').set(asService()).query(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'invalid-request', requestId: expect.any(String) });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses an unknown filter instead of ignoring it', async () => {
    const res = await request(app).get('/complaints').set(asService()).query({ catgory: 'billing-dispute' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain('catgory');
  });
});

describe('answers match /openapi.json', () => {
  let doc: { components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };

  beforeAll(async () => {
    doc = (await request(app).get('/openapi.json').expect(200)).body;
  });

  it('GET /complaints/:id: every key of the case file is documented, every required key is there', async () => {
    const opened = await request(app).post('/complaints').set(asService()).send(intakeBody()).expect(201);
    const state = await request(app).get(`/complaints/${opened.body.complaintId}`).set(asService()).expect(200);
    const schema = doc.components.schemas.ComplaintState!;
    const documented = Object.keys(schema.properties ?? {});
    expect(Object.keys(state.body).filter((key) => !documented.includes(key))).toEqual([]);
    expect((schema.required ?? []).filter((key) => !(key in state.body))).toEqual([]);
  });

  it('POST /complaints and GET /complaints: the answers carry exactly the documented keys', async () => {
    const opened = await request(app).post('/complaints').set(asService()).send(intakeBody()).expect(201);
    expect(Object.keys(opened.body).sort()).toEqual(Object.keys(doc.components.schemas.ComplaintOpened!.properties!).sort());
    const list = await request(app).get('/complaints').set(asService()).query({ limit: 5 }).expect(200);
    expect(Object.keys(list.body).sort()).toEqual(Object.keys(doc.components.schemas.ComplaintList!.properties!).sort());
  });
});
