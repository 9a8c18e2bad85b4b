/**
 * The run command (`npm start`): brings up, in one terminal,
 *   - the Temporal dev server with its Web UI, persisted to .data/temporal.db (unless
 *     TEMPORAL_ADDRESS names a cluster to use instead),
 *   - the complaint worker, and
 *   - the HTTP API,
 * prints where each one is, and on Ctrl-C / SIGTERM / SIGHUP stops them all: the API stops
 * accepting, the worker drains, the dev server exits. No process is left behind, whether the signal
 * goes to the whole process group (a terminal's Ctrl-C, `kill -- -<pgid>`) or to npm alone (npm
 * passes SIGINT/SIGTERM on; on SIGHUP or SIGKILL npm just dies, and we stop when we see our parent
 * gone). `npm start` runs this file with `node --import tsx`, not the `tsx` CLI: that wrapper
 * relays signals to its child and SIGKILLs it when the child does not acknowledge within 30 ms,
 * which on a busy machine killed us before we could stop the dev server.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createPortsFromConfig } from '../activities/adapters';
import { EncryptionCodec, encryptedDataConverter } from '../config/payload-codec';
import { createAppFromSettings } from '../api/app-from-settings';
import { ComplaintRecordStore } from '../archive/store';
import { watchCalendarCoverage } from '../config/calendar-watch';
import { loadAuthSettings, loadCalendar, loadPolicy, loadSettings, temporalConnectConfig } from '../config/settings';
import { describeDevCredentials } from '../api/auth/dev-credentials';
import { describeChosenNumbers } from '../domain/chosen-numbers';
import { createWorkerMetrics, installRuntimeWithMetrics, serveMetrics } from '../worker/metrics';
import { createComplaintWorker } from '../worker/worker';
import { keepRetentionSchedule } from '../worker/retention-schedule';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { searchAttributeRegistrations } from '../contract/search-attributes';
import { devServerSidePortArgs, devServerSqliteArgs, temporalCli } from './temporal-binaries';

const DEV_SERVER_PORT = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
const DEV_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
/** How long a stop may take (worker drain included) before the dev server is killed and we exit anyway. */
const STOP_DEADLINE_MS = 30_000;
/** How often we check that the process that started us (npm) is still there. */
const PARENT_CHECK_MS = 500;

