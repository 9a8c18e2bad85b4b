/**
 * A case file cannot grow past what Temporal carries (2 MiB a payload): over HTTP on the dev server
 * (which enforces that limit) with the real worker. Long notes fill a complaint to its limit; the
 * next is refused with 409 case-file-full, and the complaint still moves on; an outside event's note
 * is left out; commands sent without waiting past the queue's limit are refused at once. Before
 * this limit such a complaint jammed: its continue-as-new input passed 2 MiB and every workflow
 * task failed, its commands unanswered.
 */
import { developmentDataConverter } from '../../config/payload-codec';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createApp } from '../../api/app';
import { CASE_FILE_CEILING_BYTES, CASE_FILE_LIMIT_BYTES, NOTE_NOT_KEPT, WAITING_COMMANDS_LIMIT_BYTES, jsonBytes } from '../../domain/case-file-size';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { complaintStateQuery, complaintTimelineQuery, complaintWorkflowId } from '../../contract/complaint';
import { CASE_FILE_LIMIT_PATCH } from '../../contract/versions';
import { expectProblem } from '../support/errors';
import { intakeBody, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { asActor, asService, testAuth } from '../support/http';
import { startDevServer, startWorkerWith, workflowBundle, type RunningWorker } from '../support/temporal';

let env: TestWorkflowEnvironment;
const memory = createMemoryPorts();

beforeAll(async () => {
  env = await startDevServer();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
}, 120_000);

const api = () => request(createApp({ client: env.client, policy: wallClockPolicy, calendar: shippedCalendar, auth: testAuth }));
const owner = asActor({ id: 'agent-7', role: 'agent' });
const billing = asActor({ id: 'billing-desk', role: 'department', department: 'billing' });
const supervisor = asActor({ id: 'sup-1', role: 'supervisor' });
/** The longest note the API takes, in Chinese: 5,000 characters, 15,000 bytes. */
const longNote = (i: number) => ({ text: `${i}`.padEnd(5000, '客') });

async function open(): Promise<string> {
  const opened = await api().post('/complaints').set(asService()).send(intakeBody());
  expect(opened.status).toBe(201);
  return `/complaints/${opened.body.complaintId}`;
}

/** Adds long notes until the complaint refuses one; the notes taken and the refusal. */
async function fillWithNotes(path: string): Promise<{ taken: number; refusal: request.Response }> {
  for (let i = 1; i <= 200; i++) {
    const res = await api().post(`${path}/notes`).set(owner).send(longNote(i));
    if (res.status !== 200) return { taken: i - 1, refusal: res };
  }
  throw new Error('200 long notes and no refusal: the case file has no limit');
}

/** The workflow tasks that failed in the complaint's current run (a jammed complaint fails them again and again). */
async function failedWorkflowTasks(path: string): Promise<number> {
  const handle = env.client.workflow.getHandle(complaintWorkflowId(path.split('/').at(-1)!));
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).length;
}

