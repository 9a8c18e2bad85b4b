/** The API as its processes (api/main.ts, the run command) build it from the parsed settings. */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type express from 'express';
import type { ComplaintRecordStore } from '../archive/store';
import { loadAssessment, loadCalendar, type AuthSettings, type Settings } from '../config/settings';
import type { BusinessCalendar } from '../domain/calendar';
import type { HandlingPolicy } from '../domain/policy';
import { createApp } from './app';
import { createAuthenticator } from './auth/credentials';
import { createCommandSigner } from './auth/command-signer';

export function createAppFromSettings(
  settings: Settings,
  auth: AuthSettings,
  deps: { client: Client; policy: HandlingPolicy; calendar: BusinessCalendar; archive: ComplaintRecordStore; codec: PayloadCodec; codecDevCapability?: string },
): express.Express {
  const { codec, codecDevCapability, ...rest } = deps;
  return createApp({
    ...rest,
    codec: { codec, corsOrigin: settings.codecCorsOrigin, devCapability: codecDevCapability },
    calendarWarnDays: settings.calendarWarnDays,
    // Read afresh for /calendar/*: a year file dropped in since start-up counts.
    loadCalendar: () => loadCalendar(settings.calendarPath),
    assessment: loadAssessment(settings.assessmentPath),
    auth: createAuthenticator(auth.config),
    metricsToken: auth.metricsToken,
    customerRefKey: auth.customerRefKey,
    commandSigner: createCommandSigner(auth.signingKeys),
    receivedAtWindow: settings.receivedAtWindow,
    cursorSecret: settings.cursorSecret,
    rateLimits: settings.rateLimits,
  });
}
