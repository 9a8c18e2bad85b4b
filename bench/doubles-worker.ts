/**
 * The benchmark's complaint worker with the outside systems as in-memory doubles: the same
 * workflows, activities, ledger and task queue as `worker/main.ts`, but notices, dispatches,
 * payments and the archive record go to `createMemoryPorts` instead of HTTP and PGlite. Only the
 * webhooks still go over HTTP (the benchmark's driver hears `complaint.resolved` from them).
 * Against the bare workflow, which runs no-op activities, this isolates the orchestration's cost
 * from the effects' own work.
 */
import { NativeConnection } from '@temporalio/worker';
import { createMemoryPorts } from '../activities/adapters/memory';
import { createWebhookPublisher } from '../activities/adapters/webhooks';
import { loadSettings } from '../config/settings';
import { createComplaintWorker } from '../worker/worker';
import { dataConverterFor } from '../config/payload-codec';

async function main(): Promise<void> {
  const settings = loadSettings();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const { ports } = createMemoryPorts();
  const worker = await createComplaintWorker({
    connection,
    namespace: 'default',
    ports: { ...ports, lifecycle: createWebhookPublisher(settings.webhookSubscribers, { allowPrivateAddresses: settings.webhookAllowPrivateAddresses }) },
    workflowBundlePath: settings.workflowBundlePath,
    maxCachedWorkflows: settings.maxCachedWorkflows,
    dataConverter: await dataConverterFor(settings.payloadKeyRing),
  });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
