/**
 * Standard complaints driven over HTTP while the worker is killed with -9 in the middle of effect
 * batches and the dev server is restarted on its database; then every complaint is followed to
 * its closure and every owed effect checked at the receiver: delivered, and once per key.
 * The fault test runs a small one; `npm run chaos` the 200-complaint one.
 */
import { dataConverterFor, failureConverterPath } from '../../config/payload-codec';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import pino from 'pino';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { ComplaintRecordStore } from '../../archive/store';
import { loadCalendar, loadPolicy, loadSettings } from '../../config/settings';
import type { ComplaintState, TimelineEvent } from '../../domain/case';
import { lifecycleEventsOf } from '../../domain/lifecycle-events';
import { complaintTimelineQuery, complaintWorkflowId } from '../../contract/complaint';
import { startEffectsReceiver } from './effects-receiver';
import { connectWithRetry, startDevServerProcess, startWorkerProcess, type WorkerProcess } from './processes';
import { OWNER_ID, WEBHOOK_SECRET, stackAuth, stackHeaders } from './stack';
import { driveStandardComplaint, waitFor } from './standard-complaint';
import { contactAtAnyHour } from './wall-clock-policy';

export interface ChaosOptions {
  complaints: number;
  concurrency: number;
  /** Worker kills (-9), each while an effect batch is in flight at the receiver. */
  kills: number;
  /** Dev server restarts on its database. */
  serverRestarts: number;
  log?: (line: string) => void;
  /** The API's log level (default silent; `npm run chaos` logs errors, so a 500 shows its cause). */
  apiLogLevel?: pino.Level | 'silent';
}

