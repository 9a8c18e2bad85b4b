/**
 * The effect batch's heartbeats: none for a batch that ends quickly (each would be a server round
 * trip and a write), one every HEARTBEAT_EVERY_MS with the effects done for a batch held up by a
 * slow outside system, so a worker killed mid-batch is still noticed within the 30 s timeout.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, HEARTBEAT_EVERY_MS } from '../../activities';
import { createMemoryPorts } from '../../activities/adapters/memory';
import type { CustomerNotice, EffectRequest } from '../../activities/ports';
import type { EffectResult } from '../../domain/effects';

type Batch = { complaintId: string; effects: EffectRequest[] };

const notice = (n: number): EffectRequest => {
  const message: CustomerNotice = {
    idempotencyKey: `C-1/notice/${n}`,
    complaintId: 'C-1',
    customerId: 'CU-9',
    contact: { phone: '13800000000' },
    kind: 'acknowledgement',
    message: 'We have received your complaint.',
  };
  return { key: message.idempotencyKey, kind: 'customer-notice', message };
};

afterEach(() => jest.useRealTimers());

test('a batch that ends quickly sends no heartbeat', async () => {
  const { ports, effects } = createMemoryPorts();
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  const results = await env.run<[Batch], EffectResult[], (b: Batch) => Promise<EffectResult[]>>(createActivities(ports).carryOutEffects, { complaintId: 'C-1', effects: [notice(1), notice(2), notice(3)] });
  expect(results.map((r) => r.outcome)).toEqual(['done', 'done', 'done']);
  expect(effects).toHaveLength(3);
  expect(beats).toEqual([]);
});

test('a batch held up by a slow system heartbeats every HEARTBEAT_EVERY_MS with the effects done, and stops when it ends', async () => {
  jest.useFakeTimers();
  const { ports } = createMemoryPorts();
  // The second notice takes 25 s to answer (the HTTP adapter's own timeout bounds it in production).
  let answer!: () => void;
  const notify = ports.customers.notify;
  ports.customers.notify = async (n) => {
    if (n.idempotencyKey.endsWith('/2')) await new Promise<void>((r) => (answer = r));
    await notify(n);
  };
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => beats.push(d));
  const running = env.run<[Batch], EffectResult[], (b: Batch) => Promise<EffectResult[]>>(createActivities(ports).carryOutEffects, { complaintId: 'C-1', effects: [notice(1), notice(2), notice(3)] });
  await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS - 1);
  expect(beats).toEqual([]);
  await jest.advanceTimersByTimeAsync(1);
  // One effect done while the second waits for its answer.
  expect(beats).toEqual([1]);
  await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS);
  expect(beats).toEqual([1, 1]);
  expect(HEARTBEAT_EVERY_MS * 3).toBeLessThanOrEqual(30_000);
  answer();
  const results = await running;
  expect(results.map((r) => r.outcome)).toEqual(['done', 'done', 'done']);
  await jest.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS * 3);
  expect(beats).toEqual([1, 1]);
});
