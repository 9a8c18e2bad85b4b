/**
 * Delivers lifecycle events to configured subscribers as signed JSON POSTs (at least once: the
 * workflow retries a batch until every subscriber has answered 2xx, within its failure policy, then
 * dead-letters it; receivers dedupe by event id).
 *
 * Signature: header `Complaint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
 * with a second `v1=` signed with the previous secret while one is being rotated out. To verify:
 * recompute the HMAC over the timestamp, a dot and the raw body with your secret, accept when any
 * `v1` matches (constant-time compare), and reject timestamps older than a few minutes.
 *
 * A delivery follows no redirect (a 3xx is a failure), and goes to no private, loopback or
 * link-local address unless allowed (the subscriber's `allowPrivateAddress`, or the publisher's
 * `allowPrivateAddresses`): a subscriber URL cannot be turned into a probe of the internal network.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WebhookSubscriber } from '../../config/webhooks';
import type { LifecycleEvent } from '../../domain/lifecycle-events';
import type { LifecyclePublisher } from '../ports';

export type { WebhookSubscriber } from '../../config/webhooks';

/** The signature header value for `body` at `timestamp` (unix seconds): one `v1` per secret, newest first. */
export function signWebhook(secret: string | string[], timestamp: number, body: string): string {
  const macs = [secret].flat().map((s) => `v1=${createHmac('sha256', s).update(`${timestamp}.${body}`).digest('hex')}`);
  return `t=${timestamp},${macs.join(',')}`;
}

/** Verifies a signature header (what a receiver does): any `v1` made with `secret`; `toleranceSeconds` bounds replay. */
export function verifyWebhook(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((p) => p.split('=') as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, t, body).split('v1=')[1]!, 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && v)
    .some(([, v]) => {
      const given = Buffer.from(v!, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** Whether `address` (an IP) is private, loopback, link-local, unique-local or unspecified. */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  return v6 === '::1' || v6 === '::' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
}

/** Refuses a URL whose host is, or resolves to, an address the subscriber may not be delivered to. */
async function checkDestination(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) throw new Error(`webhook ${url}: its host resolves to a private address, and private addresses are not allowed for it`);
}

export function createWebhookPublisher(subscribers: WebhookSubscriber[], options: { timeoutMs?: number; allowPrivateAddresses?: boolean } = {}): LifecyclePublisher {
  return {
    async publish({ events }) {
      // Each subscriber on its own: one that is down does not keep the others from their events.
      const failures: string[] = [];
      await Promise.all(
        subscribers.map(async (subscriber) => {
          try {
            for (const event of events) {
              if (subscriber.events && !subscriber.events.includes(event.type)) continue;
              await deliver(subscriber, event, options.timeoutMs ?? 10_000, subscriber.allowPrivateAddress ?? options.allowPrivateAddresses ?? false);
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

async function deliver(subscriber: WebhookSubscriber, event: LifecycleEvent, timeoutMs: number, allowPrivate: boolean): Promise<void> {
  await checkDestination(subscriber.url, allowPrivate);
  const body = JSON.stringify(event);
  const secrets = [subscriber.secret, ...(subscriber.previousSecret ? [subscriber.previousSecret] : [])];
  const res = await fetch(subscriber.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Complaint-Event-Id': event.id,
      'Complaint-Signature': signWebhook(secrets, Math.floor(Date.now() / 1000), body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status >= 300 && res.status < 400) throw new Error(`webhook ${subscriber.url} answered a redirect (${res.status}) for ${event.id}; redirects are not followed`);
  // Any failure is retried by Temporal: a subscriber that is down gets the event when it is back.
  if (!res.ok) throw new Error(`webhook ${subscriber.url} answered ${res.status} for ${event.id}`);
}
