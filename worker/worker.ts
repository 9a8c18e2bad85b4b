/** Builds the complaint worker from its dependencies (used by worker/main.ts, the run command and tests). */
import { setFlagsFromString } from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createActivities } from '../activities';
import { createRetentionActivities } from '../activities/retention';
import { createTemporalCommandPort } from '../activities/adapters/temporal-commands';
import type { ComplaintPorts } from '../activities/ports';
import { TASK_QUEUE } from '../contract/complaint';
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
  /** The payload codec and failure converter (config/payload-codec.ts): every payload encrypted. */
  dataConverter: DataConverter;
}

export function createComplaintWorker(options: ComplaintWorkerOptions): Promise<Worker> {
  keepHeapThroughCalm();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: TASK_QUEUE,
    dataConverter: options.dataConverter,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    // A command sent without waiting goes back to its complaint as an update, over this connection.
    activities: {
      ...createActivities({ commands: createTemporalCommandPort(new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter })), ...options.ports }, options.metrics?.effects),
      // The retention sweep (workflows/retention.ts): customers past the period erased.
      ...createRetentionActivities(options.ports.retention),
    },
    ...(options.metrics ? { interceptors: { activity: [activityFailureInterceptor(options.metrics.effects)] } } : {}),
    // Bounded by memory, not by the SDK's default (a share of the whole heap): see WORKER_CACHE_MB.
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    // One V8 context for every cached complaint (the SDK's default, kept deliberately): the
    // workflow code is compiled once, each complaint keeps only its own module state.
    reuseV8Context: true,
  });
}

/**
 * Turns off V8's memory reducer for the isolates created from here on (the SDK's workflow threads,
 * the archive's PGlite thread). When a busy worker goes quiet, after a burst of new complaints, the
 * reducer runs a series of full compacting collections to hand memory back: 40-80 ms pauses on the
 * workflow thread, landing on the first tasks of the complaints that arrive in the calm (2,000 open,
 * then 100 new at 2/s: slowest first task 135-149 ms with it, 52-54 ms without). The heap is bounded
 * by the workflow cache (WORKER_CACHE_MB), so the reducer gives back little; ordinary collections
 * still run. The main thread's isolate exists before this runs: the worker's start commands also
 * pass `--no-memory-reducer` to node (package.json, docker-compose.yml, scripts/lib/processes.ts).
 */
function keepHeapThroughCalm(): void {
  setFlagsFromString('--no-memory-reducer');
}
