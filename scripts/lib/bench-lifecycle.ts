/**
 * The benchmark's first two phases: start throughput over HTTP against the raw client (same
 * workflow, same input), and the standard lifecycle over HTTP against a bare workflow doing the same
 * work in Temporal (as many activities, timers and, in a third variant, search-attribute upserts),
 * then with the outside systems and the archive as in-memory doubles. Figures go into `results`.
 */
import { join } from 'node:path';
import { BARE_UPDATES, bareCommand, type bareComplaint } from '../../bench/bare-workflow';
import { complaintWorkflowId } from '../../contract/complaint';
import { countActions } from '../measure-actions';
import { archiveColumn, archiveLocal, log, round, settled, timed, total, workDone, type Phase, type Work } from './bench-measure';
import type { BenchSizes, BenchStack } from './bench-stack';
import { OWNER_ID, stackHeaders } from './stack';
import { driveStandardComplaint } from './standard-complaint';

/** ---- 1. Start throughput: HTTP vs the raw client, same workflow, same input ---- */
export async function measureStarts(stack: BenchStack, sizes: BenchSizes, results: Record<string, string | number>): Promise<void> {
  const { api, run, intake, rawStart } = stack;
  log(`start throughput: ${sizes.starts} over HTTP, ${sizes.starts} with the raw client`);
  const httpStarts = await timed(sizes.starts, 20, async (n) => {
    const res = await fetch(`${api.baseUrl}/complaints`, {
      method: 'POST',
      headers: { ...stackHeaders('service'), 'Content-Type': 'application/json', 'Idempotency-Key': `${run}-s-${n}` },
      body: JSON.stringify({ ...intake(`${run}-s-${n}`), receivedAt: undefined, kind: undefined }),
    });
    if (res.status !== 201) throw new Error(`POST /complaints answered ${res.status}: ${await res.text()}`);
  });
  const rawStarts = await timed(sizes.starts, 20, (n) => rawStart(`${run}-r-${n}`));
  results['starts per second, HTTP'] = round(httpStarts);
  results['starts per second, raw client'] = round(rawStarts);
  results['start: HTTP / raw'] = round(httpStarts / rawStarts, 2);
}

/**
 * ---- 2. The standard lifecycle over HTTP vs a bare workflow doing the same work ----
 * Each timed on a quiet machine: the complaints just started still run their first batches
 * (notices, archive records, webhooks), work the bare workflow's turn would not share. In
 * alternating rounds, so a drift of the machine or the server's database weighs on both.
 */
