/**
 * Delivers lifecycle events to configured subscribers as signed JSON POSTs (at least once: the
 * workflow retries a batch until every subscriber has answered 2xx, within its failure policy, then
 * dead-letters it; receivers dedupe by event id).
 *
 * Signature: header `Complaint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * To verify: recompute the HMAC over the timestamp, a dot and the raw body with your secret,
 * compare in constant time, and reject timestamps older than a few minutes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookSubscriber } from '../../config/webhooks';
import type { LifecycleEvent } from '../../domain/lifecycle-events';
import type { LifecyclePublisher } from '../ports';

export type { WebhookSubscriber } from '../../config/webhooks';

/** The signature header value for `body` at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** Verifies a signature header (what a receiver does); `toleranceSeconds` bounds replay. */
export function verifyWebhook(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createWebhookPublisher(subscribers: WebhookSubscriber[], options: { timeoutMs?: number } = {}): LifecyclePublisher {
  return {
    async publish({ events }) {
      // Each subscriber on its own: one that is down does not keep the others from their events.
      const failures: string[] = [];
      await Promise.all(
        subscribers.map(async (subscriber) => {
          try {
            for (const event of events) {
              if (subscriber.events && !subscriber.events.includes(event.type)) continue;
              await deliver(subscriber, event, options.timeoutMs ?? 10_000);
            }
          } catch (err) {
            failures.push(err instanceof Error ? err.message : String(err));
          }
        }),
      );
      if (failures.length) throw new Error(`${failures.length} of ${subscribers.length} subscriber(s) failed: ${failures.join('; ')}`);
    },
  };
}

async function deliver(subscriber: WebhookSubscriber, event: LifecycleEvent, timeoutMs: number): Promise<void> {
  const body = JSON.stringify(event);
  const res = await fetch(subscriber.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Complaint-Event-Id': event.id,
      'Complaint-Signature': signWebhook(subscriber.secret, Math.floor(Date.now() / 1000), body),
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Any failure is retried by Temporal: a subscriber that is down gets the event when it is back.
  if (!res.ok) throw new Error(`webhook ${subscriber.url} answered ${res.status} for ${event.id}`);
}
