/**
 * Every branch of the complaint lifecycle, driven over HTTP: the real express app (supertest), a
 * real Temporal dev server and a real worker with in-memory doubles for the outside systems.
 * Mirrors test/workflows/lifecycle.test.ts, but through the API's status codes and problem types.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import request from 'supertest';
import type { ComplaintIntakeInput, RemedyOption } from '../../domain/complaint';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { complaintWorkflowId, type ComplaintResult } from '../../contract/complaint';
import { expectProblem } from '../support/errors';
import { actors, intakeBody, newComplaintId, wallClockPolicy } from '../support/fixtures';
import { asActor, asService } from '../support/http';
import { useIntegrationTestbed } from '../support/integration-testbed';

type Actor = { id: string; role: string; department?: string };

const testbed = useIntegrationTestbed({ idPrefix: 'HTTP' });
const { memory } = testbed;
let env: TestWorkflowEnvironment;
/** The app with the shipped policy. */
let app: Express;
/** The same service with a policy that calls back no regular customer. */
let appWithoutCallbacks: Express;

beforeAll(() => {
  ({ env, app } = testbed);
  appWithoutCallbacks = testbed.appWith({ policy: { ...wallClockPolicy, callback: { sampleRate: 0 } } });
});

// ---- Helpers ----

const vipCustomer = { id: 'vip-9', name: 'Wang Fang', identityVerified: true, tier: 'vip', contact: { email: 'w@example.cn' } } as const;
const upheld = { upheld: true, reason: 'The October package was billed twice', departments: ['billing'] };
const billingFindings = { department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch team', evidence: ['CDR-2026-10'] };

function refund(amountFen: number): RemedyOption {
  return { kind: 'refund', description: `refund ${amountFen / 100} CNY`, amountFen };
}

/** Opens a complaint with content unique to the test (no Idempotency-Key); answers its id. */
async function open(overrides: Partial<ComplaintIntakeInput> = {}, via: Express = app): Promise<string> {
  const body = intakeBody({ content: `Charged twice for the October data package (${newComplaintId('case')}).`, ...overrides });
  const res = await request(via).post('/complaints').set(asService()).send(body);
  expect(res.status).toBe(201);
  return res.body.complaintId as string;
}

/** POST /complaints/:id/<path> as `actor`. */
function send(id: string, path: string, actor: Actor, body: object, via: Express = app): Promise<request.Response> {
  return request(via).post(`/complaints/${id}/${path}`).set(asActor(actor)).send(body);
}

/** Sends a command that must be accepted (200); answers the new state. */
async function ok(id: string, path: string, actor: Actor, body: object): Promise<ComplaintState> {
  const res = await send(id, path, actor, body);
  if (res.status !== 200) throw new Error(`POST ${path} as ${actor.id} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as ComplaintState;
}

async function state(id: string): Promise<ComplaintState> {
  const res = await request(app).get(`/complaints/${id}`).set(asService()).expect(200);
  return res.body as ComplaintState;
}

async function timeline(id: string): Promise<TimelineEvent[]> {
  const res = await request(app).get(`/complaints/${id}/timeline`).set(asService()).expect(200);
  return res.body as TimelineEvent[];
}

/** Polls GET /complaints/:id until `done` holds (activities run between a command and the next stage). */
async function until(id: string, done: (s: ComplaintState) => boolean, what: string, timeoutMs = 20_000): Promise<ComplaintState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await state(id);
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`complaint ${id} never got ${what}; stage ${s.stage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const inStage = (id: string, stage: ComplaintState['stage']) => until(id, (s) => s.stage === stage, `to ${stage}`);

/** Waits for the workflow itself to finish (closed, told, archived). */
function finished(id: string): Promise<ComplaintResult> {
  return env.client.workflow.getHandle(complaintWorkflowId(id)).result() as Promise<ComplaintResult>;
}

/** What the in-memory doubles recorded for this complaint. */
function effects(id: string, effect: string): Array<Record<string, unknown>> {
  return memory.effects
    .filter((e) => e.effect === effect && (e.payload as { complaintId?: string }).complaintId === id)
    .map((e) => e.payload as Record<string, unknown>);
}

/** Judged, investigated by billing, one remedy proposed and approved: the customer is asked. */
async function walkToCustomerAnswer(id: string, option: RemedyOption = refund(3000)): Promise<void> {
  await ok(id, 'validity-judgment', actors.owner, upheld);
  await ok(id, 'findings', actors.billing, billingFindings);
  await ok(id, 'remedy-proposals', actors.billing, { options: [option] });
  const s = await ok(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-1' });
  expect(s.stage).toBe('awaiting-customer');
}

/** Judged and investigated by billing: remedies are due. */
async function walkToProposing(id: string): Promise<void> {
  await ok(id, 'validity-judgment', actors.owner, upheld);
  const s = await ok(id, 'findings', actors.billing, billingFindings);
  expect(s.stage).toBe('proposing');
}

// ---- The branches ----

describe('1. acceptance', () => {
  test('201; the first responder owns the complaint, a reply time is promised, the timeline says accepted', async () => {
    const intake = intakeBody({ content: `Charged twice (${newComplaintId('case')}).` });
    const res = await request(app).post('/complaints').set(asService()).send(intake);
    expect(res.status).toBe(201);
    const id = res.body.complaintId as string;

    const s = await state(id);
    expect(s.stage).toBe('awaiting-judgment');
    expect(s.owner).toEqual(intake.acceptedBy);
    // The shipped policy: a direct complaint is answered within 12 hours of receipt.
    expect(s.promisedTimes).toEqual([expect.objectContaining({ what: 'reply' })]);
    expect(Date.parse(s.promisedTimes[0]!.by) - Date.parse(s.receivedAt)).toBe(12 * 3600_000);

    const events = await timeline(id);
    expect(events[0]).toMatchObject({ type: 'accepted', actor: intake.acceptedBy.id });
  });
});

describe('2. validity judgment and dispute', () => {
  test('not upheld: a reasoned reply goes to the customer', async () => {
    const id = await open();
    const reason = 'the charge matches the plan terms';
    const s = await ok(id, 'validity-judgment', actors.owner, { upheld: false, reason });
    expect(s.stage).toBe('not-upheld');
    expect((await timeline(id)).find((e) => e.type === 'judged-not-upheld')).toMatchObject({ actor: 'agent-7', summary: expect.stringContaining(reason) });
    await until(id, () => effects(id, 'customer-notices').some((n) => n.kind === 'not-upheld'), 'the not-upheld notice');
    expect(effects(id, 'customer-notices').find((n) => n.kind === 'not-upheld')?.message).toContain(reason);
  });

  test('a dispute reopens one level up: an agent may not judge again, a supervisor may', async () => {
    const id = await open();
    await ok(id, 'validity-judgment', actors.owner, { upheld: false, reason: 'terms' });

    const disputed = await send(id, 'disputes', actors.owner, { reason: 'the customer insists the plan was changed without consent' });
    expect(disputed.status).toBe(200);
    expect(disputed.body).toMatchObject({ stage: 'awaiting-judgment', escalationLevel: 1 });
    expect(disputed.body.escalations[0].trigger).toBe('judgment-disputed');

    expectProblem(await send(id, 'validity-judgment', actors.owner, { upheld: false, reason: 'again' }), 403, 'command-forbidden');

    const judged = await send(id, 'validity-judgment', actors.supervisor, { upheld: true, reason: 'consent missing', departments: ['product'] });
    expect(judged.status).toBe(200);
    expect(judged.body.stage).toBe('investigating');
    expect((await state(id)).escalationLevel).toBe(1);
  });
});

describe('3. investigation', () => {
  test('two departments; each reports only for itself; when all have reported, remedies are due', async () => {
    const id = await open();
    await ok(id, 'validity-judgment', actors.owner, { ...upheld, departments: ['billing', 'network'] });
    await until(id, (s) => s.assignments.every((a) => a.status === 'dispatched'), 'both departments dispatched');

    expectProblem(await send(id, 'findings', actors.billing, { department: 'network', cause: 'x', partyAtFault: 'y' }), 403, 'command-forbidden');

    let s = await ok(id, 'findings', actors.billing, billingFindings);
    expect(s.stage).toBe('investigating');
    expectProblem(await send(id, 'findings', actors.billing, { ...billingFindings, cause: 'again' }), 409, 'command-in-wrong-stage');

    s = await ok(id, 'findings', actors.network, { department: 'network', cause: 'none on the network side', partyAtFault: 'none' });
    expect(s.stage).toBe('proposing');
    expect(s.assignments.map((a) => [a.department, a.status, a.findings?.cause])).toEqual([
      ['billing', 'reported', 'duplicate rating run'],
      ['network', 'reported', 'none on the network side'],
    ]);
  });

  test('a handover dispatches the new department, which reports; the old one no longer may', async () => {
    const id = await open();
    await ok(id, 'validity-judgment', actors.owner, { ...upheld, departments: ['network'] });

    const handed = await send(id, 'handovers', actors.network, { from: 'network', to: 'billing', reason: 'a rating fault, not radio' });
    expect(handed.status).toBe(200);
    expect((handed.body as ComplaintState).assignments.map((a) => [a.department, a.status])).toEqual([
      ['network', 'handed-over'],
      ['billing', 'awaiting-dispatch'],
    ]);
    const s = await until(id, (x) => x.assignments.some((a) => a.department === 'billing' && a.status === 'dispatched'), 'billing dispatched');
    expect(s.stage).toBe('investigating');
    expect(effects(id, 'department-dispatches').map((d) => d.department)).toEqual(['network', 'billing']);

    expectProblem(await send(id, 'findings', actors.network, { department: 'network', cause: 'x', partyAtFault: 'y' }), 403, 'command-forbidden');
    const done = await ok(id, 'findings', actors.billing, { department: 'billing', cause: 'rating', partyAtFault: 'billing' });
    expect(done.stage).toBe('proposing');
  });
});

describe('4. remedy proposal and approval', () => {
  test('sent back with a reason: a second round is proposed and approved', async () => {
    const id = await open();
    await walkToProposing(id);
    let s = await ok(id, 'remedy-proposals', actors.billing, { options: [{ kind: 'explanation', description: 'explain the plan terms' }, refund(1000)] });
    expect(s.stage).toBe('awaiting-approval');
    expect(s.proposals.map((p) => p.id)).toEqual(['R1-1', 'R1-2']);

    expectProblem(await send(id, 'remedy-returns', actors.supervisor, {}), 400, 'validation-failed');
    s = await ok(id, 'remedy-returns', actors.supervisor, { reason: 'refund the whole duplicate charge' });
    expect(s).toMatchObject({ stage: 'proposing', proposalRound: 2 });

    s = await ok(id, 'remedy-proposals', actors.billing, { options: [refund(3000)] });
    expect(s.proposals.at(-1)?.id).toBe('R2-1');
    const stale = await send(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-2' });
    expectProblem(stale, 422, 'command-invalid');
    expect(stale.body.errors).toEqual([expect.objectContaining({ field: 'optionId' })]);

    s = await ok(id, 'remedy-approval', actors.supervisor, { optionId: 'R2-1' });
    expect(s.stage).toBe('awaiting-customer');
    expect(s.approvedRemedy?.option).toEqual(refund(3000));
  });

  test('above the supervisor limit (120000 fen) the manager countersigns', async () => {
    const id = await open();
    await walkToProposing(id);
    await ok(id, 'remedy-proposals', actors.billing, { options: [refund(120_000)] });

    let s = await ok(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-approval');
    expect(s.approvals).toEqual([expect.objectContaining({ by: 'sup-1', withinAuthority: false })]);

    s = await ok(id, 'remedy-approval', actors.manager, { optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-customer');
    expect((await state(id)).approvals.map((a) => a.by)).toEqual(['sup-1', 'mgr-1']);
  });

  test('no one approves their own proposal (403)', async () => {
    const id = await open();
    await walkToProposing(id);
    await ok(id, 'remedy-proposals', actors.supervisor, { options: [refund(2000)] });

    expectProblem(await send(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-1' }), 403, 'command-forbidden');
    expect((await state(id)).stage).toBe('awaiting-approval');
    const s = await ok(id, 'remedy-approval', actors.supervisor2, { optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-customer');
  });

  test('a major case needs every consulted opinion before the decision (409 until then)', async () => {
    const id = await open();
    await ok(id, 'validity-judgment', actors.owner, upheld);
    const required = await ok(id, 'consultation', actors.manager, { approvers: ['sup-2', 'mgr-1'], reason: 'regulator copy' });
    expect(required.consultation).toMatchObject({ approvers: ['sup-2', 'mgr-1'], requestedBy: 'mgr-1', opinions: [] });
    await ok(id, 'findings', actors.billing, billingFindings);
    await ok(id, 'remedy-proposals', actors.billing, { options: [refund(2000)] });

    expectProblem(await send(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-1' }), 409, 'command-in-wrong-stage');
    expectProblem(await send(id, 'consultation-opinions', actors.supervisor, { opinion: 'fine', supports: true }), 403, 'command-forbidden');
    await ok(id, 'consultation-opinions', actors.supervisor2, { opinion: 'fine', supports: true });
    expectProblem(await send(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-1' }), 409, 'command-in-wrong-stage');
    await ok(id, 'consultation-opinions', actors.manager, { opinion: 'agreed', supports: true });

    const s = await ok(id, 'remedy-approval', actors.supervisor, { optionId: 'R1-1' });
    expect(s.stage).toBe('awaiting-customer');
    expect(s.consultation?.opinions.map((o) => o.approver)).toEqual(['sup-2', 'mgr-1']);
  });
});

describe('5. the customer answers', () => {
  test('a rejection goes back to proposal with the demand attached', async () => {
    const id = await open();
    await walkToCustomerAnswer(id, { kind: 'explanation', description: 'explain the plan terms' });
    const s = await ok(id, 'customer-answer', actors.owner, { accepted: false, demand: 'refund 30 CNY' });
    expect(s).toMatchObject({ stage: 'proposing', proposalRound: 2 });
    expect(s.customerDemands).toEqual(['Refund the duplicate charge', 'refund 30 CNY']);
  });

  test('accepted by a regular customer (no callbacks drawn): implemented, then closed resolved', async () => {
    const id = await open({}, appWithoutCallbacks);
    await walkToCustomerAnswer(id);
    const s = await ok(id, 'customer-answer', actors.owner, { accepted: true });
    expect(s.stage).toBe('implementing');

    const closed = await inStage(id, 'closed');
    expect(closed).toMatchObject({ outcome: 'resolved', callback: { required: false } });
    expect(closed.policyVersion).toBe(wallClockPolicy.version);
    expect(effects(id, 'payments')).toEqual([expect.objectContaining({ kind: 'refund', amountFen: 3000 })]);
    expect((await finished(id)).outcome).toBe('resolved');
  });

  test('accepted by a VIP: implemented, then awaiting the callback', async () => {
    const id = await open({ customer: vipCustomer });
    await walkToCustomerAnswer(id);
    expect((await ok(id, 'customer-answer', actors.owner, { accepted: true })).stage).toBe('implementing');
    const s = await inStage(id, 'awaiting-callback');
    expect(s.callback).toMatchObject({ required: true });
  });
});

describe('6. the callback', () => {
  test('dissatisfied reopens with an escalation; satisfied closes; the closed complaint refuses commands (409)', async () => {
    const id = await open({ customer: vipCustomer });
    await walkToCustomerAnswer(id);
    await ok(id, 'customer-answer', actors.owner, { accepted: true });
    await inStage(id, 'awaiting-callback');

    let s = await ok(id, 'callback', actors.owner, { satisfied: false, comments: 'refund too small' });
    expect(s).toMatchObject({ stage: 'proposing', escalationLevel: 1 });
    expect(s.escalations.map((e) => e.trigger)).toEqual(['callback-dissatisfied']);

    await ok(id, 'remedy-proposals', actors.billing, { options: [refund(5000)] });
    await ok(id, 'remedy-approval', actors.supervisor, { optionId: 'R2-1' });
    await ok(id, 'customer-answer', actors.owner, { accepted: true });
    await inStage(id, 'awaiting-callback');

    s = await ok(id, 'callback', actors.supervisor, { satisfied: true });
    expect(s).toMatchObject({ stage: 'closed', outcome: 'resolved' });
    expect((await finished(id)).outcome).toBe('resolved');
    expect(effects(id, 'payments').map((p) => p.amountFen)).toEqual([3000, 5000]);

    expectProblem(await send(id, 'notes', actors.owner, { text: 'Too late' }), 409, 'complaint-closed');
    expect((await state(id)).stage).toBe('closed');
  });
});

describe('7. at any stage', () => {
  test.each([
    ['awaiting-judgment', async () => undefined],
    ['investigating', (id: string) => ok(id, 'validity-judgment', actors.owner, upheld)],
    ['awaiting-customer', (id: string) => walkToCustomerAnswer(id)],
  ] as const)('withdrawn while %s: closed as withdrawn', async (stage, reach) => {
    const id = await open();
    await reach(id);
    expect((await state(id)).stage).toBe(stage);

    const res = await send(id, 'withdrawal', actors.service, { reason: 'resolved with the shop' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: 'closed', outcome: 'withdrawn' });
    expect((await finished(id)).outcome).toBe('withdrawn');
    expect(await state(id)).toMatchObject({ stage: 'closed', outcome: 'withdrawn' });
    expect(effects(id, 'customer-notices').at(-1)?.kind).toBe('withdrawn');
  });

  test('notes, contacts and an owner change go on the timeline with their actors; the old owner loses the case', async () => {
    const id = await open();
    await ok(id, 'notes', actors.owner, { text: 'customer prefers SMS' });
    const contacted = await ok(id, 'contacts', actors.owner, {
      channel: 'phone',
      purpose: 'progress',
      summary: 'told them billing is checking',
      newPromisedTime: '2026-12-01T10:00:00+08:00',
    });
    expect(contacted.promisedTimes.at(-1)).toMatchObject({ by: '2026-12-01T10:00:00+08:00' });

    const newOwner = { id: 'agent-9', name: 'Chen Jie' };
    expectProblem(await send(id, 'owner', actors.owner, { newOwner, reason: 'x' }), 403, 'command-forbidden');
    const s = await ok(id, 'owner', actors.supervisor, { newOwner, reason: 'shift change' });
    expect(s.owner).toEqual(newOwner);

    expectProblem(await send(id, 'notes', actors.owner, { text: 'no longer mine' }), 403, 'command-forbidden');
    await ok(id, 'notes', actors.otherAgent, { text: 'taking over' });

    // The commands' events, in order, with who acted (the system's own events, e.g. clocks, aside).
    const commandEvents = new Set(['accepted', 'note', 'customer-contacted', 'owner-reassigned']);
    const events = (await timeline(id)).filter((e) => commandEvents.has(e.type));
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['accepted', 'agent-7'],
      ['note', 'agent-7'],
      ['customer-contacted', 'agent-7'],
      ['owner-reassigned', 'sup-1'],
      ['note', 'agent-9'],
    ]);
    expect((await state(id)).promisedTimes.map((p) => p.by)).toContain('2026-12-01T10:00:00+08:00');
    await until(id, () => effects(id, 'customer-notices').some((n) => n.kind === 'owner-changed'), 'the owner-changed notice');
  });
});
