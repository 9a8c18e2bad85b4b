/**
 * The retention sweep's activities: thin adapters from the workflow to the retention port. Whether
 * a complaint never filed has a workflow at all is asked of Temporal through the worker's client.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { complaintWorkflowId } from '../contract/complaint';
import type { PersonalDataRetention } from './ports';

export function createRetentionActivities(retention: PersonalDataRetention | undefined) {
  const port = () => retention ?? Promise.reject(ApplicationFailure.nonRetryable('This worker has no retention port (its archive keeps no customer keys)', 'RetentionPortMissing'));
  const isStarted = async (complaintId: string) => {
    try {
      await Context.current().client.workflow.getHandle(complaintWorkflowId(complaintId)).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };
  return {
    /** Customers whose every complaint closed before `closedBefore`, a page at a time. */
    async customersPastRetention(query: { closedBefore: string; limit: number; afterRef?: string }): Promise<string[]> {
      return (await port()).pastRetention(query.closedBefore, query.limit, query.afterRef);
    },

    /** Erases each customer (their data keys destroyed); a customer with a complaint open again is skipped. */
    async eraseForRetention(batch: { customerRefs: string[]; afterClosureDays: number }): Promise<{ erased: number; skipped: number }> {
      const p = await port();
      let erased = 0;
      let skipped = 0;
      for (const ref of batch.customerRefs) {
        const outcome = await p.erase(ref, `retention: every complaint closed more than ${batch.afterClosureDays} days ago`, isStarted);
        if (outcome === 'erased') erased++;
        else skipped++;
        Context.current().heartbeat(erased + skipped);
      }
      return { erased, skipped };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
