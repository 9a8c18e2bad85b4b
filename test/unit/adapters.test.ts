/**
 * The real adapters for the complaint ports: HTTP against a real local server, the outbox against a
 * temporary directory, and the in-memory double the workflow tests rely on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createStoreArchive, isDataError } from '../../activities/adapters/archive-store';
import { createHttpPorts } from '../../activities/adapters/http';
import { ComplaintRecordStore } from '../../archive/store';
import { seedRecord, seedSpecs } from '../support/archive-seed';
import { createPortsFromConfig } from '../../activities/adapters/index';
import { createMemoryPorts } from '../../activities/adapters/memory';
import { createOutboxPorts, outboxPaymentReference } from '../../activities/adapters/outbox';
import type { ArchiveRecord, ComplaintPorts, CustomerNotice, PaymentOrder } from '../../activities/ports';
import type { ComplaintState } from '../../domain/case';

const notice: CustomerNotice = {
  idempotencyKey: 'C-1/notice/acknowledgement',
  complaintId: 'C-1',
  customerId: 'CU-9',
  contact: { phone: '13800000000' },
  kind: 'acknowledgement',
  message: 'We have received your complaint.',
};
const payment: PaymentOrder = {
  idempotencyKey: 'C-1/payment/1',
  complaintId: 'C-1',
  customerId: 'CU-9',
  kind: 'refund',
  amountFen: 1250,
  reason: 'double charge',
};
const archiveRecord: ArchiveRecord = {
  idempotencyKey: 'C-1/archive',
  complaintId: 'C-1',
  state: { complaintId: 'C-1', stage: 'closed' } as unknown as ComplaintState,
  timeline: [{ seq: 1, at: '2026-03-02T01:00:00Z', type: 'accepted', summary: 'accepted' }],
};

/** Calls every port method once, with the effect name each should map to. */
function everyEffect(ports: ComplaintPorts): Array<[string, { idempotencyKey: string }, () => Promise<unknown>]> {
  const dispatch = {
    idempotencyKey: 'C-1/dispatch/network',
    complaintId: 'C-1',
    department: 'network' as const,
    category: 'network-quality',
    summary: 'no signal at home',
    customerTier: 'vip' as const,
    kind: 'direct' as const,
  };
  const fix = {
    idempotencyKey: 'C-1/fix',
    complaintId: 'C-1',
    department: 'network' as const,
    description: 'replace the base station card',
    promisedBy: '2026-03-05T10:00:00Z',
  };
  const cancel = { idempotencyKey: 'C-1/cancel', complaintId: 'C-1', customerId: 'CU-9', service: 'music-pack' };
  const penalty = {
    idempotencyKey: 'C-1/penalty',
    complaintId: 'C-1',
    department: 'network' as const,
    partyAtFault: 'SP-3',
    cause: 'late',
  };
  return [
    ['customer-notices', notice, () => ports.customers.notify(notice)],
    ['department-dispatches', dispatch, () => ports.departments.dispatch(dispatch)],
    ['service-fixes', fix, () => ports.departments.scheduleFix(fix)],
    ['payments', payment, () => ports.billing.pay(payment)],
    ['service-cancellations', cancel, () => ports.billing.cancelService(cancel)],
    ['penalties', penalty, () => ports.penalties.record(penalty)],
    ['archive', archiveRecord, () => ports.archive.archive(archiveRecord)],
  ];
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('HTTP adapter', () => {
  interface Received {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: unknown;
  }
  let server: http.Server;
  let baseUrl: string;
  let received: Received[];
  let respond: (req: Received, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        const r: Received = { method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(raw) };
        received.push(r);
        respond(r, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
    respond = (r, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(r.url === '/api/payments' ? JSON.stringify({ reference: 'PAY-77' }) : '{}');
    };
  });

  it('POSTs each effect as JSON to its path, with the idempotency key as a header', async () => {
    const ports = createHttpPorts({ baseUrl });
    const calls = everyEffect(ports);
    for (const [, , call] of calls) await call();

    expect(received.map((r) => [r.method, r.url])).toEqual(calls.map(([name]) => ['POST', `/api/${name}`]));
    calls.forEach(([, payload], i) => {
      expect(received[i].body).toEqual(payload);
      expect(received[i].headers['content-type']).toBe('application/json');
      expect(received[i].headers['idempotency-key']).toBe(payload.idempotencyKey);
    });
  });

  it("returns the billing system's payment reference", async () => {
    await expect(createHttpPorts({ baseUrl }).billing.pay(payment)).resolves.toEqual({ reference: 'PAY-77' });
  });

  it('rejects a payment response without a reference as a retryable error', async () => {
    respond = (_r, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ref":"x"}');
    const err = await failureOf(createHttpPorts({ baseUrl }).billing.pay(payment));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toMatch(/payments: unexpected response/);
  });

  it.each([503, 500, 502, 429, 408, 409, 425])('throws a plain (retryable) Error on %i', async (status) => {
    respond = (_r, res) => res.writeHead(status).end('try later');
    const err = await failureOf(createHttpPorts({ baseUrl }).customers.notify(notice));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toContain(String(status));
  });

  it.each([422, 400, 401, 403, 404, 410, 413])('throws a non-retryable EffectRefused ApplicationFailure on %i', async (status) => {
    respond = (_r, res) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'account closed' }));
    const err = await failureOf(createHttpPorts({ baseUrl }).billing.pay(payment));
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe('EffectRefused');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ status, body: { error: 'account closed' } }]);
  });

  it('throws a non-retryable EffectInvalid, sending nothing, for a payload that cannot be JSON', async () => {
    const err = await failureOf(createHttpPorts({ baseUrl }).customers.notify({ ...notice, message: 10n } as unknown as CustomerNotice));
    expect(err).toMatchObject({ type: 'EffectInvalid', nonRetryable: true });
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(received).toEqual([]);
  });

  it('throws a retryable Error when the receiver does not answer in time', async () => {
    respond = () => {}; // never answers
    const started = Date.now();
    const err = await failureOf(createHttpPorts({ baseUrl, timeoutMs: 200 }).customers.notify(notice));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toMatch(/TimeoutError/);
  });

  it('throws a retryable Error when the receiver is unreachable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const err = await failureOf(createHttpPorts({ baseUrl: `http://127.0.0.1:${port}` }).customers.notify(notice));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect(err.message).toContain(`POST http://127.0.0.1:${port}/customer-notices failed`);
  });

  it('is chosen by createPortsFromConfig when an effects URL is configured', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'adapters-'));
    try {
      await createPortsFromConfig({ effectsBaseUrl: baseUrl, dataDir }).penalties.record({
        idempotencyKey: 'C-2/penalty',
        complaintId: 'C-2',
        department: 'billing',
        partyAtFault: 'staff 12',
        cause: 'wrong tariff',
      });
      expect(received.map((r) => r.url)).toEqual(['/api/penalties']);
      expect(existsSync(path.join(dataDir, 'outbox'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('outbox adapter', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'outbox-')), 'nested', 'outbox');
  });
  afterEach(() => rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true }));

  const lines = (name: string) =>
    readFileSync(path.join(dir, `${name}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  it('creates the directory and appends each effect as one JSON line to <effect>.jsonl', async () => {
    const calls = everyEffect(createOutboxPorts(dir));
    for (const [, , call] of calls) await call();
    for (const [name, payload] of calls) expect(lines(name)).toEqual([payload]);
  });

  it('writes an effect once per idempotency key, also under concurrent calls', async () => {
    const ports = createOutboxPorts(dir);
    const second = { ...notice, idempotencyKey: 'C-1/notice/investigating', kind: 'investigating' as const };
    await Promise.all([ports.customers.notify(notice), ports.customers.notify(notice), ports.customers.notify(second)]);
    await ports.customers.notify(notice);
    expect(lines('customer-notices')).toEqual([notice, second]);
  });

  it('still dedupes after a restart (a fresh instance on the same directory)', async () => {
    await createOutboxPorts(dir).billing.pay(payment);
    const restarted = createOutboxPorts(dir);
    const again = await restarted.billing.pay(payment);
    const other = { ...payment, idempotencyKey: 'C-1/payment/2' };
    await restarted.billing.pay(other);
    expect(lines('payments')).toEqual([payment, other]);
    expect(again.reference).toBe(outboxPaymentReference(payment.idempotencyKey));
  });

  it('keeps the file line-per-effect after a torn last line', async () => {
    await createOutboxPorts(dir).customers.notify(notice);
    const file = path.join(dir, 'customer-notices.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8') + '{"idemp'); // a write cut short by a crash
    const second = { ...notice, idempotencyKey: 'C-1/notice/closed', kind: 'closed' as const };
    await createOutboxPorts(dir).customers.notify(second);
    const raw = readFileSync(file, 'utf8').split('\n');
    expect(JSON.parse(raw[0])).toEqual(notice);
    expect(raw[1]).toBe('{"idemp');
    expect(JSON.parse(raw[2])).toEqual(second);
  });

  it('gives a deterministic payment reference derived from the key', async () => {
    const a = await createOutboxPorts(dir).billing.pay(payment);
    const b = await createOutboxPorts(dir).billing.pay({ ...payment, idempotencyKey: 'C-1/payment/2' });
    expect(a.reference).toMatch(/^outbox-[0-9a-f]{16}$/);
    expect(a.reference).toBe(outboxPaymentReference(payment.idempotencyKey));
    expect(b.reference).not.toBe(a.reference);
  });

  it('is chosen by createPortsFromConfig, under <dataDir>/outbox, when no effects URL is set', async () => {
    const dataDir = path.dirname(dir); // .../nested
    await createPortsFromConfig({ dataDir }).customers.notify(notice);
    expect(lines('customer-notices')).toEqual([notice]);
  });
});

describe('memory double', () => {
  it('records every effect once per idempotency key, in order', async () => {
    const { ports, effects } = createMemoryPorts();
    const calls = everyEffect(ports);
    for (const [, , call] of calls) await call();
    await ports.customers.notify(notice);
    const { reference } = await ports.billing.pay(payment);

    expect(effects).toEqual(calls.map(([effect, payload]) => ({ effect, payload })));
    expect(reference).toBe('memory-C-1/payment/1');
  });

  it('refuses an effect from then on with a non-retryable EffectRefused failure', async () => {
    const { ports, effects, refuse } = createMemoryPorts();
    await ports.billing.pay(payment);
    refuse('payments', 'account closed');

    const err = await failureOf(ports.billing.pay({ ...payment, idempotencyKey: 'C-1/payment/2' }));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('EffectRefused');
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect(err.message).toBe('account closed');
    await ports.customers.notify(notice); // other effects still work
    expect(effects.map((e) => e.effect)).toEqual(['payments', 'customer-notices']);
  });
});

describe('archive adapter', () => {
  let store: ComplaintRecordStore;
  beforeAll(async () => {
    store = await ComplaintRecordStore.open({ inMemory: true });
  }, 60_000);
  afterAll(() => store.close());

  /** A seeded record with `content` as the complaint's text. */
  const withContent = (content: string): ArchiveRecord => {
    const record = seedRecord(seedSpecs[0]!);
    const complaintId = `AD-${Math.random().toString(36).slice(2)}`;
    return { ...record, complaintId, idempotencyKey: `${complaintId}/archive`, state: { ...record.state, complaintId, intake: { ...record.state.intake, content } } };
  };

  it('files a good record', async () => {
    await expect(createStoreArchive(store).archive(withContent('Charged twice 📶'))).resolves.toBeUndefined();
  });

  it.each([
    ['a NUL in the text (SQLSTATE 22P05)', 'bad\u0000byte'],
    ['a lone surrogate in the text', 'half \ud800 a pair'],
  ])('refuses a record with %s as a non-retryable ArchiveRecordInvalid failure', async (_what, content) => {
    const err = await createStoreArchive(store).archive(withContent(content)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'ArchiveRecordInvalid', nonRetryable: true });
  });

  it('lets Temporal retry when the database itself fails', async () => {
    const down = Object.assign(Object.create(ComplaintRecordStore.prototype) as ComplaintRecordStore, {
      save: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    });
    const err = await createStoreArchive(down).archive(withContent('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
  });

  it.each([
    ['22P05', true],
    ['22008', true],
    ['23505', true],
    ['40001', false],
    ['57P01', false],
    ['08006', false],
  ])('classifies SQLSTATE %s as a data error: %s', (code, data) => {
    expect(isDataError(Object.assign(new Error('x'), { code }))).toBe(data);
  });
});
