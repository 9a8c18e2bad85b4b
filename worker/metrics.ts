/**
 * The worker's metrics, on two Prometheus endpoints:
 *   - the Temporal SDK runtime's exporter (`WORKER_SDK_METRICS_ADDRESS`, default 127.0.0.1:9464):
 *     task latencies, slots, pollers, sticky cache, activity and workflow task outcomes;
 *   - the worker's own /metrics (`WORKER_METRICS_ADDRESS`, default 127.0.0.1:9465): the complaint
 *     effects counted by the activities (activities/metrics.ts), failing effects counted by an
 *     activity interceptor, and Node's process metrics.
 * Two ports rather than one merged endpoint: the SDK's exporter lives in its native runtime, and
 * keeping it apart means our endpoint never waits on (or breaks with) it.
 */
import { createServer, type Server } from 'node:http';
import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { Runtime, type ActivityInboundCallsInterceptor, type ActivityInterceptorsFactory } from '@temporalio/worker';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createEffectMetrics, type EffectMetrics } from '../activities/metrics';
import type { ListenAddress } from '../config/settings';

/** The worker's registry and the counters the activities and the interceptor feed. */
export interface WorkerMetrics {
  registry: Registry;
  effects: EffectMetrics;
}

/** A registry with the complaint effect counters and Node's process metrics. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry, effects: createEffectMetrics(registry) };
}

/**
 * Counts every failed activity attempt (an effect failing) by activity type, then lets the failure
 * go on to Temporal unchanged. A cancellation is not a failure of the effect.
 */
export function activityFailureInterceptor(effects: EffectMetrics): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    const inbound: ActivityInboundCallsInterceptor = {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          if (!(err instanceof CancelledFailure)) {
            effects.activityFailed(ctx.info.activityType, err instanceof ApplicationFailure && err.nonRetryable === true);
          }
          throw err;
        }
      },
    };
    return { inbound };
  };
}

/**
 * Installs the SDK runtime with its Prometheus exporter at `address` (durations in seconds,
 * counters with `_total`, units in histogram names: Prometheus' conventions). Call once per process,
 * before the first NativeConnection.
 */
export function installRuntimeWithMetrics(address: ListenAddress | undefined, options: { shutdownSignals?: NodeJS.Signals[] } = {}): void {
  Runtime.install({
    ...options,
    ...(address
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: `${address.host}:${address.port}`, useSecondsForDurations: true, countersTotalSuffix: true, unitSuffix: true },
            },
          },
        }
      : {}),
  });
}

/** Serves `registry` at GET /metrics on `address`; resolves once listening. */
export async function serveMetrics(registry: Registry, address: ListenAddress): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: try GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return server;
}
