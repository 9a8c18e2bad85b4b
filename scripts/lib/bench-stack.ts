/**
 * The benchmark's stack, all on this machine on spare ports: a dev server on its own database, a
 * receiver standing in for the outside systems, the complaint worker and the raw-Temporal worker as
 * their own processes, the API in this one; and the ways the phases start complaints and read the
 * CPU each process used.
 */
import { dataConverterFor, failureConverterPath } from '../../config/payload-codec';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { CommandSigner } from '../../api/auth/command-signer';
import { loadCalendar, loadPolicy, loadSettings } from '../../config/settings';
import { intakeSchema } from '../../domain/complaint';
import { complaintWorkflowId, TASK_QUEUE } from '../../contract/complaint';
import { complaintStartInput } from '../../contract/versions';
import { intakeSearchAttributes } from '../../contract/search-attributes';
import { customerRef } from '../../api/complaints/customer-ref';
import { DEV_CUSTOMER_REF_KEY } from '../../config/credentials';
import { combineCpu, databaseCpuSeconds, type Cpu } from './bench-measure';
import { startEffectsReceiver, type EffectsReceiver } from './effects-receiver';
import { connectWithRetry, startDevServerProcess, startWorkerProcess, type DevServerProcess, type WorkerProcess } from './processes';
import { OWNER_ID, WEBHOOK_SECRET, stackAuth, stackHeaders } from './stack';
import { contactAtAnyHour } from './wall-clock-policy';

/** How many of each the run measures (--quick: smaller). */
export interface BenchSizes {
  starts: number;
  lifecycles: number;
  rounds: number;
  open: number;
  breachSample: number;
  calm: number;
}

