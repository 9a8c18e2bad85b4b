/**
 * The benchmark's yardstick: raw Temporal doing the same work as a standard complaint (six updates,
 * eight no-op activities, one timer), with none of the service's rules. Not part of the service.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(step: number): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const bareCommand = defineUpdate<number, [string]>('command');

/** Six commands, each answered at once; eight activities in batches as the ledger would run them; one timer. */
export async function bareComplaint(): Promise<number> {
  let received = 0;
  let done = 0;
  setHandler(bareCommand, () => ++received);
  // The complaint's one timer on its nearest deadline, cancelled at the end.
  const clock = condition(() => done === 8, '12 hours');
  await noop(0);
  done++;
  for (let step = 1; step <= 6; step++) {
    await condition(() => received >= step);
    await noop(step);
    done++;
  }
  await noop(7);
  done++;
  await clock;
  return received;
}
