/**
 * The benchmark's third phase: open complaints waiting on their clocks, started at 20 per second
 * with the raw client, then a few more at a calm rate with all of them still open. Measures the CPU
 * per new complaint, how far the worker fell behind, first-task latencies and the worker's memory.
 */
import { cachedWorkflowsFor } from '../../config/settings';
import { archiveColumn, archiveLocal, firstTaskLatencies, log, percentile, round, sleep } from './bench-measure';
import type { BenchSizes, BenchStack } from './bench-stack';

/** New complaints per second while the worker is not saturated (all the others still open). */
export const CALM_RATE_PER_SECOND = 2;
const OPEN_RATE_PER_SECOND = 20;

/** What the later phase needs of this one. */
export interface OpenComplaints {
  /** The complaints opened at 20 per second, all still open. */
  openIds: string[];
  /** How many acknowledgements the receiver should have by now: every complaint of the run so far. */
  target: number;
}

/** ---- 3. Open complaints waiting on their clocks, started at 20 per second ---- */
export async function measureOpenComplaints(stack: BenchStack, sizes: BenchSizes, results: Record<string, string | number>): Promise<OpenComplaints> {
  const { client, receiver, run, rawStart, acknowledged } = stack;
  await sleep(5_000);
  const rssBefore = stack.worker.rssMiB();
  log(`opening ${sizes.open} complaints at ${OPEN_RATE_PER_SECOND}/s (worker RSS ${round(rssBefore)} MiB)`);
  const openIds: string[] = [];
  let peakRss = rssBefore;
  const openStarted = Date.now();
  const cpuAtOpenStart = stack.cpuNow();
  for (let n = 0; n < sizes.open; n++) {
    const due = openStarted + (n / OPEN_RATE_PER_SECOND) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    const id = `${run}-o-${n}`;
    void rawStart(id).catch((err: unknown) => console.error(`start ${id}:`, err));
    openIds.push(id);
    if (n % 500 === 0) {
      peakRss = Math.max(peakRss, stack.worker.rssMiB());
      log(`  ${n} opened, worker RSS ${round(stack.worker.rssMiB())} MiB, acknowledgements ${receiver.raw.filter((e) => e.path === '/customer-notices').length}`);
    }
  }
  const openSeconds = (Date.now() - openStarted) / 1000;
  // Kept up: every complaint's first task ran (its acknowledgement reached the receiver) soon after.
  const target = sizes.open + sizes.starts * 2 + sizes.lifecycles * sizes.rounds;
  const caughtUpFrom = Date.now();
  while (acknowledged() < target && Date.now() - caughtUpFrom < 600_000) {
    peakRss = Math.max(peakRss, stack.worker.rssMiB());
    await sleep(500);
  }
  const openCpu = stack.cpuSince(cpuAtOpenStart);
  results['open complaints'] = sizes.open;
  results[`CPU ms per new complaint: server / worker / starter and receiver${archiveColumn}`] = [openCpu.server, openCpu.worker, openCpu.bench, ...(archiveLocal ? [openCpu.database] : [])]
    .map((c) => round((c * 1000) / sizes.open, 1))
    .join(' / ');
  results['time to open them (s)'] = round(openSeconds);
  results['behind after the last start (s)'] = round((Date.now() - caughtUpFrom) / 1000, 1);
  const firstTasks = await firstTaskLatencies(client, openIds.filter((_, i) => i % Math.max(1, Math.floor(sizes.open / 200)) === 0));
  results['first workflow task p50 (ms)'] = percentile(firstTasks, 0.5);
  results['first workflow task p99 (ms)'] = percentile(firstTasks, 0.99);
  results['worker RSS, peak (MiB)'] = round(Math.max(peakRss, stack.worker.rssMiB()));
  const cpu0 = stack.worker.cpuSeconds();
  await sleep(20_000);
  results['worker RSS, idle with all open (MiB)'] = round(stack.worker.rssMiB());
  results['worker CPU while idle (% of a core)'] = round(((stack.worker.cpuSeconds() - cpu0) / 20) * 100, 1);
  results['workflow cache (complaints, WORKER_CACHE_MB=512)'] = cachedWorkflowsFor(512);

  // The first task of a new complaint on a worker that is not saturated: everything above still
  // open, new complaints arriving at a calm rate (at 20/s this machine's 2 cores are shared by
  // the server, the worker, the API and the receiver, and the figure above is mostly queueing).
  const calmIds: string[] = [];
  for (let n = 0; n < sizes.calm; n++) {
    await sleep(1000 / CALM_RATE_PER_SECOND);
    const id = `${run}-c-${n}`;
    await rawStart(id);
    calmIds.push(id);
  }
  await sleep(2_000);
  const calmFirstTasks = await firstTaskLatencies(client, calmIds);
  results[`first workflow task at ${CALM_RATE_PER_SECOND}/s, all open, p50 (ms)`] = percentile(calmFirstTasks, 0.5);
  results[`first workflow task at ${CALM_RATE_PER_SECOND}/s, all open, p99 (ms)`] = percentile(calmFirstTasks, 0.99);
  return { openIds, target };
}
