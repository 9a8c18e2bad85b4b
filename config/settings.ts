/**
 * Process settings, parsed once at start-up from the environment with zod: a bad value stops
 * start-up with a message naming the variable. Temporal connection settings follow the SDK's
 * environment-config conventions (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS_*, TEMPORAL_PROFILE / temporal.toml) through @temporalio/envconfig.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { z } from 'zod';
import { webhookSubscribersSchema, type WebhookSubscriber } from '../activities/adapters/webhooks';
import { parseBusinessCalendar, type BusinessCalendar } from '../domain/calendar';
import { parseHandlingPolicy, type HandlingPolicy } from '../domain/policy';

/** The project root (works from the sources and from dist/). */
export const projectRoot = resolve(__dirname, '..', ...(__dirname.includes(`${join('dist', 'config')}`) ? ['..'] : []));

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  POLICY_PATH: z.string().min(1).default('config/policy.json'),
  CALENDAR_PATH: z.string().min(1).default('config/calendars/cn.json'),
  EFFECTS_BASE_URL: z.url().optional(),
  /** The complaint archive's PostgreSQL; without it, an embedded PGlite under DATA_DIR/archive. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** JSON: [{ "url": ..., "secret": ..., "events"?: [...] }] */
  WEBHOOK_SUBSCRIBERS: z.string().optional(),
});

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  policyPath: string;
  calendarPath: string;
  effectsBaseUrl?: string;
  /** PostgreSQL for the complaint archive; unset: PGlite under `<dataDir>/archive`. */
  databaseUrl?: string;
  workflowBundlePath?: string;
  production: boolean;
  webhookSubscribers: WebhookSubscriber[];
}

/** Reads the settings from `env`; throws one message naming every bad variable. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid settings in the environment:\n${problems}`);
  }
  const s = parsed.data;
  const fromRoot = (p: string) => (isAbsolute(p) ? p : join(projectRoot, p));
  return {
    port: s.PORT,
    host: s.HOST,
    dataDir: fromRoot(s.DATA_DIR),
    policyPath: fromRoot(s.POLICY_PATH),
    calendarPath: fromRoot(s.CALENDAR_PATH),
    effectsBaseUrl: s.EFFECTS_BASE_URL,
    databaseUrl: s.DATABASE_URL,
    workflowBundlePath: s.WORKFLOW_BUNDLE_PATH && fromRoot(s.WORKFLOW_BUNDLE_PATH),
    production: s.NODE_ENV === 'production',
    webhookSubscribers: parseSubscribers(s.WEBHOOK_SUBSCRIBERS),
  };
}

function parseSubscribers(raw: string | undefined): WebhookSubscriber[] {
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new Error(`Invalid settings in the environment:\n  - WEBHOOK_SUBSCRIBERS: not JSON (${(err as Error).message})`);
  }
  const parsed = webhookSubscribersSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - WEBHOOK_SUBSCRIBERS.${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid settings in the environment:\n${problems}`);
  }
  return parsed.data;
}

/** Loads and validates the handling policy file; a bad policy stops start-up. */
export function loadPolicy(path: string): HandlingPolicy {
  return parseHandlingPolicy(readJson(path, 'handling policy'), path);
}

/** Loads and validates the business calendar (working days, holidays, make-up days). */
export function loadCalendar(path: string): BusinessCalendar {
  return parseBusinessCalendar(readJson(path, 'business calendar'), path);
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
}

/** The Temporal connection, from the SDK's environment configuration (TEMPORAL_ADDRESS, ...). */
export function temporalConnectConfig(): ClientConnectConfig & { namespace: string } {
  const config = loadClientConnectConfig();
  return { ...config, namespace: config.namespace ?? 'default' };
}
