/** Builds the complaint worker from its dependencies (used by worker/main.ts, the run command and tests). */
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createActivities } from '../activities';
import { createTemporalCommandPort } from '../activities/adapters/temporal-commands';
import type { ComplaintPorts } from '../activities/ports';
import { TASK_QUEUE } from '../workflows/definitions';
import { activityFailureInterceptor, type WorkerMetrics } from './metrics';

export interface ComplaintWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  ports: ComplaintPorts;
  /** A pre-built workflow bundle (production); without it the workflows are bundled at start-up. */
  workflowBundlePath?: string;
  /** How many complaints stay cached (settings.maxCachedWorkflows); the rest are replayed when they wake. */
  maxCachedWorkflows?: number;
  /** Counts the complaint effects and failing activities (worker/metrics.ts); none: not counted. */
  metrics?: WorkerMetrics;
}

export function createComplaintWorker(options: ComplaintWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: TASK_QUEUE,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    // A command sent without waiting goes back to its complaint as an update, over this connection.
    activities: createActivities({ commands: createTemporalCommandPort(new Client({ connection: options.connection, namespace: options.namespace })), ...options.ports }, options.metrics?.effects),
    ...(options.metrics ? { interceptors: { activity: [activityFailureInterceptor(options.metrics.effects)] } } : {}),
    // Bounded by memory, not by the SDK's default (a share of the whole heap): see WORKER_CACHE_MB.
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    // One V8 context for every cached complaint (the SDK's default, kept deliberately): the
    // workflow code is compiled once, each complaint keeps only its own module state.
    reuseV8Context: true,
  });
}
