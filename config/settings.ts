/**
 * Process settings, parsed once at start-up from the environment with zod: a bad value stops
 * start-up with a message naming the variable. Temporal connection settings follow the SDK's
 * environment-config conventions (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS_*, TEMPORAL_PROFILE / temporal.toml) through @temporalio/envconfig.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { z } from 'zod';
import { COVERAGE_WARNING_DAYS, type BusinessCalendar } from '../domain/calendar';
import { assembleBusinessCalendar, parseBusinessCalendar } from '../domain/calendar-data';
import { parseHandlingPolicy, type HandlingPolicy } from '../domain/policy';
import { parseAssessment, type Assessment } from '../archive/scorecard';
import { apiKeyEntriesSchema, DEV_CUSTOMER_REF_KEY, DEV_SIGNING_KEY, type SigningKey, DEV_JWT_SECRET, DEV_KEY_PREFIX, devApiKeys, devAuthConfig, type AuthConfig } from './credentials';
import { effectCredentialsSchema, webhookSubscribersSchema, type EffectCredentials, type WebhookSubscriber } from './webhooks';
import type { RateLimits } from './rate-limits';
import type { PayloadKeyRing } from './payload-codec';
import { parseJsonSetting, payloadKeyRing, signingKeysSchema } from './key-settings';
import { temporalTlsFromFiles } from './temporal-tls';

/** The project root (works from the sources and from dist/). */
export const projectRoot = resolve(__dirname, '..', ...(__dirname.includes(`${join('dist', 'config')}`) ? ['..'] : []));

/** Where a metrics endpoint listens: `host:port` (`0.0.0.0:9464` in a container), or `off`. */
const metricsAddress = z
  .string()
  .regex(/^(off|[A-Za-z0-9.-]+:\d{1,5}|\[[0-9A-Fa-f:]+\]:\d{1,5})$/, 'host:port (e.g. 0.0.0.0:9464), or off')
  .refine((v) => v === 'off' || Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'a port up to 65535');

/** A metrics endpoint's address, split for `listen`. */
export interface ListenAddress {
  host: string;
  port: number;
  /** As given: `host:port`. */
  address: string;
}

function listenAddress(value: string): ListenAddress | undefined {
  if (value === 'off') return undefined;
  const at = value.lastIndexOf(':');
  return { host: value.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(value.slice(at + 1)), address: value };
}

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  POLICY_PATH: z.string().min(1).default('config/policy.json'),
  CALENDAR_PATH: z.string().min(1).default('config/calendars/cn'),
  /** Warn (logs, /readyz, report page) this many days before the calendar's data runs out. */
  CALENDAR_WARN_DAYS: z.coerce.number().int().min(0).max(3660).default(COVERAGE_WARNING_DAYS),
  ASSESSMENT_PATH: z.string().min(1).default('config/assessment.json'),
  EFFECTS_BASE_URL: z.url().optional(),
  /** The complaint archive's PostgreSQL; without it, an embedded PGlite under DATA_DIR/archive. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** Memory the worker may spend on cached complaints (their sandboxes), in MiB: sizes the workflow cache. */
  WORKER_CACHE_MB: z.coerce.number().int().min(16).max(65_536).default(512),
  /** The workflow cache's size in complaints, if set: overrides the size WORKER_CACHE_MB gives. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** JSON: [{ "url": ..., "secret": ..., "previousSecret"?: ..., "events"?: [...], "allowPrivateAddress"?: true }] */
  WEBHOOK_SUBSCRIBERS: z.string().optional(),
  /** Whether webhooks may go to private and loopback addresses (default: on outside production, off in it). */
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: z.enum(['on', 'off']).optional(),
  /**
   * JSON: the credential each outside system is called with, by effect (`customer-notices`,
   * `payments`, …) or `default`: { "bearer": "<token>" } or { "hmacSecret": "<secret>", "keyId"?: "…" }.
   */
  EFFECTS_CREDENTIALS: z.string().optional(),
  /** How far ahead of the API's clock a complaint's receivedAt may be (clock skew), in seconds. */
  RECEIVED_AT_MAX_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** How long before now a complaint's receivedAt may be, in days. */
  RECEIVED_AT_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** The HMAC key listing cursors are signed with; unset: a random key per API process. */
  CURSOR_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  /** JSON: the payload key ring, { "<key id>": "<32 bytes, base64>" }; production needs one (docs/operations.md). */
  PAYLOAD_KEYS: z.string().optional(),
  /** The Temporal Web UI's origin, the only one the codec endpoint answers CORS for (default outside production: the dev server's UI). */
  CODEC_CORS_ORIGIN: z.url().optional(),
  /** The key id that encrypts new payloads (default: the ring's only key). */
  PAYLOAD_ACTIVE_KEY: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id of letters, digits, . _ -').optional(),
  /** Requests a second (sustained) and at once (burst) one network address may send to the API's authenticated routes. */
  RATE_LIMIT_ADDRESS_PER_SECOND: z.coerce.number().positive().max(100_000).default(50),
  RATE_LIMIT_ADDRESS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** The same for one principal (API key or token subject), whatever address it calls from. */
  RATE_LIMIT_PRINCIPAL_PER_SECOND: z.coerce.number().positive().max(100_000).default(20),
  RATE_LIMIT_PRINCIPAL_BURST: z.coerce.number().int().min(1).max(1_000_000).default(40),
  /** The worker's Temporal SDK metrics (Prometheus exporter of the SDK runtime): host:port or off. */
  WORKER_SDK_METRICS_ADDRESS: metricsAddress.default('127.0.0.1:9464'),
  /** The worker's own metrics (complaint effects: notices, escalations, failures): host:port or off. */
  WORKER_METRICS_ADDRESS: metricsAddress.default('127.0.0.1:9465'),
});