export interface ChaosFigures {
  complaints: number;
  closed: number;
  kills: number;
  serverRestarts: number;
  /** Effects the ledgers owed (webhook batches counted as their events). */
  owed: number;
  /** Distinct keys received; equal to `owed` when nothing was lost. */
  delivered: number;
  missing: string[];
  /** Deliveries repeated after a kill (same key twice): the receiver dedupes these. */
  repeatedDeliveries: number;
  rawDeliveries: number;
  effectsNotDone: number;
  /** Approvals sent without waiting (every third complaint), and those applied exactly once. */
  asyncApprovals: number;
  asyncApprovalsAppliedOnce: number;
  seconds: number;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosFigures> {
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'complaints-chaos-'));
  const server = await startDevServerProcess(join(dir, 'temporal.db'), dir);
  const receiver = await startEffectsReceiver({ delayMs: 20 });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath, logger: quiet })).code);
  const workerEnv = {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_NAMESPACE: 'default',
    EFFECTS_BASE_URL: receiver.url,
    WEBHOOK_SUBSCRIBERS: JSON.stringify([{ url: `${receiver.url}/webhooks`, secret: WEBHOOK_SECRET }]),
    DATA_DIR: join(dir, 'data'),
    WORKFLOW_BUNDLE_PATH: bundlePath,
  };
  let worker: WorkerProcess = startWorkerProcess(workerEnv, join(dir, 'worker.log'));
  await worker.ready;
  const connection = await connectWithRetry(server.address);
  const settings = loadSettings();
  // The worker process encrypts with the same (development) key ring: settings from the same environment.
  const client = new Client({ connection, dataConverter: await dataConverterFor(settings.payloadKeyRing) });
  // Contact at any hour: the same run whatever the hour in Shanghai (see wall-clock-policy).
  const policy = { ...contactAtAnyHour(loadPolicy(settings.policyPath)), callback: { sampleRate: 0 } };
  // Failures (a 500 is a finding) are logged, the rest is not.
  const app = createApp({ client, policy, calendar: loadCalendar(settings.calendarPath), auth: stackAuth(), commandWaitMs: 5_000, logger: pino({ level: o.apiLogLevel ?? 'silent' }) });
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const api = { baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, headersFor: stackHeaders, retryUnavailableMs: 180_000 };
  const figures: ChaosFigures = { complaints: o.complaints, closed: 0, kills: 0, serverRestarts: 0, owed: 0, delivered: 0, missing: [], repeatedDeliveries: 0, rawDeliveries: 0, effectsNotDone: 0, asyncApprovals: 0, asyncApprovalsAppliedOnce: 0, seconds: 0 };
  try {
    const ids: string[] = [];
    const asyncIds = new Set<string>();
    let next = 0;
    const run = `chaos-${Date.now()}`;
    const driving = Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (next < o.complaints) {
          const n = next++;
          // Every third complaint is approved without waiting (a signal, sent back as an update).
          const asyncApproval = n % 3 === 0;
          const id = await driveStandardComplaint({ ...api, tier: n % 2 ? 'vip' : 'regular', key: `${run}-${n}`, ownerId: OWNER_ID, asyncApproval });
          ids.push(id);
          if (asyncApproval) asyncIds.add(id);
        }
      }),
    );
    // The faults, spread over the drive: kills mid-batch, then server restarts.
    const faults = (async () => {
      for (let k = 0; k < o.kills; k++) {
        await until(() => ids.length >= ((k + 1) * o.complaints) / (o.kills + o.serverRestarts + 1) && receiver.inFlight > 0, 120_000);
        log(`kill -9 of the worker with ${receiver.inFlight} deliveries in flight (${ids.length} complaints opened)`);
        await worker.kill9();
        figures.kills += 1;
        await sleep(1_000);
        worker = startWorkerProcess(workerEnv, join(dir, 'worker.log'));
        await worker.ready;
      }
      for (let r = 0; r < o.serverRestarts; r++) {
        await until(() => ids.length >= ((o.kills + r + 1) * o.complaints) / (o.kills + o.serverRestarts + 1), 120_000);
        await server.stop();
        log(`dev server stopped (${ids.length} complaints opened)`);
        await sleep(2_000);
        await server.start();
        figures.serverRestarts += 1;
        log('dev server started again on its database');
      }
    })();
    await Promise.all([driving, faults]);
    log(`${ids.length} complaints driven; waiting for every one to close and settle`);
    const states: ComplaintState[] = [];
    for (const id of ids) states.push(await waitFor(api, id, undefined, 600_000));
    figures.closed = states.filter((s) => s.stage === 'closed').length;
    const timelines = new Map<string, TimelineEvent[]>();
    for (const s of states) {
      timelines.set(s.complaintId, await client.workflow.getHandle(complaintWorkflowId(s.complaintId)).query<TimelineEvent[]>(complaintTimelineQuery.name));
    }
    figures.asyncApprovals = asyncIds.size;
    figures.asyncApprovalsAppliedOnce = [...asyncIds].filter((id) => {
      const t = timelines.get(id) ?? [];
      return t.filter((e) => e.type === 'remedy-approved').length === 1 && t.filter((e) => e.type === 'command-applied').length === 1;
    }).length;
    // The archive is the worker's own store (PGlite under DATA_DIR): read it once the worker is gone.
    await worker.stop();
    const store = await ComplaintRecordStore.open({ dataDir: workerEnv.DATA_DIR });
    const archivedClosed = new Set<string>();
    for (const id of ids) if ((await store.get(id))?.record.state.stage === 'closed') archivedClosed.add(id);
    await store.close();
    for (const s of states) {
      const got = receiver.forComplaint(s.complaintId);
      const receivedKeys = new Set(got.map((e) => `${e.path === '/webhooks' ? 'event' : 'effect'} ${e.key}`));
      // Both archive records (intake, closure) arrived if the archive holds the closed record.
      if (archivedClosed.has(s.complaintId)) for (const e of s.effects) if (e.kind === 'archive') receivedKeys.add(`effect ${e.key}`);
      const timeline = timelines.get(s.complaintId)!;
      const owedKeys = [
        ...s.effects.filter((e) => e.kind !== 'lifecycle-events').map((e) => `effect ${e.key}`),
        ...lifecycleEventsOf(s.complaintId, timeline).map((e) => `event ${e.id}`),
      ];
      figures.owed += owedKeys.length;
      figures.delivered += owedKeys.filter((k) => receivedKeys.has(k)).length;
      figures.missing.push(...owedKeys.filter((k) => !receivedKeys.has(k)));
      figures.effectsNotDone += s.effects.filter((e) => e.status !== 'done').length;
    }
    figures.rawDeliveries = receiver.raw.length;
    figures.repeatedDeliveries = receiver.raw.length - new Set(receiver.raw.map((e) => `${e.path} ${e.key}`)).size;
  } finally {
    figures.seconds = Math.round((Date.now() - started) / 1000);
    await new Promise((r) => http.close(r));
    await worker.stop();
    await connection.close();
    await receiver.close();
    await server.stop();
  }
  return figures;
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return;
    await sleep(20);
  }
}
