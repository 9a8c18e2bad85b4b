/**
 * HTTP adapter for the complaint ports: each effect is a JSON POST to the configured endpoint,
 * carrying its idempotency key in the `Idempotency-Key` header so a retried activity is applied once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { ComplaintPorts } from '../ports';
import { portsOver } from './effect-ports';

/** Options for {@link createHttpPorts}. */
export interface HttpPortsOptions {
  /** Base URL of the effects endpoint, e.g. `https://effects.internal/api`. */
  baseUrl: string;
  /** Per-request timeout; 10 s by default. */
  timeoutMs?: number;
  /** Injected fetch (tests); the global one by default. */
  fetch?: typeof fetch;
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
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;

  async function post(path: string, payload: { idempotencyKey: string }): Promise<unknown> {
    const url = `${baseUrl}${path}`;
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
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': payload.idempotencyKey },
        body: json,
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
    (effect, payload) => post(`/${effect}`, payload),
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