/** The API's credentials: read only by the API processes, so a worker neither needs nor checks them. */
const authSettingsSchema = z.object({
  NODE_ENV: settingsSchema.shape.NODE_ENV,
  /** JSON: [{ "key" or "sha256": ..., "id": ..., "role": ..., "department"?: ... }] */
  API_KEYS: z.string().optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  /** JSON: { "<kid>": "<secret>" }: HMAC secrets by key id, for rotation with no downtime. */
  AUTH_JWT_SECRETS: z.string().optional(),
  /** Tokens issued longer ago than this are refused (production: 8 hours unless set). */
  AUTH_JWT_MAX_TOKEN_AGE_SECONDS: z.coerce.number().int().min(60).max(30 * 86_400).optional(),
  /** `on`: the development credentials when none are configured (outside production, on a loopback HOST only; npm start asks for them). */
  AUTH_DEV_CREDENTIALS: z.enum(['on', 'off']).default('off'),
  /** The address the API listens on: the development credentials are served on a loopback one only. */
  HOST: settingsSchema.shape.HOST,
  /** The bearer token Prometheus scrapes the API's /metrics with; production needs one (no open /metrics). */
  METRICS_TOKEN: z.string().min(32, 'use at least 32 characters').optional(),
  /** JSON: { "<key id>": "<32-byte Ed25519 seed, base64>" }: the keys the API proves every command's sender with; production needs its own. */
  COMMAND_SIGNING_KEYS: z.string().optional(),
  /** The key the customer references in Temporal visibility are made with (a keyed hash of the id); production needs one. */
  CUSTOMER_REF_KEY: z.string().min(32, 'use at least 32 characters').optional(),
});

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  policyPath: string;
  calendarPath: string;
  /** Days before the calendar's coverage ends that the worker and API start warning. */
  calendarWarnDays: number;
  /** The monthly scorecard's rules and inputs (reports). */
  assessmentPath: string;
  effectsBaseUrl?: string;
  /** PostgreSQL for the complaint archive; unset: PGlite under `<dataDir>/archive`. */
  databaseUrl?: string;
  workflowBundlePath?: string;
  /** How many complaints the worker keeps cached (WORKER_MAX_CACHED_WORKFLOWS, or from WORKER_CACHE_MB). */
  maxCachedWorkflows: number;
  production: boolean;
  webhookSubscribers: WebhookSubscriber[];
  /** Whether webhooks may be delivered to private and loopback addresses. */
  webhookAllowPrivateAddresses: boolean;
  /** The credentials the outside systems are called with, by effect name or `default`. */
  effectsCredentials?: EffectCredentials;
  /** The window the API accepts a complaint's receivedAt in. */
  receivedAtWindow: { maxAgeMs: number; maxSkewMs: number };
  /** The keys every payload handed to Temporal is encrypted with (config/payload-codec.ts). */
  payloadKeyRing: PayloadKeyRing;
  /** The Web UI origin the codec endpoint answers CORS for. */
  codecCorsOrigin?: string;
  /** The listing cursors' signing key; unset: random per process (cursors then die with it, and do not cross replicas). */
  cursorSecret?: string;
  /** How fast one address and one principal may call the API (429 past it). */
  rateLimits: RateLimits;
  /** The SDK runtime's Prometheus exporter in the worker process; unset: off. */
  workerSdkMetrics?: ListenAddress;
  /** The worker's own /metrics (complaint effects); unset: off. */
  workerMetrics?: ListenAddress;
}

