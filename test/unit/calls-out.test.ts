/**
 * The worker's calls out, as an attacker or a careless configuration would try them: an outside
 * system called without a credential or over plain http, a redirect to somewhere else, a webhook
 * aimed at the internal network, a secret rotated under live deliveries, production falling back
 * to outbox files.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHttpPorts, createPortsFromConfig } from '../../activities/adapters';
import { createWebhookPublisher, isPrivateAddress, verifyWebhook } from '../../activities/adapters/webhooks';
import type { LifecycleEvent } from '../../domain/lifecycle-events';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on loopback; `answer` decides each response. */
async function receiver(answer: (req: Received, res: import('node:http').ServerResponse) => void = (_r, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const r = { url: req.url!, headers: req.headers, body };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const notice = { idempotencyKey: 'C-1/notice/1', complaintId: 'C-1', kind: 'acknowledgement', message: 'received' } as never;
const event: LifecycleEvent = { id: 'C-1:1', type: 'complaint.accepted', complaintId: 'C-1', occurredAt: '2026-11-02T01:00:00.000Z', summary: 'x' };
const secret = 'whsec_new_0123456789abcdef';
const previousSecret = 'whsec_old_0123456789abcdef';

describe('calls to the outside systems', () => {
  it('carry the configured bearer token', async () => {
    const r = await receiver();
    try {
      await createHttpPorts({ baseUrl: r.url, credentials: { default: { bearer: 'notices-token-0123456789' } } }).customers.notify(notice);
      expect(r.received[0]!.headers.authorization).toBe('Bearer notices-token-0123456789');
    } finally {
      await r.close();
    }
  });

  it('or an HMAC signature over the body with its key id, which the receiver verifies, per effect', async () => {
    const r = await receiver();
    const hmacSecret = 'payments-hmac-secret-0123456789abcdef';
    try {
      const ports = createHttpPorts({ baseUrl: r.url, credentials: { 'customer-notices': { hmacSecret, keyId: 'k-2026' }, default: { bearer: 'other-token-0123456789' } } });
      await ports.customers.notify(notice);
      const [call] = r.received;
      expect(call!.headers['complaint-key-id']).toBe('k-2026');
      expect(call!.headers.authorization).toBeUndefined();
      const now = Math.floor(Date.now() / 1000);
      expect(verifyWebhook(hmacSecret, String(call!.headers['complaint-signature']), call!.body, now)).toBe(true);
      expect(verifyWebhook(hmacSecret, String(call!.headers['complaint-signature']), `${call!.body} `, now)).toBe(false);
    } finally {
      await r.close();
    }
  });

  it('go over https, or http only on a loopback address', () => {
    expect(() => createHttpPorts({ baseUrl: 'http://effects.internal.example:8080' })).toThrow(/https \(http only on a loopback address\), not http:\/\/effects.internal.example/);
    expect(() => createHttpPorts({ baseUrl: 'ftp://127.0.0.1' })).toThrow(/not ftp:/);
    expect(() => createHttpPorts({ baseUrl: 'https://effects.example.net' })).not.toThrow();
    expect(() => createHttpPorts({ baseUrl: 'http://localhost:9' })).not.toThrow();
  });

  it('refuse a credential for an effect that does not exist, and, when required, an effect without one', () => {
    expect(() => createHttpPorts({ baseUrl: 'https://e.example', credentials: { paymnets: { bearer: 'x'.repeat(20) } } })).toThrow(/no effect is named paymnets/);
    expect(() => createHttpPorts({ baseUrl: 'https://e.example', credentials: { payments: { bearer: 'x'.repeat(20) } }, requireCredentials: true })).toThrow(/no credential for customer-notices/);
    expect(() => createHttpPorts({ baseUrl: 'https://e.example', credentials: { default: { bearer: 'x'.repeat(20) } }, requireCredentials: true })).not.toThrow();
  });

  it('follow no redirect: the effect fails and the other address hears nothing', async () => {
    const elsewhere = await receiver();
    const r = await receiver((_req, res) => res.writeHead(307, { Location: `${elsewhere.url}/steal` }).end());
    try {
      await expect(createHttpPorts({ baseUrl: r.url }).customers.notify(notice)).rejects.toThrow(/failed with 307/);
      expect(elsewhere.received).toEqual([]);
    } finally {
      await r.close();
      await elsewhere.close();
    }
  });

  it('in production: no outbox files, no http webhooks, and a credential for every outside system', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'calls-out-'));
    try {
      expect(() => createPortsFromConfig({ dataDir, production: true })).toThrow(/EFFECTS_BASE_URL: production sends every effect/);
      const base = { dataDir, production: true, effectsBaseUrl: 'https://effects.example.net' };
      expect(() => createPortsFromConfig(base)).toThrow(/EFFECTS_CREDENTIALS: no credential for/);
      const credentials = { effectsCredentials: { default: { bearer: 'effects-token-0123456789' } } };
      expect(() => createPortsFromConfig({ ...base, ...credentials, webhookSubscribers: [{ url: 'http://crm.example.net/hooks', secret }] })).toThrow(/WEBHOOK_SUBSCRIBERS.0.url: production delivers webhooks over https only/);
      expect(() => createPortsFromConfig({ ...base, ...credentials, webhookSubscribers: [{ url: 'https://crm.example.net/hooks', secret }] })).not.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('webhook deliveries', () => {
  const publish = (subscribers: Parameters<typeof createWebhookPublisher>[0], options?: Parameters<typeof createWebhookPublisher>[1]) =>
    createWebhookPublisher(subscribers, options).publish({ idempotencyKey: 'k', complaintId: 'C-1', events: [event] });

  it('go to no private or loopback address unless allowed, by address or by a name that resolves to one', async () => {
    const r = await receiver();
    try {
      await expect(publish([{ url: `${r.url}/hooks`, secret }])).rejects.toThrow(/resolves to a private address/);
      const port = new URL(r.url).port;
      await expect(publish([{ url: `http://localhost:${port}/hooks`, secret }])).rejects.toThrow(/resolves to a private address/);
      expect(r.received).toEqual([]);
      await publish([{ url: `${r.url}/hooks`, secret, allowPrivateAddress: true }]);
      expect(r.received).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it('follow no redirect: a 3xx is a failure that Temporal retries, and the other address hears nothing', async () => {
    const elsewhere = await receiver();
    const r = await receiver((_req, res) => res.writeHead(302, { Location: `${elsewhere.url}/metadata` }).end());
    try {
      await expect(publish([{ url: `${r.url}/hooks`, secret }], { allowPrivateAddresses: true })).rejects.toThrow(/answered a redirect \(302\)/);
      expect(elsewhere.received).toEqual([]);
    } finally {
      await r.close();
      await elsewhere.close();
    }
  });

  it('are signed with both secrets while one rotates, so receivers on either verify every delivery', async () => {
    const r = await receiver();
    try {
      await publish([{ url: `${r.url}/hooks`, secret, previousSecret }], { allowPrivateAddresses: true });
      const [delivery] = r.received;
      const header = String(delivery!.headers['complaint-signature']);
      const now = Math.floor(Date.now() / 1000);
      expect(header.match(/v1=/g)).toHaveLength(2);
      expect(verifyWebhook(secret, header, delivery!.body, now)).toBe(true);
      expect(verifyWebhook(previousSecret, header, delivery!.body, now)).toBe(true);
      expect(verifyWebhook('whsec_someone_else_0123456', header, delivery!.body, now)).toBe(false);
    } finally {
      await r.close();
    }
  });

  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['127.0.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::ffff:10.0.0.1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
  ])('%s is private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