export interface BenchStack {
  server: DevServerProcess;
  receiver: EffectsReceiver;
  /** The complaint workflows' bundle, as the worker runs it. */
  bundleCode: string;
  /** The complaint worker: replaced when a phase restarts it (stop or kill -9, then `startWorker`). */
  worker: WorkerProcess;
  bare: WorkerProcess;
  client: Client;
  /** The API in this process, as the standard complaint's driver calls it. */
  api: { baseUrl: string; headersFor: typeof stackHeaders; retryUnavailableMs: number };
  /** The same API without the payload codec and without signed commands (for bench/plain-worker.ts). */
  plainApi: BenchStack['api'];
  /** A client without the codec: raw Temporal, as the bare workflow's worker is. */
  plainClient: Client;
  /** This run's prefix of complaint ids. */
  run: string;
  /** A VIP billing-dispute intake for the complaint `n` (received now unless given). */
  intake: (n: string, receivedAt?: string) => ReturnType<typeof intakeSchema.parse>;
  /** Starts the complaint `id` with the raw client, with the input the API gives. */
  rawStart: (id: string, receivedAt?: string) => Promise<unknown>;
  /** Complaints whose first batch ran: their acknowledgement reached the receiver. */
  acknowledged: () => number;
  cpuNow: () => Cpu;
  cpuSince: (from: Cpu) => Cpu;
  /** Starts the complaint worker afresh (logging to `logName`, running `script` if given) and waits until it is ready. */
  startWorker: (logName: string, script?: string) => Promise<void>;
  /** Stops everything: the API, both workers, the connection, the receiver, the dev server. */
  close: () => Promise<void>;
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/** Starts the stack; with `profileDir`, the complaint worker writes V8 CPU profiles there. */
export async function startBenchStack(profileDir: string | undefined): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), 'complaints-bench-'));
  const server = await startDevServerProcess(join(dir, 'temporal.db'), dir);
  const receiver = await startEffectsReceiver();
  const complaintBundle = join(dir, 'complaint-bundle.js');
  const bareBundle = join(dir, 'bare-bundle.js');
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath, logger: quiet });
  writeFileSync(complaintBundle, bundle.code);
  writeFileSync(bareBundle, (await bundleWorkflowCode({ workflowsPath: require.resolve('../../bench/bare-workflow'), logger: quiet })).code);
  const workerEnv = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    EFFECTS_BASE_URL: receiver.url,
    WEBHOOK_SUBSCRIBERS: JSON.stringify([{ url: `${receiver.url}/webhooks`, secret: WEBHOOK_SECRET }]),
    DATA_DIR: join(dir, 'data'),
    WORKFLOW_BUNDLE_PATH: complaintBundle,
  };
  const worker: WorkerProcess = startWorkerProcess(workerEnv, join(dir, 'worker.log'), undefined, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const bare = startWorkerProcess({ TEMPORAL_ADDRESS: server.address, BARE_BUNDLE_PATH: bareBundle }, join(dir, 'bare-worker.log'), join('bench', 'bare-worker.ts'));
  await Promise.all([worker.ready, bare.ready]);
  const connection: Connection = await connectWithRetry(server.address);
  const settings = loadSettings();
  // The worker process encrypts with the same (development) key ring: settings from the same environment.
  const client = new Client({ connection, dataConverter: await dataConverterFor(settings.payloadKeyRing) });
  // Contact at any hour: the same work whatever the hour in Shanghai (see wall-clock-policy).
  const policy = { ...contactAtAnyHour(loadPolicy(settings.policyPath)), callback: { sampleRate: 0 } };
  const calendar = loadCalendar(settings.calendarPath);
  const app = createApp({ client, policy, calendar, auth: stackAuth(), logger: pino({ level: 'error' }) });
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const api = { baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, headersFor: stackHeaders, retryUnavailableMs: 120_000 };
  // Its twin before trust at the Temporal layer: no codec, no proofs (its complaints pin no keys).
  const unsigned = { trustedKeys: undefined, prove: () => [] } as unknown as CommandSigner;
  const plainClient = new Client({ connection });
  const plainApp = createApp({ client: plainClient, policy, calendar, auth: stackAuth(), commandSigner: unsigned, logger: pino({ level: 'error' }) });
  const plainHttp = await new Promise<Server>((resolve) => {
    const s = plainApp.listen(0, '127.0.0.1', () => resolve(s));
  });
  const plainApi = { ...api, baseUrl: `http://127.0.0.1:${(plainHttp.address() as AddressInfo).port}` };
  const intake = (n: string, receivedAt?: string) =>
    intakeSchema.parse({
      customer: { id: `cust-${n}`, name: 'Li Wei', identityVerified: true, tier: 'vip', contact: { phone: '13800000000' } },
      channel: 'hotline', category: 'billing-dispute', severity: 'normal', service: 'Mobile plan 128', content: 'Charged twice in October',
      demand: 'Refund', acceptedBy: { id: OWNER_ID, name: 'Zhang Min' }, receivedAt: receivedAt ?? new Date().toISOString(),
    });
  const stack: BenchStack = {
    server,
    receiver,
    bundleCode: bundle.code,
    worker,
    bare,
    client,
    api,
    plainApi,
    plainClient,
    run: `b${Date.now().toString(36)}`,
    intake,
    rawStart: (id, receivedAt) => {
      const i = intake(id, receivedAt);
      // The input the API gives (versioned by input, not by a patch marker).
      return client.workflow.start('complaint', { taskQueue: TASK_QUEUE, workflowId: complaintWorkflowId(id), args: [complaintStartInput({ complaintId: id, intake: i, policy, calendar })], typedSearchAttributes: intakeSearchAttributes(i, policy, customerRef(DEV_CUSTOMER_REF_KEY, i.customer.id)) });
    },
    acknowledged: () => new Set(receiver.raw.filter((e) => e.path === '/customer-notices' && e.body.kind === 'acknowledgement').map((e) => e.complaintId)).size,
    cpuNow: () => {
      const own = process.cpuUsage();
      return { server: server.cpuSeconds(), worker: stack.worker.cpuSeconds(), bare: bare.cpuSeconds(), bench: (own.user + own.system) / 1e6, database: databaseCpuSeconds() };
    },
    cpuSince: (from) => {
      const now = stack.cpuNow();
      return combineCpu(now, from, (a, b) => a - b);
    },
    startWorker: async (logName, script) => {
      stack.worker = startWorkerProcess(workerEnv, join(dir, logName), script);
      await stack.worker.ready;
    },
    close: async () => {
      await new Promise((r) => http.close(r));
      await new Promise((r) => plainHttp.close(r));
      await stack.worker.stop();
      await bare.stop();
      await connection.close();
      await receiver.close();
      await server.stop();
    },
  };
  return stack;
}
