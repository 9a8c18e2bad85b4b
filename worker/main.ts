/** The worker process: polls the complaints task queue until SIGINT/SIGTERM, then drains and exits. */
import { NativeConnection } from '@temporalio/worker';
import { createPortsFromConfig } from '../activities/adapters';
import { watchCalendarCoverage } from '../config/calendar-watch';
import { loadCalendar, loadSettings, temporalConnectConfig } from '../config/settings';
import { createComplaintWorker } from './worker';

async function main(): Promise<void> {
  const settings = loadSettings();
  // The complaints' calendar comes with each start; the worker checks the configured one so its log
  // warns operators before the data runs out (deadlines past it use the fallback).
  const stopWatching = watchCalendarCoverage(loadCalendar(settings.calendarPath), settings.calendarWarnDays);
  const temporal = temporalConnectConfig();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  try {
    const worker = await createComplaintWorker({
      connection,
      namespace: temporal.namespace,
      ports: createPortsFromConfig({ effectsBaseUrl: settings.effectsBaseUrl, dataDir: settings.dataDir, databaseUrl: settings.databaseUrl, webhookSubscribers: settings.webhookSubscribers }),
      workflowBundlePath: settings.workflowBundlePath,
      maxCachedWorkflows: settings.maxCachedWorkflows,
    });
    // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
    await worker.run();
  } finally {
    stopWatching();
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