/** The API's credentials; `dev` when none were configured outside production (see `devAuthConfig`). */
export interface AuthSettings {
  config: AuthConfig;
  dev: boolean;
  /** The bearer token /metrics needs (METRICS_TOKEN); unset outside production: /metrics is open. */
  metricsToken?: string;
  /** The key CustomerId is hashed with (CUSTOMER_REF_KEY; the development key outside production, when unset). */
  customerRefKey: string;
  /** The keys every command's sender is proven with (COMMAND_SIGNING_KEYS; the development key outside production, when unset). */
  signingKeys: SigningKey[];
}

/** Reads the settings from `env`; throws one message naming every bad variable. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const s = parseEnvironment(settingsSchema, env);
  const production = s.NODE_ENV === 'production';
  const webhookSubscribers = parseSubscribers(s.WEBHOOK_SUBSCRIBERS);
  const effectsCredentials = parseJsonSetting('EFFECTS_CREDENTIALS', s.EFFECTS_CREDENTIALS, effectCredentialsSchema);
  const fromRoot = (p: string) => (isAbsolute(p) ? p : join(projectRoot, p));
  return {
    port: s.PORT,
    host: s.HOST,
    dataDir: fromRoot(s.DATA_DIR),
    policyPath: fromRoot(s.POLICY_PATH),
    calendarPath: fromRoot(s.CALENDAR_PATH),
    calendarWarnDays: s.CALENDAR_WARN_DAYS,
    assessmentPath: fromRoot(s.ASSESSMENT_PATH),
    effectsBaseUrl: s.EFFECTS_BASE_URL,
    databaseUrl: s.DATABASE_URL,
    workflowBundlePath: s.WORKFLOW_BUNDLE_PATH && fromRoot(s.WORKFLOW_BUNDLE_PATH),
    maxCachedWorkflows: s.WORKER_MAX_CACHED_WORKFLOWS ?? cachedWorkflowsFor(s.WORKER_CACHE_MB),
    production,
    webhookSubscribers,
    webhookAllowPrivateAddresses: (s.WEBHOOK_ALLOW_PRIVATE_ADDRESSES ?? (production ? 'off' : 'on')) === 'on',
    effectsCredentials,
    receivedAtWindow: { maxAgeMs: s.RECEIVED_AT_MAX_AGE_DAYS * 86_400_000, maxSkewMs: s.RECEIVED_AT_MAX_SKEW_SECONDS * 1000 },
    cursorSecret: s.CURSOR_SECRET,
    payloadKeyRing: payloadKeyRing(s.PAYLOAD_KEYS, s.PAYLOAD_ACTIVE_KEY, production),
    codecCorsOrigin: s.CODEC_CORS_ORIGIN ? new URL(s.CODEC_CORS_ORIGIN).origin : production ? undefined : 'http://127.0.0.1:8233',
    rateLimits: {
      perAddress: { perSecond: s.RATE_LIMIT_ADDRESS_PER_SECOND, burst: s.RATE_LIMIT_ADDRESS_BURST },
      perPrincipal: { perSecond: s.RATE_LIMIT_PRINCIPAL_PER_SECOND, burst: s.RATE_LIMIT_PRINCIPAL_BURST },
    },
    workerSdkMetrics: listenAddress(s.WORKER_SDK_METRICS_ADDRESS),
    workerMetrics: listenAddress(s.WORKER_METRICS_ADDRESS),
  };
}

/**
 * The API's credentials (only the API processes read them, so a worker starts without them).
 * Outside production, nothing configured means the development credentials; production refuses
 * to start without its own, and refuses the development ones.
 */
