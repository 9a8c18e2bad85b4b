/**
 * On a real dev server: a complaint survives its worker stopping in the middle of the investigation
 * and finishes correctly on a new worker; its search attributes are kept current for the Web UI.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ComplaintState } from '../../domain/case';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { complaintSearchAttributes as sa } from '../../contract/search-attributes';
import type { complaint } from '../../workflows';
import { commandUpdate, complaintStateQuery, complaintWorkflowId, TASK_QUEUE } from '../../contract/complaint';
import { actors, intake, newComplaintId, shippedCalendar, wallClockPolicy } from '../support/fixtures';
import { useIntegrationTestbed } from '../support/integration-testbed';

/** No file-wide worker: the test starts and stops its own. */
const testbed = useIntegrationTestbed({ worker: false });
let env: TestWorkflowEnvironment;
beforeAll(() => {
  ({ env } = testbed);
});
const startWorker = (memory: ReturnType<typeof createMemoryPorts>) => testbed.startWorker(memory);

test('a complaint survives a worker restart mid-investigation and finishes', async () => {
  const memory = createMemoryPorts();
  const complaintId = newComplaintId('R');
  const handle = await env.client.workflow.start<typeof complaint>('complaint', {
    taskQueue: TASK_QUEUE,
    workflowId: complaintWorkflowId(complaintId),
    args: [{ complaintId, intake: intake({ customer: { id: 'vip-1', name: 'Zhao', identityVerified: true, tier: 'vip', contact: { phone: '13800000000' } } }), policy: wallClockPolicy, calendar: shippedCalendar }],
  });
  const send = (name: Parameters<typeof commandUpdate>[0], input: object) =>
    handle.executeUpdate(commandUpdate(name), { args: [input as never] });

  let worker = await startWorker(memory);
  await send('judgeValidity', { actor: actors.owner, upheld: true, reason: 'r', departments: ['billing', 'network'] });
  await waitFor(handle, (s) => s.assignments.every((a) => a.status === 'dispatched'));
  await send('recordFindings', { actor: actors.billing, department: 'billing', cause: 'double rating', partyAtFault: 'billing batch' });
  await worker.stop();

  // No worker now: the workflow's state lives on in the server's history.
  worker = await startWorker(memory);
  const state = await handle.query(complaintStateQuery);
  expect(state.stage).toBe('investigating');
  expect(state.assignments.find((a) => a.department === 'billing')?.status).toBe('reported');

  await send('recordFindings', { actor: actors.network, department: 'network', cause: 'none', partyAtFault: 'none' });
  await send('proposeRemedies', { actor: actors.billing, options: [{ kind: 'refund', description: 'refund', amountFen: 3000 }] });
  await send('approveRemedy', { actor: actors.supervisor, optionId: 'R1-1' });
  await send('recordCustomerAnswer', { actor: actors.owner, accepted: true });
  await waitFor(handle, (s) => s.stage === 'awaiting-callback');

  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(sa.stage)).toBe('awaiting-callback');
  expect(described.typedSearchAttributes.get(sa.departments)).toEqual(['billing', 'network']);
  expect(described.typedSearchAttributes.get(sa.customerTier)).toBe('vip');

  await send('recordCallback', { actor: actors.owner, satisfied: true });
  const result = await handle.result();
  await worker.stop();
  expect(result.outcome).toBe('resolved');
  // Exactly one payment despite the restart: effects are keyed, and replay does not repeat them.
  expect(memory.effects.filter((e) => e.effect === 'payments')).toHaveLength(1);
  expect(memory.effects.filter((e) => e.effect === 'department-dispatches')).toHaveLength(2);
});

async function waitFor(handle: WorkflowHandle<typeof complaint>, done: (s: ComplaintState) => boolean) {
  const deadline = Date.now() + 15_000;
  while (!done(await handle.query(complaintStateQuery))) {
    if (Date.now() > deadline) throw new Error('the complaint never reached the expected state');
    await new Promise((r) => setTimeout(r, 100));
  }
}
