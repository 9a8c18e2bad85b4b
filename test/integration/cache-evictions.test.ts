/**
 * A worker whose cache holds far fewer complaints than are open (WORKER_CACHE_MB sizes it in
 * production): complaints are evicted and replayed from history when they wake, and every command
 * to an evicted complaint is answered as if it had never left memory, each effect once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createMemoryPorts } from '../../activities/adapters/memory';
import type { complaint } from '../../workflows';
import { commandUpdate, complaintWorkflowId, TASK_QUEUE } from '../../contract/complaint';
import { actors, intake, newComplaintId, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { startDevServer, startWorkerWith, type RunningWorker } from '../support/temporal';

const OPEN = 200;
const CACHE = 10;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;
const memory = createMemoryPorts();

beforeAll(async () => {
  env = await startDevServer();
  worker = await startWorkerWith(env, memory.ports, { maxCachedWorkflows: CACHE });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
}, 120_000);

test(`${OPEN} open complaints on a cache of ${CACHE}: commands to evicted complaints are answered correctly`, async () => {
  const ids = Array.from({ length: OPEN }, () => newComplaintId('E'));
  const handles = await Promise.all(
    ids.map((complaintId) =>
      env.client.workflow.start<typeof complaint>('complaint', {
        taskQueue: TASK_QUEUE,
        workflowId: complaintWorkflowId(complaintId),
        args: [{ complaintId, intake: intake(), policy: { ...wallClockPolicy, callback: { sampleRate: 0 } }, calendar: shippedCalendar }],
      }),
    ),
  );
  const send = <C extends Parameters<typeof commandUpdate>[0]>(i: number, name: C, input: object) =>
    handles[i]!.executeUpdate(commandUpdate(name), { args: [input as never] });
  // Round after round over every complaint: with 10 cached and 200 open, almost every command
  // lands on a complaint evicted since its last one, replayed from its history first.
  const rounds: Array<[Parameters<typeof commandUpdate>[0], object, string]> = [
    ['judgeValidity', { actor: actors.owner, upheld: true, reason: 'double charge', departments: ['billing'] }, 'investigating'],
    ['addNote', { actor: actors.owner, text: 'the customer called again' }, 'investigating'],
    ['recordFindings', { actor: actors.billing, department: 'billing', cause: 'duplicate rating run', partyAtFault: 'billing batch' }, 'proposing'],
  ];
  for (const [name, input, stage] of rounds) {
    const states = await pool(OPEN, 10, (i) => send(i, name, input));
    expect(states.map((s) => s.stage)).toEqual(ids.map(() => stage));
  }
  // Each complaint's state is its own, and each owed effect reached the double once.
  const states = await pool(OPEN, 10, (i) => handles[i]!.query<{ complaintId: string; notes: unknown[] }>('complaintState'));
  expect(states.map((s) => s.complaintId)).toEqual(ids);
  expect(states.every((s) => s.notes.length === 1)).toBe(true);
  const dispatches = () => memory.effects.filter((e) => e.effect === 'department-dispatches').length;
  for (const deadline = Date.now() + 30_000; dispatches() < OPEN && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
  const dispatched = new Set(memory.effects.filter((e) => e.effect === 'department-dispatches').map((e) => (e.payload as { complaintId: string }).complaintId));
  expect(ids.filter((id) => !dispatched.has(id))).toEqual([]);
  expect(memory.effects.filter((e) => e.effect === 'department-dispatches')).toHaveLength(OPEN);
}, 300_000);

async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}
