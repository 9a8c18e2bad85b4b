/** The benchmark's raw-Temporal worker process (task queue `bench-bare`): `bareComplaint` and a no-op activity. */
import { NativeConnection, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: 'bench-bare',
    workflowBundle: { codePath: process.env.BARE_BUNDLE_PATH! },
    activities: { async noop() {} },
  });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
