/** The worker process: polls the complaints task queue until SIGINT/SIGTERM, then drains and exits. */
import { NativeConnection } from '@temporalio/worker';
import { createPortsFromConfig, lazyCustomerKeys, lazyRecordStore } from '../activities/adapters';
import { watchCalendarCoverage } from '../config/calendar-watch';
import { loadCalendar, loadPolicy, loadSettings, temporalConnectConfig } from '../config/settings';
import { Client } from '@temporalio/client';
import { keepRetentionSchedule } from './retention-schedule';
import { createWorkerMetrics, installRuntimeWithMetrics, serveMetrics } from './metrics';
import { createComplaintWorker } from './worker';
import { dataConverterFor } from '../config/payload-codec';

async function main(): Promise<void> {
  const settings = loadSettings();
  // The complaints' calendar comes with each start; the worker checks the configured one so its log
  // warns operators before the data runs out (deadlines past it use the fallback).
  const stopWatching = watchCalendarCoverage(loadCalendar(settings.calendarPath), settings.calendarWarnDays);
  const temporal = temporalConnectConfig();
  // Before the first connection: the runtime (and its metrics exporter) is created once per process.
  installRuntimeWithMetrics(settings.workerSdkMetrics);
  const metrics = createWorkerMetrics();
  const metricsServer = settings.workerMetrics ? await serveMetrics(metrics.registry, settings.workerMetrics) : undefined;
  if (settings.workerSdkMetrics) console.log(`Temporal SDK metrics on http://${settings.workerSdkMetrics.address}/metrics`);
  if (settings.workerMetrics) console.log(`Complaint worker metrics on http://${settings.workerMetrics.address}/metrics`);
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  // The archive keeps the customers' data keys: the codec encrypts each complaint under its customer's.
  const archiveStore = lazyRecordStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir, payloadKeyRing: settings.payloadKeyRing });
  const dataConverter = await dataConverterFor(settings.payloadKeyRing, lazyCustomerKeys(archiveStore));
  try {
    const worker = await createComplaintWorker({
      connection,
      namespace: temporal.namespace,
      ports: createPortsFromConfig({ effectsBaseUrl: settings.effectsBaseUrl, dataDir: settings.dataDir, archiveStore, webhookSubscribers: settings.webhookSubscribers, webhookAllowPrivateAddresses: settings.webhookAllowPrivateAddresses, effectsCredentials: settings.effectsCredentials, production: settings.production }),
      workflowBundlePath: settings.workflowBundlePath,
      dataConverter,
      maxCachedWorkflows: settings.maxCachedWorkflows,
      metrics,
    });
    // Customers past the retention period are erased by a schedule, kept in line with the policy.
    const retention = loadPolicy(settings.policyPath).retention;
    const schedule = await keepRetentionSchedule(new Client({ connection, namespace: temporal.namespace, dataConverter }), retention);
    console.log(`Retention: personal data erased ${retention.afterClosureDays} days after a customer's last closure (schedule ${schedule})`);
    // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
    await worker.run();
  } finally {
    stopWatching();
    await connection.close();
    await archiveStore.close();
    await new Promise((done) => (metricsServer ? metricsServer.close(done) : done(undefined)));
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
