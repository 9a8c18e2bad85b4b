/** What the HTTP API needs from outside; `createApp` receives it, nothing is created at import time. */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import type { ComplaintRecordStore } from '../archive/store';
import type { Authenticator } from './auth/credentials';
import type { ReceivedAtWindow } from './complaints/schemas';
import type { BusinessCalendar } from '../domain/calendar';
import type { Assessment } from '../archive/scorecard';
import type { HandlingPolicy } from '../domain/policy';
import type { OpenComplaintCounts } from './metrics/complaints';
import type { RateLimits } from '../config/rate-limits';
import type { CommandSigner } from './auth/command-signer';

export interface ApiDeps {
  /** Who is calling: every route but /healthz, /readyz, /metrics, /openapi.json and /docs needs credentials it accepts. */
  auth: Authenticator;
  /** The Temporal client complaints are started, queried and commanded through. */
  client: Client;
  /** The handling policy every new complaint is started with. */
  policy: HandlingPolicy;
  /** The business calendar every new complaint's clocks run on. */
  calendar: BusinessCalendar;
  /** The calendar as CALENDAR_PATH holds it now, for /calendar/* (default: `calendar`, the one read at start-up). */
  loadCalendar?: () => BusinessCalendar;
  /** Days before the calendar's data ends that /readyz degrades (default 60). */
  calendarWarnDays?: number;
  /** The clock /readyz judges the calendar's coverage by (default: the system clock). */
  now?: () => Date;
  /** The complaint archive, for reports and the report page (absent: no report routes). */
  archive?: ComplaintRecordStore;
  /** The assessment inputs for the monthly scorecard (config/assessment.json). */
  assessment?: Assessment;
  /** A fresh complaint id when the client sends no Idempotency-Key (default: `C-yyyymmdd-<random>`). */
  newComplaintId?: () => string;
  /** Whether Temporal answers, for /healthz (default: GetSystemInfo with a short deadline). */
  checkTemporal?: () => Promise<boolean>;
  /** How long a read waits for the complaint's worker before answering the last known state (default 2 s). */
  readWaitMs?: number;
  /** How long a command waits for the complaint's worker before answering 503 (default 10 s). */
  commandWaitMs?: number;
  /** How far `receivedAt` may lie in the past and ahead of our clock (default: 30 days, 5 minutes). */
  receivedAtWindow?: ReceivedAtWindow;
  /** The key listing cursors are signed with (`CURSOR_SECRET`; default: random per app, so cursors die with the process). */
  cursorSecret?: string;
  /** The open complaints for /metrics (default: count queries to Temporal visibility). */
  countOpenComplaints?: () => Promise<OpenComplaintCounts>;
  /** The key customer references in Temporal visibility are made with (default: the development key). */
  customerRefKey?: string;
  /** Signs every command and outside event the API sends a complaint (default: the development key). */
  commandSigner?: CommandSigner;
  /** The codec endpoint for the Temporal UI and CLI (/codec/decode, /codec/encode); absent: not served. */
  codec?: { codec: PayloadCodec; corsOrigin?: string; devCapability?: string };
  /** The bearer token GET /metrics needs (absent: /metrics is open, as outside production). */
  metricsToken?: string;
  /** How fast one address and one principal may call the authenticated routes (default: unlimited; the processes set RATE_LIMIT_*). */
  rateLimits?: RateLimits;
  /** Where the request log lines and failures go (default: pino JSON on stdout; silent when NODE_ENV=test). */
  logger?: Logger;
}
