/**
 * HTTP adapter for the complaint ports: each effect is a JSON POST to the configured endpoint,
 * carrying its idempotency key in the `Idempotency-Key` header so a retried activity is applied once,
 * and the credential of the outside system it goes to: `Authorization: Bearer <token>`, or
 * `Complaint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (as webhooks
 * are signed) with `Complaint-Key-Id`. Over https, or http on a loopback address only.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { ComplaintPorts } from '../ports';
import type { EffectCredential, EffectCredentials } from '../../config/webhooks';
import { effectNames, portsOver, type EffectName } from './effect-ports';
import { signWebhook } from './webhooks';

/** Options for {@link createHttpPorts}. */
export interface HttpPortsOptions {
  /** Base URL of the effects endpoint, e.g. `https://effects.internal/api`. */
  baseUrl: string;
  /** Per-request timeout; 10 s by default. */
  timeoutMs?: number;
  /** Injected fetch (tests); the global one by default. */
  fetch?: typeof fetch;
  /** The credential each outside system is called with, by effect name or `default`. */
  credentials?: EffectCredentials;
  /** Refuse to build the ports unless every effect has a credential (production). */
  requireCredentials?: boolean;
}

/** Whether `hostname` names this machine: 127.0.0.0/8, ::1, localhost. */
function isLoopbackHost(hostname: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]' || hostname === 'localhost';
}

/** The endpoint's URL and each effect's credential, checked once when the ports are built. */
function checkedEndpoint(options: HttpPortsOptions): { baseUrl: string; credentialFor: (effect: EffectName) => EffectCredential | undefined } {
  const url = new URL(options.baseUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`EFFECTS_BASE_URL: the outside systems are called over https (http only on a loopback address), not ${url.protocol}//${url.hostname}`);
  }
  const credentials = options.credentials ?? {};
  const unknown = Object.keys(credentials).filter((k) => k !== 'default' && !(effectNames as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`EFFECTS_CREDENTIALS: no effect is named ${unknown.join(', ')} (effects: ${effectNames.join(', ')}, or default)`);
  const credentialFor = (effect: EffectName) => credentials[effect] ?? credentials.default;
  const missing = effectNames.filter((e) => e !== 'archive' && !credentialFor(e));
  if (options.requireCredentials && missing.length) throw new Error(`EFFECTS_CREDENTIALS: no credential for ${missing.join(', ')} (give each its own, or a default)`);
  return { baseUrl: options.baseUrl.replace(/\/+$/, ''), credentialFor };
}

/** The headers that prove who is calling, for `body`. */
function credentialHeaders(credential: EffectCredential | undefined, body: string): Record<string, string> {
  if (!credential) return {};
  if ('bearer' in credential) return { Authorization: `Bearer ${credential.bearer}` };
  return { 'Complaint-Signature': signWebhook(credential.hmacSecret, Math.floor(Date.now() / 1000), body), ...(credential.keyId ? { 'Complaint-Key-Id': credential.keyId } : {}) };
}

const paymentResponse = z.object({ reference: z.string().min(1) });

/**
 * 4xx answers that may succeed when asked again: 408 Request Timeout, 409 Conflict (e.g. the same
 * Idempotency-Key still being processed), 425 Too Early, 429 Too Many Requests.
 */
export const retryableClientStatuses: ReadonlySet<number> = new Set([408, 409, 425, 429]);

/**
 * Ports backed by HTTP. Network errors, timeouts, 5xx and the 4xx in `retryableClientStatuses`
 * throw a plain Error (Temporal retries the activity); any other 4xx throws a non-retryable
 * `EffectRefused` ApplicationFailure with `{ status, body }` as details, for the workflow to handle
 * as a business refusal. A payload that cannot be sent at all (it does not serialise) is a
 * non-retryable `EffectInvalid`: no retry can change it.
 */
export function createHttpPorts(options: HttpPortsOptions): ComplaintPorts {
  const { baseUrl, credentialFor } = checkedEndpoint(options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;

  async function post(effect: EffectName, payload: { idempotencyKey: string }): Promise<unknown> {
    const url = `${baseUrl}/${effect}`;
    let json: string;
    try {
      json = JSON.stringify(payload);
    } catch (err) {
      throw ApplicationFailure.nonRetryable(`POST ${url}: the payload cannot be sent as JSON (${(err as Error).message})`, 'EffectInvalid');
    }
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': payload.idempotencyKey, ...credentialHeaders(credentialFor(effect), json) },
        body: json,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new Error(`POST ${url} failed: ${reason}`, { cause: err });
    }
    const body = parseBody(text);
    const { status } = response;
    if (status >= 400 && status < 500 && !retryableClientStatuses.has(status)) {
      const message = `POST ${url} refused with ${status}: ${text.slice(0, 500)}`;
      throw ApplicationFailure.nonRetryable(message, 'EffectRefused', { status, body });
    }
    if (!response.ok) throw new Error(`POST ${url} failed with ${status}: ${text.slice(0, 500)}`);
    return body;
  }

  return portsOver(
    (effect, payload) => post(effect, payload),
    (_order, answer) => {
      const parsed = paymentResponse.safeParse(answer);
      if (!parsed.success) throw new Error(`POST ${baseUrl}/payments: unexpected response: ${parsed.error.message}`);
      return parsed.data.reference;
    },
  );
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
