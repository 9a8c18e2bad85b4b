/**
 * The benchmark's complaint worker as it was before trust at the Temporal layer: the same
 * workflows, activities, outside systems and archive as `worker/main.ts`, but no payload codec (its
 * payloads in plain JSON) and no customer keys. With the API's unsigned twin (bench-stack's
 * `plainApi`), whose complaints pin no trusted keys, it measures what encryption and proven actors
 * cost a lifecycle, in the same run as the service as shipped.
 */
import { NativeConnection } from '@temporalio/worker';
import { createPortsFromConfig } from '../activities/adapters';
import { failureConverterPath } from '../config/payload-codec';
import { loadSettings } from '../config/settings';
import { createComplaintWorker } from '../worker/worker';

async function main(): Promise<void> {
  const settings = loadSettings();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await createComplaintWorker({
    connection,
    namespace: 'default',
    ports: createPortsFromConfig({ effectsBaseUrl: settings.effectsBaseUrl, dataDir: settings.dataDir, webhookSubscribers: settings.webhookSubscribers, webhookAllowPrivateAddresses: settings.webhookAllowPrivateAddresses }),
    workflowBundlePath: settings.workflowBundlePath,
    maxCachedWorkflows: settings.maxCachedWorkflows,
    // The same failure converter as the bundle's, over no codec.
    dataConverter: { failureConverterPath },
  });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
