/** Chooses the real adapter for the complaint ports from configuration. */
import path from 'node:path';
import type { ComplaintPorts } from '../ports';
import { createHttpPorts } from './http';
import { createOutboxPorts } from './outbox';

export { createHttpPorts, type HttpPortsOptions } from './http';
export { createOutboxPorts, outboxPaymentReference } from './outbox';

/** HTTP ports when `effectsBaseUrl` is set, else the development outbox under `<dataDir>/outbox`. */
export function createPortsFromConfig(config: { effectsBaseUrl?: string; dataDir: string }): ComplaintPorts {
  if (config.effectsBaseUrl) return createHttpPorts({ baseUrl: config.effectsBaseUrl });
  return createOutboxPorts(path.join(config.dataDir, 'outbox'));
}
