/** The worker process: polls the complaints task queue until SIGINT/SIGTERM, then drains and exits. */
import { NativeConnection } from '@temporalio/worker';
import { createPortsFromConfig } from '../activities/adapters';
import { loadSettings, temporalConnectConfig } from '../config/settings';
import { createComplaintWorker } from './worker';

async function main(): Promise<void> {
  const settings = loadSettings();
  const temporal = temporalConnectConfig();
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  try {
    const worker = await createComplaintWorker({
      connection,
      namespace: temporal.namespace,
      ports: createPortsFromConfig({ effectsBaseUrl: settings.effectsBaseUrl, dataDir: settings.dataDir, databaseUrl: settings.databaseUrl, webhookSubscribers: settings.webhookSubscribers }),
      workflowBundlePath: settings.workflowBundlePath,
    });
    // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
