/**
 * The real thing, once per test file: a Temporal dev server, a real worker with in-memory doubles
 * for the outside systems, and the express app over the real client with the shipped policy and
 * calendar. Tests drive the app with supertest and read the workflows through `client`.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import { createMemoryPorts, type MemoryPorts } from '../../activities/adapters/memory';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { newComplaintId, shippedCalendar, wallClockPolicy } from './fixtures';
import { testAuth } from './http';
import { startDevServer, startWorker, useServerAndWorker, type RunningWorker } from './temporal';

export interface IntegrationTestbedOptions {
  /** The prefix of the complaint ids the app makes up when a request has no Idempotency-Key (default: the app's own ids). */
  idPrefix?: string;
  /** Whether the file runs one worker for all its tests (default true); false: the tests start their own with `startWorker`. */
  worker?: boolean;
}

export interface IntegrationTestbed {
  readonly env: TestWorkflowEnvironment;
  readonly client: Client;
  /** The doubles the file's worker records its effects in. */
  readonly memory: MemoryPorts;
  /** The app with the shipped policy and calendar. */
  readonly app: Express;
  /** Another app over the same server, with `overrides` in place of the shipped dependencies. */
  appWith(overrides: Partial<ApiDeps>): Express;
  /** Another worker on the same server, over `memory`'s doubles (default: the file's). */
  startWorker(memory?: MemoryPorts): Promise<RunningWorker>;
}

/** Registers beforeAll/afterAll for a file: dev server, worker, doubles, app. */
export function useIntegrationTestbed(options: IntegrationTestbedOptions = {}): IntegrationTestbed {
  const { idPrefix, worker } = options;
  const memory = createMemoryPorts();
  const env = useServerAndWorker(startDevServer, memory, { worker });
  let app: Express;

  const appWith = (overrides: Partial<ApiDeps>): Express =>
    createApp({
      client: env().client,
      policy: wallClockPolicy,
      calendar: shippedCalendar,
      auth: testAuth,
      ...(idPrefix === undefined ? {} : { newComplaintId: () => newComplaintId(idPrefix) }),
      ...overrides,
    });

  beforeAll(() => {
    app = appWith({});
  });

  return {
    get env() {
      return env();
    },
    get client() {
      return env().client;
    },
    memory,
    get app() {
      return app;
    },
    appWith,
    startWorker(other = memory) {
      return startWorker(env(), other);
    },
  };
}
