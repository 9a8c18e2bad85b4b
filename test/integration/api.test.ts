/** The real thing: the express app, a Temporal dev server and a worker running the complaint workflow. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import type { Express } from 'express';
import type { ComplaintIntakeInput } from '../../domain/complaint';
import { complaintWorkflowId } from '../../contract/complaint';
import { actors, intakeBody, newComplaintId } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'API' });
let env: TestWorkflowEnvironment;
let app: Express;
beforeAll(() => {
  ({ env, app } = testbed);
});

/** An intake unique to the test, so complaints never collide across runs. */
function uniqueIntake(overrides: Partial<ComplaintIntakeInput> = {}): ComplaintIntakeInput {
  return intakeBody({ content: `Charged twice for the October data package (${newComplaintId('case')}).`, ...overrides });
}

async function openComplaint(): Promise<string> {
  const res = await request(app).post('/complaints').set(asService()).send(uniqueIntake()).expect(201);
  return res.body.complaintId as string;
}

const upheld = { upheld: true, reason: 'The October package was billed twice', departments: ['billing'] };

describe('opening a complaint', () => {
  it('answers 201 with Location, and GET shows it awaiting judgment with its owner', async () => {
    const res = await request(app).post('/complaints').set(asService()).send(uniqueIntake());
    expect(res.status).toBe(201);
    const { complaintId } = res.body;
    expect(res.body).toEqual({
      complaintId,
      workflowId: complaintWorkflowId(complaintId),
      stage: 'awaiting-judgment',
      links: { self: `/complaints/${complaintId}`, timeline: `/complaints/${complaintId}/timeline` },
    });
    expect(res.headers.location).toBe(`/complaints/${complaintId}`);

    const state = await request(app).get(res.headers.location!).set(asService()).expect(200);
    expect(state.body).toMatchObject({ complaintId, stage: 'awaiting-judgment', owner: { id: 'agent-7', name: 'Zhang Min' } });
    expect(Date.parse(state.body.receivedAt)).not.toBeNaN();

    const timeline = await request(app).get(`/complaints/${complaintId}/timeline`).set(asService()).expect(200);
    expect(Array.isArray(timeline.body)).toBe(true);
  });

  it('opens one complaint for the same Idempotency-Key sent twice, answering 200 the second time', async () => {
    const key = newComplaintId('key');
    const body = uniqueIntake();
    const first = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(body).expect(201);
    const handle = env.client.workflow.getHandle(first.body.workflowId);
    const { runId } = await handle.describe();

    const again = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(body).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    // Still the first run: the retry started nothing.
    expect((await handle.describe()).runId).toBe(runId);
  });

  it('keeps each caller\'s Idempotency-Keys apart: the same key from another caller opens another complaint', async () => {
    const key = newComplaintId('key');
    const body = uniqueIntake();
    const byService = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(body).expect(201);
    const bySupervisor = await request(app).post('/complaints').set(asActor(actors.supervisor)).set('Idempotency-Key', key).send(body).expect(201);
    expect(bySupervisor.body.complaintId).not.toBe(byService.body.complaintId);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    const key = newComplaintId('key');
    await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(uniqueIntake()).expect(201);
    const res = await request(app).post('/complaints').set(asService()).set('Idempotency-Key', key).send(uniqueIntake({ severity: 'urgent' }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: 'idempotency-key-reused', errors: [{ field: 'Idempotency-Key' }] });
  });

  it('answers 400 malformed-json for a broken body', async () => {
    const res = await request(app).post('/complaints').set(asService()).set('Content-Type', 'application/json').send('{"channel": "hotline",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('malformed-json');
  });

  it('answers 400 naming a missing field', async () => {
    const { category: _omitted, ...body } = uniqueIntake();
    const res = await request(app).post('/complaints').set(asService()).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['category']);
  });
});

describe('commands', () => {
  it('judges the complaint valid (200, investigating), then refuses the same judgment again (409)', async () => {
    const id = await openComplaint();
    const judged = await request(app).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.owner)).send(upheld);
    expect(judged.status).toBe(200);
    expect(judged.body).toMatchObject({ complaintId: id, stage: 'investigating' });

    const again = await request(app).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.owner)).send(upheld);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('command-in-wrong-stage');
  });

  it('answers a retried command with the same Idempotency-Key with the first result', async () => {
    const id = await openComplaint();
    const key = newComplaintId('judgment');
    const first = await request(app).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.owner)).set('Idempotency-Key', key).send(upheld);
    const retry = await request(app).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.owner)).set('Idempotency-Key', key).send(upheld);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.stage).toBe('investigating');
  });

  it('applies the same command Idempotency-Key once per caller, not once for everyone', async () => {
    const id = await openComplaint();
    const key = newComplaintId('note');
    const note = { text: 'Customer prefers SMS' };
    for (const by of [actors.owner, actors.owner, actors.supervisor]) {
      await request(app).post(`/complaints/${id}/notes`).set(asActor(by)).set('Idempotency-Key', key).send(note).expect(200);
    }
    const state = await request(app).get(`/complaints/${id}`).set(asService()).expect(200);
    expect(state.body.notes.map((n: { by: string }) => n.by)).toEqual([actors.owner.id, actors.supervisor.id]);
  });

  it('refuses a judgment by an agent who does not own the complaint (403)', async () => {
    const id = await openComplaint();
    const res = await request(app).post(`/complaints/${id}/validity-judgment`).set(asActor(actors.otherAgent)).send(upheld);
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('command-forbidden');
  });

  it('refuses an upheld judgment without departments (400 naming departments)', async () => {
    const id = await openComplaint();
    const res = await request(app)
      .post(`/complaints/${id}/validity-judgment`)
      .set(asActor(actors.owner))
      .send({ upheld: true, reason: 'Billed twice' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('departments');
  });

  it('maps a command the workflow finds invalid to 422 naming its field', async () => {
    const id = await openComplaint();
    const res = await request(app)
      .post(`/complaints/${id}/owner`)
      .set(asActor(actors.supervisor))
      .send({ newOwner: { id: 'agent-7', name: 'Zhang Min' }, reason: 'Shift change' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: 'command-invalid', errors: [{ field: 'newOwner.id', reason: expect.any(String) }] });
  });

  it('answers 409 complaint-closed for a command to a finished complaint', async () => {
    const id = await openComplaint();
    await request(app).post(`/complaints/${id}/withdrawal`).set(asActor(actors.owner)).send({ reason: 'Sorted out at the store' }).expect(200);
    await env.client.workflow.getHandle(complaintWorkflowId(id)).result();

    const res = await request(app).post(`/complaints/${id}/notes`).set(asActor(actors.owner)).send({ text: 'Too late' });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('complaint-closed');
  });

  it('answers 404 for a command to an unknown complaint', async () => {
    const res = await request(app).post(`/complaints/${newComplaintId('nobody')}/notes`).set(asActor(actors.owner)).send({ text: 'Hello?' });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('complaint-not-found');
  });
});

describe('reads and health', () => {
  it('answers 404 problem+json for an unknown complaint', async () => {
    const id = newComplaintId('nobody');
    const res = await request(app).get(`/complaints/${id}`).set(asService());
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'complaint-not-found', detail: expect.stringContaining(id) });
  });

  it('reports Temporal reachable', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', temporal: 'reachable' });
  });
});
