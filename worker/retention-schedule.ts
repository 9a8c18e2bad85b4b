/**
 * The schedule that runs the retention sweep (workflows/retention.ts) every `sweepEveryHours`, with
 * the policy's retention period: created when missing, brought in line with the policy when it
 * differs (a changed period takes effect from the next sweep), one per namespace whichever process
 * keeps it. A sweep still running when the next is due makes that one skip.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { TASK_QUEUE } from '../contract/complaint';
import { RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_TYPE, type RetentionSweepInput } from '../contract/retention';
import type { RetentionPolicy } from '../domain/retention';

export function retentionScheduleOptions(policy: RetentionPolicy): ScheduleOptions {
  const input: RetentionSweepInput = { afterClosureDays: policy.afterClosureDays };
  return {
    scheduleId: RETENTION_SCHEDULE_ID,
    spec: { intervals: [{ every: `${policy.sweepEveryHours} hours` }] },
    action: { type: 'startWorkflow', workflowType: RETENTION_WORKFLOW_TYPE, taskQueue: TASK_QUEUE, workflowId: 'personal-data-retention-sweep', args: [input] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    memo: { purpose: 'erase customers whose complaints all closed longer ago than the retention period' },
  };
}

/** Creates or updates the schedule; answers what it did. */
export async function keepRetentionSchedule(client: Client, policy: RetentionPolicy): Promise<'created' | 'updated' | 'unchanged'> {
  const options = retentionScheduleOptions(policy);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(RETENTION_SCHEDULE_ID);
  const described = await handle.describe();
  const action = described.action as { args?: unknown[] };
  const every = described.spec.intervals?.[0]?.every;
  const everyMs = typeof every === 'number' ? every : undefined;
  const wantMs = policy.sweepEveryHours * 3_600_000;
  if (JSON.stringify(action.args) === JSON.stringify(options.action.args) && (everyMs === undefined || everyMs === wantMs)) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: options.spec, action: { ...previous.action, ...options.action } as typeof previous.action }));
  return 'updated';
}
