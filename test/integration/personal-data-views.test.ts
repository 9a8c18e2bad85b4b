/**
 * Each role reads the least of a customer it needs, over HTTP against the real app, dev server
 * and worker: the billing desk, the manager and the auditor read the case file, the timeline and a
 * command's answer masked; the owning agent, the supervisor and the filing service read it whole.
 */
import request from 'supertest';
import { actors, commandBodies, intakeBody } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

const testbed = useIntegrationTestbed({ idPrefix: 'VIEW' });

const customer = { id: 'cust-view', name: 'Ouyang Xue', identityVerified: true, tier: 'regular' as const, contact: { phone: '+86 139 8765 4321', email: 'ouyang.xue@example.cn' } };
const plaintext = [customer.name, '8765 4321', customer.contact.email, '13987654321'];

let complaintId: string;
beforeAll(async () => {
  const { app } = testbed;
  const opened = await request(app)
    .post('/complaints')
    .set(asService())
    .send(intakeBody({ customer, content: 'Ouyang Xue was charged twice; call back on 13987654321.' }))
    .expect(201);
  complaintId = opened.body.complaintId;
  await request(app).post(`/complaints/${complaintId}/validity-judgment`).set(asActor(actors.owner)).send(commandBodies.judgeValidity).expect(200);
  await request(app).post(`/complaints/${complaintId}/notes`).set(asActor(actors.owner)).send({ text: 'Ouyang Xue asks for SMS to +86 139 8765 4321' }).expect(200);
});

const leaks = (body: unknown) => plaintext.filter((value) => JSON.stringify(body).includes(value));

describe.each([
  ['the billing desk', actors.billing],
  ['a manager', actors.manager],
  ['an auditor', actors.auditor],
])('%s', (_who, actor) => {
  it('reads the case file masked', async () => {
    const res = await request(testbed.app).get(`/complaints/${complaintId}`).set(asActor(actor)).expect(200);
    expect(res.body.intake.customer).toMatchObject({ name: 'O**', contact: { phone: '139****4321', email: 'o***@example.cn' } });
    expect(res.body.intake.content).toBe('O** was charged twice; call back on 139****4321.');
    expect(leaks(res.body)).toEqual([]);
  });

  it('reads the timeline masked', async () => {
    const res = await request(testbed.app).get(`/complaints/${complaintId}/timeline`).set(asActor(actor)).expect(200);
    expect(JSON.stringify(res.body)).toContain('139****4321');
    expect(leaks(res.body)).toEqual([]);
  });
});

it("masks the case file a department's command answers with", async () => {
  const res = await request(testbed.app).post(`/complaints/${complaintId}/findings`).set(asActor(actors.billing)).send(commandBodies.recordFindings).expect(200);
  expect(res.body.intake.customer.contact.phone).toBe('139****4321');
  expect(leaks(res.body)).toEqual([]);
});

describe.each([
  ['the owning agent', actors.owner],
  ['a supervisor', actors.supervisor],
  ['the filing service', actors.service],
])('%s', (_who, actor) => {
  it('reads the case file and the timeline whole', async () => {
    const state = await request(testbed.app).get(`/complaints/${complaintId}`).set(asActor(actor)).expect(200);
    expect(state.body.intake.customer).toMatchObject({ name: customer.name, contact: customer.contact });
    const timeline = await request(testbed.app).get(`/complaints/${complaintId}/timeline`).set(asActor(actor)).expect(200);
    expect(JSON.stringify(timeline.body)).toContain('+86 139 8765 4321');
  });
});