export function loadAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const s = parseEnvironment(authSettingsSchema, env);
  const apiKeys = parseJsonSetting('API_KEYS', s.API_KEYS, apiKeyEntriesSchema) ?? [];
  const secrets = parseJsonSetting('AUTH_JWT_SECRETS', s.AUTH_JWT_SECRETS, jwtSecretsSchema);
  const production = s.NODE_ENV === 'production';
  const maxTokenAgeSeconds = s.AUTH_JWT_MAX_TOKEN_AGE_SECONDS ?? (production ? PRODUCTION_MAX_TOKEN_AGE_SECONDS : undefined);
  const jwt = s.AUTH_JWT_SECRET || s.AUTH_JWKS_URL || secrets
    ? { secret: s.AUTH_JWT_SECRET, secrets, jwksUrl: s.AUTH_JWKS_URL, issuer: s.AUTH_JWT_ISSUER, audience: s.AUTH_JWT_AUDIENCE, maxTokenAgeSeconds }
    : undefined;
  const metricsToken = s.METRICS_TOKEN;
  const customerRefKey = s.CUSTOMER_REF_KEY ?? DEV_CUSTOMER_REF_KEY;
  const configuredSigningKeys = parseJsonSetting('COMMAND_SIGNING_KEYS', s.COMMAND_SIGNING_KEYS, signingKeysSchema);
  const signingKeys = configuredSigningKeys ? Object.entries(configuredSigningKeys).map(([kid, seed]) => ({ kid, seed: new Uint8Array(Buffer.from(seed, 'base64')) })) : [DEV_SIGNING_KEY];
  if (!jwt && (s.AUTH_JWT_ISSUER || s.AUTH_JWT_AUDIENCE || s.AUTH_JWT_MAX_TOKEN_AGE_SECONDS)) {
    throw new Error('Invalid settings in the environment:\n  - AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE: set AUTH_JWT_SECRET or AUTH_JWKS_URL too (they check tokens verified with one of them)');
  }
  if (apiKeys.length === 0 && !jwt) {
    if (production) {
      throw new Error('Invalid settings in the environment:\n  - API_KEYS, AUTH_JWT_SECRET or AUTH_JWKS_URL: production needs credentials configured (the API refuses to start without them)');
    }
    if (s.AUTH_DEV_CREDENTIALS !== 'on') {
      throw new Error('Invalid settings in the environment:\n  - API_KEYS, AUTH_JWT_SECRET or AUTH_JWKS_URL: configure credentials, or set AUTH_DEV_CREDENTIALS=on for the development ones (on a loopback HOST only; npm start does)');
    }
    if (!isLoopback(s.HOST)) {
      throw new Error(`Invalid settings in the environment:\n  - HOST: the development credentials are served on a loopback address only (127.0.0.1, ::1 or localhost), not on ${s.HOST}; configure API_KEYS or a JWT setting to listen there`);
    }
    return { config: devAuthConfig(), dev: true, metricsToken, customerRefKey, signingKeys };
  }
  if (production) {
    const devDigests = new Set(devApiKeys.map((k) => createHash('sha256').update(k.key).digest('hex')));
    const problems = [
      ...apiKeys.flatMap((k, i) => (k.key?.startsWith(DEV_KEY_PREFIX) ? [`  - API_KEYS.${i}.key: a development key; configure a real one`] : [])),
      ...apiKeys.flatMap((k, i) => (k.sha256 && devDigests.has(k.sha256) ? [`  - API_KEYS.${i}.sha256: the digest of a development key; configure a real one`] : [])),
      ...apiKeys.flatMap((k, i) => (k.key !== undefined && k.key.length < 32 ? [`  - API_KEYS.${i}.key: use at least 32 characters in production`] : [])),
      ...(s.AUTH_JWT_SECRET === DEV_JWT_SECRET ? ['  - AUTH_JWT_SECRET: the development secret; configure a real one'] : []),
      ...(jwt && !s.AUTH_JWT_ISSUER ? ['  - AUTH_JWT_ISSUER: production checks the `iss` of every bearer token; set the issuer'] : []),
      ...(jwt && !s.AUTH_JWT_AUDIENCE ? ['  - AUTH_JWT_AUDIENCE: production checks the `aud` of every bearer token; set the audience'] : []),
      ...(s.AUTH_JWKS_URL && !s.AUTH_JWKS_URL.startsWith('https://') ? ['  - AUTH_JWKS_URL: production fetches the identity provider\'s keys over https only'] : []),
      ...Object.entries(secrets ?? {}).flatMap(([kid, v]) => (v === DEV_JWT_SECRET ? [`  - AUTH_JWT_SECRETS.${kid}: the development secret; configure a real one`] : [])),
      ...(s.AUTH_DEV_CREDENTIALS === 'on' ? ['  - AUTH_DEV_CREDENTIALS: the development credentials are never served in production'] : []),
      ...(!configuredSigningKeys ? ['  - COMMAND_SIGNING_KEYS: production proves every command to its complaint with its own Ed25519 keys (a JSON object of key id → 32-byte seed in base64: openssl rand -base64 32)'] : []),
      ...(signingKeys.some((k) => Buffer.from(k.seed).equals(Buffer.from(DEV_SIGNING_KEY.seed))) ? ['  - COMMAND_SIGNING_KEYS: holds the development key; configure real ones'] : []),
      ...(s.CUSTOMER_REF_KEY && s.CUSTOMER_REF_KEY !== DEV_CUSTOMER_REF_KEY ? [] : ['  - CUSTOMER_REF_KEY: production needs its own key for the customer references in Temporal visibility (at least 32 characters; keep it: a new key makes new references)']),
      ...(metricsToken ? [] : ['  - METRICS_TOKEN: production needs the bearer token Prometheus scrapes /metrics with (at least 32 characters; /metrics is not served openly)']),
    ];
    if (problems.length) throw new Error(`Invalid settings in the environment:\n${problems.join('\n')}`);
  }
  return { config: { apiKeys, jwt }, dev: false, metricsToken, customerRefKey, signingKeys };
}

