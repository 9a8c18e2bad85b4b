/**
 * The benchmark's yardstick: raw Temporal doing the same work as a standard complaint (six updates,
 * as many no-op activities and timers as the service's complaints ran in the same benchmark), with
 * none of the service's rules. Not part of the service. A second yardstick also makes as many
 * search-attribute upserts as the complaints did (each a visibility write on the server).
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import { condition, defineUpdate, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(step: number): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const bareCommand = defineUpdate<number, [string]>('command');

/** A search attribute the bench's dev server has (the complaints' own). */
const stage = defineSearchAttributeKey('ComplaintStage', 'KEYWORD');

/** The commands of the standard VIP complaint after its start. */
export const BARE_UPDATES = 6;

/**
 * Six commands, each answered at once; `activities` no-op activities as the ledger runs its
 * batches (one after the start, one after each command while there are any left, the rest at the
 * end); `timers` timers on a deadline (the complaint's nearest one), cancelled at the end;
 * `upserts` search-attribute upserts, one with each command while there are any left (as the
 * complaint's stage changes), the rest at the end.
 */
export async function bareComplaint(activities = 8, timers = 1, upserts = 0): Promise<number> {
  let received = 0;
  let done = 0;
  let upserted = 0;
  const upsert = () => {
    if (upserted < upserts) upsertSearchAttributes([{ key: stage, value: `step-${++upserted}` }]);
  };
  setHandler(bareCommand, () => {
    upsert();
    return ++received;
  });
  const clocks = Array.from({ length: timers }, () => condition(() => done === activities, '12 hours'));
  const step = async () => {
    if (done < activities) await noop(done++);
  };
  await step();
  for (let u = 1; u <= BARE_UPDATES; u++) {
    await condition(() => received >= u);
    await step();
  }
  while (done < activities) await step();
  while (upserted < upserts) upsert();
  await Promise.all(clocks);
  return received;
}
