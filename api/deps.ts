/** What the HTTP API needs from outside; `createApp` receives it, nothing is created at import time. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { ComplaintRecordStore } from '../archive/store';
import type { Authenticator } from './auth/credentials';
import type { BusinessCalendar } from '../domain/calendar';
import type { Assessment } from '../domain/scorecard';
import type { HandlingPolicy } from '../domain/policy';
import type { OpenComplaintCounts } from './metrics/complaints';

export interface ApiDeps {
  /** Who is calling: every route but /healthz, /metrics, /openapi.json and /docs needs credentials it accepts. */
  auth: Authenticator;
  /** The Temporal client complaints are started, queried and commanded through. */
  client: Client;
  /** The handling policy every new complaint is started with. */
  policy: HandlingPolicy;
  /** The business calendar every new complaint's clocks run on. */
  calendar: BusinessCalendar;
  /** The complaint archive, for reports and the report page (absent: no report routes). */
  archive?: ComplaintRecordStore;
  /** The assessment inputs for the monthly scorecard (config/assessment.json). */
  assessment?: Assessment;
  /** A fresh complaint id when the client sends no Idempotency-Key (default: `C-yyyymmdd-<random>`). */
  newComplaintId?: () => string;
  /** Whether Temporal answers, for /healthz (default: GetSystemInfo with a short deadline). */
  checkTemporal?: () => Promise<boolean>;
  /** The open complaints for /metrics (default: count queries to Temporal visibility). */
  countOpenComplaints?: () => Promise<OpenComplaintCounts>;
  /** Where the request log lines and failures go (default: pino JSON on stdout; silent when NODE_ENV=test). */
  logger?: Logger;
}
