/**
 * `npm run bench`: the service against raw Temporal on the same dev server in the same run, as
 * ratios, and 10,000 open complaints on one worker process. Writes bench/RESULTS.md (or --out); git keeps the earlier runs.
 *
 *   npm run bench              # the full run (about 15 minutes on 2 cores)
 *   npm run bench -- --quick   # under 5 minutes: 1,000 open complaints, smaller samples
 *   npm run bench -- --quick --profile /tmp/prof   # only starts and lifecycles, with V8 CPU profiles
 *                                                  # of the complaint worker (one per thread)
 *   npm run bench -- --quick --lifecycle-only      # only starts and lifecycles (a quick A/B)
 *
 * Everything runs on this machine on spare ports: a dev server on its own database, a receiver
 * standing in for the outside systems, the complaint worker and the raw-Temporal worker as their
 * own processes, the API in this one. The archive is the worker's default, the embedded PGlite,
 * unless DATABASE_URL names a PostgreSQL (as in production); the run's records stay there. A
 * PostgreSQL on this machine has its CPU counted too.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { cachedWorkflowsFor, loadCalendar, loadPolicy, loadSettings } from '../config/settings';
import { intakeSchema } from '../domain/complaint';
import { commandUpdate, complaintWorkflowId, TASK_QUEUE } from '../contract/complaint';
import { complaintStartInput } from '../contract/versions';
import { intakeSearchAttributes } from '../contract/search-attributes';
import { BARE_UPDATES, bareCommand, type bareComplaint } from '../bench/bare-workflow';
import { countActions } from './measure-actions';
import { startEffectsReceiver } from './lib/effects-receiver';
import { connectWithRetry, startDevServerProcess, startWorkerProcess, type WorkerProcess } from './lib/processes';
import { OWNER_ID, WEBHOOK_SECRET, stackAuth, stackHeaders } from './lib/stack';
import { driveStandardComplaint } from './lib/standard-complaint';
import { contactAtAnyHour } from './lib/wall-clock-policy';
import { temporalCli } from './temporal-binaries';

const quick = process.argv.includes('--quick');
const outArg = process.argv.indexOf('--out');
// One results file: each run replaces it, and git keeps the history of runs.
const out = outArg > 0 ? process.argv[outArg + 1]! : join(__dirname, '..', 'bench', 'RESULTS.md');
const profileArg = process.argv.indexOf('--profile');
const profileDir = profileArg > 0 ? process.argv[profileArg + 1] : undefined;
const lifecycleOnly = process.argv.includes('--lifecycle-only') || profileDir !== undefined;
const sizes = quick ? { starts: 100, lifecycles: 20, rounds: 2, open: 1_000, breachSample: 50, calm: 30 } : { starts: 300, lifecycles: 50, rounds: 3, open: 10_000, breachSample: 100, calm: 100 };
/** New complaints per second while the worker is not saturated (all the others still open). */
const CALM_RATE_PER_SECOND = 2;
const OPEN_RATE_PER_SECOND = 20;
/** The timer sample's clocks fall due this long after their start, while the worker is down. */
const BREACH_IN_MS = 45_000;
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };
const log = (line: string) => console.log(`[${new Date().toISOString()}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The archive the worker writes to: PostgreSQL when DATABASE_URL is set (the worker reads it too). */
const archivePostgres = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
const archiveLocal = archivePostgres !== undefined && ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(archivePostgres.hostname);
/** The CPU rows' extra column when the archive's PostgreSQL is on this machine. */
const archiveColumn = archiveLocal ? ' / archive database' : '';

/** CPU seconds of this machine's PostgreSQL processes (0 for the embedded PGlite: it is in the worker). */
function databaseCpuSeconds(): number {
  if (!archiveLocal) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / 100;
}

/** The machine's 1-minute load average when the run started (others' work skews every figure). */
const loadAtStart = loadavg()[0]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'complaints-bench-'));
  const server = await startDevServerProcess(join(dir, 'temporal.db'), dir);
  const receiver = await startEffectsReceiver();
  const complaintBundle = join(dir, 'complaint-bundle.js');
  const bareBundle = join(dir, 'bare-bundle.js');
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet });
  writeFileSync(complaintBundle, bundle.code);
  writeFileSync(bareBundle, (await bundleWorkflowCode({ workflowsPath: require.resolve('../bench/bare-workflow'), logger: quiet })).code);
  const workerEnv = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    EFFECTS_BASE_URL: receiver.url,
    WEBHOOK_SUBSCRIBERS: JSON.stringify([{ url: `${receiver.url}/webhooks`, secret: WEBHOOK_SECRET }]),
    DATA_DIR: join(dir, 'data'),
    WORKFLOW_BUNDLE_PATH: complaintBundle,
  };
  let worker: WorkerProcess = startWorkerProcess(workerEnv, join(dir, 'worker.log'), undefined, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const bare = startWorkerProcess({ TEMPORAL_ADDRESS: server.address, BARE_BUNDLE_PATH: bareBundle }, join(dir, 'bare-worker.log'), join('bench', 'bare-worker.ts'));
  await Promise.all([worker.ready, bare.ready]);
  const connection = await connectWithRetry(server.address);
  const client = new Client({ connection });
  const settings = loadSettings();
  // Contact at any hour: the same work whatever the hour in Shanghai (see wall-clock-policy).
  const policy = { ...contactAtAnyHour(loadPolicy(settings.policyPath)), callback: { sampleRate: 0 } };
  const calendar = loadCalendar(settings.calendarPath);
  const app = createApp({ client, policy, calendar, auth: stackAuth(), logger: pino({ level: 'error' }) });
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const api = { baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, headersFor: stackHeaders, retryUnavailableMs: 120_000 };
  const results: Record<string, string | number> = {};
  /** Complaints whose first batch ran: their acknowledgement reached the receiver. */
  const acknowledged = () => new Set(receiver.raw.filter((e) => e.path === '/customer-notices' && e.body.kind === 'acknowledgement').map((e) => e.complaintId)).size;
  const run = `b${Date.now().toString(36)}`;
  const intake = (n: string, receivedAt?: string) =>
    intakeSchema.parse({
      customer: { id: `cust-${n}`, name: 'Li Wei', identityVerified: true, tier: 'vip', contact: { phone: '13800000000' } },
      channel: 'hotline', category: 'billing-dispute', severity: 'normal', service: 'Mobile plan 128', content: 'Charged twice in October',
      demand: 'Refund', acceptedBy: { id: OWNER_ID, name: 'Zhang Min' }, receivedAt: receivedAt ?? new Date().toISOString(),
    });
  const rawStart = (id: string, receivedAt?: string) => {
    const i = intake(id, receivedAt);
    // The input the API gives (versioned by input, not by a patch marker).
    return client.workflow.start('complaint', { taskQueue: TASK_QUEUE, workflowId: complaintWorkflowId(id), args: [complaintStartInput({ complaintId: id, intake: i, policy, calendar })], typedSearchAttributes: intakeSearchAttributes(i, policy) });
  };
  const cpuNow = (): Cpu => {
    const own = process.cpuUsage();
    return { server: server.cpuSeconds(), worker: worker.cpuSeconds(), bare: bare.cpuSeconds(), bench: (own.user + own.system) / 1e6, database: databaseCpuSeconds() };
  };
  const cpuSince = (from: Cpu): Cpu => {
    const now = cpuNow();
    return combineCpu(now, from, (a, b) => a - b);
  };
  try {
    // ---- 1. Start throughput: HTTP vs the raw client, same workflow, same input ----
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

    // ---- 2. The standard lifecycle over HTTP vs a bare workflow doing the same work ----
    // Each timed on a quiet machine: the complaints just started still run their first batches
    // (notices, archive records, webhooks), work the bare workflow's turn would not share. In
    // alternating rounds, so a drift of the machine or the server's database weighs on both.
    await settled(worker, () => acknowledged() >= sizes.starts * 2);
    log(`lifecycle: ${sizes.rounds} rounds of ${sizes.lifecycles} standard complaints over HTTP and ${sizes.lifecycles} bare workflows`);
    /** One standard VIP complaint over HTTP, to its result; answers its id. */
    const lifecycleOnce = async (key: string) => {
      // Told by the webhook that the callback is due, as a backend would be (no polling load).
      const callbackDue = (id: string) => receiver.arrival((e) => e.path === '/webhooks' && e.complaintId === id && e.body.type === 'complaint.resolved');
      const id = await driveStandardComplaint({ ...api, tier: 'vip', key, ownerId: OWNER_ID, callbackDue });
      // The end of the run, as for the bare workflow: its result (every effect carried out).
      await client.workflow.getHandle(complaintWorkflowId(id)).result();
      return id;
    };
    let work: Work | undefined;
    /** The bare workflow with the complaints' activities and timers, and their upserts when asked. */
    const bareOnce = async (id: string, w: Work, withUpserts = false) => {
      const handle = await client.workflow.start<typeof bareComplaint>('bareComplaint', { taskQueue: 'bench-bare', workflowId: id, args: [w.activities, w.timers, withUpserts ? w.upserts : 0] });
      for (let u = 0; u < BARE_UPDATES; u++) await handle.executeUpdate(bareCommand, { args: ['command'] });
      await handle.result();
    };
    /** `sizes.lifecycles` jobs at concurrency 10 once the machine is quiet: how long they took and the CPU they used. */
    const phase = async (job: (n: number) => Promise<unknown>): Promise<Phase> => {
      await settled(worker, () => true, server);
      const cpu = cpuNow();
      const rate = await timed(sizes.lifecycles, 10, job);
      return { count: sizes.lifecycles, seconds: sizes.lifecycles / rate, cpu: cpuSince(cpu) };
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
    await worker.stop();
    worker = startWorkerProcess(workerEnv, join(dir, 'doubles-worker.log'), join('bench', 'doubles-worker.ts'));
    await worker.ready;
    const doubles = await phase((n) => lifecycleOnce(`${run}-d-${n}`));
    const bareNextToDoubles = await phase((n) => bareOnce(`${run}-bared-${n}`, work!));
    await worker.stop();
    worker = startWorkerProcess(workerEnv, join(dir, 'worker.log'));
    await worker.ready;

    const service = total(servicePhases);
    const bareTotal = total(barePhases);
    results['lifecycles per second, service over HTTP'] = round(service.count / service.seconds, 2);
    results['lifecycles per second, bare workflow'] = round(bareTotal.count / bareTotal.seconds, 2);
    results['lifecycle: service / bare'] = round(bareTotal.seconds / service.seconds, 2);
    results['lifecycle: service / bare, by round'] = servicePhases.map((p, i) => round(barePhases[i]!.seconds / p.seconds, 2)).join(', ');
    results['lifecycle: service with effect doubles / bare (the round next to it)'] = round(bareNextToDoubles.seconds / doubles.seconds, 2);
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
    results['workflow bundle (KiB)'] = Math.round(bundle.code.length / 1024);

    if (lifecycleOnly) {
      // A profile is written when the worker exits normally (below it is killed with -9).
      await worker.stop();
      if (profileDir) log(`profiled the lifecycle phase: CPU profiles of the complaint worker in ${profileDir}`);
      console.log(results);
      return;
    }

    // ---- 3. Open complaints waiting on their clocks, started at 20 per second ----
    await sleep(5_000);
    const rssBefore = worker.rssMiB();
    log(`opening ${sizes.open} complaints at ${OPEN_RATE_PER_SECOND}/s (worker RSS ${round(rssBefore)} MiB)`);
    const openIds: string[] = [];
    let peakRss = rssBefore;
    const openStarted = Date.now();
    const cpuAtOpenStart = cpuNow();
    for (let n = 0; n < sizes.open; n++) {
      const due = openStarted + (n / OPEN_RATE_PER_SECOND) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      const id = `${run}-o-${n}`;
      void rawStart(id).catch((err: unknown) => console.error(`start ${id}:`, err));
      openIds.push(id);
      if (n % 500 === 0) {
        peakRss = Math.max(peakRss, worker.rssMiB());
        log(`  ${n} opened, worker RSS ${round(worker.rssMiB())} MiB, acknowledgements ${receiver.raw.filter((e) => e.path === '/customer-notices').length}`);
      }
    }
    const openSeconds = (Date.now() - openStarted) / 1000;
    // Kept up: every complaint's first task ran (its acknowledgement reached the receiver) soon after.
    const target = sizes.open + sizes.starts * 2 + sizes.lifecycles * sizes.rounds;
    const caughtUpFrom = Date.now();
    while (acknowledged() < target && Date.now() - caughtUpFrom < 600_000) {
      peakRss = Math.max(peakRss, worker.rssMiB());
      await sleep(500);
    }
    const openCpu = cpuSince(cpuAtOpenStart);
    results['open complaints'] = sizes.open;
    results[`CPU ms per new complaint: server / worker / starter and receiver${archiveColumn}`] = [openCpu.server, openCpu.worker, openCpu.bench, ...(archiveLocal ? [openCpu.database] : [])]
      .map((c) => round((c * 1000) / sizes.open, 1))
      .join(' / ');
    results['time to open them (s)'] = round(openSeconds);
    results['behind after the last start (s)'] = round((Date.now() - caughtUpFrom) / 1000, 1);
    const firstTasks = await firstTaskLatencies(client, openIds.filter((_, i) => i % Math.max(1, Math.floor(sizes.open / 200)) === 0));
    results['first workflow task p50 (ms)'] = percentile(firstTasks, 0.5);
    results['first workflow task p99 (ms)'] = percentile(firstTasks, 0.99);
    results['worker RSS, peak (MiB)'] = round(Math.max(peakRss, worker.rssMiB()));
    const cpu0 = worker.cpuSeconds();
    await sleep(20_000);
    results['worker RSS, idle with all open (MiB)'] = round(worker.rssMiB());
    results['worker CPU while idle (% of a core)'] = round(((worker.cpuSeconds() - cpu0) / 20) * 100, 1);
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

    // ---- 4. kill -9 with everything open; timers fall due while it is down ----
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
    await worker.kill9();
    await sleep(Math.max(10_000, dueAt + 15_000 - Date.now()));
    const restarted = Date.now();
    worker = startWorkerProcess(workerEnv, join(dir, 'worker.log'));
    await worker.ready;
    const anyone = openIds[Math.floor(Math.random() * openIds.length)]!;
    const handle: WorkflowHandle = client.workflow.getHandle(complaintWorkflowId(anyone));
    await handle.executeUpdate(commandUpdate('addNote'), { args: [{ actor: { id: OWNER_ID, role: 'agent' }, text: 'customer called again' } as never] });
    results['restart to first command answered (s)'] = round((Date.now() - restarted) / 1000, 1);
    while ((await breached()) < sizes.breachSample && Date.now() - restarted < 600_000) await sleep(2_000);
    results['timers due while down that fired'] = `${await breached()} of ${sizes.breachSample}`;
    results['restart to the last of them fired (s)'] = round((Date.now() - restarted) / 1000, 1);
    let idleAt = Date.now();
    for (let last = worker.cpuSeconds(); Date.now() - restarted < 600_000; ) {
      await sleep(5_000);
      const now = worker.cpuSeconds();
      if (now - last < 0.25) {
        idleAt = Date.now() - 5_000;
        break;
      }
      last = now;
    }
    results['restart to idle (s)'] = round((idleAt - restarted) / 1000, 1);
    results['worker RSS after restart, idle (MiB)'] = round(worker.rssMiB());
  } finally {
    await new Promise((r) => http.close(r));
    await worker.stop();
    await bare.stop();
    await connection.close();
    await receiver.close();
    await server.stop();
  }
  writeResults(results);
}

/**
 * Waits (up to a minute) until `done` holds and the worker has been idle for a second (under 5% of
 * a core), and the server too when given (under 10%: it keeps its own housekeeping).
 */
async function settled(worker: WorkerProcess, done: () => boolean, server?: { cpuSeconds(): number }): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const cpu = worker.cpuSeconds();
    const serverCpu = server?.cpuSeconds() ?? 0;
    await sleep(1_000);
    if (done() && worker.cpuSeconds() - cpu < 0.05 && (server?.cpuSeconds() ?? 0) - serverCpu < 0.1) return;
  }
}

/** CPU seconds by process: the dev server, the complaint worker, the bare worker, this one. */
type Cpu = { server: number; worker: number; bare: number; bench: number; database: number };

/** `op` of two CPU readings, process by process. */
function combineCpu(a: Cpu, b: Cpu, op: (x: number, y: number) => number): Cpu {
  return { server: op(a.server, b.server), worker: op(a.worker, b.worker), bare: op(a.bare, b.bare), bench: op(a.bench, b.bench), database: op(a.database, b.database) };
}

interface Phase {
  count: number;
  seconds: number;
  cpu: Cpu;
}

/** The phases together: their jobs, seconds and CPU summed. */
function total(phases: Phase[]): Phase {
  return phases.reduce((a, p) => ({
    count: a.count + p.count,
    seconds: a.seconds + p.seconds,
    cpu: combineCpu(a.cpu, p.cpu, (x, y) => x + y),
  }));
}

/** Runs `count` jobs at `concurrency`; answers jobs per second. */
async function timed(count: number, concurrency: number, job: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return count / ((Date.now() - started) / 1000);
}

/** The activities and timers the complaints `ids` ran, per complaint (rounded mean; from their histories). */
async function workDone(client: Client, ids: string[]): Promise<Work> {
  const type = temporal.api.enums.v1.EventType;
  let activities = 0;
  let timers = 0;
  let upserts = 0;
  for (const id of ids) {
    for (const e of (await client.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()).events ?? []) {
      if (e.eventType === type.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) activities++;
      if (e.eventType === type.EVENT_TYPE_TIMER_STARTED) timers++;
      if (e.eventType === type.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) upserts++;
    }
  }
  return { activities: Math.round(activities / ids.length), timers: Math.round(timers / ids.length), upserts: Math.round(upserts / ids.length) };
}

/** What a standard complaint did in Temporal, per complaint: given to the bare workflow. */
type Work = { activities: number; timers: number; upserts: number };

/** Start to end of the first workflow task, in ms, from each complaint's history. */
async function firstTaskLatencies(client: Client, ids: string[]): Promise<number[]> {
  const type = temporal.api.enums.v1.EventType;
  const out: number[] = [];
  for (const id of ids) {
    const events = (await client.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()).events ?? [];
    const at = (t: number) => events.find((e) => e.eventType === t)?.eventTime;
    const started = at(type.EVENT_TYPE_WORKFLOW_TASK_STARTED);
    const completed = at(type.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    if (started && completed) out.push(ms(completed) - ms(started));
  }
  return out.sort((a, b) => a - b);
}

function ms(t: { seconds?: unknown; nanos?: number | null }): number {
  return Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!, 1) : NaN;
}

function round(x: number, digits = 0): number {
  return Number(x.toFixed(digits));
}

function writeResults(results: Record<string, string | number>): void {
  const cli = temporalCli();
  const temporalVersion = cli.type === 'existing-path' ? execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim() : 'unknown';
  const lines = [
    `# Benchmark results${quick ? ' (--quick)' : ''}`,
    '',
    `Run on ${new Date().toISOString()} by \`npm run bench${quick ? ' -- --quick' : ''}\`.`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${temporalVersion} (dev server, SQLite).`,
    'The dev server, the receiver, the API, the complaint worker and the raw-Temporal worker all share the machine.',
    archivePostgres
      ? `Archive: PostgreSQL at ${archivePostgres.host || 'the local socket'} (DATABASE_URL)${archiveLocal ? ', on this machine too' : ''}.`
      : 'Archive: the embedded PGlite in the worker process (the default without DATABASE_URL).',
    `Load average (1 min) at the start of the run: ${loadAtStart.toFixed(2)}; at the end: ${loadavg()[0]!.toFixed(2)} (other work on the machine skews every figure).`,
    '',
    '| measure | value |',
    '| --- | --- |',
    ...Object.entries(results).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`written ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

