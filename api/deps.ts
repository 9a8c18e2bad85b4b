/** What the HTTP API needs from outside; `createApp` receives it, nothing is created at import time. */
import type { Client } from '@temporalio/client';
import type { HandlingPolicy } from '../domain/policy';

export interface ApiDeps {
  /** The Temporal client complaints are started, queried and commanded through. */
  client: Client;
  /** The handling policy every new complaint is started with. */
  policy: HandlingPolicy;
  /** A fresh complaint id when the client sends no Idempotency-Key (default: `C-yyyymmdd-<random>`). */
  newComplaintId?: () => string;
  /** Whether Temporal answers, for /healthz (default: GetSystemInfo with a short deadline). */
  checkTemporal?: () => Promise<boolean>;
}