describe('with the worker running', () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorkerWith(env, memory.ports);
  });
  afterAll(async () => {
    await worker?.stop();
  });

  test('long notes fill the case file to its limit; the next is 409 case-file-full, and the complaint still moves on to closure', async () => {
    const path = await open();
    const { taken, refusal } = await fillWithNotes(path);
    expectProblem(refusal, 409, 'case-file-full', /case file is full \(\d+ KiB of the 1024 KiB it may hold for this\)/);
    // Each note is on the case twice (its notes and its timeline): ~30 KB a note, 1 MiB in all.
    expect(taken).toBeGreaterThanOrEqual(30);
    expect(taken).toBeLessThanOrEqual(40);

    // Nothing half-applied: the state has exactly the notes taken, and stays readable.
    const state = (await api().get(path).set(owner)).body as ComplaintState;
    expect(state.notes).toHaveLength(taken);
    const timeline = (await api().get(`${path}/timeline`).set(owner)).body as TimelineEvent[];
    expect(jsonBytes(state) + jsonBytes(timeline)).toBeGreaterThanOrEqual(CASE_FILE_LIMIT_BYTES);
    expect(jsonBytes(state) + jsonBytes(timeline)).toBeLessThan(CASE_FILE_LIMIT_BYTES + 64 * 1024);

    // A short note is refused too (the file is full); a contact is still recorded (up to the
    // ceiling, with room left for the rest), and the commands that move the complaint on are taken.
    expectProblem(await api().post(`${path}/notes`).set(owner).send({ text: 'ok' }), 409, 'case-file-full');
    expect((await api().post(`${path}/contacts`).set(owner).send({ channel: 'phone', purpose: 'progress', summary: 'told the customer it is being looked at' })).status).toBe(200);
    expect((await api().post(`${path}/validity-judgment`).set(owner).send({ upheld: true, reason: 'double charge', departments: ['billing'] })).status).toBe(200);
    expect((await api().post(`${path}/findings`).set(billing).send({ department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' })).status).toBe(200);
    expect((await api().post(`${path}/remedy-proposals`).set(billing).send({ options: [{ kind: 'explanation', description: 'The second charge was reversed' }] })).status).toBe(200);
    expect((await api().post(`${path}/remedy-approval`).set(supervisor).send({ optionId: 'R1-1' })).status).toBe(200);
    expect((await api().post(`${path}/customer-answer`).set(owner).send({ accepted: true })).status).toBe(200);
    // The explanation is implemented at once; a customer drawn for a callback is called back.
    const deadline = Date.now() + 30_000;
    let stage: string;
    do {
      stage = ((await api().get(path).set(owner)).body as ComplaintState).stage;
      if (stage === 'awaiting-callback') expect((await api().post(`${path}/callback`).set(owner).send({ satisfied: true })).status).toBe(200);
      else if (stage !== 'closed') await new Promise((r) => setTimeout(r, 100));
    } while (stage !== 'closed' && stage !== 'awaiting-callback' && Date.now() < deadline);
    const handle = env.client.workflow.getHandle(complaintWorkflowId(path.split('/').at(-1)!));
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'resolved' });
    expect(await failedWorkflowTasks(path)).toBe(0);
  }, 90_000);

  test("an outside event's note is left out of a full case file (the event is heard); its history replays", async () => {
    const path = await open();
    const heard = await api().post(`${path}/events/repeat-contact`).set(owner).send({ eventId: 'crm-1', channel: 'hotline', note: 'asked about the refund' });
    expect(heard.status).toBe(202);
    await fillWithNotes(path);
    const late = await api().post(`${path}/events/repeat-contact`).set(owner).send({ eventId: 'crm-2', channel: 'hotline', note: '再'.repeat(2000) });
    expect(late.status).toBe(202);
    const deadline = Date.now() + 20_000;
    let state: ComplaintState;
    do {
      state = (await api().get(path).set(owner)).body as ComplaintState;
      if (state.repeatContacts?.length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(state.repeatContacts?.map((c) => c.note)).toEqual(['asked about the refund', NOTE_NOT_KEPT]);
    expect(await failedWorkflowTasks(path)).toBe(0);

    // The decision is versioned (a marker), and the history replays on today's code.
    const handle = env.client.workflow.getHandle(complaintWorkflowId(path.split('/').at(-1)!));
    const history = await handle.fetchHistory();
    const patches = (history.events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .flatMap((e) => Object.values(e.markerRecordedEventAttributes!.details ?? {}).flatMap((p) => (p.payloads ?? []).map((x) => Buffer.from(x.data!).toString())));
    expect(patches.join()).toContain(CASE_FILE_LIMIT_PATCH);
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: await developmentDataConverter() }, history, handle.workflowId)).resolves.toBeUndefined();
  }, 120_000);

  test('at its ceiling the case file records nothing more from outside; the complaint still takes its stage commands', async () => {
    const path = await open();
    await fillWithNotes(path);
    const id = path.split('/').at(-1)!;
    const handle = env.client.workflow.getHandle(complaintWorkflowId(id));
    const heard = async () => ((await handle.query(complaintStateQuery)).repeatContacts ?? []).length;
    // Repeat contacts from a CRM gone wrong: each is heard (its note left out) until the ceiling.
    let sent = 0;
    let before = -1;
    let now = 0;
    while (sent < 2_000 && now !== before) {
      before = now;
      for (let i = 0; i < 100; i++, sent++) {
        expect((await api().post(`${path}/events/repeat-contact`).set(owner).send({ eventId: `flood-${sent}`, channel: 'hotline', note: 'again' })).status).toBe(202);
      }
      // Signals are handled in order: one more query after the last is answered once all were.
      now = await heard();
    }
    expect(now).toBe(before); // the last 100 changed nothing
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThan(sent);
    const state = await handle.query(complaintStateQuery);
    const timeline = await handle.query(complaintTimelineQuery);
    expect(jsonBytes(state) + jsonBytes(timeline)).toBeLessThan(CASE_FILE_CEILING_BYTES);
    expect(jsonBytes(state) + jsonBytes(timeline)).toBeGreaterThan(CASE_FILE_LIMIT_BYTES);
    // The complaint is not jammed: it still moves on.
    expect((await api().post(`${path}/validity-judgment`).set(owner).send({ upheld: true, reason: 'double charge', departments: ['billing'] })).status).toBe(200);
    expect(((await api().get(path).set(owner)).body as ComplaintState).stage).toBe('investigating');
    expect(await failedWorkflowTasks(path)).toBe(0);
  }, 180_000);
});