async function main(): Promise<void> {
  // The dev server's UI is the origin our codec endpoint answers.
  if (process.env.NODE_ENV !== 'production') process.env.CODEC_CORS_ORIGIN ??= `http://127.0.0.1:${DEV_UI_PORT}`;
  const settings = loadSettings();
  // Before anything starts: production without configured credentials stops here. Outside
  // production the one command asks for the development credentials (loopback HOST only).
  if (process.env.NODE_ENV !== 'production') process.env.AUTH_DEV_CREDENTIALS ??= 'on';
  const auth = loadAuthSettings();
  const policy = loadPolicy(settings.policyPath);
  mkdirSync(settings.dataDir, { recursive: true });
  // We stop the worker ourselves, in order, on the signals below. Before the first connection:
  // the runtime, and the SDK's metrics exporter with it, is created once per process.
  installRuntimeWithMetrics(settings.workerSdkMetrics, { shutdownSignals: [] });

  let devServer: ChildProcess | undefined;
  let uiUrl: string;
  // The dev server's UI decodes through our codec endpoint at a path only this run knows (it has
  // no login to pass a token from): development on loopback only.
  const codecDevCapability = !settings.production && auth.dev ? `dev-${randomBytes(24).toString('base64url')}` : undefined;
  const temporalDb = join(settings.dataDir, 'temporal.db');
  if (!process.env.TEMPORAL_ADDRESS && !process.env.TEMPORAL_PROFILE) {
    const codecEndpoint = codecDevCapability ? `http://${settings.host}:${settings.port}/codec/${codecDevCapability}` : undefined;
    devServer = startDevServer(temporalDb, await devServerSidePortArgs([DEV_SERVER_PORT, DEV_UI_PORT]), codecEndpoint);
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${DEV_SERVER_PORT}`;
    uiUrl = `http://127.0.0.1:${DEV_UI_PORT}`;
  } else {
    uiUrl = process.env.TEMPORAL_UI_URL ?? '(the Web UI of your cluster)';
  }
  const temporal = temporalConnectConfig();

  let stopping = false;
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Whatever hangs (a worker that does not drain), we still exit, taking the dev server along.
    setTimeout(() => {
      console.error(`Stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting.`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    console.log(`\n${signal}: stopping the API, draining the worker, stopping Temporal...`);
    for (const s of stoppers.reverse()) await s().catch((err) => console.error(err));
    await stopDevServer(devServer);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  // A terminal that hangs up takes our stdout with it: a failed write must not kill us mid-stop.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  // npm dies of a SIGHUP (or SIGKILL) sent to it alone, and we are reparented: stop then too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent exited');
  }, PARENT_CHECK_MS).unref();
  devServer?.on('exit', (code) => {
    if (!stopping) {
      console.error(`The Temporal dev server exited (code ${code}); stopping.`);
      void stop('dev server exit');
    }
  });

  const connection = await connectWithRetry(temporal.connectionOptions);
  stoppers.push(() => connection.close());
  const added = await ensureSearchAttributes(connection, temporal.namespace).catch((err: Error) => {
    console.warn(`Could not register search attributes (${err.message}); register them on the cluster: ${searchAttributeRegistrations.map((r) => `${r.name}=${r.type}`).join(' ')}`);
    return [];
  });
  if (added.length) console.log(`Registered search attributes: ${added.join(', ')}`);

  // One archive for the worker (writes) and the API (reports): PostgreSQL with DATABASE_URL, else embedded.
  const archive = await ComplaintRecordStore.open(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { dataDir: settings.dataDir }, settings.payloadKeyRing);
  stoppers.push(() => archive.close());

  const workerMetrics = createWorkerMetrics();
  if (settings.workerMetrics) {
    const metricsServer = await serveMetrics(workerMetrics.registry, settings.workerMetrics);
    stoppers.push(() => new Promise<void>((done) => metricsServer.close(() => done())));
  }

  // Each complaint's payloads under its customer's data key (kept in the archive, wrapped by the master key).
  const codec = await EncryptionCodec.create(settings.payloadKeyRing, archive.customerKeys);
  const dataConverter = encryptedDataConverter(codec);
  const workerConnection = await NativeConnection.connect(temporal.connectionOptions);
  stoppers.push(() => workerConnection.close());
  const worker = await createComplaintWorker({
    connection: workerConnection,
    namespace: temporal.namespace,
    ports: createPortsFromConfig({ effectsBaseUrl: settings.effectsBaseUrl, dataDir: settings.dataDir, archiveStore: archive, webhookSubscribers: settings.webhookSubscribers, webhookAllowPrivateAddresses: settings.webhookAllowPrivateAddresses, effectsCredentials: settings.effectsCredentials, production: settings.production }),
    workflowBundlePath: settings.workflowBundlePath,
    maxCachedWorkflows: settings.maxCachedWorkflows,
    metrics: workerMetrics,
    dataConverter,
  });
  const workerRun = worker.run();
  stoppers.push(async () => {
    worker.shutdown();
    await workerRun;
  });

  const client = new Client({ connection, namespace: temporal.namespace, dataConverter });
  // Customers past the retention period are erased by a schedule, kept in line with the policy.
  const retention = await keepRetentionSchedule(client, policy.retention);
  const calendar = loadCalendar(settings.calendarPath);
  // Say so in the log while the calendar is running out (and daily after).
  const stopWatching = watchCalendarCoverage(calendar, settings.calendarWarnDays);
  stoppers.push(async () => stopWatching());
  const app = createAppFromSettings(settings, auth, { client, policy, calendar, archive, codec, codecDevCapability });
  const server: Server = await new Promise((ready) => {
    const s = app.listen(settings.port, settings.host, () => ready(s));
  });
  stoppers.push(() => new Promise<void>((done) => server.close(() => done())));

  const apiUrl = `http://${settings.host}:${settings.port}`;
  console.log(
    [
      '',
      'Complaint service is up:',
      `  API           ${apiUrl}   (try: curl ${apiUrl}/healthz, ${apiUrl}/readyz)`,
      `  Temporal UI   ${uiUrl}`,
      `  Temporal      ${temporal.connectionOptions.address} (namespace ${temporal.namespace})`,
      `  Temporal data ${devServer ? `${temporalDb} (SQLite; its log: ${join(settings.dataDir, 'temporal-dev-server.log')})` : '(your cluster)'}`,
      `  Retention     personal data erased ${policy.retention.afterClosureDays} days after a customer's last closure (schedule ${retention})`,
      `  API docs      ${apiUrl}/docs`,
      `  Policy        ${describeChosenNumbers(policy)}`,
      `  Reports       ${apiUrl}/reports   (with a supervisor's, manager's, general manager's or auditor's credentials)`,
      `  Metrics       ${apiUrl}/metrics (API)${settings.workerMetrics ? `, http://${settings.workerMetrics.address}/metrics (worker)` : ''}${settings.workerSdkMetrics ? `, http://${settings.workerSdkMetrics.address}/metrics (Temporal SDK)` : ''}`,
      `  Archive       ${settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : join(settings.dataDir, 'archive')}`,
      `  Effects       ${settings.effectsBaseUrl ?? join(settings.dataDir, 'outbox')}`,
      '  Ctrl-C (or SIGTERM, SIGHUP) stops everything.',
      '',
      ...(auth.dev ? [await describeDevCredentials(apiUrl), ''] : ['Credentials: API_KEYS / AUTH_JWT_SECRET / AUTH_JWKS_URL as configured.', '']),
    ].join('\n'),
  );
  await workerRun.catch((err) => {
    console.error('The worker stopped:', err);
    void stop('worker failure');
  });
}

function startDevServer(dbFile: string, sidePortArgs: string[], codecEndpoint: string | undefined): ChildProcess {
  const cli = temporalCli();
  if (cli.type !== 'existing-path') {
    throw new Error('No Temporal CLI found: run `node scripts/ensure-temporal.mjs` (needs Python 3) or set TEMPORAL_CLI_PATH.');
  }
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(DEV_SERVER_PORT),
    '--ui-port', String(DEV_UI_PORT),
    // Its HTTP API and metrics ports, chosen apart from these (left to itself it may pick one of them).
    ...sidePortArgs,
    '--db-filename', dbFile,
    ...devServerSqliteArgs(),
    '--log-level', 'warn',
    ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
    ...searchAttributeRegistrations.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]),
  ];
  // Its own log goes to a file (it is chatty while shutting down). It runs in its own process
  // group, so a terminal's Ctrl-C reaches only us: we stop it ourselves after the worker has
  // drained (a dev server that died first would leave the worker retrying against nothing).
  const log = openSync(join(dirname(dbFile), 'temporal-dev-server.log'), 'a');
  const child = spawn(cli.path, args, { stdio: ['ignore', log, log], detached: true });
  // Whatever way we exit, the dev server goes with us.
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function stopDevServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function connectWithRetry(options: Parameters<typeof Connection.connect>[0], timeoutMs = 60_000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ ...options, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal is not reachable at ${options?.address}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
