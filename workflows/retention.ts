/**
 * The retention sweep: started by its schedule (worker/retention-schedule.ts), it erases every
 * customer whose complaints all closed longer ago than the policy's retention period, a page at a
 * time, and answers how many it erased and how many it had to leave (a complaint open again).
 * The cutoff is reckoned on the workflow's clock, so a replay finds the same one.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '../activities/retention';
import type { RetentionSweepInput, RetentionSweepResult } from '../contract/retention';
import { retentionCutoff } from '../domain/retention';

const { customersPastRetention, eraseForRetention } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const DEFAULT_BATCH = 100;

export async function personalDataRetention(input: RetentionSweepInput): Promise<RetentionSweepResult> {
  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  const cutoff = retentionCutoff(new Date(), input).toISOString();
  let erased = 0;
  let skipped = 0;
  let afterRef: string | undefined;
  for (;;) {
    const customerRefs = await customersPastRetention({ closedBefore: cutoff, limit: batchSize, afterRef });
    if (customerRefs.length === 0) break;
    const done = await eraseForRetention({ customerRefs, afterClosureDays: input.afterClosureDays });
    erased += done.erased;
    skipped += done.skipped;
    afterRef = customerRefs.at(-1);
    if (customerRefs.length < batchSize) break;
  }
  return { cutoff, erased, skipped };
}
