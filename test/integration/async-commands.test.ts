/**
 * Commands sent without waiting, and events from outside, over HTTP on the dev server with the
 * real worker: with the worker stopped, asynchronous approvals get 202 at once and are applied
 * exactly once when it is back; their status says pending, then applied (or refused, with the
 * problem the synchronous route gives).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createApp } from '../../api/app';
import { ComplaintRecordStore } from '../../archive/store';
import type { TimelineEvent } from '../../domain/case';
import { intake, intakeBody, newComplaintId, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { commandStatusQuery, commandUpdate, complaintStateQuery, complaintWorkflowId, submitCommandSignal, TASK_QUEUE } from '../../contract/complaint';
import type { complaint } from '../../workflows';
import { asActor, asService, testAuth } from '../support/http';
import { startDevServer, startWorkerWith, type RunningWorker } from '../support/temporal';

let env: TestWorkflowEnvironment;
const memory = createMemoryPorts();

beforeAll(async () => {
  env = await startDevServer();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
}, 120_000);

const startWorker = (): Promise<RunningWorker> => startWorkerWith(env, memory.ports);
const api = () => request(createApp({ client: env.client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth }));
const owner = asActor({ id: 'agent-7', role: 'agent' });
const billing = asActor({ id: 'billing-desk', role: 'department', department: 'billing' });
const network = asActor({ id: 'noc', role: 'department', department: 'network' });
const supervisor = asActor({ id: 'sup-1', role: 'supervisor' });
const async = { Prefer: 'respond-async' };

/** Opens a complaint and takes it to awaiting-approval over HTTP; its path. */
async function awaitingApproval(): Promise<string> {
  const opened = await api().post('/complaints').set(asService()).send(intakeBody());
  expect(opened.status).toBe(201);
  const path = `/complaints/${opened.body.complaintId}`;
  expect((await api().post(`${path}/validity-judgment`).set(owner).send({ upheld: true, reason: 'double charge', departments: ['billing'] })).status).toBe(200);
  expect((await api().post(`${path}/findings`).set(billing).send({ department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' })).status).toBe(200);
  const proposed = await api().post(`${path}/remedy-proposals`).set(billing).send({ options: [{ kind: 'explanation', description: 'The second charge was reversed' }] });
  expect(proposed.body.stage).toBe('awaiting-approval');
  return path;
}

async function statusOf(location: string): Promise<request.Response> {
  return api().get(location).set(supervisor);
}

async function untilDecided(location: string, timeoutMs = 30_000): Promise<request.Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await statusOf(location);
    if (res.status === 200 && res.body.status !== 'pending') return res;
    if (Date.now() > deadline) throw new Error(`${location} stayed ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('with the worker stopped, 20 asynchronous approvals get 202 at once; each is applied exactly once when it is back', async () => {
  let worker = await startWorker();
  const paths: string[] = [];
  for (let i = 0; i < 20; i++) paths.push(await awaitingApproval());
  await worker.stop();

  const started = Date.now();
  const accepted = [];
  for (const path of paths) {
    const res = await api().post(`${path}/remedy-approval`).set(supervisor).set(async).set('Idempotency-Key', 'approve-1').send({ optionId: 'R1-1' });
    accepted.push(res);
  }
  const perRequestMs = (Date.now() - started) / paths.length;
  for (const res of accepted) {
    expect(res.status).toBe(202);
    expect(res.headers['preference-applied']).toBe('respond-async');
    expect(res.headers.location).toBe(res.body.links.status);
    expect(res.body).toMatchObject({ command: 'approveRemedy', status: 'pending', commandId: 'approveRemedy:sup-1:approve-1' });
  }
  expect(perRequestMs).toBeLessThan(1_000);
  // Pending, from the server's history: no worker needed to say so.
  const pending = await statusOf(accepted[0]!.headers.location!);
  expect(pending.status).toBe(200);
  expect(pending.body).toMatchObject({ status: 'pending', via: 'signal', command: 'approveRemedy' });
  expect(pending.headers['x-complaint-source']).toBe('last-known');
  // A resend while the worker is still away: the same key, applied once.
  const resent = await api().post(`${paths[0]}/remedy-approval`).set(supervisor).set(async).set('Idempotency-Key', 'approve-1').send({ optionId: 'R1-1' });
  expect(resent.status).toBe(202);

  worker = await startWorker();
  for (const [i, path] of paths.entries()) {
    const decided = await untilDecided(accepted[i]!.headers.location!);
    expect(decided.body).toMatchObject({ status: 'applied', via: 'signal' });
    expect(decided.body.problem).toBeUndefined();
    const timeline = (await api().get(`${path}/timeline`).set(owner)).body as TimelineEvent[];
    expect(timeline.filter((e) => e.type === 'remedy-approved')).toHaveLength(1);
    expect(timeline.filter((e) => e.type === 'command-applied')).toHaveLength(1);
    expect((await api().get(path).set(owner)).body.stage).toBe('awaiting-customer');
  }
  await worker.stop();
}, 240_000);

test("with an archive, a pending command's status is read from the API's own note, not from the complaint's history", async () => {
  const store = await ComplaintRecordStore.open({ inMemory: true });
  const withArchive = () => request(createApp({ client: env.client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth, archive: store }));
  let worker = await startWorker();
  try {
    const path = await awaitingApproval();
    await worker.stop();
    const accepted = await withArchive().post(`${path}/remedy-approval`).set(supervisor).set(async).set('Idempotency-Key', 'noted-1').send({ optionId: 'R1-1' });
    expect(accepted.status).toBe(202);
    const history = jest.spyOn(env.client.workflowService, 'getWorkflowExecutionHistory');
    const pending = await withArchive().get(accepted.headers.location!).set(supervisor);
    expect({ status: pending.status, body: pending.body, source: pending.headers['x-complaint-source'] }).toMatchObject({ status: 200, body: { status: 'pending', via: 'signal', command: 'approveRemedy' }, source: 'last-known' });
    // An id never sent: no answer to give without the worker, and still no history read.
    const unknown = await withArchive().get(`${path}/commands/approveRemedy:sup-1:never`).set(supervisor);
    expect(unknown.status).toBe(503);
    expect(history).not.toHaveBeenCalled();
    history.mockRestore();
    const { rows } = await store.db.query('SELECT command_id, command FROM submitted_commands');
    expect(rows).toEqual([{ command_id: 'approveRemedy:sup-1:noted-1', command: 'approveRemedy' }]);
    worker = await startWorker();
    expect((await untilDecided(accepted.headers.location!)).body).toMatchObject({ status: 'applied', via: 'signal' });
  } finally {
    await worker.stop();
    await store.close();
  }
}, 120_000);

describe('with the worker running', () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.stop();
  });

  test('a refused command: its status carries the problem the synchronous route answers, and nothing changed', async () => {
    const path = await awaitingApproval();
    const sent = await api().post(`${path}/callback`).set(owner).set(async).send({ satisfied: true });
    expect(sent.status).toBe(202);
    const decided = await untilDecided(sent.headers.location!);
    const synchronous = await api().post(`${path}/callback`).set(owner).send({ satisfied: true });
    expect(synchronous.status).toBe(409);
    expect(decided.body.status).toBe('refused');
    expect(decided.body.problem).toMatchObject({ type: synchronous.body.type, status: 409, title: synchronous.body.title, detail: synchronous.body.detail });
    expect((await api().get(path).set(owner)).body.stage).toBe('awaiting-approval');
  }, 60_000);

  test('the same key synchronously, then asynchronously: applied once, and the status says it came as an update', async () => {
    const path = await awaitingApproval();
    const note = { text: 'customer called twice' };
    expect((await api().post(`${path}/notes`).set(owner).set('Idempotency-Key', 'n-1').send(note)).status).toBe(200);
    const again = await api().post(`${path}/notes`).set(owner).set(async).set('Idempotency-Key', 'n-1').send(note);
    expect(again.status).toBe(202);
    expect((await untilDecided(again.headers.location!)).body).toMatchObject({ status: 'applied', via: 'update' });
    expect((await api().get(path).set(owner)).body.notes).toHaveLength(1);
  }, 60_000);

  test('an unknown command id is 404; a bad Prefer value is ignored (the command waits, as the RFC asks)', async () => {
    const path = await awaitingApproval();
    const unknown = await statusOf(`${path}/commands/nothing-like-it`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('command-not-found');
    const waited = await api().post(`${path}/notes`).set(owner).set('Prefer', 'return=minimal').send({ text: 'a note' });
    expect(waited.status).toBe(200);
    expect(waited.body.notes).toHaveLength(1);
  }, 60_000);

  test('outside events: 202, heard once, only from whom may send them; a closed complaint takes none', async () => {
    const path = await awaitingApproval();
    const ack = { eventId: 'ack-1', department: 'billing', reference: 'BILL-7' };
    expect((await api().post(`${path}/events/dispatch-acknowledgement`).set(billing).send(ack)).status).toBe(202);
    expect((await api().post(`${path}/events/dispatch-acknowledgement`).set(billing).send(ack)).status).toBe(202);
    // Another department acknowledging for billing: 403 before the complaint is even looked at.
    const forged = await api().post(`${path}/events/dispatch-acknowledgement`).set(network).send(ack);
    expect(forged.status).toBe(403);
    expect(forged.body.errors).toEqual([{ field: 'department', reason: 'must be network' }]);
    // …and for itself on a complaint it never had: the unknown-id 404.
    const stranger = await api().post(`${path}/events/dispatch-acknowledgement`).set(network).send({ ...ack, department: 'network' });
    expect(stranger.status).toBe(404);
    const wrongDept = await api().post(`${path}/events/dispatch-acknowledgement`).set(billing).send({ ...ack, department: 'network' });
    expect(wrongDept.status).toBe(403);
    expect(wrongDept.body.errors).toEqual([{ field: 'department', reason: 'must be billing' }]);
    // A payment system's confirmation is for services only.
    const confirmation = await api().post(`${path}/events/settlement-confirmation`).set(owner).send({ eventId: 'c-1', effectKey: 'k', outcome: 'confirmed' });
    expect(confirmation.status).toBe(403);
    const bad = await api().post(`${path}/events/repeat-contact`).set(asService()).send({ eventId: 'r-1', channel: 'carrier-pigeon' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('channel');
    const repeat = await api().post(`${path}/events/repeat-contact`).set(asService()).send({ eventId: 'r-1', channel: 'hotline' });
    expect(repeat.status).toBe(202);
    expect(repeat.body).toMatchObject({ event: 'repeatContact', eventId: 'r-1', status: 'accepted' });

    const deadline = Date.now() + 20_000;
    let state = (await api().get(path).set(owner)).body;
    while ((!state.repeatContacts || !state.assignments[0].acknowledgedAt) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await api().get(path).set(owner)).body;
    }
    expect(state.assignments[0]).toMatchObject({ department: 'billing', acknowledgementReference: 'BILL-7' });
    expect(state.repeatContacts).toHaveLength(1);
    const timeline = (await api().get(`${path}/timeline`).set(owner)).body as TimelineEvent[];
    expect(timeline.filter((e) => e.type === 'dispatch-acknowledged')).toHaveLength(1);

    expect((await api().post(`${path}/withdrawal`).set(owner).send({ reason: 'sorted out' })).status).toBe(200);
    for (let i = 0; i < 100 && (await env.client.workflow.getHandle(`complaint-${path.split('/')[2]}`).describe()).status.name === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const late = await api().post(`${path}/events/repeat-contact`).set(asService()).send({ eventId: 'r-2', channel: 'hotline' });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('complaint-closed');
  }, 60_000);

  test('commands sent without waiting survive continue-as-new: queued ones go on in order, applied ids are remembered', async () => {
    // Started directly, with a short history limit, so the run changes under a queue of commands.
    const complaintId = newComplaintId('CAN');
    const handle = await env.client.workflow.start<typeof complaint>('complaint', {
      taskQueue: TASK_QUEUE,
      workflowId: complaintWorkflowId(complaintId),
      args: [{ complaintId, intake: intake(), policy: wallClockPolicy, calendar: shippedCalendar, continueAsNewAfterEvents: 60 }],
    });
    const firstRun = handle.firstExecutionRunId;
    const actor = { id: 'agent-7', role: 'agent' as const };
    const submit = (commandId: string, text: string) => handle.signal(submitCommandSignal, { commandId, command: 'addNote', input: { actor, text } });
    for (let i = 1; i <= 30; i++) await submit(`note-${i}`, `note ${i}`);
    const decided = async (id: string) => {
      for (let i = 0; i < 300; i++) {
        const status = await handle.query(commandStatusQuery, id);
        if (status && status.status !== 'pending') return status;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${id} never decided`);
    };
    await decided('note-30');
    for (let i = 0; i < 100 && (await handle.describe()).runId === firstRun; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await handle.describe()).runId).not.toBe(firstRun);
    // Resent after the run changed (Temporal's own update-id dedupe is per run): still applied once.
    await submit('note-1', 'note 1');
    await handle.executeUpdate(commandUpdate('addNote'), { args: [{ actor, text: 'note 2' }], updateId: 'note-2' });
    await submit('last', 'last');
    await decided('last');
    const notes = (await handle.query(complaintStateQuery)).notes.map((n) => n.text);
    expect(notes).toEqual([...Array.from({ length: 30 }, (_, i) => `note ${i + 1}`), 'last']);
    expect(await decided('note-1')).toMatchObject({ status: 'applied', via: 'signal' });
    await handle.executeUpdate(commandUpdate('withdraw'), { args: [{ actor, reason: 'test over' }] });
  }, 90_000);
});
