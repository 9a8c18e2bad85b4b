/** Chooses the real adapter for the complaint ports from configuration. */
import { createWebhookPublisher, type WebhookSubscriber } from './webhooks';
import type { EffectCredentials } from '../../config/webhooks';
import path from 'node:path';
import type { ComplaintRecordStore } from '../../archive/store';
import type { ComplaintPorts } from '../ports';
import { createStoreArchive, createStoreRetention, lazyRecordStore, type LazyRecordStore } from './archive-store';
import { createHttpPorts } from './http';
import { createOutboxPorts } from './outbox';

export { createHttpPorts, type HttpPortsOptions } from './http';
export { createOutboxPorts, outboxPaymentReference } from './outbox';
export { createStoreArchive, createStoreRetention, lazyCustomerKeys, lazyRecordStore, type LazyRecordStore } from './archive-store';

/**
 * HTTP ports when `effectsBaseUrl` is set, else the development outbox under `<dataDir>/outbox`.
 * The archive is always the complaint record store: PostgreSQL when `databaseUrl` is set, else
 * PGlite under `<dataDir>/archive`, opened on first use. Pass `archiveStore` to share one store
 * with the report API (PGlite allows one process per data folder).
 */
export function createPortsFromConfig(config: {
  effectsBaseUrl?: string;
  dataDir: string;
  databaseUrl?: string;
  archiveStore?: ComplaintRecordStore | LazyRecordStore;
  /** Webhook subscribers; with none, lifecycle events go where the other effects go. */
  webhookSubscribers?: WebhookSubscriber[];
  /** Whether webhooks may go to private and loopback addresses (default: no). */
  webhookAllowPrivateAddresses?: boolean;
  /** The credential each outside system is called with, by effect name or `default`. */
  effectsCredentials?: EffectCredentials;
  /** Production: no outbox files, and a credential for every outside system. */
  production?: boolean;
}): ComplaintPorts {
  if (config.production) refuseDevelopmentCallsOut(config);
  const ports = config.effectsBaseUrl
    ? createHttpPorts({ baseUrl: config.effectsBaseUrl, credentials: config.effectsCredentials, requireCredentials: config.production })
    : createOutboxPorts(path.join(config.dataDir, 'outbox'));
  const store = config.archiveStore ?? lazyRecordStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const lifecycle = config.webhookSubscribers?.length ? createWebhookPublisher(config.webhookSubscribers, { allowPrivateAddresses: config.webhookAllowPrivateAddresses }) : ports.lifecycle;
  return { ...ports, lifecycle, archive: createStoreArchive(store), retention: createStoreRetention(store) };
}

/** Production calls out only for real: no outbox files, and webhooks over https. */
function refuseDevelopmentCallsOut(config: { effectsBaseUrl?: string; webhookSubscribers?: WebhookSubscriber[] }): void {
  const problems = [
    ...(config.effectsBaseUrl ? [] : ['EFFECTS_BASE_URL: production sends every effect to the outside systems (the outbox files are for development)']),
    ...(config.webhookSubscribers ?? []).flatMap((w, i) => (w.url.startsWith('https://') ? [] : [`WEBHOOK_SUBSCRIBERS.${i}.url: production delivers webhooks over https only`])),
  ];
  if (problems.length) throw new Error(problems.join('; '));
}