export async function measureLifecycles(stack: BenchStack, sizes: BenchSizes, results: Record<string, string | number>): Promise<void> {
  const { api, client, receiver, run, server } = stack;
  await settled(stack.worker, () => stack.acknowledged() >= sizes.starts * 2);
  log(`lifecycle: ${sizes.rounds} rounds of ${sizes.lifecycles} standard complaints over HTTP and ${sizes.lifecycles} bare workflows`);
  /** One standard VIP complaint over HTTP, to its result; answers its id. */
  const lifecycleOnce = async (key: string, through = api) => {
    // Told by the webhook that the callback is due, as a backend would be (no polling load).
    const callbackDue = (id: string) => receiver.arrival((e) => e.path === '/webhooks' && e.complaintId === id && e.body.type === 'complaint.resolved');
    const id = await driveStandardComplaint({ ...through, tier: 'vip', key, ownerId: OWNER_ID, callbackDue });
    // The end of the run, as for the bare workflow: its result (every effect carried out).
    await client.workflow.getHandle(complaintWorkflowId(id)).result();
    return id;
  };
  let work: Work | undefined;
  /** The bare workflow with the complaints' activities and timers, and their upserts when asked. */
  const bareOnce = async (id: string, w: Work, withUpserts = false) => {
    // Raw Temporal: plain JSON payloads, as its worker has no codec.
    const handle = await stack.plainClient.workflow.start<typeof bareComplaint>('bareComplaint', { taskQueue: 'bench-bare', workflowId: id, args: [w.activities, w.timers, withUpserts ? w.upserts : 0] });
    for (let u = 0; u < BARE_UPDATES; u++) await handle.executeUpdate(bareCommand, { args: ['command'] });
    await handle.result();
  };
  /** `sizes.lifecycles` jobs at concurrency 10 once the machine is quiet: how long they took and the CPU they used. */
  const phase = async (job: (n: number) => Promise<unknown>): Promise<Phase> => {
    await settled(stack.worker, () => true, server);
    const cpu = stack.cpuNow();
    const rate = await timed(sizes.lifecycles, 10, job);
    return { count: sizes.lifecycles, seconds: sizes.lifecycles / rate, cpu: stack.cpuSince(cpu) };
  };
  const ids: string[] = [];
  const servicePhases: Phase[] = [];
  const barePhases: Phase[] = [];
  const upsertingPhases: Phase[] = [];
  for (let r = 0; r < sizes.rounds; r++) {
    servicePhases.push(await phase(async (n) => ids.push(await lifecycleOnce(`${run}-l${r}-${n}`))));
    // The same work as the service's complaints did in this run: as many activities (batches
    // coalesce when commands come fast, so this is counted, not assumed) and timers.
    const w = (work ??= await workDone(client, ids));
    barePhases.push(await phase((n) => bareOnce(`${run}-bare${r}-${n}`, w)));
    // And with the complaints' search-attribute upserts too: how much of the gap is visibility.
    upsertingPhases.push(await phase((n) => bareOnce(`${run}-bareu${r}-${n}`, w, true)));
  }

  // The same lifecycle with the outside systems and the archive as in-memory doubles (webhooks
  // still over HTTP), next to a round of the bare workflow: the orchestration's own cost, apart
  // from the effects' work.
  await stack.worker.stop();
  await stack.startWorker('doubles-worker.log', join('bench', 'doubles-worker.ts'));
  const doubles = await phase((n) => lifecycleOnce(`${run}-d-${n}`));
  const bareNextToDoubles = await phase((n) => bareOnce(`${run}-bared-${n}`, work!));
  await stack.worker.stop();

  // Before trust at the Temporal layer (no payload codec, no signed commands), next to a round as
  // shipped: what encryption and proven actors cost a lifecycle.
  const plainPhases: Phase[] = [];
  const shippedPhases: Phase[] = [];
  for (let r = 0; r < sizes.rounds; r++) {
    await stack.startWorker(`plain-worker-${r}.log`, join('bench', 'plain-worker.ts'));
    plainPhases.push(await phase((n) => lifecycleOnce(`${run}-p${r}-${n}`, stack.plainApi)));
    await stack.worker.stop();
    await stack.startWorker(`worker-${r}.log`);
    shippedPhases.push(await phase((n) => lifecycleOnce(`${run}-t${r}-${n}`)));
    if (r < sizes.rounds - 1) await stack.worker.stop();
  }

  const service = total(servicePhases);
  const bareTotal = total(barePhases);
  results['lifecycles per second, service over HTTP'] = round(service.count / service.seconds, 2);
  results['lifecycles per second, bare workflow'] = round(bareTotal.count / bareTotal.seconds, 2);
  results['lifecycle: service / bare'] = round(bareTotal.seconds / service.seconds, 2);
  results['lifecycle: service / bare, by round'] = servicePhases.map((p, i) => round(barePhases[i]!.seconds / p.seconds, 2)).join(', ');
  results['lifecycle: service with effect doubles / bare (the round next to it)'] = round(bareNextToDoubles.seconds / doubles.seconds, 2);
  const plain = total(plainPhases);
  const shipped = total(shippedPhases);
  results['lifecycles per second, as shipped (codec and signed commands) / without both'] = `${round(shipped.count / shipped.seconds, 2)} / ${round(plain.count / plain.seconds, 2)}`;
  results['lifecycle: as shipped / without codec and signed commands'] = round(plain.seconds / shipped.seconds, 2);
  results['lifecycle: as shipped / without both, by round'] = shippedPhases.map((p, i) => round(plainPhases[i]!.seconds / p.seconds, 2)).join(', ');
  results['CPU ms per lifecycle, as shipped / without both: server / worker / API, receiver and driver'] = `${perLifecycleOf(shipped)} — ${perLifecycleOf(plain)}`;
  const upserting = total(upsertingPhases);
  results['lifecycle: service / bare with the same search-attribute upserts'] = round(upserting.seconds / service.seconds, 2);
  // Where the machine's time went: both share 2 cores, so the gap is the sum of these.
  const perLifecycle = (p: Phase, worker: 'worker' | 'bare', withDatabase = false) =>
    [p.cpu.server, p.cpu[worker], p.cpu.bench, ...(withDatabase ? [p.cpu.database] : [])].map((s) => Math.round((s * 1000) / p.count)).join(' / ');
  results[`CPU ms per lifecycle, service: server / worker / API, receiver and driver${archiveColumn}`] = perLifecycle(service, 'worker', archiveLocal);
  results['CPU ms per lifecycle, service with effect doubles: server / worker / API, receiver and driver'] = perLifecycle(doubles, 'worker');
  results['CPU ms per lifecycle, bare: server / worker / driver'] = perLifecycle(bareTotal, 'bare');
  results['CPU ms per lifecycle, bare with the upserts: server / worker / driver'] = perLifecycle(upserting, 'bare');
  results['activities / timers / search-attribute upserts per lifecycle (service, given to the bare)'] = `${work!.activities} / ${work!.timers} / ${work!.upserts}`;
  const history = await client.workflow.getHandle(complaintWorkflowId(ids[0]!)).fetchHistory();
  const actions = countActions('VIP', history);
  results['billable actions, standard VIP complaint'] = actions['billable actions']!;
  results['workflow bundle (KiB)'] = Math.round(stack.bundleCode.length / 1024);
}

/** CPU ms per lifecycle of the complaint worker's phase: server / worker / API, receiver and driver. */
function perLifecycleOf(p: Phase): string {
  return [p.cpu.server, p.cpu.worker, p.cpu.bench].map((s) => Math.round((s * 1000) / p.count)).join(' / ');
}
