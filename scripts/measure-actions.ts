/**
 * Measures what a standard complaint costs in Temporal billable actions, from its real history on
 * the time-skipping server: workflow start, updates, activities, timers, search-attribute upserts.
 *
 *   npx tsx scripts/measure-actions.ts          # print the table
 *   npx tsx scripts/measure-actions.ts --save   # also save the histories for test/replay
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import { createMemoryPorts } from '../activities/adapters/memory';
import { intakeSchema } from '../domain/complaint';
import { loadCalendar, loadPolicy, loadSettings } from '../config/settings';
import { complaintSearchAttributeSchema } from '../worker/search-attributes';
import { commandUpdate, complaintWorkflowId, TASK_QUEUE } from '../workflows/definitions';
import { temporalTestServer } from './temporal-binaries';

const billable: Record<string, string> = {
  EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: 'workflow start',
  EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: 'updates (commands)',
  EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: 'activities',
  EVENT_TYPE_TIMER_STARTED: 'timers',
  EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: 'search-attribute upserts',
  EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: 'signals',
};

async function main(): Promise<void> {
  const settings = loadSettings();
  const policy = loadPolicy(settings.policyPath);
  const calendar = loadCalendar(settings.calendarPath);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: complaintSearchAttributeSchema(),
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(createMemoryPorts().ports),
  });
  const results: Array<Record<string, number | string>> = [];
  await worker.runUntil(async () => {
    for (const tier of ['regular', 'vip'] as const) {
      const complaintId = `measure-${tier}`;
      const handle = await env.client.workflow.start('complaint', {
        taskQueue: TASK_QUEUE,
        workflowId: complaintWorkflowId(complaintId),
        args: [{
          complaintId,
          calendar,
          policy: { ...policy, callback: { sampleRate: 0 } },
          intake: intakeSchema.parse({
            customer: { id: 'c-1', name: 'Li Wei', identityVerified: true, tier, contact: { phone: '13800000000' } },
            channel: 'hotline', category: 'billing-dispute', severity: 'normal', service: 'plan', content: 'double charge',
            demand: 'refund', acceptedBy: { id: 'agent-7', name: 'Zhang Min' },
          }),
        }],
      });
      const send = (name: Parameters<typeof commandUpdate>[0], input: object) => handle.executeUpdate(commandUpdate(name), { args: [input as never] });
      const owner = { id: 'agent-7', role: 'agent' };
      await send('judgeValidity', { actor: owner, upheld: true, reason: 'r', departments: ['billing'] });
      await send('recordContact', { actor: owner, channel: 'phone', purpose: 'progress', summary: 'checking' });
      await send('recordFindings', { actor: { id: 'b', role: 'department', department: 'billing' }, department: 'billing', cause: 'c', partyAtFault: 'p' });
      await send('proposeRemedies', { actor: { id: 'b', role: 'department', department: 'billing' }, options: [{ kind: 'refund', description: 'refund', amountFen: 3000 }] });
      await send('approveRemedy', { actor: { id: 's', role: 'supervisor' }, optionId: 'R1-1' });
      await send('recordCustomerAnswer', { actor: owner, accepted: true });
      if (tier === 'vip') {
        for (let i = 0; i < 100 && (await handle.query('complaintState') as { stage: string }).stage !== 'awaiting-callback'; i++) await new Promise((r) => setTimeout(r, 50));
        await send('recordCallback', { actor: owner, satisfied: true });
      }
      await handle.result();
      const history = await handle.fetchHistory();
      if (process.argv.includes('--save')) {
        const dir = join(__dirname, '..', 'test', 'replay', 'histories');
        mkdirSync(dir, { recursive: true });
        // Binary protobuf: exact, and independent of the JSON mapping's library versions.
        writeFileSync(join(dir, `${tier}-complaint.history.bin`), temporal.api.history.v1.History.encode(history).finish());
      }
      const counts: Record<string, number | string> = { complaint: tier === 'vip' ? 'VIP, with callback' : 'regular, no callback' };
      let total = 0;
      for (const e of history.events ?? []) {
        const name = billable[temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? ''];
        if (!name) continue;
        counts[name] = ((counts[name] as number) ?? 0) + 1;
        total += 1;
      }
      counts['history events'] = history.events?.length ?? 0;
      counts['billable actions'] = total;
      results.push(counts);
    }
  });
  await env.teardown();
  console.table(results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
