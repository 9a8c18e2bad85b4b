import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookPublisher, signWebhook, verifyWebhook } from '../../activities/adapters/webhooks';
import type { LifecycleEvent } from '../../domain/lifecycle-events';

const secret = 'whsec_0123456789abcdef';
/** The test receivers listen on loopback, which a webhook may reach only when allowed. */
const loopback = { allowPrivateAddresses: true };
const event = (seq: number, type: string): LifecycleEvent => ({
  id: `C-1:${seq}`,
  type,
  complaintId: 'C-1',
  occurredAt: '2026-11-02T01:00:00.000Z',
  summary: 'x',
});

/** A real receiver on loopback that verifies each delivery the way a subscriber would. */
async function receiver(status = 200) {
  const received: Array<{ headers: IncomingHttpHeaders; body: string; verified: boolean }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const verified = verifyWebhook(secret, String(req.headers['complaint-signature']), body, Math.floor(Date.now() / 1000));
      received.push({ headers: req.headers, body, verified });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, received, close: () => new Promise((r) => server.close(r)) };
}

test('delivers each event as a signed JSON POST with its id; the receiver verifies it', async () => {
  const r = await receiver();
  try {
    const publisher = createWebhookPublisher([{ url: r.url, secret }], loopback);
    await publisher.publish({ idempotencyKey: 'k', complaintId: 'C-1', events: [event(1, 'complaint.accepted'), event(2, 'complaint.judged')] });
    expect(r.received.map((x) => x.headers['complaint-event-id'])).toEqual(['C-1:1', 'C-1:2']);
    expect(r.received.every((x) => x.verified)).toBe(true);
    expect(JSON.parse(r.received[1]!.body)).toMatchObject({ id: 'C-1:2', type: 'complaint.judged' });
  } finally {
    await r.close();
  }
});

test('a subscriber gets only the events it asked for', async () => {
  const r = await receiver();
  try {
    await createWebhookPublisher([{ url: r.url, secret, events: ['complaint.closed'] }], loopback).publish({
      idempotencyKey: 'k',
      complaintId: 'C-1',
      events: [event(1, 'complaint.accepted'), event(9, 'complaint.closed')],
    });
    expect(r.received.map((x) => x.headers['complaint-event-id'])).toEqual(['C-1:9']);
  } finally {
    await r.close();
  }
});

test('a failing subscriber makes the delivery fail, so Temporal retries it', async () => {
  const r = await receiver(503);
  try {
    await expect(createWebhookPublisher([{ url: r.url, secret }], loopback).publish({ idempotencyKey: 'k', complaintId: 'C-1', events: [event(1, 'complaint.accepted')] })).rejects.toThrow('503');
  } finally {
    await r.close();
  }
});

test('verification rejects a tampered body, a wrong secret and an old timestamp', () => {
  const now = 1_800_000_000;
  const header = signWebhook(secret, now, '{"a":1}');
  expect(verifyWebhook(secret, header, '{"a":1}', now)).toBe(true);
  expect(verifyWebhook(secret, header, '{"a":2}', now)).toBe(false);
  expect(verifyWebhook('another-secret-0123456', header, '{"a":1}', now)).toBe(false);
  expect(verifyWebhook(secret, header, '{"a":1}', now + 301)).toBe(false);
});