test('commands sent without waiting hold at most 256 KiB while they wait: the rest are refused at once, and said so', async () => {
  let worker = await startWorkerWith(env, memory.ports);
  const path = await open();
  await worker.stop();
  // With the worker away, 30 long notes wait (the server keeps the signals): 450 KB in all.
  const sent: request.Response[] = [];
  for (let i = 1; i <= 30; i++) {
    sent.push(await api().post(`${path}/notes`).set(owner).set('Prefer', 'respond-async').set('Idempotency-Key', `long-${i}`).send(longNote(i)));
  }
  for (const res of sent) expect(res.status).toBe(202);
  worker = await startWorkerWith(env, memory.ports);
  try {
    const decided: Array<{ status: string; problem?: { type: string; detail: string } }> = [];
    for (const res of sent) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const status = await api().get(res.headers.location!).set(supervisor);
        if (status.status === 200 && status.body.status !== 'pending') {
          decided.push(status.body);
          break;
        }
        if (Date.now() > deadline) throw new Error(`${res.headers.location} stayed pending`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // In arrival order: those that fit are applied, then every later one is refused.
    const applied = decided.filter((d) => d.status === 'applied').length;
    const perNote = 15_000;
    expect(applied).toBeGreaterThanOrEqual(Math.floor(WAITING_COMMANDS_LIMIT_BYTES / (perNote + 1_000)));
    expect(applied).toBeLessThanOrEqual(Math.ceil(WAITING_COMMANDS_LIMIT_BYTES / perNote));
    expect(decided.slice(0, applied).every((d) => d.status === 'applied')).toBe(true);
    for (const d of decided.slice(applied)) {
      expect(d.status).toBe('refused');
      expect(d.problem).toMatchObject({ type: 'case-file-full', status: 409 });
      expect(d.problem!.detail).toMatch(/commands waiting to be judged/);
    }
    const state = (await api().get(path).set(owner)).body as ComplaintState;
    expect(state.notes).toHaveLength(applied);
    expect(await failedWorkflowTasks(path)).toBe(0);
  } finally {
    await worker.stop();
  }
}, 180_000);
