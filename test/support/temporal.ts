/** Starts the real Temporal engines for tests, from the binaries the project installs. */
import { developmentDataConverter, failureConverterPath } from '../../config/payload-codec';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createRetentionActivities } from '../../activities/retention';
import { createTemporalCommandPort } from '../../activities/adapters/temporal-commands';
import type { MemoryPorts } from '../../activities/adapters/memory';
import type { ComplaintPorts } from '../../activities/ports';
import { spareDevServerPorts, temporalCli, temporalTestServer } from '../../scripts/temporal-binaries';
import { complaintSearchAttributeSchema } from '../../worker/search-attributes';
import { TASK_QUEUE } from '../../contract/complaint';
import { complaintSearchAttributes } from '../../contract/search-attributes';

/** The time-skipping test server, with the project's search attributes: a 48-hour timer fires in milliseconds. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() }, client: { dataConverter: await developmentDataConverter() } });
  await registerSearchAttributes(env);
  return env;
}

/** The test server knows no custom search attributes until told (as the Java SDK's registerSearchAttribute does). */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes: complaintSearchAttributeSchema() });
}

/** A real dev server (the `temporal` CLI) with the project's search attributes registered, on spare ports. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  const { port, extraArgs } = await spareDevServerPorts();
  return await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      port,
      searchAttributes: Object.values(complaintSearchAttributes),
      extraArgs: ['--log-level', 'error', ...extraArgs],
    },
    client: { dataConverter: await developmentDataConverter() },
  });
}

/** A worker running in the background. */
export interface RunningWorker {
  /** Shuts the worker down and waits until it has stopped. */
  stop(): Promise<void>;
}

/** A real worker on `env`'s server, running the bundled workflows and the activities over `memory`'s doubles. */
export function startWorker(env: TestWorkflowEnvironment, memory: MemoryPorts): Promise<RunningWorker> {
  return startWorkerWith(env, memory.ports);
}

/** A real worker on `env`'s server over `ports` (e.g. the real HTTP adapter to a test receiver). */
export async function startWorkerWith(
  env: TestWorkflowEnvironment,
  ports: ComplaintPorts,
  options: { maxCachedWorkflows?: number; dataConverter?: DataConverter } = {},
): Promise<RunningWorker> {
  const dataConverter = options.dataConverter ?? (await developmentDataConverter());
  const commandsClient = options.dataConverter ? new Client({ connection: env.connection, dataConverter }) : env.client;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    ...options,
    dataConverter,
    activities: { ...createActivities({ commands: createTemporalCommandPort(commandsClient), ...ports }), ...createRetentionActivities(ports.retention) },
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

/**
 * Registers beforeAll/afterAll for a file: the server `startServer` starts and, unless `worker` is
 * false, one worker over `memory`'s doubles for all its tests. Answers the server, once started.
 */
export function useServerAndWorker(
  startServer: () => Promise<TestWorkflowEnvironment>,
  memory: MemoryPorts,
  { worker: withWorker = true }: { worker?: boolean } = {},
): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment;
  let worker: RunningWorker | undefined;
  beforeAll(async () => {
    env = await startServer();
    if (withWorker) worker = await startWorker(env, memory);
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await env?.teardown();
  }, 120_000);
  return () => env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow code, bundled once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath, logger: quietLogger });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
