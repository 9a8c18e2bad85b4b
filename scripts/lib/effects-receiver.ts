/**
 * A stand-in for the outside systems, over real HTTP on 127.0.0.1: it receives what the HTTP
 * adapter (`EFFECTS_BASE_URL`) and the webhook publisher send, answers as a gateway would, and
 * counts raw deliveries and deliveries per idempotency key (or webhook event id). Used by the race
 * and fault tests, `npm run measure:actions` and `npm run chaos`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEffect {
  path: string;
  key: string;
  complaintId?: string;
  body: Record<string, unknown>;
}

export interface EffectsReceiver {
  /** Base URL for the HTTP adapter, e.g. `http://127.0.0.1:41234`; webhooks go to `${url}/webhooks`. */
  readonly url: string;
  /** Every request received, in order (duplicates included). */
  readonly raw: ReceivedEffect[];
  /** Deliveries per path and key: 1 everywhere means each effect arrived exactly once. */
  countsByKey(): Map<string, number>;
  /** Keys delivered more than once (after retries a receiver must dedupe these). */
  duplicates(): string[];
  /** The distinct deliveries for one complaint, by path. */
  forComplaint(complaintId: string): ReceivedEffect[];
  /** Requests being answered right now (with `delayMs`, a batch in flight). */
  readonly inFlight: number;
  /** Resolves at the first delivery `matches` selects (already received, or yet to come). */
  arrival(matches: (effect: ReceivedEffect) => boolean, timeoutMs?: number): Promise<ReceivedEffect>;
  /** From now on answer `status` for requests `matches` selects (e.g. 400 refused, 503 down). */
  answer(status: number, matches: (effect: ReceivedEffect) => boolean): void;
  close(): Promise<void>;
}

export async function startEffectsReceiver(options: { delayMs?: number } = {}): Promise<EffectsReceiver> {
  const raw: ReceivedEffect[] = [];
  let inFlight = 0;
  const waiters = new Set<{ matches: (e: ReceivedEffect) => boolean; resolve: (e: ReceivedEffect) => void }>();
  const rules: Array<{ status: number; matches: (e: ReceivedEffect) => boolean }> = [];
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    void readBody(req).then(async (text) => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const body = safeJson(text);
      const path = (req.url ?? '/').split('?')[0]!;
      const key = String(req.headers['idempotency-key'] ?? req.headers['complaint-event-id'] ?? '');
      const complaintId = typeof body.complaintId === 'string' ? body.complaintId : undefined;
      const effect: ReceivedEffect = { path, key, complaintId, body };
      const rule = rules.findLast((r) => r.matches(effect));
      if (rule && rule.status >= 300) {
        res.writeHead(rule.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `answered ${rule.status} by the test receiver` }));
        return;
      }
      raw.push(effect);
      for (const w of waiters) {
        if (!w.matches(effect)) continue;
        waiters.delete(w);
        w.resolve(effect);
      }
      const answer = path === '/payments' ? { reference: `pay-${key}` } : { ok: true };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const keyOf = (e: ReceivedEffect) => `${e.path} ${e.key}`;
  const countsByKey = () => {
    const counts = new Map<string, number>();
    for (const e of raw) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
    return counts;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    raw,
    get inFlight() {
      return inFlight;
    },
    countsByKey,
    duplicates: () => [...countsByKey()].filter(([, n]) => n > 1).map(([k]) => k),
    forComplaint(complaintId) {
      const seen = new Set<string>();
      return raw.filter((e) => e.complaintId === complaintId && !seen.has(keyOf(e)) && seen.add(keyOf(e)));
    },
    arrival(matches, timeoutMs = 120_000) {
      const seen = raw.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { matches, resolve: (e: ReceivedEffect) => (clearTimeout(timer), resolve(e)) };
        const timer = setTimeout(() => (waiters.delete(waiter), reject(new Error('no such delivery arrived in time'))), timeoutMs);
        waiters.add(waiter);
      });
    },
    answer(status, matches) {
      rules.push({ status, matches });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
