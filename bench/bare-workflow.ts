/**
 * The benchmark's yardstick: raw Temporal doing the same work as a standard complaint (six updates,
 * as many no-op activities and timers as the service's complaints ran in the same benchmark), with
 * none of the service's rules. Not part of the service.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(step: number): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const bareCommand = defineUpdate<number, [string]>('command');

/** The commands of the standard VIP complaint after its start. */
export const BARE_UPDATES = 6;

/**
 * Six commands, each answered at once; `activities` no-op activities as the ledger runs its
 * batches (one after the start, one after each command while there are any left, the rest at the
 * end); `timers` timers on a deadline (the complaint's nearest one), cancelled at the end.
 */
export async function bareComplaint(activities = 8, timers = 1): Promise<number> {
  let received = 0;
  let done = 0;
  setHandler(bareCommand, () => ++received);
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
  await Promise.all(clocks);
  return received;
}
