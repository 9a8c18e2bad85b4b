/**
 * The benchmark's last phase: kill -9 of the complaint worker with everything open, while a sample
 * of reply clocks falls due; then how soon the restarted worker answers a command, fires the
 * timers that fell due while it was down, and is idle again.
 */
import { developmentCommandSigner } from '../../api/auth/command-signer';
import type { WorkflowHandle } from '@temporalio/client';
import { commandUpdate, complaintWorkflowId } from '../../contract/complaint';
import { log, round, sleep } from './bench-measure';
import type { OpenComplaints } from './bench-open';
import type { BenchSizes, BenchStack } from './bench-stack';
import { OWNER_ID } from './stack';

/** The timer sample's clocks fall due this long after their start, while the worker is down. */
const BREACH_IN_MS = 45_000;

/** ---- 4. kill -9 with everything open; timers fall due while it is down ---- */
export async function measureRestart(stack: BenchStack, sizes: BenchSizes, results: Record<string, string | number>, { openIds, target }: OpenComplaints): Promise<void> {
  const { client, run, rawStart, acknowledged } = stack;
  // A sample whose reply clock (12 h from receipt) breaches BREACH_IN_MS after its start: started,
  // its first tasks run, then the worker is killed before any of them is due.
  const dueAt = Date.now() + BREACH_IN_MS;
  const receivedAt = new Date(dueAt - 12 * 3600_000).toISOString();
  const breachIds = Array.from({ length: sizes.breachSample }, (_, n) => `${run}-t-${n}`);
  const alreadyAcknowledged = acknowledged();
  for (const id of breachIds) await rawStart(id, receivedAt);
  const until = Date.now() + 30_000;
  while (acknowledged() < target + sizes.calm + sizes.breachSample && Date.now() < until) await sleep(250);
  const breached = async () => (await client.workflow.count(`SlaBreached = true AND WorkflowId STARTS_WITH "complaint-${run}-t-"`)).count;
  results['timer sample: acknowledged before the kill'] = `${acknowledged() - alreadyAcknowledged} of ${sizes.breachSample}`;
  results['timer sample: breached before the kill'] = await breached();
  log(`kill -9 of the worker; ${sizes.breachSample} reply clocks fall due in ${round((dueAt - Date.now()) / 1000)} s`);
  await stack.worker.kill9();
  await sleep(Math.max(10_000, dueAt + 15_000 - Date.now()));
  const restarted = Date.now();
  await stack.startWorker('worker.log');
  const anyone = openIds[Math.floor(Math.random() * openIds.length)]!;
  const handle: WorkflowHandle = client.workflow.getHandle(complaintWorkflowId(anyone));
  // Proven as the API proves its commands (the stack runs on the development signing key).
  const actor = { id: OWNER_ID, role: 'agent' as const };
  const body = { text: 'customer called again' };
  const updateId = `addNote:${OWNER_ID}:restart`;
  const proof = developmentCommandSigner().prove({ complaintId: anyone, name: 'addNote', id: updateId, actor, body });
  await handle.executeUpdate(commandUpdate('addNote'), { args: [{ ...body, actor, proof } as never], updateId });
  results['restart to first command answered (s)'] = round((Date.now() - restarted) / 1000, 1);
  while ((await breached()) < sizes.breachSample && Date.now() - restarted < 600_000) await sleep(2_000);
  results['timers due while down that fired'] = `${await breached()} of ${sizes.breachSample}`;
  results['restart to the last of them fired (s)'] = round((Date.now() - restarted) / 1000, 1);
  let idleAt = Date.now();
  for (let last = stack.worker.cpuSeconds(); Date.now() - restarted < 600_000; ) {
    await sleep(5_000);
    const now = stack.worker.cpuSeconds();
    if (now - last < 0.25) {
      idleAt = Date.now() - 5_000;
      break;
    }
    last = now;
  }
  results['restart to idle (s)'] = round((idleAt - restarted) / 1000, 1);
  results['worker RSS after restart, idle (MiB)'] = round(stack.worker.rssMiB());
}