/** `AUTH_JWT_SECRETS`: key id → HMAC secret of at least 32 characters. */
const jwtSecretsSchema = z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id of letters, digits, . _ -'), z.string().min(32, 'use at least 32 characters'));

/** Production's cap on a bearer token's age when AUTH_JWT_MAX_TOKEN_AGE_SECONDS is not set: a working day. */
export const PRODUCTION_MAX_TOKEN_AGE_SECONDS = 8 * 3600;

/** Whether `host` is a loopback address: 127.0.0.0/8, ::1 or localhost. */
function isLoopback(host: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(host) || host === '::1' || host === '[::1]' || host.toLowerCase() === 'localhost';
}

/**
 * `env` through `schema`; throws one message naming every bad variable. An empty variable counts
 * as unset (`FOO=` or Compose's `${FOO:-}`), so passing an optional setting through is harmless.
 */
function parseEnvironment<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid settings in the environment:\n${problems}`);
  }
  return parsed.data;
}

function parseSubscribers(raw: string | undefined): WebhookSubscriber[] {
  return parseJsonSetting('WEBHOOK_SUBSCRIBERS', raw, webhookSubscribersSchema) ?? [];
}

/** A variable holding JSON, checked against `schema`; every problem names the variable and the path. */

/** Loads and validates the handling policy file; a bad policy stops start-up. */
export function loadPolicy(path: string): HandlingPolicy {
  return parseHandlingPolicy(readJson(path, 'handling policy'), path);
}

/**
 * Loads and validates the business calendar (working days, holidays, make-up days). `path` is a
 * calendar directory (`calendar.json` + one `<year>.json` per year: an operator adds a year by
 * dropping in its file) or a single file holding a whole calendar.
 */
export function loadCalendar(path: string): BusinessCalendar {
  let directory = false;
  try {
    directory = statSync(path).isDirectory();
  } catch (err) {
    throw new Error(`Cannot read the business calendar ${path}: ${(err as Error).message}`);
  }
  if (!directory) return parseBusinessCalendar(readJson(path, 'business calendar'), path);
  const yearFiles = readdirSync(path).filter((f) => /^\d{4}\.json$/.test(f)).sort();
  return assembleBusinessCalendar(
    { file: 'calendar.json', raw: readJson(join(path, 'calendar.json'), 'business calendar') },
    yearFiles.map((f) => ({ file: f, raw: readJson(join(path, f), 'business calendar year') })),
    path,
  );
}

/** Loads and validates the monthly assessment (scorecard rules and inputs); default: config/assessment.json. */
export function loadAssessment(path: string = join(projectRoot, 'config', 'assessment.json')): Assessment {
  return parseAssessment(readJson(path, 'assessment configuration'), path);
}

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
}

/**
 * The Temporal connection, from the SDK's environment configuration (TEMPORAL_ADDRESS, ...), with
 * mutual TLS from TEMPORAL_TLS_CERT / _KEY / _CA / _SERVER_NAME when set (config/temporal-tls.ts).
 */
export function temporalConnectConfig(env: NodeJS.ProcessEnv = process.env): ClientConnectConfig & { namespace: string } {
  const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const config = loadClientConnectConfig({ overrideEnvVars: defined });
  const tls = temporalTlsFromFiles(env);
  const connectionOptions = tls === undefined ? config.connectionOptions : { ...config.connectionOptions, tls };
  return { ...config, connectionOptions, namespace: config.namespace ?? 'default' };
}

/**
 * What one cached complaint costs the worker, in KiB: its sandbox's share of the heap (the module
 * state of the workflow code, the case file, history in flight), measured by `npm run bench`.
 */
export const CACHED_COMPLAINT_KIB = 850;

/** How many complaints fit in `megabytes` of workflow cache (never fewer than 2, the SDK's minimum). */
export function cachedWorkflowsFor(megabytes: number): number {
  return Math.max(2, Math.floor((megabytes * 1024) / CACHED_COMPLAINT_KIB));
}
